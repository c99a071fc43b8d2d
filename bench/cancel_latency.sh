#!/usr/bin/env bash
# bench/cancel_latency.sh: how late long operations stop after
# statement_timeout or pg_cancel_backend.  A benchmark figure, never a test:
# it depends on the machine and on what else runs on it (test/sh/limits.sh
# checks that every one of these stops and that the session goes on).
#
#   bash bench/cancel_latency.sh           5M candidates (~3 minutes)
#   bash bench/cancel_latency.sh --long    2^25 candidates (~10 minutes, 8 GB)
#
# Each operation is timed whole, then stopped by statement_timeout at
# fractions of that time; the worst time from the timeout to the error is
# the longest stretch that ignores interrupts.  The long aggregates are
# also canceled from another session.  With PGHOST (and PGPORT, PGUSER) of
# a running cluster where maslihat is installed, it runs there; otherwise,
# as root, it builds maslihat into a private copy of the system's
# PostgreSQL and starts a throwaway cluster, as scripts/test does.  The
# machine is described first (CPU, memory, load), then a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

LONG=
[ "${1:-}" = --long ] && LONG=1
if [ -n "$LONG" ]; then
	BIG_CANDIDATES=33554432
	JSONB_CANDIDATES=4000000
	COLLIDING=200000
	SAMPLES="0.05 0.2 0.4 0.6 0.8 0.95"
else
	BIG_CANDIDATES=5000000
	JSONB_CANDIDATES=1000000
	COLLIDING=50000
	SAMPLES="0.1 0.3 0.5 0.7 0.9"
fi

if [ -z "${PGHOST:-}" ]; then
	install_packages
	WORK_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/maslihat-bench.XXXXXX")
	chmod 755 "$WORK_ROOT"
	cleanup_root() { stop_cluster; rm -rf "$WORK_ROOT"; }
	trap cleanup_root EXIT
	private_postgresql "$WORK_ROOT/pg"
	make -s clean PG_CONFIG="$PG_CONFIG"
	build_and_install
	TMPDIR=$WORK_ROOT start_cluster
	trap cleanup_root EXIT
fi
. test/sh/helpers.bash

DB=maslihat_cancel_bench_$$
export PGDATABASE=$DB
WORK=$(mktemp -d)
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null || true
	dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap 'cleanup; [ -z "${WORK_ROOT:-}" ] || cleanup_root' EXIT
createdb "$DB"
query "CREATE EXTENSION maslihat"
query "ALTER DATABASE $DB SET jit = off"

say "the machine"
echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores"
echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "- kernel: $(uname -sr); $(query "SELECT version()")"
echo "- load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $BIG_CANDIDATES candidates; statement_timeout at fractions $SAMPLES of each operation's time"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
within() { awk -v x="$1" -v l="$2" 'BEGIN { exit !(x <= l) }'; }

say "making the tallies"
"${PSQL[@]}" <<EOF
CREATE FUNCTION sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN
	EXECUTE q;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
\$\$;
CREATE TABLE ballots AS SELECT i % 1000 AS constituency, (i % 11)::bigint AS candidate FROM generate_series(1, 3000000) i;
ANALYZE ballots;
CREATE FUNCTION colliding(j bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
RETURN (SELECT (CASE WHEN m >= 9223372036854775808 THEN m - 18446744073709551616 ELSE m END)::bigint
		FROM (SELECT (j::numeric * 17428512612931826493) % 18446744073709551616 AS m) s);
EOF
t0=$(now)
query "CREATE TABLE big AS SELECT tally(c) AS t FROM generate_series(1, $BIG_CANDIDATES) c"
echo "a tally of $BIG_CANDIDATES candidates in $(elapsed "$t0" "$(now)") s; stored in $(query "SELECT pg_size_pretty(pg_column_size(t)::bigint) FROM big") (pglz), $(query "SELECT pg_size_pretty(length(tally_send(t))::bigint) FROM big") uncompressed"
TEXT_CANDIDATES=$((BIG_CANDIDATES < 20000000 ? BIG_CANDIDATES : 20000000))
if [ "$TEXT_CANDIDATES" = "$BIG_CANDIDATES" ]; then
	query "CREATE TABLE big_text AS SELECT t::text AS s FROM big"
else
	query "CREATE TABLE big_text AS SELECT tally(c)::text AS s FROM generate_series(1, $TEXT_CANDIDATES) c"
fi
query "CREATE TABLE mid AS SELECT tally(c) AS t FROM generate_series(1, $JSONB_CANDIDATES) c"
query "CREATE TABLE big_jsonb AS SELECT t::jsonb AS j FROM mid"
query "CREATE TABLE colliding_tally AS SELECT ('votes={' || string_agg(colliding(j)::text || ':1', ',') || '}')::tally AS t FROM generate_series(1, $COLLIDING) j"
PARALLEL_CANDIDATES=$((BIG_CANDIDATES < 16000000 ? BIG_CANDIDATES : 16000000))
query "CREATE UNLOGGED TABLE distinct_ballots AS SELECT c::bigint AS c FROM generate_series(1, $PARALLEL_CANDIDATES) c"
query "ANALYZE distinct_ballots"

# timeout_overshoot TIMEOUT SQL: seconds from the timeout to the error,
# or "none" if the statement finished first
timeout_overshoot() {
	local timeout=$1 sql=$2 t0 t1 err
	t0=$(now)
	err=$(psql -X -q -c "SET statement_timeout = '${timeout}s'" -c "$sql" 2>&1 >/dev/null || true)
	t1=$(now)
	if ! grep -q "canceling statement due to statement timeout" <<<"$err"; then
		echo none
		return
	fi
	awk -v a="$t0" -v b="$t1" -v t="$timeout" 'BEGIN { printf "%.3f", b - a - t }'
}

# cancel_latency DELAY SQL: seconds from pg_cancel_backend, sent from
# another session DELAY seconds after SQL started, to the end of SQL
cancel_latency() {
	local delay=$1 sql=$2 app="maslihat_cancel_bench_$$" pid="" bg t0 t1 i
	PGAPPNAME=$app psql -X -q -c "$sql" >/dev/null 2>"$WORK/cancel.err" &
	bg=$!
	for i in $(seq 1 500); do
		pid=$(query "SELECT pid FROM pg_stat_activity WHERE application_name = '$app' AND state = 'active'
					 AND backend_type = 'client backend'")
		[ -n "$pid" ] && break
		sleep 0.01
	done
	sleep "$delay"
	t0=$(now)
	query "SELECT pg_cancel_backend($pid)" >/dev/null
	wait "$bg" || true
	t1=$(now)
	grep -q "canceling statement due to user request" "$WORK/cancel.err" && elapsed "$t0" "$t1" || echo none
}

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 |"); echo "   $1: $2 s whole, $3 s at most from the stop to the error"; }

LONG_SERIAL="SELECT tally((a + b) % 11) FROM generate_series(1, 20000) a, generate_series(1, 10000) b"
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
LONG_PARALLEL="$PAR SELECT tally(candidate), fptp_winner(candidate) FROM ballots, generate_series(1, 100) g"

say "measuring"
row "aggregate over 200M rows, serial: statement_timeout 1 s" "-" "$(timeout_overshoot 1 "$LONG_SERIAL")"
row "the same, pg_cancel_backend after 1 s" "-" "$(cancel_latency 1 "$LONG_SERIAL")"
row "aggregate over 300M rows in parallel: statement_timeout 1 s" "-" "$(timeout_overshoot 1 "$LONG_PARALLEL")"
row "the same, pg_cancel_backend after 1 s" "-" "$(cancel_latency 1 "$LONG_PARALLEL")"

big_op() {
	local name=$1 sql=$2 t0 full worst=0 f o
	t0=$(now)
	psql -X -q -c "$sql" >/dev/null
	full=$(elapsed "$t0" "$(now)")
	for f in $SAMPLES; do
		o=$(timeout_overshoot "$(awk -v x="$full" -v f="$f" 'BEGIN { printf "%.3f", x * f }')" "$sql")
		if [ "$o" = none ]; then
			continue
		fi
		worst=$(awk -v a="$worst" -v b="$o" 'BEGIN { print (b > a ? b : a) }')
	done
	row "$name" "$full" "$worst"
}
big_op "\`tally(c)\` over $BIG_CANDIDATES distinct candidates" "SELECT candidates(tally(c)) FROM generate_series(1, $BIG_CANDIDATES) c"
big_op "the same in parallel (combine), $PARALLEL_CANDIDATES" "$PAR SELECT candidates(tally(c)) FROM distinct_ballots"
big_op "\`candidates(t)\`: reading the stored tally alone" "SELECT candidates(t) FROM big"
big_op "\`t + t\`" "SELECT candidates(t + t) FROM big"
big_op "\`sum(t)\`" "SELECT candidates(sum(t)) FROM (SELECT t FROM big UNION ALL SELECT t FROM big) s"
big_op "\`ranking(t)\`" "SELECT count(*) FROM big, ranking(t)"
big_op "\`outcome(t, 'kz1994')\`" "SELECT (outcome(t, 'kz1994')).candidates FROM big"
big_op "\`t::text\`" "SELECT octet_length(t::text) FROM big"
big_op "\`text::tally\`, $TEXT_CANDIDATES" "SELECT candidates(s::tally) FROM big_text"
big_op "\`t::jsonb\`, $JSONB_CANDIDATES" "SELECT pg_column_size(t::jsonb) FROM mid"
big_op "\`jsonb::tally\`, $JSONB_CANDIDATES" "SELECT candidates(j::tally) FROM big_jsonb"
big_op "\`tally_send(t)\`" "SELECT length(tally_send(t)) FROM big"
big_op "\`t = t\`" "SELECT t = t FROM big"
big_op "\`GROUP BY t\` (hash)" "SELECT count(*) FROM (SELECT t FROM big UNION ALL SELECT t FROM big) s GROUP BY t"
big_op "\`sum(t)\`, $COLLIDING candidates crafted to collide" "SELECT candidates(sum(t)) FROM colliding_tally"
big_op "\`t + t\`, $COLLIDING crafted candidates" "SELECT candidates(t + t) FROM colliding_tally"

say "cancel latency, $BIG_CANDIDATES candidates unless said (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "| operation | whole (s) | from the timeout or cancel to the error, at most (s) |"
echo "|---|--:|--:|"
printf '%s\n' "${ROWS[@]}"
