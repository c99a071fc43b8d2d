#!/usr/bin/env bash
# maslihat through node-postgres and postgres.js (npm pg and postgres, at
# the versions locked in test/clients/node/package-lock.json).  Without the
# package: outcome() columns, ranking() rows and tallies in text mode equal
# psql's answers value for value, and tally::jsonb arrives as parsed JSON
# with the tally's numbers (client_pg.js).  With the package (clients/node,
# npm install from the folder): tallies, composites and the enum as native
# values in both drivers (client_adapters.js; the tally's trailer, blank
# ballots, ballots issued and parts, when the server has it), then every
# JavaScript example of the README's "Using maslihat from reporting
# tools", with its shown output.  Installs into a temporary folder (nothing is left in the
# tree).
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

# the package from a copy of the folder, copied into node_modules
npm_install_package() {
	cp -r clients/node "$WORK/maslihat-node"
	(cd "$WORK" && npm install --no-save --install-links --no-audit --no-fund --loglevel=error ./maslihat-node >>npm.log 2>&1) ||
		{ cat "$WORK/npm.log"; return 1; }
}

# the package's version is the extension's
package_version_is_extensions() {
	local control package
	control=$(sed -n "s/^default_version = '\(.*\)'$/\1/p" maslihat.control)
	package=$(node -p 'require("./clients/node/package.json").version')
	if [ -z "$control" ] || [ "$package" != "$control" ]; then
		echo "package $package, extension $control"
		return 1
	fi
}

t0=$SECONDS
clients_check "clients/node/package.json's version is maslihat.control's default_version" package_version_is_extensions
clients_check "npm ci (node-postgres, postgres.js)" npm_ci
clients_check "npm install ./clients/node" npm_install_package
echo "npm ci took $((SECONDS - t0))s"
t1=$SECONDS
clients_check "create the database and load the fixture" clients_create_db "maslihat_node_$$"
clients_check "psql's answers" clients_psql_answers "$WORK/answers"
clients_run_client env NODE_PATH="$WORK/node_modules" node "$CLIENTS_DIR/node/client_pg.js" "$WORK/answers"
clients_check "load the edge tallies" "${PSQL[@]}" -f "$CLIENTS_DIR/edge.sql"
TEXT_KEYS=0
if clients_text_keys; then
	TEXT_KEYS=1
	clients_check "load the text-key edge tallies" "${PSQL[@]}" -f "$CLIENTS_DIR/edge_text.sql"
fi
TRAILERS=0
if clients_trailers; then
	TRAILERS=1
	clients_check "load the edge tallies with a trailer" "${PSQL[@]}" -f "$CLIENTS_DIR/edge_trailer.sql"
fi
export TEXT_KEYS TRAILERS PSQL_BIN="$PG_BIN/psql" NODE_PATH="$WORK/node_modules"
clients_run_client node "$CLIENTS_DIR/node/client_adapters.js"
clients_run_examples js node "$WORK"
echo "Node.js client tests took $((SECONDS - t1))s"

clients_summary
