#!/usr/bin/env bash
# Limits: overflow at the int64 edge, cancels and timeouts, memory, spills.
#
#   (a) Overflow at the int64 edge in every transition, combine (serial
#       partitionwise and in parallel workers), merge and constructor is
#       SQLSTATE 22003; exactly at the edge is accepted.  (tally(candidate)
#       adds 1 per row: its count cannot reach 2^63 in practice.)
#   (b) A long aggregate (200M rows serial, 300M in parallel workers) is
#       stopped by statement_timeout and by pg_cancel_backend from another
#       session, and the same session answers afterwards; so is every
#       operation on a tally of 5M candidates (the aggregate that builds
#       it, +, sum, ranking, outcome, text and binary I/O, jsonb, equality,
#       hashing), each first run whole and its answer checked, and sum()
#       over a tally whose candidate numbers would all land in one slot of
#       an unseeded (Fibonacci) hash table.  How late they stop is measured
#       by bench/cancel_latency.sh, not asserted here: a wall-clock limit
#       fails on a busy machine.
#   (c) Memory: each aggregate and function run 100,000 times in one session
#       leaves the backend's memory (pg_backend_memory_contexts) flat.
#   (d) With work_mem = 64kB hash aggregation spills to disk (EXPLAIN
#       ANALYZE shows batches and disk usage) and every answer is identical
#       to work_mem = 1GB.
#
# LIMITS_LONG=1 runs the long version: tallies of 2^25 candidates (the
# most a tally may hold), 1M iterations for (c), and the aggregate over
# colliding ballots.  It needs about 8 GB of memory and 10 minutes.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT, PGUSER;
# scripts/test sets them); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

LONG=${LIMITS_LONG:-}
if [ -n "$LONG" ]; then
	BIG_CANDIDATES=33554432
	JSONB_CANDIDATES=4000000
	COLLIDING=200000
	ITERATIONS=1000000
else
	BIG_CANDIDATES=5000000
	JSONB_CANDIDATES=1000000
	COLLIDING=50000
	ITERATIONS=100000
fi

DB=maslihat_limits_$$
export PGDATABASE=$DB
WORK=$(mktemp -d)
cleanup() {
	# no background query may outlive the test
	jobs -p | xargs -r kill 2>/dev/null || true
	dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT
createdb "$DB"
log_mark
query "CREATE EXTENSION maslihat"
query "ALTER DATABASE $DB SET jit = off"

# ---------------------------------------------------------------- (a)

SECONDS=0
echo "== (a) overflow at the int64 edge"
"${PSQL[@]}" <<'EOF'
CREATE FUNCTION sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
-- two partitions, each below 2^63 - 1 on its own, above it together, so
-- that only the combine function can overflow
CREATE TABLE edge (k int, g int, c bigint, v bigint, t tally) PARTITION BY LIST (k);
CREATE TABLE edge1 PARTITION OF edge FOR VALUES IN (1);
CREATE TABLE edge2 PARTITION OF edge FOR VALUES IN (2);
INSERT INTO edge
SELECT k, 0, CASE WHEN i % 2 = 0 THEN NULL ELSE 1 END,
	   CASE WHEN i <= 2 THEN 2500000000000000000 ELSE 0 END,
	   CASE WHEN i = 1 THEN 'registered=5000000000000000000 cast=5000000000000000000 votes={1:5000000000000000000}'::tally
			ELSE 'registered=0'::tally END
FROM generate_series(1, 2) k, generate_series(1, 10000) i;
ANALYZE edge;
EOF

# overflow_case NAME SQL: the query must fail with 22003
overflow_case() {
	check "22003: $1" 22003 "$(query "SELECT sqlstate_of(\$q\$$2\$q\$)")"
}
edge_case() {
	check "accepted at the edge: $1" "$3" "$(query "$2")"
}
MAX=9223372036854775807

# transition functions
overflow_case "tally(c, v): one candidate's votes" "SELECT tally(c, v) FROM (VALUES (1::bigint, $MAX::bigint), (1, 1)) x(c, v)"
overflow_case "tally(c, v): ballots cast over two candidates" "SELECT tally(c, v) FROM (VALUES (1::bigint, $MAX::bigint), (2, 1)) x(c, v)"
overflow_case "tally(c, v): blank or invalid ballots" "SELECT tally(c, v) FROM (VALUES (NULL::bigint, $MAX::bigint), (NULL, 1)) x(c, v)"
overflow_case "tally(c, v): invalid then a candidate" "SELECT tally(c, v) FROM (VALUES (NULL::bigint, $MAX::bigint), (7, 1)) x(c, v)"
overflow_case "fptp_winner(c, v)" "SELECT fptp_winner(c, v) FROM (VALUES (1::bigint, $MAX::bigint), (2, 1)) x(c, v)"
overflow_case "tally(c, v) as a running window" "SELECT tally(c, v) OVER (ORDER BY v) FROM (VALUES (1::bigint, $MAX::bigint), (2, 1)) x(c, v)"
overflow_case "sum(tally): ballots cast" "SELECT sum(t) FROM (VALUES ('cast=$MAX'::tally), ('cast=1')) x(t)"
overflow_case "sum(tally): registered voters" "SELECT sum(t) FROM (VALUES ('registered=$MAX'::tally), ('registered=1')) x(t)"
overflow_case "sum(tally): a candidate's votes" "SELECT sum(t) FROM (VALUES ('votes={5:$MAX}'::tally), ('votes={5:1}')) x(t)"
overflow_case "sum(tally): blank or invalid ballots" "SELECT sum(t) FROM (VALUES ('invalid=$MAX'::tally), ('invalid=1')) x(t)"
overflow_case "election_summary(t, 'kz1994'): registered" "SELECT election_summary(t, 'kz1994') FROM (VALUES ('registered=$MAX'::tally), ('registered=1')) x(t)"
overflow_case "election_summary(t, 'kz1994'): ballots cast" "SELECT election_summary(t, 'kz1994') FROM (VALUES ('cast=$MAX'::tally), ('cast=1')) x(t)"
overflow_case "election_summary(t, registered, 'kz1994')" "SELECT election_summary(t, r, 'kz1994') FROM (VALUES ('cast=0'::tally, $MAX::bigint), ('cast=0', 1)) x(t, r)"
overflow_case "election_summary(t, registered, threshold)" "SELECT election_summary(t, r, 0.5) FROM (VALUES ('votes={1:$MAX}'::tally, $MAX::bigint), ('votes={1:1}', 1)) x(t, r)"
edge_case "tally(c, v) reaching 2^63 - 1" "SELECT tally(c, v) FROM (VALUES (1::bigint, $((MAX - 1))::bigint), (1, 1)) x(c, v)" "cast=$MAX invalid=0 votes={1:$MAX}"
edge_case "sum(tally) reaching 2^63 - 1" "SELECT sum(t) FROM (VALUES ('registered=$((MAX - 1)) cast=$((MAX - 1)) invalid=$((MAX - 1))'::tally), ('registered=1 cast=1 votes={1:1}')) x(t)" "registered=$MAX cast=$MAX invalid=$((MAX - 1)) votes={1:1}"

# combine functions: serial partitionwise, then in parallel workers
PARTITIONWISE="SET enable_partitionwise_aggregate = on; SET max_parallel_workers_per_gather = 0;"
PARALLEL="SET enable_partitionwise_aggregate = on; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"
for mode in PARTITIONWISE PARALLEL; do
	settings=${!mode}
	plan=$(query "$settings EXPLAIN (COSTS OFF) SELECT tally(c, v), sum(t), election_summary(t, 'kz1994') FROM edge")
	want="Finalize Aggregate.*Partial Aggregate.*Partial Aggregate"
	[ "$mode" = PARALLEL ] && want="Finalize Aggregate.*Gather.*Partial Aggregate.*Partial Aggregate"
	check "$mode plan: Partial Aggregate per partition, Finalize (combine) above" yes \
		"$(tr '\n' ' ' <<<"$plan" | grep -Eq "$want" && echo yes || echo no)"
	check "$mode: each partition alone is below the edge" "accepted|accepted" \
		"$(query "$settings SELECT sqlstate_of('SELECT tally(c, v), sum(t), election_summary(t, ''kz1994'') FROM edge1') || '|' ||
						   sqlstate_of('SELECT tally(c, v), sum(t), election_summary(t, ''kz1994'') FROM edge2')" | tail -1)"
	for agg in "tally(c, v)" "fptp_winner(c, v)" "sum(t)" "election_summary(t, ''kz1994'')" "election_summary(t, 5000000000000000000::bigint, ''kz1994'')"; do
		check "22003: $mode combine of $agg" 22003 "$(query "$settings SELECT sqlstate_of('SELECT $agg FROM edge')" | tail -1)"
	done
done

# merge (tally + tally)
overflow_case "tally + tally: ballots cast" "SELECT 'cast=$MAX'::tally + 'cast=1'::tally"
overflow_case "tally + tally: registered voters" "SELECT 'registered=$MAX'::tally + 'registered=1'::tally"
overflow_case "tally + tally: blank or invalid" "SELECT 'invalid=$MAX'::tally + 'invalid=1'::tally"
overflow_case "tally + tally: a candidate's votes" "SELECT 'votes={-1:$MAX}'::tally + 'votes={-1:1}'::tally"
edge_case "tally + tally reaching 2^63 - 1" "SELECT 'registered=$((MAX - 1)) cast=$((MAX - 1)) votes={-1:$((MAX - 1))}'::tally + 'registered=1 cast=1 votes={-1:1}'::tally" \
	"registered=$MAX cast=$MAX invalid=0 votes={-1:$MAX}"

# constructors
overflow_case "make_tally: votes add up beyond 2^63 - 1" "SELECT make_tally(NULL, $MAX, 0, '{1,2}'::bigint[], '{$MAX,1}')"
overflow_case "make_tally: votes plus invalid" "SELECT make_tally(NULL, $MAX, 1, '{1}'::bigint[], '{$MAX}')"
overflow_case "text input: a count of 2^63" "SELECT 'cast=9223372036854775808'::tally"
overflow_case "text input: cast left out, votes plus invalid" "SELECT 'invalid=1 votes={1:$MAX}'::tally"
overflow_case "jsonb: a count beyond bigint" "SELECT '{\"cast\": 9223372036854775808}'::jsonb::tally"
overflow_case "jsonb: votes add up beyond 2^63 - 1" "SELECT '{\"votes\": [{\"candidate\": 1, \"votes\": $MAX}, {\"candidate\": 2, \"votes\": 1}]}'::jsonb::tally"
overflow_case "jsonb: cast left out, votes plus invalid" "SELECT '{\"invalid\": 1, \"votes\": [{\"candidate\": 1, \"votes\": $MAX}]}'::jsonb::tally"
overflow_case "ballots_needed(2^63 - 1, 1)" "SELECT ballots_needed($MAX, 1)"
edge_case "make_tally at the edge" "SELECT make_tally($MAX, $MAX, 1, '{-9223372036854775808,$MAX}'::bigint[], '{$((MAX - 1)),0}')" \
	"registered=$MAX cast=$MAX invalid=1 votes={-9223372036854775808:$((MAX - 1)),$MAX:0}"
edge_case "outcome at the edge" "SELECT (o).margin || ' ' || (o).turnout || ' ' || (o).valid FROM (SELECT outcome('registered=$MAX cast=$MAX votes={1:$MAX,2:0}', 'kz1994') AS o) s" \
	"$MAX 100 true"

# ---------------------------------------------------------------- (b)

echo "   (${SECONDS}s)"
echo "== (b) statement_timeout and pg_cancel_backend stop every long operation; the session and the server go on"
"${PSQL[@]}" <<EOF
CREATE TABLE ballots AS SELECT i % 1000 AS constituency, (i % 11)::bigint AS candidate FROM generate_series(1, 3000000) i;
ANALYZE ballots;
CREATE FUNCTION colliding(j bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
-- j x (2^64 / golden ratio)^-1 mod 2^64: candidates whose Fibonacci hash is
-- j, so that j < 2^32 all land in the first slot of an unseeded table
RETURN (SELECT (CASE WHEN m >= 9223372036854775808 THEN m - 18446744073709551616 ELSE m END)::bigint
		FROM (SELECT (j::numeric * 17428512612931826493) % 18446744073709551616 AS m) s);
EOF
query "CREATE TABLE big AS SELECT tally(c) AS t FROM generate_series(1, $BIG_CANDIDATES) c"
# (the text form of a tally of more than 25M candidates does not fit in 1 GB)
TEXT_CANDIDATES=$((BIG_CANDIDATES < 20000000 ? BIG_CANDIDATES : 20000000))
if [ "$TEXT_CANDIDATES" = "$BIG_CANDIDATES" ]; then
	query "CREATE TABLE big_text AS SELECT t::text AS s FROM big"
else
	query "CREATE TABLE big_text AS SELECT tally(c)::text AS s FROM generate_series(1, $TEXT_CANDIDATES) c"
fi
# (jsonb holds at most 256 MB of array elements: about 4.5M candidates)
query "CREATE TABLE mid AS SELECT tally(c) AS t FROM generate_series(1, $JSONB_CANDIDATES) c"
query "CREATE TABLE big_jsonb AS SELECT t::jsonb AS j FROM mid"
query "CREATE TABLE colliding_tally AS SELECT ('votes={' || string_agg(colliding(j)::text || ':1', ',') || '}')::tally AS t FROM generate_series(1, $COLLIDING) j"

# How late each of these stops is a benchmark figure (bench/cancel_latency.sh),
# not a test: it depends on the machine and on what else runs on it.  The
# test is that the statement is stopped with 57014, that the same session
# then answers, and (at the end) that no backend crashed.

# stopped_by_timeout TIMEOUT SQL: runs SQL with statement_timeout TIMEOUT
# (seconds), then SELECT 'alive' in the same session; prints "canceled" if
# the statement ended by the timeout, "finished" if it ended first, and
# "alive" on the next line if the session answered afterwards.
stopped_by_timeout() {
	local out err
	out=$(psql -X -q -At -c "SET statement_timeout = '${1}s'" -c "$2" -c "RESET statement_timeout" -c "SELECT 'alive'" 2>"$WORK/timeout.err" || true)
	err=$(cat "$WORK/timeout.err")
	if grep -q "canceling statement due to statement timeout" <<<"$err"; then echo canceled
	elif [ -z "$err" ]; then echo finished
	else echo "error: $(head -1 <<<"$err")"
	fi
	grep -x alive <<<"$out" || true
}

# stopped_by_cancel DELAY SQL: runs SQL in the background, then
# SELECT 'alive' in the same session; cancels SQL from another session
# after DELAY seconds.  Prints like stopped_by_timeout.
stopped_by_cancel() {
	local delay=$1 sql=$2 app="maslihat_cancel_$$_$RANDOM" pid="" bg i out err
	PGAPPNAME=$app psql -X -q -At -c "$sql" -c "SELECT 'alive'" >"$WORK/cancel.out" 2>"$WORK/cancel.err" &
	bg=$!
	for i in $(seq 1 1000); do
		pid=$(query "SELECT pid FROM pg_stat_activity WHERE application_name = '$app' AND state = 'active'
					 AND backend_type = 'client backend'")
		[ -n "$pid" ] && break
		sleep 0.01
	done
	sleep "$delay"
	[ -n "$pid" ] && query "SELECT pg_cancel_backend($pid)" >/dev/null
	wait "$bg" || true
	err=$(cat "$WORK/cancel.err")
	if grep -q "canceling statement due to user request" <<<"$err"; then echo canceled
	elif [ -z "$err" ]; then echo finished
	else echo "error: $(head -1 <<<"$err")"
	fi
	grep -x alive "$WORK/cancel.out" || true
}

LONG_SERIAL="SELECT tally((a + b) % 11) FROM generate_series(1, 20000) a, generate_series(1, 10000) b"
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
LONG_PARALLEL="$PAR SELECT tally(candidate), fptp_winner(candidate) FROM ballots, generate_series(1, 100) g"
check "the long aggregate runs in parallel workers" yes \
	"$(query "$PAR EXPLAIN (COSTS OFF) SELECT tally(candidate), fptp_winner(candidate) FROM ballots, generate_series(1, 100) g" | grep -q "Partial Aggregate" && echo yes || echo no)"
# (these run for tens of seconds: 1 s always lands in the middle)
STOPPED=$'canceled\nalive'
check "200M-row aggregate: statement_timeout stops it, the session goes on" "$STOPPED" "$(stopped_by_timeout 1 "$LONG_SERIAL")"
check "200M-row aggregate: pg_cancel_backend stops it, the session goes on" "$STOPPED" "$(stopped_by_cancel 1 "$LONG_SERIAL")"
check "300M-row parallel aggregate: statement_timeout stops it, the session goes on" "$STOPPED" "$(stopped_by_timeout 1 "$LONG_PARALLEL")"
check "300M-row parallel aggregate: pg_cancel_backend stops it, the session goes on" "$STOPPED" "$(stopped_by_cancel 1 "$LONG_PARALLEL")"
# the workers of a canceled parallel query are gone within seconds
for i in $(seq 1 100); do
	left=$(query "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'maslihat\_cancel\_$$\_%'")
	[ "$left" = 0 ] && break
	sleep 0.1
done
check "no backend or parallel worker of the canceled queries left running" 0 "$left"

# Operations on a tally of BIG_CANDIDATES candidates: each runs once whole
# (its answer checked against the expected one), then again with a
# statement_timeout of half that time, which must stop it; if the machine
# got faster and it finished first, again with a quarter, an eighth.
big_op() {
	local name=$1 sql=$2 want=${3:-} t0 full got result timeout
	t0=$(date +%s%N)
	if ! got=$(query "$sql" 2>"$WORK/big_op.err"); then
		check "$name runs" "" "$(cat "$WORK/big_op.err")"
		return
	fi
	full=$((($(date +%s%N) - t0) / 1000000))
	[ -z "$want" ] || check "$name: the answer" "$want" "$got"
	timeout=$((full / 2))
	result=finished
	while [ "$timeout" -ge 5 ]; do
		result=$(stopped_by_timeout "$(awk -v ms="$timeout" 'BEGIN { printf "%.3f", ms / 1000 }')" "$sql")
		[ "${result%%$'\n'*}" = finished ] || break
		timeout=$((timeout / 2))
	done
	if [ "${result%%$'\n'*}" = finished ]; then
		echo "   $name: ran in ${full} ms, too fast to stop in the middle"
	else
		check "$name: statement_timeout stops it, the session goes on" "$STOPPED" "$result"
	fi
}
big_op "tally(c) over $BIG_CANDIDATES distinct candidates" "SELECT candidates(tally(c)) FROM generate_series(1, $BIG_CANDIDATES) c" "$BIG_CANDIDATES"
# (the long run stops at 16M here: 2^25 in parallel takes minutes)
PARALLEL_CANDIDATES=$((BIG_CANDIDATES < 16000000 ? BIG_CANDIDATES : 16000000))
query "CREATE UNLOGGED TABLE distinct_ballots AS SELECT c::bigint AS c FROM generate_series(1, $PARALLEL_CANDIDATES) c"
query "ANALYZE distinct_ballots"
check "the aggregate over distinct candidates runs in parallel workers" yes \
	"$(query "$PAR EXPLAIN (COSTS OFF) SELECT tally(c) FROM distinct_ballots" | grep -q "Partial Aggregate" && echo yes || echo no)"
big_op "parallel tally(c) over $PARALLEL_CANDIDATES distinct candidates (combine)" "$PAR SELECT candidates(tally(c)) FROM distinct_ballots" "$PARALLEL_CANDIDATES"
big_op "t + t, $BIG_CANDIDATES candidates" "SELECT candidates(t + t) FROM big" "$BIG_CANDIDATES"
big_op "sum(t), $BIG_CANDIDATES candidates" "SELECT candidates(sum(t)) FROM (SELECT t FROM big UNION ALL SELECT t FROM big) s" "$BIG_CANDIDATES"
big_op "ranking(t), $BIG_CANDIDATES candidates" "SELECT count(*) FROM big, ranking(t)" "$BIG_CANDIDATES"
big_op "outcome(t, 'kz1994'), $BIG_CANDIDATES candidates" "SELECT (outcome(t, 'kz1994')).candidates FROM big" "$BIG_CANDIDATES"
big_op "t::text, $BIG_CANDIDATES candidates" "SELECT octet_length(t::text) > 0 FROM big" t
big_op "text::tally, $TEXT_CANDIDATES candidates" "SELECT candidates(s::tally) FROM big_text" "$TEXT_CANDIDATES"
big_op "t::jsonb, $JSONB_CANDIDATES candidates" "SELECT pg_column_size(t::jsonb) > 0 FROM mid" t
big_op "jsonb::tally, $JSONB_CANDIDATES candidates" "SELECT candidates(j::tally) FROM big_jsonb" "$JSONB_CANDIDATES"
check "t::jsonb beyond what jsonb holds is a clean error (54000)" 54000 \
	"$(query "SELECT sqlstate_of('SELECT t::jsonb FROM big')")"
big_op "tally_send(t), $BIG_CANDIDATES candidates" "SELECT length(tally_send(t)) FROM big" "$((30 + 16 * BIG_CANDIDATES))"
big_op "t = t, $BIG_CANDIDATES candidates" "SELECT t = t FROM big" t
big_op "GROUP BY t (hash), $BIG_CANDIDATES candidates" "SELECT count(*) FROM (SELECT t FROM big UNION ALL SELECT t FROM big) s GROUP BY t" 2
big_op "sum(t), $COLLIDING candidates crafted to collide" "SELECT candidates(sum(t)) FROM colliding_tally" "$COLLIDING"
big_op "t + t, $COLLIDING crafted candidates (sorted merge)" "SELECT candidates(t + t) FROM colliding_tally" "$COLLIDING"
if [ -n "$LONG" ]; then
	big_op "tally(c) over ballots for $COLLIDING crafted candidates" "SELECT candidates(tally(colliding(j))) FROM generate_series(1, $COLLIDING) j" "$COLLIDING"
fi
query "DROP TABLE big, mid, big_text, big_jsonb, distinct_ballots"

# ---------------------------------------------------------------- (c)

echo "   (${SECONDS}s)"
echo "== (c) memory: each aggregate and function $ITERATIONS times in one session"
"${PSQL[@]}" <<'EOF'
CREATE TABLE few AS SELECT i % 5 AS g, (i % 3)::bigint AS c, i::bigint AS v,
	   format('registered=100 cast=%s invalid=1 votes={1:%s,2:3}', 10 + i % 7, i % 5)::tally AS t
FROM generate_series(1, 20) i;
CREATE FUNCTION backend_memory() RETURNS bigint LANGUAGE sql
RETURN (SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts);
CREATE FUNCTION repeat_work(n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	x tally;
	o fptp_outcome;
	w bigint;
	r record;
BEGIN
	FOR i IN 1..n LOOP
		SELECT tally(c) INTO x FROM few;
		SELECT tally(c, v) INTO x FROM few;
		SELECT fptp_winner(c) INTO w FROM few;
		SELECT sum(t) INTO x FROM few;
		SELECT election_summary(t, 1000, 'kz1994') AS s INTO r FROM few;
		SELECT tally(c) OVER (ORDER BY v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) INTO x FROM few ORDER BY v DESC LIMIT 1;
		x := x + 'registered=7 cast=5 votes={9:5}'::tally;
		o := outcome(x, 1000, 0.5, 1994);
		x := (x::text)::tally;
		x := (x::jsonb)::tally;
		x := make_tally(10, 9, 1, '{1,2}'::bigint[], '{4,4}');
		SELECT * INTO r FROM ranking(x) LIMIT 1;
	END LOOP;
END
$$;
EOF
memory=$("${PSQL[@]}" -At <<EOF
SELECT repeat_work(1000);
SELECT backend_memory();
SELECT repeat_work($ITERATIONS);
SELECT backend_memory();
EOF
)
mem=($(grep -E '^[0-9]+$' <<<"$memory"))
m0=${mem[0]:-}
m1=${mem[1]:-}
echo "   backend memory: $m0 bytes after 1,000 iterations, $m1 after $ITERATIONS more"
check "backend memory grew by at most 64 kB over $ITERATIONS iterations" yes \
	"$([ -n "$m0" ] && [ -n "$m1" ] && [ $((m1 - m0)) -le 65536 ] && echo yes || echo "no ($m0 -> $m1)")"

# ---------------------------------------------------------------- (d)

echo "   (${SECONDS}s)"
echo "== (d) hash aggregation spilling with work_mem = 64kB"
"${PSQL[@]}" <<'EOF'
CREATE TABLE spill AS
SELECT i % 20000 AS g, CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919 % 23)::bigint END AS c, (i % 100)::bigint AS v
FROM generate_series(1::bigint, 200000) i;
CREATE TABLE spill_tallies AS SELECT g, tally(c) AS t FROM spill GROUP BY g;
ANALYZE spill, spill_tallies;
EOF
SPILL_QUERY="SELECT g, tally(c) AS a, tally(c, v) AS b, fptp_winner(c) AS w, fptp_winner(c, v) AS x
			 FROM spill GROUP BY g"
TALLY_KEY_QUERY="SELECT t, count(*) AS n, sum(t) AS s, election_summary(t, 'kz1994') AS e FROM spill_tallies GROUP BY t"
SUM_QUERY="SELECT g % 5000 AS h, sum(t) AS s, election_summary(t, 100000, 'kz1994') AS e FROM spill_tallies GROUP BY 1"
for q in SPILL_QUERY TALLY_KEY_QUERY SUM_QUERY; do
	plan=$(query "SET work_mem = '64kB'; SET enable_sort = off; EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${!q}")
	batches=$(grep -m1 -o 'Batches: [0-9]*' <<<"$plan" | grep -o '[0-9]*' || echo 0)
	disk=$(grep -m1 -o 'Disk Usage: [0-9]*kB' <<<"$plan" || echo none)
	echo "   $q: HashAggregate with work_mem 64kB: $batches batches, $disk"
	check "$q: hash aggregation spills (Batches > 1, Disk Usage)" yes \
		"$(grep -q HashAggregate <<<"$plan" && [ "${batches:-0}" -gt 1 ] && [ "$disk" != none ] && echo yes || echo no)"
	check "$q: answers with work_mem 64kB = answers with 1GB" "0|0|$(query "SELECT count(*) FROM (${!q}) s" | tail -1)" \
		"$(query "SET enable_sort = off;
				  SET work_mem = '64kB'; CREATE TEMP TABLE small AS ${!q};
				  SET work_mem = '1GB'; CREATE TEMP TABLE large AS ${!q};
				  SELECT (SELECT count(*) FROM (TABLE small EXCEPT ALL TABLE large) d1) || '|' ||
						 (SELECT count(*) FROM (TABLE large EXCEPT ALL TABLE small) d2) || '|' ||
						 (SELECT count(*) FROM small)" | tail -1)"
done

# ---------------------------------------------------------------- end

echo "   (${SECONDS}s)"
crashes=$(crash_lines_since_mark)
check "server log: no backend terminated by a signal" "" "$crashes"
finish
