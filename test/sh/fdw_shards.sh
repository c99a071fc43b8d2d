#!/usr/bin/env bash
# Sharding with postgres_fdw: three more PostgreSQL clusters on loopback
# hold the ballots, candidate totals and station tallies as hash partitions
# by constituency; the coordinator (the cluster scripts/test started) sees
# them as foreign-table partitions of its own tables.  With
# extensions 'maslihat' declared on the foreign servers:
#   - grouping by constituency runs tally(), fptp_winner() and sum(tally)
#     on the shards (EXPLAIN VERBOSE: the Remote SQL contains them);
#   - national and regional totals built from the shards' tallies (the
#     tally's text form crossing the wire) equal the single-node answer;
#   - every answer equals the one from an unpartitioned local copy.
# Without the option nothing is pushed down, and the answers are the same.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT and PGUSER
# set, as scripts/test does).  The shards listen on 127.0.0.1 only, on the
# first free ports from 55600 (SHARD_PORT_BASE), in one temporary folder,
# run by the postgres user when we are root; they are stopped and removed,
# and the coordinator's database dropped, however the script ends.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

DB=maslihat_fdw_$$
SHARD_DB=maslihat_shard
SHARDS=3
export PGDATABASE=$DB
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
passed=0
failed=0

SHARD_BASE=
SHARD_DIRS=()
SHARD_PORTS=()

cleanup() {
	set +e
	local d
	for d in "${SHARD_DIRS[@]:-}"; do
		if [ -n "$d" ] && [ -f "$d/postmaster.pid" ]; then
			as_owner "$PG_BIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
		fi
	done
	if [ -n "$SHARD_BASE" ]; then rm -rf "$SHARD_BASE"; fi
	dropdb --if-exists "$DB" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAILED: $*"
}

# check WHAT EXPECTED ACTUAL
check() {
	if [ "$2" == "$3" ]; then
		ok
		echo "ok: $1"
	else
		fail "$1: expected $2, got $3"
	fi
}

query() { "${PSQL[@]}" -At -c "$1"; }
indent() { sed 's/^/    /'; }

# Whether something already listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_shards: one initdb, copied for each shard (faster than three), each
# started on the next free port; a port taken between the check and the
# start (another run of this script) just moves on to the next one.
start_shards() {
	SHARD_BASE=$(mktemp -d "${TMPDIR:-/tmp}"/maslihat-shards.XXXXXX)
	chmod 755 "$SHARD_BASE"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$SHARD_BASE"
	as_owner "$PG_BIN/initdb" -D "$SHARD_BASE/template" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 >"$SHARD_BASE/initdb.log" 2>&1 ||
		{ cat "$SHARD_BASE/initdb.log"; return 1; }
	local base=${SHARD_PORT_BASE:-55600}
	local port=$base i tries
	for ((i = 0; i < SHARDS; i++)); do
		local dir=$SHARD_BASE/shard$i
		as_owner cp -a "$SHARD_BASE/template" "$dir"
		for ((tries = 0; ; tries++)); do
			while port_in_use "$port" || [ -e "$SHARD_BASE/.s.PGSQL.$port" ]; do port=$((port + 1)); done
			if [ "$port" -gt $((base + 99)) ] || [ "$tries" -ge 10 ]; then
				echo "no free port for shard $i (last tried $port)"
				return 1
			fi
			if as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$dir.log" -w -t 60 -o "-p $port -k $SHARD_BASE \
				-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
				-c max_connections=20 -c shared_buffers=16MB" start >/dev/null 2>&1; then
				break
			fi
			port=$((port + 1))
		done
		SHARD_DIRS+=("$dir")
		SHARD_PORTS+=("$port")
		port=$((port + 1))
	done
	rm -rf "$SHARD_BASE/template"
}

t0=$SECONDS
start_shards
echo "started $SHARDS shards on 127.0.0.1 ports ${SHARD_PORTS[*]} in $((SECONDS - t0))s"

# Each shard: the extension and the three tables, no data yet.
for ((i = 0; i < SHARDS; i++)); do
	shard=(-h 127.0.0.1 -p "${SHARD_PORTS[$i]}" -U postgres)
	createdb "${shard[@]}" "$SHARD_DB"
	"${PSQL[@]}" "${shard[@]}" -d "$SHARD_DB" <<-'EOF'
		CREATE EXTENSION maslihat;
		CREATE TABLE ballots (region text, constituency int, level maslihat_level, station int,
							  counted_at timestamp, candidate bigint);
		CREATE TABLE totals (region text, constituency int, station int, candidate bigint, votes bigint);
		CREATE TABLE stations (region text, constituency int, station int, t tally);
	EOF
done

# The coordinator: a single-node copy of the election (the *_local tables),
# the same tables hash-partitioned by constituency over the shards, and each
# constituency's registered voters (a small local table).
createdb "$DB"
"${PSQL[@]}" -v constituencies=60 -c "CREATE EXTENSION maslihat" -c "CREATE EXTENSION postgres_fdw" \
	-f test/scale/data.sql -f - <<-'EOF'
	CREATE TABLE ballots_local AS SELECT * FROM scale_ballots(:constituencies);
	CREATE TABLE totals_local AS
	SELECT region, constituency, station, candidate, count(*) AS votes
	FROM ballots_local GROUP BY 1, 2, 3, 4;
	CREATE TABLE stations_local AS
	SELECT region, constituency, station,
		   CASE WHEN constituency % 10 = 3 THEN tally(candidate)
				ELSE with_registered(tally(candidate), count(*) * 3 / 2 + station) END AS t
	FROM ballots_local GROUP BY 1, 2, 3;
	CREATE TABLE registered AS
	SELECT constituency, CASE WHEN constituency % 6 = 0 THEN 2 * count(*)
							  ELSE count(*) * 7 / 5 + 1 END AS registered
	FROM ballots_local GROUP BY 1;

	CREATE TABLE ballots (LIKE ballots_local) PARTITION BY HASH (constituency);
	CREATE TABLE totals (LIKE totals_local) PARTITION BY HASH (constituency);
	CREATE TABLE stations (LIKE stations_local) PARTITION BY HASH (constituency);
EOF
for ((i = 0; i < SHARDS; i++)); do
	"${PSQL[@]}" <<-EOF
		CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '127.0.0.1', port '${SHARD_PORTS[$i]}', dbname '$SHARD_DB',
					 extensions 'maslihat', fetch_size '10000', batch_size '1000');
		CREATE USER MAPPING FOR CURRENT_USER SERVER shard$i OPTIONS (user 'postgres');
		CREATE FOREIGN TABLE ballots_$i PARTITION OF ballots
			FOR VALUES WITH (MODULUS $SHARDS, REMAINDER $i) SERVER shard$i OPTIONS (table_name 'ballots');
		CREATE FOREIGN TABLE totals_$i PARTITION OF totals
			FOR VALUES WITH (MODULUS $SHARDS, REMAINDER $i) SERVER shard$i OPTIONS (table_name 'totals');
		CREATE FOREIGN TABLE stations_$i PARTITION OF stations
			FOR VALUES WITH (MODULUS $SHARDS, REMAINDER $i) SERVER shard$i OPTIONS (table_name 'stations');
	EOF
done

# Load through the coordinator: rows are routed to the shards, tallies
# travel in their text form.
t0=$SECONDS
"${PSQL[@]}" <<-'EOF'
	INSERT INTO ballots SELECT * FROM ballots_local;
	INSERT INTO totals SELECT * FROM totals_local;
	INSERT INTO stations SELECT * FROM stations_local;
	ANALYZE;
EOF
for ((i = 0; i < SHARDS; i++)); do
	"${PSQL[@]}" -h 127.0.0.1 -p "${SHARD_PORTS[$i]}" -U postgres -d "$SHARD_DB" -c "ANALYZE"
done
echo "loaded $(query "SELECT count(*) FROM ballots") ballots of 60 constituencies through the coordinator in $((SECONDS - t0))s"
for ((i = 0; i < SHARDS; i++)); do
	n=$("${PSQL[@]}" -At -h 127.0.0.1 -p "${SHARD_PORTS[$i]}" -U postgres -d "$SHARD_DB" \
		-c "SELECT count(*) || ' ballots of ' || count(DISTINCT constituency) || ' constituencies' FROM ballots")
	echo "  shard $i (port ${SHARD_PORTS[$i]}): $n"
done
check "every ballot is on exactly one shard" \
	"$(query "SELECT count(*) FROM ballots_local")" \
	"$(query "SELECT sum(n) FROM (SELECT count(*) AS n FROM ballots_0 UNION ALL SELECT count(*) FROM ballots_1 UNION ALL SELECT count(*) FROM ballots_2) s")"

settings="SET enable_partitionwise_aggregate = on; SET max_parallel_workers_per_gather = 0;"

# explain QUERY: the EXPLAIN VERBOSE text of QUERY with the settings above.
explain() { "${PSQL[@]}" -At -c "$settings" -c "EXPLAIN (VERBOSE, COSTS OFF) $1"; }

# pushed_down LABEL LOCAL QUERY FUNCTION...: the plan has one Foreign Scan
# per shard whose Remote SQL calls every FUNCTION and groups on the shard,
# and LOCAL aggregates run on the coordinator (0: none; 1: the sum over the
# shards' tallies).
pushed_down() {
	local label=$1 local_aggs=$2 q=$3
	shift 3
	local plan f remote n_scan n_remote n_local good=yes
	plan=$(explain "$q")
	remote=$(grep 'Remote SQL:' <<<"$plan" || true)
	n_scan=$(grep -c 'Foreign Scan' <<<"$plan" || true)
	n_remote=$(grep -c 'GROUP BY' <<<"$remote" || true)
	n_local=$(grep -c -E '(^|-> +)(Partial |Finalize )?(Hash|Group)?Aggregate' <<<"$plan" || true)
	[ "$n_scan" -eq "$SHARDS" ] && [ "$n_remote" -eq "$SHARDS" ] && [ "$n_local" -eq "$local_aggs" ] || good=no
	for f in "$@"; do
		[ "$(grep -c -F "$f(" <<<"$remote" || true)" -eq "$SHARDS" ] || good=no
	done
	if [ "$good" = yes ]; then
		ok
		echo "ok: $label: $* run on all $SHARDS shards"
	else
		fail "$label: expected $* in the Remote SQL of $SHARDS Foreign Scans and $local_aggs local aggregates, got:"
		indent <<<"$plan"
	fi
}

# same LABEL SHARDED LOCAL: both queries (ordered by their first column)
# give the same rows, value by value in text form.
same() {
	local label=$1 sharded single rows
	sharded=$("${PSQL[@]}" -At -c "$settings" -c "$2") || { fail "$label: query failed"; return; }
	single=$("${PSQL[@]}" -At -c "SET max_parallel_workers_per_gather = 0" -c "$3")
	rows=$(grep -c . <<<"$single" || true)
	if [ "$sharded" == "$single" ] && [ "$rows" -gt 0 ]; then
		ok
		echo "ok: $label: $rows rows equal the single-node answer"
	else
		fail "$label: sharded and single-node answers differ:"
		diff <(echo "$single") <(echo "$sharded") | head -20 | cut -c1-400 | indent
	fi
}

echo
echo "== grouped by constituency: pushed down to the shards"
# the per-constituency queries, over the sharded table or the local copy
q_ballots() { echo "SELECT constituency, tally(candidate), fptp_winner(candidate), leader(tally(candidate)) FROM $1 GROUP BY constituency ORDER BY constituency"; }
q_totals() { echo "SELECT constituency, tally(candidate, votes), fptp_winner(candidate, votes) FROM $1 GROUP BY constituency ORDER BY constituency"; }
q_stations() { echo "SELECT constituency, sum(t), outcome(sum(t), 'kz1994') FROM $1 GROUP BY constituency ORDER BY constituency"; }
# with a numeric threshold outcome() ships too; a rule named in text stays on
# the coordinator (postgres_fdw ships no function whose text argument has a
# collation not taken from a foreign column), over the shards' sums
q_stations_threshold() { echo "SELECT constituency, sum(t), outcome(sum(t), NULL, 0.5) FROM $1 GROUP BY constituency ORDER BY constituency"; }
pushed_down "ballots by constituency" 0 "$(q_ballots ballots)" tally fptp_winner leader
same "ballots by constituency" "$(q_ballots ballots)" "$(q_ballots ballots_local)"
pushed_down "candidate totals by constituency" 0 "$(q_totals totals)" tally fptp_winner
same "candidate totals by constituency" "$(q_totals totals)" "$(q_totals totals_local)"
pushed_down "station tallies by constituency" 0 "$(q_stations stations)" sum
same "station tallies by constituency" "$(q_stations stations)" "$(q_stations stations_local)"
pushed_down "station tallies by constituency, a numeric threshold" 0 "$(q_stations_threshold stations)" sum outcome
same "station tallies by constituency, a numeric threshold" "$(q_stations_threshold stations)" "$(q_stations_threshold stations_local)"

echo
echo "== national and regional totals from the shards' tallies"
national="SELECT sum(t), leader(sum(t)) FROM (SELECT constituency, tally(candidate) AS t FROM ballots GROUP BY constituency) s"
pushed_down "national total from the shards' tallies" 1 "$national" tally
same "national total from the shards' tallies equals one tally over every ballot" "$national" \
	"SELECT tally(candidate), fptp_winner(candidate) FROM ballots_local"
same "national total from candidate totals on the shards" \
	"SELECT sum(t), leader(sum(t)) FROM (SELECT constituency, tally(candidate, votes) AS t FROM totals GROUP BY constituency) s" \
	"SELECT tally(candidate), fptp_winner(candidate) FROM ballots_local"
same "national total from station tallies on the shards" \
	"SELECT sum(t) FROM (SELECT constituency, sum(t) AS t FROM stations GROUP BY constituency) s" \
	"SELECT sum(t) FROM stations_local"
same "regional totals from the shards' tallies" \
	"SELECT region, sum(t), leader(sum(t)) FROM (SELECT region, constituency, tally(candidate) AS t FROM ballots GROUP BY region, constituency) s GROUP BY region ORDER BY region" \
	"SELECT region, tally(candidate), fptp_winner(candidate) FROM ballots_local GROUP BY region ORDER BY region"
summary() { echo "SELECT (election_summary(s.t, r.registered, 'kz1994')).* FROM (SELECT constituency, tally(candidate) AS t FROM $1 GROUP BY constituency) s JOIN registered r USING (constituency)"; }
same "election summary over the shards' tallies and local registered voters" \
	"$(summary ballots)" "$(summary ballots_local)"
same "outcome of every constituency, shards' tallies joined with local registered voters" \
	"SELECT constituency, o.* FROM (SELECT constituency, tally(candidate) AS t FROM ballots GROUP BY constituency) s JOIN registered r USING (constituency), outcome(s.t, r.registered, 'kz1994') o ORDER BY constituency" \
	"SELECT constituency, o.* FROM (SELECT constituency, tally(candidate) AS t FROM ballots_local GROUP BY constituency) s JOIN registered r USING (constituency), outcome(s.t, r.registered, 'kz1994') o ORDER BY constituency"

echo
echo "== without extensions 'maslihat' nothing is pushed down; answers unchanged"
for ((i = 0; i < SHARDS; i++)); do query "ALTER SERVER shard$i OPTIONS (DROP extensions)" >/dev/null; done
plan=$(explain "$(q_ballots ballots)")
check "Remote SQL without the option calls no maslihat function" 0 \
	"$(grep 'Remote SQL:' <<<"$plan" | grep -c -E 'tally\(|fptp_winner\(' || true)"
same "ballots by constituency, aggregated on the coordinator" \
	"$(q_ballots ballots)" "$(q_ballots ballots_local)"
for ((i = 0; i < SHARDS; i++)); do query "ALTER SERVER shard$i OPTIONS (ADD extensions 'maslihat')" >/dev/null; done

echo
echo "== a national tally straight over the foreign partitions"
# postgres_fdw in PostgreSQL 15 cannot push down a partial aggregate: the
# ballots come to the coordinator and are counted there, still exactly.
same "national tally straight over the foreign partitions" \
	"SELECT tally(candidate), fptp_winner(candidate) FROM ballots" \
	"SELECT tally(candidate), fptp_winner(candidate) FROM ballots_local"

echo
echo "== the plans docs/scaling-out.md shows"
echo "grouped by constituency:"
explain "SELECT constituency, tally(candidate), fptp_winner(candidate) FROM ballots GROUP BY constituency" | indent
echo "national total from the shards' tallies:"
explain "$national" | indent
echo "a national tally straight over the foreign partitions (ballots cross the wire):"
explain "SELECT tally(candidate) FROM ballots" | indent

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
