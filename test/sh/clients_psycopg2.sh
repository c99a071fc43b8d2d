#!/usr/bin/env bash
# maslihat through psycopg2 (Debian's python3-psycopg2): outcome() columns,
# ranking() rows and tallies in text mode equal psql's answers value for
# value; tallies fetched with binary COPY decode to their text form's
# numbers, and tallies encoded in Python are read back by the server (with
# the 0.2.0 trailer too, when the server has it); and
# the sql examples of docs/reporting-tools.md print what it shows.
# Needs a running cluster with maslihat installed (PGHOST, PGPORT and PGUSER
# set, as scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/clients/lib.sh

# Debian's interpreter: python3 on PATH may be another one, without
# Debian's python3-psycopg2.
PYTHON=/usr/bin/python3
install_packages python3 python3-psycopg2

WORK=$(mktemp -d "${TMPDIR:-/tmp}"/maslihat-psycopg2.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	clients_drop_db
	rm -rf "$WORK"
}
trap cleanup EXIT

t0=$SECONDS
clients_check "create the database and load the fixture" clients_create_db "maslihat_psycopg2_$$"
clients_check "psql's answers" clients_psql_answers "$WORK/answers"
TRAILERS=0
if clients_trailers; then
	TRAILERS=1
fi
export TRAILERS
# docs/reporting-tools.md's psql examples, on the fixture, print what it shows
clients_check "docs/reporting-tools.md: every sql block prints the output shown" \
	env PATH="$PG_BIN:$PATH" "$PYTHON" test/readme_check.py --readme docs/reporting-tools.md -- -d "$PGDATABASE"
clients_run_client "$PYTHON" "$CLIENTS_DIR/client_psycopg2.py" "$WORK/answers"
echo "psycopg2 client test took $((SECONDS - t0))s"

clients_summary
