#!/usr/bin/env bash
# The maslihat Python package (clients/python) with psycopg 3, psycopg2,
# asyncpg and SQLAlchemy (Debian's python3-* packages), against the running
# server: test/clients/client_python.py, then every Python example of the
# README's "Using maslihat from reporting tools", with its shown output.
# Installs the package with pip from a copy of the folder into a temporary
# target (nothing is left in the tree).  Needs a running cluster with
# maslihat installed (PGHOST, PGPORT and PGUSER set, as scripts/test does);
# creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/clients/lib.sh

# Debian's interpreter: python3 on PATH may be another one, without
# Debian's packages.
PYTHON=/usr/bin/python3
install_packages python3 python3-pip python3-setuptools python3-wheel python3-psycopg \
	python3-psycopg2 python3-asyncpg python3-sqlalchemy python3-pandas

WORK=$(mktemp -d /tmp/maslihat-python.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	clients_drop_db
	rm -rf "$WORK"
}
trap cleanup EXIT

pip_install() {
	cp -r clients/python "$WORK/src"
	"$PYTHON" -m pip install --no-build-isolation --no-deps --no-index --target "$WORK/site" "$WORK/src" \
		>"$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log"; return 1; }
}

t0=$SECONDS
clients_check "pip install ./clients/python" pip_install
clients_check "create the database and load the fixture" clients_create_db "maslihat_python_$$"
clients_check "load the edge tallies" "${PSQL[@]}" -f "$CLIENTS_DIR/edge.sql"
TEXT_KEYS=0
if clients_text_keys; then
	TEXT_KEYS=1
	clients_check "load the text-key edge tallies" "${PSQL[@]}" -f "$CLIENTS_DIR/edge_text.sql"
fi
if clients_trailers; then
	clients_check "load the edge tallies with a trailer" "${PSQL[@]}" -f "$CLIENTS_DIR/edge_trailer.sql"
fi
export TEXT_KEYS PSQL_BIN="$PG_BIN/psql" PYTHONPATH="$WORK/site"
# from the work folder: the tree's own maslihat.so must not shadow the package
# shellcheck disable=SC2016 # $1..$3 are bash -c's own arguments
clients_run_client bash -c 'cd "$1" && "$2" -P "$3"' _ "$WORK" "$PYTHON" "$PWD/$CLIENTS_DIR/client_python.py"
clients_check "every Python, JavaScript, Java and R block of the README is a tested example" \
	"$PYTHON" "$CLIENTS_DIR/readme_examples.py" --check-all
clients_run_examples python "$PYTHON -P" "$WORK"
echo "Python client test took $((SECONDS - t0))s"

clients_summary
