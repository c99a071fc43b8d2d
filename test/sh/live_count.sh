#!/usr/bin/env bash
# Live counting under load (issue 12, point 6): 4 sessions add 1,200
# station protocols into 30 constituency tallies concurrently (UPDATE ...
# SET t = t + protocol), while 2 others keep reading the national total and
# the exact calls (can_change).  At the end every stored tally equals a
# recount of its protocols; every national total read equals the sum of
# the protocols merged in the same snapshot; and every call made during
# the count is right: equal to the call worked out in plain SQL from the
# tally it was made on, and never contradicted by the final result (a
# winner or a validity called fixed is the final one).  Needs a running
# cluster with maslihat installed (PGHOST, PGPORT and PGUSER set, as
# scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

DB=maslihat_live_$$
export PGDATABASE=$DB
WORK=$(mktemp -d "${TMPDIR:-/tmp}/maslihat-live.XXXXXX")
chmod 755 "$WORK"
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
[ -n "${KEEP_DB:-}" ] && trap - EXIT

log_mark
createdb "$DB"
"${PSQL[@]}" >/dev/null <<'SQL'
CREATE EXTENSION maslihat;
SELECT setseed(0.1994);
-- 30 constituencies of 40 stations; 3 candidates stand everywhere
CREATE TABLE protocol (id int PRIMARY KEY, constituency int NOT NULL, t tally NOT NULL);
INSERT INTO protocol
SELECT id, constituency, make_tally(registered, v1 + v2 + v3 + invalid, invalid, ARRAY[1, 2, 3], ARRAY[v1, v2, v3])
FROM (SELECT id, constituency, registered,
			 (turnout * registered * (0.30 + lean))::bigint AS v1,
			 (turnout * registered * (0.64 - lean))::bigint AS v2,
			 (turnout * registered * 0.05)::bigint AS v3,
			 (turnout * registered * 0.01)::bigint AS invalid
	  FROM (SELECT id, 1 + (id - 1) % 30 AS constituency, (200 + random() * 200)::bigint AS registered,
				   0.25 + random() * 0.5 AS turnout, ((id - 1) % 30) / 100.0 + random() * 0.02 AS lean
			FROM generate_series(1, 1200) id) r) s;
-- the candidates standing are known before the count: named with 0 votes,
-- so that the calls see them (can_change knows only the candidates named)
CREATE TABLE constituency (id int PRIMARY KEY, registered bigint NOT NULL,
						   t tally NOT NULL DEFAULT 'registered=0 cast=0 votes={1:0,2:0,3:0}');
INSERT INTO constituency (id, registered)
SELECT constituency, sum(registered(t)) FROM protocol GROUP BY 1;
CREATE SEQUENCE next_protocol;
CREATE TABLE merged (id int PRIMARY KEY);
CREATE TABLE national_read (merged bigint, national tally, recount tally);
CREATE TABLE call_made (merged bigint, constituency int, t tally, registered bigint, remaining bigint,
						c election_call);
SQL

cat >"$WORK/writer.sql" <<'SQL'
SELECT nextval('next_protocol') AS pid \gset
BEGIN;
UPDATE constituency c SET t = c.t + p.t FROM protocol p WHERE p.id = :pid AND c.id = p.constituency;
INSERT INTO merged SELECT id FROM protocol WHERE id = :pid;
COMMIT;
SQL
cat >"$WORK/reader.sql" <<'SQL'
INSERT INTO national_read
SELECT (SELECT count(*) FROM merged), (SELECT sum(t) FROM constituency),
	   (SELECT sum(p.t) FROM protocol p JOIN merged USING (id));
-- the ballots still to come: the registered voters of the stations not yet in
INSERT INTO call_made
SELECT (SELECT count(*) FROM merged), id, t, registered, registered - registered(t),
	   can_change(t, registered, 'kz1994', remaining => registered - registered(t))
FROM constituency;
SQL
chmod 644 "$WORK"/*.sql

# the readers read once before the count, keep reading while the writers
# merge, and once more after
pgbench -n -c 1 -t 1 -f "$WORK/reader.sql" >>"$WORK/readers.log" 2>&1
pgbench -n -c 4 -j 2 -t 300 -f "$WORK/writer.sql" >"$WORK/writers.log" 2>&1 &
writers=$!
while kill -0 "$writers" 2>/dev/null; do
	pgbench -n -c 2 -j 1 -t 5 -f "$WORK/reader.sql" >>"$WORK/readers.log" 2>&1 || { cat "$WORK/readers.log"; break; }
done
wait "$writers" || cat "$WORK/writers.log"
pgbench -n -c 1 -t 1 -f "$WORK/reader.sql" >>"$WORK/readers.log" 2>&1

check "every protocol merged once" "1200 1200" "$(query "SELECT count(*) || ' ' || count(DISTINCT id) FROM merged")"
check "every stored tally equals a recount of its protocols" 0 \
	"$(query "SELECT count(*) FROM constituency c WHERE c.t <> (SELECT sum(p.t) FROM protocol p WHERE p.constituency = c.id)")"
check "the national total equals the sum of every protocol" t \
	"$(query "SELECT (SELECT sum(t) FROM constituency) = (SELECT sum(t) FROM protocol)")"
check "every national total read equals the protocols merged in its snapshot" 0 \
	"$(query "SELECT count(*) FROM national_read WHERE national IS DISTINCT FROM recount AND merged > 0")"

# The call in plain SQL from the tally it was made on: the top two
# candidates' votes from the jsonb form, the 1994 rule as cast x 2 >
# registered, the ballots still to come those of the stations not yet in.
ORACLE="WITH s AS (
	SELECT m.merged, m.constituency, m.t, m.registered, m.remaining, m.c, ballots_cast(m.t) AS cast_,
		   (m.c).leader_can_change, (m.c).validity_can_change, (m.c).winner_can_change, (m.c).decided,
		   (SELECT count(*) FROM jsonb_array_elements(m.t::jsonb -> 'votes')) AS n,
		   coalesce((SELECT (v ->> 'votes')::bigint FROM jsonb_array_elements(m.t::jsonb -> 'votes') v
					 ORDER BY (v ->> 'votes')::bigint DESC LIMIT 1), 0) AS top1,
		   coalesce((SELECT (v ->> 'votes')::bigint FROM jsonb_array_elements(m.t::jsonb -> 'votes') v
					 ORDER BY (v ->> 'votes')::bigint DESC OFFSET 1 LIMIT 1), 0) AS top2
	FROM call_made m),
o AS (
	SELECT s.*, cast_ * 2 > registered AS o_valid, (cast_ + s.remaining) * 2 > registered AS o_reachable,
		   CASE WHEN n = 0 THEN false WHEN n = 1 THEN top1 = 0 AND s.remaining >= 1
				ELSE s.remaining >= greatest(top1 - top2, 1) END AS o_leader
	FROM s)
SELECT count(*) FILTER (WHERE (c).remaining <> o.remaining
	OR leader_can_change <> o_leader
	OR validity_can_change <> (NOT o_valid AND o_reachable)
	OR winner_can_change <> CASE WHEN o_valid THEN o_leader ELSE o_reachable AND n >= 1 END
	OR decided <> NOT (winner_can_change OR validity_can_change))
FROM o"
# how many reads fell during the count depends on the scheduler: shown, not asserted
echo "reads during the count: $(query "SELECT count(*) FROM national_read WHERE merged > 0 AND merged < 1200") national totals, $(query "SELECT count(*) FROM call_made WHERE merged > 0 AND merged < 1200") calls ($(query "SELECT count(*) FROM call_made WHERE merged > 0 AND merged < 1200 AND (c).decided") decided)"
check "before the count every seat is open" t \
	"$(query "SELECT bool_and(NOT (c).decided) AND count(*) >= 30 FROM call_made WHERE merged = 0")"
check "after the count every seat is decided" t \
	"$(query "SELECT bool_and((c).decided) AND count(*) >= 30 FROM call_made WHERE merged = 1200")"
check "every call equals the call worked out in plain SQL from its tally" 0 "$(query "$ORACLE")"
check "no call is contradicted by the final result" 0 \
	"$(query "SELECT count(*) FROM call_made m JOIN constituency f ON f.id = m.constituency
	WHERE (NOT (m.c).winner_can_change AND winner_key(m.t, m.registered, 'kz1994') IS DISTINCT FROM winner_key(f.t, f.registered, 'kz1994'))
	   OR (NOT (m.c).validity_can_change AND is_valid(m.t, m.registered, 'kz1994') IS DISTINCT FROM is_valid(f.t, f.registered, 'kz1994'))")"
check "no backend crashed" "" "$(crash_lines_since_mark)"

echo "live_count: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
