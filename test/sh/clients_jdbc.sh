#!/usr/bin/env bash
# maslihat through the PostgreSQL JDBC driver (Debian's
# libpostgresql-jdbc-java): outcome() columns, ranking() rows and tallies
# in text and in binary transfer equal psql's answers value for value, read
# with getLong, getInt, getBigDecimal, getBoolean and getString; a tally
# read in binary decodes to its text form's numbers, the trailer's (0.2.0)
# too (ClientJdbc.java, no maslihat classes).  Then the maslihat classes
# (clients/java, built into a jar with clients/java/build.sh): tallies
# (their trailer's fields too, when the server has them) and composites as
# native values in text and binary transfer, sent back with setObject and
# binary COPY (ClientAdapters.java), and every Java example of the README's
# "Using maslihat from reporting tools", with its shown output.
#
# The driver reaches a server over TCP only, and scripts/test's cluster
# listens on a Unix socket only: unless the running cluster listens on
# 127.0.0.1 too, this starts its own throwaway cluster on 127.0.0.1, on a
# free port in 55800-55899 (trust authentication, as initdb -A trust sets
# up).  Needs maslihat installed; creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/clients/lib.sh

install_packages default-jdk-headless libpostgresql-jdbc-java
JDBC_JAR=/usr/share/java/postgresql.jar

WORK=$(mktemp -d "${TMPDIR:-/tmp}"/maslihat-jdbc.XXXXXX)
chmod 755 "$WORK"
own_cluster=
cleanup() {
	clients_drop_db
	if [ -n "$own_cluster" ]; then stop_cluster; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# Whether the cluster at PGHOST/PGPORT listens on 127.0.0.1.
listens_on_loopback() {
	local addresses a
	addresses=$("${PSQL[@]}" -At -d postgres -c "SHOW listen_addresses" 2>/dev/null) || return 1
	IFS=', ' read -r -a addresses <<<"$addresses"
	for a in "${addresses[@]}"; do
		case $a in '*' | 127.0.0.1 | localhost) return 0 ;; esac
	done
	return 1
}

# A throwaway cluster of our own on 127.0.0.1 (and a Unix socket in its
# folder, for psql), on the first port in 55800-55899 nobody listens on.
start_loopback_cluster() {
	local port outer=${CLUSTER_DIR:-}
	for port in $(seq 55800 55899); do
		# something answers there already
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
		if PGPORT_BASE=$port CLUSTER_OPTIONS="-c listen_addresses=127.0.0.1" start_cluster >/dev/null 2>&1; then
			trap cleanup EXIT # start_cluster set its own
			own_cluster=yes
			return 0
		fi
		# lost a race for the port: clean up what start_cluster made (never
		# the cluster we were started with) and try the next
		if [ -n "${CLUSTER_DIR:-}" ] && [ "$CLUSTER_DIR" != "$outer" ]; then
			as_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate stop >/dev/null 2>&1 || true
			rm -rf "$CLUSTER_DIR"
		fi
		CLUSTER_DIR=$outer
	done
	echo "no free port in 55800-55899"
	return 1
}

t0=$SECONDS
if listens_on_loopback; then
	echo "the running cluster listens on 127.0.0.1:$PGPORT"
else
	clients_check "a throwaway cluster on 127.0.0.1" start_loopback_cluster
	echo "started a throwaway cluster on 127.0.0.1:$PGPORT"
fi
clients_check "create the database and load the fixture" clients_create_db "maslihat_jdbc_$$"
clients_check "psql's answers" clients_psql_answers "$WORK/answers"
# whether the server's tallies have the trailer (0.2.0): both clients check it
TRAILERS=0
if clients_trailers; then TRAILERS=1; fi
export TRAILERS
clients_check "compile the client" javac -encoding UTF-8 -d "$WORK/classes" -cp "$JDBC_JAR" "$CLIENTS_DIR/ClientJdbc.java"
clients_run_client java -cp "$WORK/classes:$JDBC_JAR" ClientJdbc "$WORK/answers" \
	"jdbc:postgresql://127.0.0.1:$PGPORT/$PGDATABASE" "$PGUSER"
clients_check "build maslihat.jar (clients/java/build.sh)" env JAVAC_FLAGS="-Xlint:all -Werror" sh clients/java/build.sh "$WORK/jar"
clients_check "load the edge tallies" "${PSQL[@]}" -f "$CLIENTS_DIR/edge.sql"
TEXT_KEYS=0
if clients_text_keys; then
	TEXT_KEYS=1
	clients_check "load the text-key edge tallies" "${PSQL[@]}" -f "$CLIENTS_DIR/edge_text.sql"
fi
if [ "$TRAILERS" = 1 ]; then
	clients_check "load the edge tallies with a trailer" "${PSQL[@]}" -f "$CLIENTS_DIR/edge_trailer.sql"
fi
export TEXT_KEYS
CP="$WORK/jar/maslihat.jar:$JDBC_JAR"
clients_check "compile the adapter client" javac -encoding UTF-8 -d "$WORK/classes" -cp "$CP" "$CLIENTS_DIR/ClientAdapters.java"
clients_run_client java -cp "$WORK/classes:$CP" ClientAdapters \
	"jdbc:postgresql://127.0.0.1:$PGPORT/$PGDATABASE" "$PGUSER" "$PG_BIN/psql"
# an example: javac it into its folder and run its class
printf '%s\n' '#!/bin/sh' \
	"javac -encoding UTF-8 -cp '$CP' -d . \"\$1\" && exec java -cp '.:$CP' \"\$(basename \"\$1\" .java)\"" \
	>"$WORK/run-java-example"
chmod +x "$WORK/run-java-example"
clients_run_examples java "$WORK/run-java-example" "$WORK"
echo "JDBC client tests took $((SECONDS - t0))s"

clients_summary
