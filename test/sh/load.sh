#!/usr/bin/env bash
# Under load: pgbench runs writers that insert ballots and, in the same
# statement, add their tally to a stored running count, and analysts that
# read (winners, outcomes, summaries, moving windows, parallel plans, and
# a check that the stored counts equal a recount in the same snapshot),
# all at once, while a loop cancels random busy backends (and now and
# then terminates one) for LOAD_SECONDS.  Afterwards: no backend died by a
# signal, no analyst ever saw stored counts differ from a recount, and the
# stored counts equal a fresh recount, serial and parallel.
#
#   bash test/sh/load.sh                       20 s (the test command)
#   LOAD_SECONDS=600 LOAD_CLIENTS=8 bash test/sh/load.sh   the long run
#
# pgbench of PostgreSQL 15 stops a client whose transaction fails, so each
# group of clients is restarted until the time is up.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT, PGUSER,
# CLUSTER_DIR; scripts/test sets them); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

LOAD_SECONDS=${LOAD_SECONDS:-20}
LOAD_CLIENTS=${LOAD_CLIENTS:-3}
CONSTITUENCIES=50

DB=maslihat_load_$$
export PGDATABASE=$DB
WORK=$(mktemp -d)
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null || true
	wait 2>/dev/null || true
	dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

createdb "$DB"
"${PSQL[@]}" <<EOF
CREATE EXTENSION maslihat;
CREATE TABLE constituency (id int PRIMARY KEY, registered bigint NOT NULL);
INSERT INTO constituency SELECT i, 1000000 FROM generate_series(1, $CONSTITUENCIES) i;
CREATE TABLE ballot (id bigserial PRIMARY KEY, constituency int NOT NULL, candidate bigint);
CREATE INDEX ON ballot (constituency);
-- the stored result the writers keep up to date
CREATE TABLE running (constituency int PRIMARY KEY, t tally NOT NULL);
INSERT INTO running SELECT id, 'cast=0' FROM constituency;
-- a head start, so that the analysts have something to read
INSERT INTO ballot (constituency, candidate)
SELECT 1 + i % $CONSTITUENCIES, CASE WHEN i % 23 = 0 THEN NULL ELSE i % 5 END FROM generate_series(1, 200000) i;
UPDATE running r SET t = b.t FROM (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b
WHERE b.constituency = r.constituency;
-- raises if the stored counts and a recount differ in one snapshot
CREATE FUNCTION assert_consistent() RETURNS void LANGUAGE plpgsql AS \$\$
DECLARE
	n bigint;
BEGIN
	SELECT count(*) INTO n FROM running r
	LEFT JOIN (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b USING (constituency)
	WHERE r.t <> coalesce(b.t, 'cast=0');
	IF n > 0 THEN
		RAISE EXCEPTION 'MASLIHAT LOAD INCONSISTENT: % constituencies differ from a recount', n;
	END IF;
END
\$\$;
ANALYZE;
EOF

# ---- pgbench scripts
cat >"$WORK/write_one.sql" <<EOF
\set c random(1, $CONSTITUENCIES)
\set k random(0, 9)
BEGIN;
INSERT INTO ballot (constituency, candidate) VALUES (:c, NULLIF(:k, 0) % 5);
UPDATE running SET t = t + (SELECT tally(NULLIF(:k, 0) % 5)) WHERE constituency = :c;
COMMIT;
EOF
cat >"$WORK/write_batch.sql" <<EOF
\set c random(1, $CONSTITUENCIES)
\set n random(1, 200)
WITH ins AS (
	INSERT INTO ballot (constituency, candidate)
	SELECT :c, CASE WHEN random() < 0.03 THEN NULL ELSE (random() * 4)::bigint END FROM generate_series(1, :n)
	RETURNING candidate)
UPDATE running SET t = t + (SELECT tally(candidate) FROM ins) WHERE constituency = :c;
EOF
# (at least one vote each: a tally naming a candidate with 0 votes is not
# the tally of ballots that name none)
cat >"$WORK/write_station.sql" <<EOF
\set c random(1, $CONSTITUENCIES)
\set a random(1, 50)
\set b random(1, 50)
BEGIN;
INSERT INTO ballot (constituency, candidate) SELECT :c, 7 FROM generate_series(1, :a);
INSERT INTO ballot (constituency, candidate) SELECT :c, 8 FROM generate_series(1, :b);
UPDATE running SET t = t + make_tally(NULL, :a + :b, 0, ARRAY[7, 8], ARRAY[:a, :b]::bigint[]) WHERE constituency = :c;
COMMIT;
EOF
cat >"$WORK/analyst_outcome.sql" <<'EOF'
SELECT c.id, o.winner, o.margin, o.turnout, o.valid, o.by_election
FROM constituency c
JOIN (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b ON b.constituency = c.id
CROSS JOIN LATERAL outcome(b.t, c.registered, 'kz1994') o;
EOF
cat >"$WORK/analyst_winner.sql" <<EOF
\set c random(1, $CONSTITUENCIES)
SELECT fptp_winner(candidate), tally(candidate) FROM ballot WHERE constituency = :c;
SELECT tally(candidate) OVER (ORDER BY id ROWS BETWEEN 50 PRECEDING AND CURRENT ROW)
FROM ballot WHERE constituency = :c ORDER BY id DESC LIMIT 5;
SELECT * FROM ranking((SELECT t FROM running WHERE constituency = :c));
EOF
cat >"$WORK/analyst_summary.sql" <<'EOF'
SELECT election_summary(r.t, c.registered, 'kz1994'), sum(r.t) FROM running r JOIN constituency c ON c.id = r.constituency;
SELECT assert_consistent();
EOF
cat >"$WORK/analyst_parallel.sql" <<'EOF'
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT tally(candidate), fptp_winner(candidate) FROM ballot;
SELECT constituency, tally(candidate) FROM ballot GROUP BY 1;
EOF

# ---- run
log_mark
end=$((SECONDS + LOAD_SECONDS))
# pgbench_loop NAME CLIENTS SCRIPT...: restarts pgbench until the time is up
pgbench_loop() {
	local name=$1 clients=$2 left
	shift 2
	while left=$((end - SECONDS)) && [ "$left" -ge 1 ]; do
		pgbench -n -T "$left" -c "$clients" -j "$clients" "$@" >>"$WORK/$name.log" 2>&1 || true
	done
}
pgbench_loop writers "$LOAD_CLIENTS" -f "$WORK/write_one.sql@5" -f "$WORK/write_batch.sql@3" -f "$WORK/write_station.sql@1" &
pgbench_loop analysts "$LOAD_CLIENTS" -f "$WORK/analyst_outcome.sql@1" -f "$WORK/analyst_winner.sql@3" \
	-f "$WORK/analyst_summary.sql@2" -f "$WORK/analyst_parallel.sql@1" &

# the saboteur: cancels a random busy backend every ~50 ms, and every
# tenth time terminates one
cancels=0
terminates=0
sleep 1
while [ "$SECONDS" -lt "$end" ]; do
	if [ $(((cancels + terminates) % 10)) -eq 9 ]; then fn=pg_terminate_backend; else fn=pg_cancel_backend; fi
	hit=$(query "SELECT $fn(pid) FROM pg_stat_activity
				 WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
				   AND backend_type = 'client backend' AND query NOT LIKE '%pg_stat_activity%'
				 ORDER BY random() LIMIT 1" 2>/dev/null || true)
	if [ "$hit" = t ]; then
		if [ "$fn" = pg_terminate_backend ]; then terminates=$((terminates + 1)); else cancels=$((cancels + 1)); fi
	fi
	sleep 0.05
done
wait

# ---- figures
sum_of() { sed -n "s/^number of transactions actually processed: \([0-9]*\).*/\1/p" "$WORK/$1.log" | awk '{ s += $1 } END { print s + 0 }'; }
aborted_of() { grep -c "aborted in command" "$WORK/$1.log" || true; }
writes=$(sum_of writers)
reads=$(sum_of analysts)
echo "in ${LOAD_SECONDS} s: $writes writer and $reads analyst transactions committed;" \
	"$cancels backends canceled and $terminates terminated by the saboteur;" \
	"$(aborted_of writers) writer and $(aborted_of analysts) analyst clients stopped by an error"
echo "ballots: $(query "SELECT count(*) FROM ballot")"
check "writers committed transactions" yes "$([ "$writes" -gt 0 ] && echo yes || echo no)"
check "analysts committed transactions" yes "$([ "$reads" -gt 0 ] && echo yes || echo no)"
check "the saboteur canceled backends" yes "$([ "$cancels" -gt 0 ] && echo yes || echo no)"
check "errors seen by pgbench are only cancels and terminations" "" \
	"$(cat "$WORK/writers.log" "$WORK/analysts.log" | grep -E "ERROR|FATAL" |
		grep -vE "canceling statement due to user request|terminating connection due to administrator command|server closed the connection unexpectedly|connection to server .* failed|could not send data to server|This probably means the server terminated abnormally|deadlock detected|current transaction is aborted|lost synchronization" | sort | uniq -c | head -5)"

# ---- afterwards
check "server log: no backend terminated by a signal" "" "$(crash_lines_since_mark)"
check "server log: no analyst saw stored counts differ from a recount" "" \
	"$(log_since_mark | grep "MASLIHAT LOAD INCONSISTENT" | head -3)"
check "stored tallies equal a fresh recount" 0 "$(query "
	SELECT count(*) FROM running r
	FULL JOIN (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b USING (constituency)
	WHERE r.t IS DISTINCT FROM coalesce(b.t, 'cast=0')")"
check "stored tallies equal a fresh recount in parallel workers" 0 "$(query "
	SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
	SET max_parallel_workers_per_gather = 2;
	SELECT count(*) FROM running r
	FULL JOIN (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b USING (constituency)
	WHERE r.t IS DISTINCT FROM coalesce(b.t, 'cast=0')" | tail -1)"
check "the sum of the stored tallies counts every ballot" "$(query "SELECT count(*) FROM ballot")" \
	"$(query "SELECT ballots_cast(sum(t)) FROM running")"
finish
