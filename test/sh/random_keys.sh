#!/usr/bin/env bash
# Text keys and bigint keys count the same elections the same way, and both
# agree with plain SQL, serial and with parallel plans forced.
#
# A fixed seed makes 440 random constituencies of eleven kinds: random
# results, exact ties for first (two and three ways), ballots cast exactly
# half of the registered voters (not valid in 1994) and half + 1, odd
# electorates on either side of one half, registered voters unknown, blank
# ballots only, candidates without a vote, one candidate, no candidates.
# Candidate keys are awkward text (empty, spaces, quotes, backslashes,
# braces, commas, colons, digits only, Cyrillic and Kazakh, emoji, a line
# break, a decomposed accent beside the composed one) mapped one to one to
# awkward numbers (the int64 edges, 0, -1, 9 and 10, ...), whose order is
# not the text's.
#
# Each constituency is counted, with both key kinds, from ballot rows
# (tally), from station tallies (sum), from candidate totals (tally(k,
# votes)) and from a protocol (make_tally); the forms agree with each
# other; outcome(t, registered, 'kz1994') and outcome(t, 'none') agree field
# by field between the key kinds (the text winner_key against the mapped
# number) and with plain SQL (rank() over count(*), 2 * cast > registered).
# The whole count is done again with parallel plans forced (and partial
# aggregation seen in the plan): the same tallies and outcomes.
#
# Every check prints "agreeing of total" and expects both numbers.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT, PGUSER;
# scripts/test sets them); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

# check_count WHAT EXPECTED ACTUAL: check, with the count in the ok line
check_count() {
	check "$1: $3" "$2" "$3"
}

DB=maslihat_random_keys_$$
export PGDATABASE=$DB
WORK=$(mktemp -d)
cleanup() {
	[ -n "${KEEP_DB:-}" ] || dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT
createdb "$DB"

major=$(query "SELECT current_setting('server_version_num')::int / 10000")
if [ "$major" -ge 16 ]; then force=debug_parallel_query; else force=force_parallel_mode; fi
SERIAL="-c max_parallel_workers_per_gather=0"
PARALLEL="-c $force=on -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0 -c max_parallel_workers_per_gather=2"

"${PSQL[@]}" <<'EOF'
CREATE EXTENSION maslihat;
SET max_parallel_workers_per_gather = 0;   -- random() in one process, in order
SELECT setseed(0.1994) \g /dev/null

-- candidate keys: awkward text mapped one to one to awkward numbers
CREATE TABLE keys (i int PRIMARY KEY, k text NOT NULL UNIQUE, n bigint NOT NULL UNIQUE);
INSERT INTO keys (i, k, n)
SELECT i, k, n
FROM unnest(
	ARRAY['', ' ', ' space ', 'say "yes"', '"', '''', 'back\slash', '\\', '{brace}', '}', '{', 'a,b', ',',
		  'k:v', ':', '10', '9', '010', '-1', 'NULL', 'null', '=', 'votes={1:2}', 'Назарбаев', 'Қазақ',
		  'Өскемен', 'ұлт', '😀', '𝄞', E'line\nbreak', E'tab\there', 'é', E'e\u0301', 'Abc', 'abc'],
	ARRAY[-9223372036854775808, 9223372036854775807, 0, -1, 1, 9, 10, 100, -100, 2147483647, 2147483648,
		  -2147483649, 4294967296, 9223372036854775806, -9223372036854775807, 42, 17, 7, 3, 2, 5, 11, 13,
		  1000000007, -1000000007, 123456789012345, -123456789012345, 31, 37, 41, 43, 47, 53, 59, 61]::bigint[])
	WITH ORDINALITY AS u(k, n, i);

-- constituencies of eleven kinds, 40 of each
CREATE TABLE seats (c int PRIMARY KEY, kind text NOT NULL, m int NOT NULL, registered bigint);
INSERT INTO seats (c, kind, m)
SELECT c, kind, CASE kind WHEN 'no_candidates' THEN 0 WHEN 'one_candidate' THEN 1
						  WHEN 'tie' THEN 2 + c % 4 ELSE 2 + (random() * 6)::int END
FROM generate_series(1, 440) c,
	 LATERAL (SELECT (ARRAY['random', 'tie', 'half', 'half_plus_one', 'odd_valid', 'odd_invalid',
							'unknown_registered', 'blank_only', 'zero_votes', 'one_candidate',
							'no_candidates'])[1 + c % 11] AS kind) k;

-- candidate totals; i NULL is the row of blank ballots
CREATE TABLE totals (c int NOT NULL, i int, votes bigint NOT NULL);
INSERT INTO totals (c, i, votes)
SELECT s.c, x.i, CASE WHEN s.kind IN ('blank_only', 'zero_votes') THEN 0
					  WHEN s.c % 7 = 0 AND x.r = 1 THEN 0   -- a candidate without a vote
					  ELSE 1 + (random() * 40)::int END
FROM seats s,
	 LATERAL (SELECT i, row_number() OVER (ORDER BY random()) AS r FROM keys
			  ORDER BY random() + s.c * 0 LIMIT s.m) x;
-- exact ties for first: two candidates (three when c is even) at 60
UPDATE totals t SET votes = 60
FROM (SELECT c, i, row_number() OVER (PARTITION BY c ORDER BY i) AS rn FROM totals) r, seats s
WHERE t.c = r.c AND t.i = r.i AND s.c = t.c AND s.kind = 'tie' AND r.rn <= 2 + (1 - s.c % 2);
-- and a tie for second place behind a clear leader now and then
UPDATE totals t SET votes = 70
FROM (SELECT c, i, row_number() OVER (PARTITION BY c ORDER BY i) AS rn FROM totals) r, seats s
WHERE t.c = r.c AND t.i = r.i AND s.c = t.c AND s.kind = 'random' AND s.c % 3 = 0 AND r.rn = 1;
UPDATE totals t SET votes = 20
FROM (SELECT c, i, row_number() OVER (PARTITION BY c ORDER BY i) AS rn FROM totals) r, seats s
WHERE t.c = r.c AND t.i = r.i AND s.c = t.c AND s.kind = 'random' AND s.c % 3 = 0 AND r.rn IN (2, 3);
-- blank ballots: none in 'zero_votes', some everywhere else (a 0 row too)
INSERT INTO totals (c, i, votes)
SELECT c, NULL, CASE WHEN kind IN ('blank_only', 'no_candidates') THEN 1 + (random() * 9)::int
					 ELSE (random() * 6)::int END
FROM seats WHERE kind <> 'zero_votes';

-- registered voters against the ballots cast
UPDATE seats s SET registered = CASE s.kind
		WHEN 'half' THEN 2 * x.cast                  -- exactly 50%: not valid in 1994
		WHEN 'half_plus_one' THEN greatest(2 * (x.cast - 1), x.cast)   -- 50% + 1 ballot: valid
		WHEN 'odd_valid' THEN 2 * x.cast - 1
		WHEN 'odd_invalid' THEN 2 * x.cast + 1
		WHEN 'unknown_registered' THEN NULL
		ELSE x.cast + (random() * x.cast * 1.5)::bigint END
FROM (SELECT c, sum(votes)::bigint AS cast FROM totals GROUP BY c) x
WHERE x.c = s.c;

-- totals and ballots with both keys side by side; st is the station
CREATE TABLE totals_k AS
SELECT t.c, k.k, k.n, t.votes FROM totals t LEFT JOIN keys k USING (i);
CREATE TABLE ballots AS
SELECT c, k, n, (row_number() OVER (ORDER BY random()) % 3)::int AS st
FROM totals_k, generate_series(1, votes);
ANALYZE;

-- One row per constituency, form and key kind.  The forms from ballots
-- know only candidates with a vote; those from totals know them all.
CREATE VIEW counting AS
SELECT c, 'ballots' AS form, 'text' AS kind, tally(k) AS t FROM ballots GROUP BY c
UNION ALL SELECT c, 'ballots', 'bigint', tally(n) FROM ballots GROUP BY c
UNION ALL SELECT c, 'stations', 'text', sum(t) FROM (SELECT c, st, tally(k) AS t FROM ballots GROUP BY c, st) x GROUP BY c
UNION ALL SELECT c, 'stations', 'bigint', sum(t) FROM (SELECT c, st, tally(n) AS t FROM ballots GROUP BY c, st) x GROUP BY c
UNION ALL SELECT c, 'voted totals', 'text', tally(k, votes) FROM totals_k WHERE votes > 0 GROUP BY c
UNION ALL SELECT c, 'voted totals', 'bigint', tally(n, votes) FROM totals_k WHERE votes > 0 GROUP BY c
UNION ALL SELECT c, 'totals', 'text', tally(k, votes) FROM totals_k GROUP BY c
UNION ALL SELECT c, 'totals', 'bigint', tally(n, votes) FROM totals_k GROUP BY c
UNION ALL SELECT c, 'make_tally', 'text',
		  make_tally(NULL, sum(votes)::bigint, coalesce(sum(votes) FILTER (WHERE k IS NULL), 0)::bigint,
					 coalesce(array_agg(k) FILTER (WHERE k IS NOT NULL), '{}'),
					 coalesce(array_agg(votes) FILTER (WHERE k IS NOT NULL), '{}'))
		  FROM totals_k GROUP BY c
UNION ALL SELECT c, 'make_tally', 'bigint',
		  make_tally(NULL, sum(votes)::bigint, coalesce(sum(votes) FILTER (WHERE n IS NULL), 0)::bigint,
					 coalesce(array_agg(n) FILTER (WHERE n IS NOT NULL), '{}'),
					 coalesce(array_agg(votes) FILTER (WHERE n IS NOT NULL), '{}'))
		  FROM totals_k GROUP BY c;

-- The outcomes of a counting table under both rules, keys mapped to i.
CREATE FUNCTION outcomes_of(counted regclass) RETURNS TABLE (
	c int, form text, kind text, rules text, winner_i int, runner_up_i int, leader_i int,
	winner_votes bigint, runner_up_votes bigint, margin bigint, valid_votes bigint, invalid bigint,
	"cast" bigint, registered bigint, turnout numeric, turnout_valid numeric, valid boolean,
	tie boolean, by_election boolean, reason text, candidates int, drawn boolean,
	winner_share numeric, runner_up_share numeric, majority_share numeric, keys_consistent boolean)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format($q$
	SELECT x.c, x.form, x.kind, r.rules,
		   (SELECT i FROM keys WHERE CASE x.kind WHEN 'text' THEN k = o.winner_key ELSE n = o.winner END),
		   (SELECT i FROM keys WHERE CASE x.kind WHEN 'text' THEN k = o.runner_up_key ELSE n = o.runner_up END),
		   (SELECT i FROM keys WHERE CASE x.kind WHEN 'text' THEN k = o.leader_key ELSE n = o.leader END),
		   o.winner_votes, o.runner_up_votes, o.margin, o.valid_votes, o.invalid, o."cast",
		   o.registered, o.turnout, o.turnout_valid, o.valid, o.tie, o.by_election, o.reason,
		   o.candidates, o.drawn, o.winner_share, o.runner_up_share, o.majority_share,
		   -- text keys leave the numbers NULL; number keys give their key text too
		   CASE x.kind WHEN 'text' THEN o.winner IS NULL AND o.runner_up IS NULL AND o.leader IS NULL
				ELSE o.winner_key IS NOT DISTINCT FROM o.winner::text
				 AND o.runner_up_key IS NOT DISTINCT FROM o.runner_up::text
				 AND o.leader_key IS NOT DISTINCT FROM o.leader::text END
	FROM %s x JOIN seats s USING (c)
	CROSS JOIN (VALUES ('kz1994'), ('none')) r(rules),
	LATERAL (SELECT (CASE r.rules WHEN 'kz1994' THEN outcome(x.t, s.registered, 'kz1994')
								   ELSE outcome(x.t, 'none') END).*) o
	$q$, counted);
END
$$;

-- Plain SQL: the same outcomes from votes per candidate, by rank().
CREATE FUNCTION plain_outcomes(ballot_form boolean) RETURNS TABLE (
	c int, rules text, winner_i int, runner_up_i int, leader_i int,
	winner_votes bigint, runner_up_votes bigint, margin bigint, valid_votes bigint, invalid bigint,
	"cast" bigint, registered bigint, turnout numeric, turnout_valid numeric, valid boolean,
	tie boolean, by_election boolean, reason text, candidates int,
	winner_share numeric, runner_up_share numeric, majority_share numeric)
LANGUAGE sql AS $$
	WITH v AS (      -- votes per candidate
		SELECT b.c, keys.i, count(*) AS votes FROM ballots b JOIN keys USING (k) WHERE ballot_form GROUP BY 1, 2
		UNION ALL
		SELECT t.c, t.i, t.votes FROM totals t WHERE NOT ballot_form AND t.i IS NOT NULL),
	r AS (SELECT v.*, rank() OVER (PARTITION BY v.c ORDER BY v.votes DESC) AS rk FROM v),
	top AS (SELECT r.c, count(*) AS candidates, sum(r.votes)::bigint AS valid_votes,
				   max(r.votes) AS first, count(*) FILTER (WHERE rk = 1) AS n_first,
				   max(r.votes) FILTER (WHERE rk > 1) AS second,
				   min(r.i) FILTER (WHERE rk = 1) AS first_i
			FROM r GROUP BY r.c),
	sec AS (SELECT r.c, count(*) AS n_second, min(r.i) AS second_i
			FROM r JOIN top USING (c) WHERE r.votes = top.second GROUP BY r.c),
	bl AS (SELECT b.c, count(*) AS cast, count(*) FILTER (WHERE b.k IS NULL) AS invalid
		   FROM ballots b WHERE ballot_form GROUP BY b.c
		   UNION ALL
		   SELECT t.c, sum(t.votes), sum(t.votes) FILTER (WHERE t.i IS NULL)
		   FROM totals t WHERE NOT ballot_form GROUP BY t.c),
	f AS (SELECT s.c, ru.rules, coalesce(top.candidates, 0)::int AS candidates,
				 coalesce(top.valid_votes, 0) AS valid_votes, bl.cast::bigint AS cast,
				 coalesce(bl.invalid, 0)::bigint AS invalid,
				 top.first, top.n_first, top.second, top.first_i, sec.n_second, sec.second_i,
				 CASE ru.rules WHEN 'kz1994' THEN s.registered END AS registered,
				 CASE ru.rules WHEN 'none' THEN true ELSE 2 * bl.cast > s.registered END AS valid
		  FROM seats s JOIN bl USING (c) LEFT JOIN top USING (c) LEFT JOIN sec USING (c)
		  CROSS JOIN (VALUES ('kz1994'), ('none')) ru(rules)),
	g AS (SELECT f.*,
				 coalesce(f.n_first = 1 AND f.first > 0, false) AS has_leader,
				 coalesce(f.n_first >= 2 AND f.first > 0, false) AS tie,
				 CASE WHEN f.candidates = 0 THEN 'no_candidates' WHEN NOT f.valid THEN 'low_turnout'
					  WHEN f.first = 0 THEN 'no_valid_votes' WHEN f.n_first >= 2 THEN 'tie' END AS reason,
				 CASE WHEN f.candidates < 2 THEN NULL WHEN f.n_first >= 2 THEN f.first ELSE f.second END AS runner_up_votes
		  FROM f)
	SELECT g.c, g.rules,
		   CASE WHEN g.reason IS NULL AND g.valid THEN g.first_i END,
		   CASE WHEN g.has_leader AND g.n_second = 1 THEN g.second_i END,
		   CASE WHEN g.has_leader THEN g.first_i END,
		   g.first, g.runner_up_votes, g.first - g.runner_up_votes, g.valid_votes, g.invalid, g.cast, g.registered,
		   trim_scale(g.cast::numeric * 100 / nullif(g.registered, 0)),
		   trim_scale(g.valid_votes::numeric * 100 / nullif(g.registered, 0)),
		   g.valid, g.tie,
		   CASE WHEN g.reason IS NOT NULL THEN true WHEN g.valid IS NULL THEN NULL ELSE false END,
		   g.reason, g.candidates,
		   trim_scale(g.first::numeric * 100 / nullif(g.valid_votes, 0)),
		   trim_scale(g.runner_up_votes::numeric * 100 / nullif(g.valid_votes, 0)),
		   trim_scale((g.first - g.runner_up_votes)::numeric * 100 / nullif(g.valid_votes, 0))
	FROM g
$$;
EOF

# The tallies, counted serial and with parallel plans forced.
PGOPTIONS="$SERIAL" query "CREATE TABLE counted AS SELECT * FROM counting"
PGOPTIONS="$PARALLEL" query "CREATE TABLE counted_parallel AS SELECT * FROM counting"
check "forced-parallel plans aggregate tallies partially in workers" yes \
	"$(PGOPTIONS="$PARALLEL" query "EXPLAIN (COSTS OFF) SELECT * FROM counting" |
	   grep -q 'Partial GroupAggregate\|Partial HashAggregate' && echo yes || echo no)"
check "serial plans do not" no \
	"$(PGOPTIONS="$SERIAL" query "EXPLAIN (COSTS OFF) SELECT * FROM counting" |
	   grep -q 'Partial\|Gather' && echo yes || echo no)"

summary=$(query "SELECT count(*) || ' seats, ' || (SELECT count(*) FROM ballots) || ' ballots, '
				 || count(*) FILTER (WHERE kind = 'tie') || ' with a tie for first, '
				 || (SELECT count(*) FROM seats WHERE registered = 2 * (SELECT sum(votes) FROM totals t WHERE t.c = seats.c))
				 || ' at exactly 50%, ' || (SELECT count(DISTINCT i) FROM totals) || ' keys used' FROM seats")
echo "$summary"
check "the random elections have what they should" yes \
	"$(query "SELECT (SELECT count(*) FROM seats) = 440
			  AND (SELECT count(DISTINCT i) FROM totals) = (SELECT count(*) FROM keys)
			  AND (SELECT count(*) FROM seats s WHERE registered = 2 * (SELECT sum(votes) FROM totals t WHERE t.c = s.c)) >= 40
			  AND (SELECT count(*) FROM seats s WHERE registered = 2 * (SELECT sum(votes) FROM totals t WHERE t.c = s.c) - 2) >= 40
			  AND (SELECT count(*) FROM (SELECT c FROM totals WHERE i IS NOT NULL GROUP BY c
										 HAVING count(*) FILTER (WHERE votes = 60) >= 2) x) = 40
			  AND (SELECT count(*) FROM ballots) > 20000" | sed 's/^t$/yes/; s/^f$/no/')"

# Expected rows: ballot forms exist where a ballot was cast (not in
# 'zero_votes'), forms from totals in every constituency.
n_ballot=$(query "SELECT count(DISTINCT c) FROM ballots")
n_voted=$(query "SELECT count(DISTINCT c) FROM totals_k WHERE votes > 0")
n_seats=$(query "SELECT count(*) FROM seats")
n_rows=$(( (2 * n_ballot + n_voted + 2 * n_seats) * 2 ))
check_count "counted rows (5 forms x 2 key kinds), of expected" "$n_rows of $n_rows" \
	"$(query "SELECT count(*) || ' of $n_rows' FROM counted")"

# The forms agree with each other, within each key kind.
check_count "ballots = stations = voted totals (=, text), of constituencies x key kinds" "$((2 * n_ballot)) of $((2 * n_ballot))" \
	"$(query "SELECT count(*) FILTER (WHERE a.t = b.t AND a.t = v.t AND a.t::text = b.t::text AND a.t::text = v.t::text)
			  || ' of ' || count(*)
			  FROM counted a JOIN counted b USING (c, kind) JOIN counted v USING (c, kind)
			  WHERE a.form = 'ballots' AND b.form = 'stations' AND v.form = 'voted totals'")"
check_count "totals = make_tally (=, text, hash), of constituencies x key kinds" "$((2 * n_seats)) of $((2 * n_seats))" \
	"$(query "SELECT count(*) FILTER (WHERE a.t = b.t AND a.t::text = b.t::text AND tally_hash(a.t) = tally_hash(b.t))
			  || ' of ' || count(*)
			  FROM counted a JOIN counted b USING (c, kind) WHERE a.form = 'totals' AND b.form = 'make_tally'")"
# The text and bigint tallies are the same count: keys mapped back, every
# candidate's votes equal, and the other counts.
check_count "text and bigint tallies name the same candidates with the same votes, of tallies" "$((n_rows / 2)) of $((n_rows / 2))" \
	"$(query "SELECT count(*) FILTER (WHERE same) || ' of ' || count(*) FROM (
			  SELECT tt.c, tt.form,
					 ballots_cast(tt.t) = ballots_cast(tn.t) AND invalid(tt.t) = invalid(tn.t)
					 AND candidates(tt.t) = candidates(tn.t)
					 AND (SELECT count(*) FROM ranking(tt.t) rt JOIN keys ON keys.k = rt.key
						  JOIN ranking(tn.t) rn ON rn.candidate = keys.n AND rn.votes = rt.votes
						  AND rn.rank = rt.rank AND rn.share IS NOT DISTINCT FROM rt.share) = candidates(tt.t) AS same
			  FROM counted tt JOIN counted tn USING (c, form) WHERE tt.kind = 'text' AND tn.kind = 'bigint') x")"

# Outcomes: text keys = bigint keys, field by field.
COMPARE_FIELDS="a.winner_i, a.runner_up_i, a.leader_i, a.winner_votes, a.runner_up_votes, a.margin,
	a.valid_votes, a.invalid, a.\"cast\", a.registered, a.turnout, a.turnout_valid, a.valid, a.tie,
	a.by_election, a.reason, a.candidates, a.winner_share, a.runner_up_share, a.majority_share"
B_FIELDS=${COMPARE_FIELDS//a./b.}
outcome_checks() {
	local label=$1 table=$2
	query "CREATE TABLE o_$table AS SELECT * FROM outcomes_of('$table')"
	check_count "$label: outcomes, of (constituency, form, rules, key kind)" "$((n_rows * 2)) of $((n_rows * 2))" \
		"$(query "SELECT count(*) FILTER (WHERE keys_consistent AND NOT drawn) || ' of ' || count(*) FROM o_$table")"
	check_count "$label: text keys = bigint keys, every field, of (constituency, form, rules)" "$n_rows of $n_rows" \
		"$(query "SELECT count(*) FILTER (WHERE ROW($COMPARE_FIELDS) IS NOT DISTINCT FROM ROW($B_FIELDS)) || ' of ' || count(*)
				  FROM o_$table a JOIN o_$table b USING (c, form, rules) WHERE a.kind = 'text' AND b.kind = 'bigint'")"
	for form in ballots totals; do
		local ballot_form=false n=$n_seats
		[ "$form" = ballots ] && ballot_form=true && n=$n_ballot
		check "$label: $form (both key kinds) = plain SQL, every field, of (constituency, rules, key kind)" \
			"$((n * 4)) of $((n * 4))" \
			"$(query "SELECT count(*) FILTER (WHERE ROW($COMPARE_FIELDS) IS NOT DISTINCT FROM ROW($B_FIELDS)) || ' of ' || count(*)
					  FROM o_$table a JOIN plain_outcomes($ballot_form) b USING (c, rules) WHERE a.form = '$form'")"
	done
}
PGOPTIONS="$SERIAL" outcome_checks serial counted
PGOPTIONS="$PARALLEL" outcome_checks "parallel plans forced" counted_parallel

# Serial and parallel: the same tallies and the same outcomes.
check_count "tallies counted serial = with parallel plans forced (=, text), of rows" "$n_rows of $n_rows" \
	"$(query "SELECT count(*) FILTER (WHERE s.t = p.t AND s.t::text = p.t::text) || ' of ' || count(*)
			  FROM counted s JOIN counted_parallel p USING (c, form, kind)")"
check_count "outcomes serial = with parallel plans forced, of rows" "$((n_rows * 2)) of $((n_rows * 2))" \
	"$(query "SELECT count(*) FILTER (WHERE ROW(s.*)::text = ROW(p.*)::text) || ' of ' || count(*)
			  FROM o_counted s JOIN o_counted_parallel p USING (c, form, kind, rules)")"

# Some answers, so that a check agreeing on nothing but NULLs would show.
check_count "winners elected in 1994, without a rule, ties, low-turnout by-elections (ballot counts, text keys) = plain SQL" \
	"$(query "SELECT count(*) FILTER (WHERE rules = 'kz1994' AND winner_i IS NOT NULL) || ' ' ||
				  count(*) FILTER (WHERE rules = 'none' AND winner_i IS NOT NULL) || ' ' ||
				  count(*) FILTER (WHERE rules = 'none' AND tie) || ' ' ||
				  count(*) FILTER (WHERE reason = 'low_turnout')
			  FROM plain_outcomes(true)")" \
	"$(query "SELECT count(*) FILTER (WHERE rules = 'kz1994' AND winner_i IS NOT NULL) || ' ' ||
				  count(*) FILTER (WHERE rules = 'none' AND winner_i IS NOT NULL) || ' ' ||
				  count(*) FILTER (WHERE rules = 'none' AND tie) || ' ' ||
				  count(*) FILTER (WHERE reason = 'low_turnout')
			  FROM o_counted WHERE form = 'ballots' AND kind = 'text'")"
check_count "exactly 50% is not valid in 1994, 50% + 1 ballot is, of such constituencies" "80 of 80" \
	"$(query "SELECT count(*) FILTER (WHERE CASE s.kind WHEN 'half' THEN valid IS FALSE ELSE valid IS TRUE END) || ' of ' || count(*)
			  FROM o_counted o JOIN seats s USING (c)
			  WHERE o.form = 'totals' AND o.kind = 'text' AND o.rules = 'kz1994' AND s.kind IN ('half', 'half_plus_one')")"
check "with no rule, a constituency without registered voters elects its leader, of such" "yes" \
	"$(query "SELECT count(*) FILTER (WHERE winner_i IS NOT NULL AND winner_i = leader_i) = count(*) AND count(*) >= 30
			  FROM o_counted o JOIN seats s USING (c)
			  WHERE o.form = 'totals' AND o.rules = 'none' AND s.kind = 'unknown_registered'" | sed 's/^t$/yes/; s/^f$/no/')"

finish
