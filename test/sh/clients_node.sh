#!/usr/bin/env bash
# maslihat through node-postgres (npm pg, at the version locked in
# test/clients/node/package-lock.json): outcome() columns, ranking() rows
# and tallies in text mode equal psql's answers value for value, and
# tally::jsonb arrives as parsed JSON with the tally's numbers.  Installs
# pg with npm ci into a temporary folder (nothing is left in the tree).
# Needs a running cluster with maslihat installed (PGHOST, PGPORT and PGUSER
# set, as scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/clients/lib.sh

# Node.js and npm come with the machine; Debian's are the fallback.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	install_packages nodejs npm
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}"/maslihat-node.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	clients_drop_db
	rm -rf "$WORK"
}
trap cleanup EXIT

npm_ci() {
	cp "$CLIENTS_DIR/node/package.json" "$CLIENTS_DIR/node/package-lock.json" "$WORK/"
	(cd "$WORK" && npm ci --no-audit --no-fund --loglevel=error >npm.log 2>&1) || { cat "$WORK/npm.log"; return 1; }
}

t0=$SECONDS
clients_check "npm ci (node-postgres)" npm_ci
echo "npm ci took $((SECONDS - t0))s"
t1=$SECONDS
clients_check "create the database and load the fixture" clients_create_db "maslihat_node_$$"
clients_check "psql's answers" clients_psql_answers "$WORK/answers"
clients_run_client env NODE_PATH="$WORK/node_modules" node "$CLIENTS_DIR/node/client_pg.js" "$WORK/answers"
echo "node-postgres client test took $((SECONDS - t1))s"

clients_summary
