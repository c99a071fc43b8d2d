#!/usr/bin/env bash
# test/sh/bench_small.sh: the benchmark's queries, small (100,000 ballots
# in 500 constituencies, plus hand-made edge cases), checked for agreeing
# answers: the plain SQL of (b), mode() of (c) where the mode is unique,
# fptp_winner and outcome of (d), the merged station tallies of (e), the
# candidate totals of (f).  No timing is asserted: bench/run measures.
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster with maslihat installed
# (scripts/test provides one); makes and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."

db=maslihat_bench_small_$$
passed=0
failed=0

q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
cleanup() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; }
trap cleanup EXIT

result() {
	local name=$1 ok=$2 detail=${3:-}
	if [ "$ok" = t ]; then
		passed=$((passed + 1))
		echo "ok - $name"
	else
		failed=$((failed + 1))
		echo "not ok - $name${detail:+: $detail}"
	fi
}

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db"
q -c "CREATE EXTENSION maslihat"
q -v ballots=100000 -v constituencies=500 -v order=random -f bench/generate.sql

# The generator's totals are exact: ballots, blank or invalid ballots
# (12,593 x 100,000 / 7,030,050 rounded) and registered voters likewise.
totals=$(q -At -c "SELECT count(*) = 100000 AND count(*) FILTER (WHERE candidate IS NULL) = 179
	AND (SELECT sum(registered) FROM constituencies) = 136009
	AND (SELECT count(*) FROM constituencies) = 500 FROM ballots")
result "generator: 100,000 ballots, 179 blank or invalid, 136,009 registered, 500 constituencies" "$totals"

# Edge cases, each a constituency of its own: (constituency, registered,
# station, candidate, ballots).  Candidate numbers repeat across them.
q <<'SQL'
CREATE TEMP TABLE edge (constituency int, registered bigint, station int, candidate bigint, n int);
INSERT INTO edge VALUES
	-- 1: two-way tie for first, valid turnout
	(900001, 100, 0, 1, 20), (900001, 100, 1, 1, 10), (900001, 100, 0, 2, 30),
	(900001, 100, 1, 3, 5), (900001, 100, 1, NULL, 1),
	-- 2: exactly half the registered voters cast: not valid
	(900002, 100, 0, 1, 30), (900002, 100, 0, 2, 20),
	-- 3: half plus one: valid, candidate 2 elected
	(900003, 100, 0, 1, 20), (900003, 100, 1, 2, 31),
	-- 4: only blank or invalid ballots: no candidates
	(900004, 10, 0, NULL, 6),
	-- 5: one candidate
	(900005, 10, 0, 7, 6),
	-- 6: three-way tie
	(900006, 40, 0, 4, 7), (900006, 40, 0, 5, 7), (900006, 40, 0, 6, 7),
	-- 7: a tie for second place only: candidate 1 elected
	(900007, 30, 0, 1, 10), (900007, 30, 0, 2, 5), (900007, 30, 0, 3, 5),
	-- 8: candidate numbers at the ends of bigint
	(900008, 50, 0, 9223372036854775807, 20), (900008, 50, 0, -9223372036854775808, 19),
	-- 9: a tie at low turnout: the turnout is the reason
	(900009, 100, 0, 1, 20), (900009, 100, 0, 2, 20);

INSERT INTO constituencies SELECT DISTINCT constituency, registered FROM edge;
INSERT INTO ballots SELECT constituency, candidate FROM edge, generate_series(1, n);
-- station tallies: a constituency's registered voters shared between its stations
INSERT INTO station_tallies
SELECT constituency, station,
	   with_registered(t, CASE WHEN stations = 1 THEN registered
							   WHEN station = 0 THEN registered - registered / 2
							   ELSE registered / 2 END)
FROM (SELECT constituency, station, tally(candidate, n::bigint) AS t, min(registered) AS registered,
			 count(*) OVER (PARTITION BY constituency) AS stations
	  FROM edge GROUP BY constituency, station) s;
INSERT INTO candidate_totals
SELECT constituency, candidate, sum(n) FROM edge GROUP BY constituency, candidate;
ANALYZE;
SQL
# the same ballots keyed by text, edge cases included (bench_key names them)
q -f bench/generate_text.sql

# The peers' answers, compared constituency by constituency (bench/checks.sql).
while IFS='|' read -r name compared mismatches; do
	if [ "$mismatches" = 0 ] && [ "$compared" -gt 0 ]; then
		result "$name ($compared compared)" t
	else
		result "$name" f "$mismatches of $compared disagree"
	fi
done < <(q -f bench/load_queries.psql -f bench/checks.sql -At -c 'SELECT "check", compared, mismatches FROM bench_checks ORDER BY n' || echo 'bench/checks.sql ran|0|failed')

# The edge cases give the expected answers, not merely the same ones.
while IFS='|' read -r name ok; do
	result "$name" "$ok"
done < <(q -At <<'SQL'
WITH o AS (
	SELECT c.constituency, outcome(t.t, c.registered, 'kz1994') AS o
	FROM (SELECT constituency, tally(candidate) AS t FROM ballots GROUP BY 1) t
	JOIN constituencies c USING (constituency)
	WHERE c.constituency > 900000
), w AS (
	SELECT constituency, fptp_winner(candidate) AS w FROM ballots WHERE constituency > 900000 GROUP BY 1
)
SELECT 'edge: two-way tie is a by-election for a tie',
	   (o).tie AND (o).by_election AND (o).reason = 'tie' AND (o).winner IS NULL AND w IS NULL
FROM o JOIN w USING (constituency) WHERE constituency = 900001
UNION ALL
SELECT 'edge: exactly half turnout is not valid',
	   NOT (o).valid AND (o).reason = 'low_turnout' AND (o).winner IS NULL AND w = 1
FROM o JOIN w USING (constituency) WHERE constituency = 900002
UNION ALL
SELECT 'edge: half plus one is valid', (o).valid AND (o).winner = 2 AND NOT (o).by_election
FROM o WHERE constituency = 900003
UNION ALL
SELECT 'edge: only blank ballots: no candidates', (o).reason = 'no_candidates' AND w IS NULL
FROM o JOIN w USING (constituency) WHERE constituency = 900004
UNION ALL
SELECT 'edge: one candidate is elected', (o).winner = 7 AND w = 7
FROM o JOIN w USING (constituency) WHERE constituency = 900005
UNION ALL
SELECT 'edge: three-way tie', (o).tie AND (o).reason = 'tie' AND w IS NULL
FROM o JOIN w USING (constituency) WHERE constituency = 900006
UNION ALL
SELECT 'edge: a tie for second place elects the first', (o).winner = 1 AND NOT (o).tie AND w = 1
FROM o JOIN w USING (constituency) WHERE constituency = 900007
UNION ALL
SELECT 'edge: bigint extremes as candidate numbers', (o).winner = 9223372036854775807
FROM o WHERE constituency = 900008
UNION ALL
SELECT 'edge: a tie at low turnout is a by-election for the turnout',
	   (o).tie AND (o).reason = 'low_turnout'
FROM o WHERE constituency = 900009
UNION ALL
SELECT 'generated part: every constituency has a unique leader, some by-elections',
	   count(*) FILTER (WHERE (o).leader IS NULL) = 0 AND count(*) FILTER (WHERE (o).by_election) > 0
FROM (SELECT outcome(t.t, c.registered, 'kz1994') AS o
	  FROM (SELECT constituency, tally(candidate) AS t FROM ballots WHERE constituency < 900000 GROUP BY 1) t
	  JOIN constituencies c USING (constituency)) g
SQL
)

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
