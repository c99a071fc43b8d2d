-- Seats by party, holds and gains, Butler swing and the party-system
-- indices: small cases by hand, then random elections against plain SQL,
-- serially and with parallel plans forced (scripts/test runs this file
-- both ways, and the middle part forces Partial Aggregate itself).

-- Two "Ind" candidates (10 and 8 votes) lose to Con's 15: never merged
-- into one Ind of 18.  A tie leaves its seat empty, so do no votes and no
-- candidates; a NULL tally is skipped.
CREATE TABLE s_small (constituency text, t tally, parties jsonb);
INSERT INTO s_small VALUES
	('A', make_tally(50, 40, 2, '{Ann,Bob,Cy}'::text[], '{10,15,8}'), '{"Ann":"Ind","Bob":"Con","Cy":"Ind"}'),
	('B', make_tally(60, 51, 1, '{Dee,Eve}'::text[], '{30,20}'), '{"Dee":"Lab","Eve":"Con"}'),
	('C', make_tally(20, 15, 0, '{Fay,Gus,Hal}'::text[], '{7,7,1}'), '{"Fay":"Lab","Gus":"Con","Hal":"LD"}'),
	('D', make_tally(NULL, 0, 0, '{Ivy}'::text[], '{0}'), '{"Ivy":"Lab"}'),
	('E', make_tally(10, 0, 0, '{}'::text[], '{}'), NULL),
	('F', NULL, NULL);
SELECT (unnest(party_seats(t, parties))).* FROM s_small;
\x on
SELECT (seat_summary(t, parties)).* FROM s_small;
-- registered voters known everywhere: turnout both ways
SELECT (seat_summary(t, parties)).* FROM s_small WHERE constituency <> 'D';
\x off
-- without the object every key is its own party label: tallies keyed by party
SELECT (unnest(party_seats(t))).* FROM s_small WHERE constituency IN ('A', 'B');
SELECT (unnest(party_seats(t))).*
FROM (VALUES (make_tally(NULL, 9, 0, '{Con,Lab}'::text[], '{5,4}')),
			 (make_tally(NULL, 9, 0, '{Lab,SNP}'::text[], '{3,6}'))) v(t);
-- number keys: the object maps their decimal text
SELECT (unnest(party_seats(t, parties))).*
FROM (VALUES (make_tally(NULL, 33, 0, '{1,2,3}'::bigint[], '{10,15,8}'), '{"1":"Ind","2":"Con","3":"Ind"}'::jsonb),
			 (make_tally(NULL, 9, 0, '{17}'::bigint[], '{9}'), '{}')) v(t, parties);
-- keys that need care: empty, spaces, quotes, Kazakh letters, digits only
SELECT (unnest(party_seats(t, parties))).*
FROM (VALUES (make_tally(NULL, 10, 0, ARRAY['', 'a b', '"q"', 'Әлия', '10'], '{1,2,3,4,0}'),
			  '{"": "Ind", "a b": "Nur Otan", "\"q\"": "Ind", "Әлия": "Ақ жол"}'::jsonb)) v(t, parties);
-- no rows, only NULL rows: NULL, as sum() gives
SELECT party_seats(t, parties) IS NULL AS no_rows, seat_summary(t) IS NULL AS no_rows
FROM s_small WHERE false;
SELECT party_seats(t) IS NULL AS null_rows FROM s_small WHERE constituency = 'F';
-- a tie for the most seats: no largest party
SELECT largest_party, largest_party_seats, overall_majority
FROM (SELECT (seat_summary(t, parties)).* FROM s_small WHERE constituency IN ('A', 'B')) s;
-- bad party objects
SELECT seat_summary(t, '[1,2]') FROM s_small WHERE constituency = 'A';
SELECT seat_summary(t, '{"Ann":7}') FROM s_small WHERE constituency = 'A';
SELECT seat_summary(t, '"Con"') FROM s_small WHERE constituency = 'A';

-- under a named rule set a seat is filled only where outcome(t, rules)
-- elects someone: exactly half the registered voters is a by-election
-- under 'kz1994', an empty seat; 'none' has no turnout rule
SELECT r, (seat_summary(t, NULL, r)).seats_filled, (seat_summary(t, NULL, r)).seats_empty,
	   (seat_summary(t, NULL, r)).largest_party
FROM (VALUES (make_tally(10, 5, 0, '{Con,Lab}'::text[], '{3,2}')),
			 (make_tally(10, 6, 0, '{Con,Lab}'::text[], '{2,4}')),
			 (make_tally(NULL, 6, 0, '{Con,Lab}'::text[], '{4,2}'))) v(t),
	 (VALUES ('kz1994'), ('none'), (NULL)) w(r)
GROUP BY r ORDER BY r NULLS LAST;
SELECT (unnest(party_seats(t, NULL, 'kz1994'))).*
FROM (VALUES (make_tally(10, 5, 0, '{Con,Lab}'::text[], '{3,2}')),
			 (make_tally(10, 6, 0, '{Con,Lab}'::text[], '{2,4}'))) v(t);
SELECT seat_summary(t, parties, 'kz1995') FROM s_small;

-- hold_or_gain
SELECT hold_or_gain('Lab', 'Lab') AS hold, hold_or_gain('Con', 'Lab') AS gain,
	   hold_or_gain('Con', 'Lab', 'Lab Coop') AS gain_from_coop,
	   hold_or_gain('Lab', 'Lab', 'Lab Coop') AS coop_hold,
	   hold_or_gain(NULL, 'Lab') AS empty_seat, hold_or_gain('Lab', NULL) AS new_seat;

-- butler_swing: Con 40 -> 45, Lab 40 -> 30 of 100 valid votes: 7.5 from Lab to Con
SELECT butler_swing(make_tally(NULL, 100, 0, '{Con,Lab,LD}'::text[], '{40,40,20}'),
					make_tally(NULL, 200, 0, '{Con,Lab,LD}'::text[], '{90,60,50}'), 'Lab', 'Con') AS lab_to_con,
	   butler_swing(make_tally(NULL, 100, 0, '{Con,Lab,LD}'::text[], '{40,40,20}'),
					make_tally(NULL, 200, 0, '{Con,Lab,LD}'::text[], '{90,60,50}'), 'Con', 'Lab') AS con_to_lab,
	   butler_swing(make_tally(NULL, 100, 0, '{Con,Lab}'::text[], '{40,60}'),
					make_tally(NULL, 100, 0, '{Con,SNP}'::text[], '{40,60}'), 'Lab', 'SNP') AS new_party,
	   butler_swing(make_tally(NULL, 0, 0, '{}'::text[], '{}'),
					make_tally(NULL, 100, 0, '{Con}'::text[], '{100}'), 'Lab', 'Con') AS no_votes_before,
	   butler_swing(make_tally(NULL, 100, 0, '{1,2,3}'::bigint[], '{40,40,20}'),
					make_tally(NULL, 200, 0, '{1,2,3}'::bigint[], '{90,60,50}'), 2, 1) AS number_keys;

-- Random elections: 400 constituencies in 5 regions, 0 to 7 candidates
-- each from 5 labels (so labels repeat in a constituency), votes 0 to 12
-- (ties for first are common), some with no votes at all.
SELECT setseed(0.4242);
CREATE TABLE r_const AS
SELECT c AS constituency, c % 5 AS region, (random() * 8)::int AS ncand,
	   (random() * 3)::bigint AS invalid, (random() * 20)::bigint AS absent,
	   (random() * 5)::bigint AS unaccounted
FROM generate_series(1, 400) c;
CREATE TABLE r_cand AS
SELECT c.constituency, c.region, 'candidate ' || (c.constituency * 10 + k) AS candidate,
	   (ARRAY['Con', 'Lab', 'LD', 'Ind', 'Green'])[1 + (random() * 4)::int] AS party,
	   CASE WHEN c.constituency % 37 = 0 THEN 0 ELSE (random() * 12)::bigint END AS votes
FROM r_const c, generate_series(1, c.ncand) k;
CREATE TABLE r_tally AS
SELECT c.constituency, c.region,
	   make_tally(v.valid + c.invalid + c.unaccounted + c.absent, v.valid + c.invalid + c.unaccounted,
				  c.invalid, coalesce(v.candidates, '{}'::text[]), coalesce(v.votes, '{}')) AS t,
	   v.parties
FROM r_const c
LEFT JOIN LATERAL (SELECT coalesce(sum(votes), 0)::bigint AS valid, array_agg(candidate) AS candidates,
						  array_agg(votes) AS votes, jsonb_object_agg(candidate, party) AS parties
				   FROM r_cand k WHERE k.constituency = c.constituency) v ON true;
-- the same election keyed by candidate numbers
CREATE TABLE r_tally_numbers AS
SELECT c.constituency, make_tally(registered(r.t), ballots_cast(r.t), invalid(r.t),
								  coalesce(v.candidates, '{}'::bigint[]), coalesce(v.votes, '{}')) AS t, v.parties
FROM r_const c JOIN r_tally r USING (constituency)
LEFT JOIN LATERAL (SELECT array_agg(substr(candidate, 11)::bigint) AS candidates, array_agg(votes) AS votes,
						  jsonb_object_agg(substr(candidate, 11), party) AS parties
				   FROM r_cand k WHERE k.constituency = c.constituency) v ON true;
ANALYZE r_const, r_cand, r_tally, r_tally_numbers;

-- the plain SQL answers: a seat goes to the one candidate ranked first with votes
CREATE VIEW r_winner AS
SELECT constituency, region, min(party) AS party
FROM (SELECT constituency, region, party, votes,
			 rank() OVER (PARTITION BY constituency ORDER BY votes DESC) AS pos
	  FROM r_cand) r
WHERE pos = 1 AND votes > 0
GROUP BY constituency, region HAVING count(*) = 1;
CREATE VIEW r_plain_parties AS
SELECT k.party, coalesce(w.seats, 0) AS seats, k.votes,
	   trim_scale(100 * k.votes / nullif(sum(k.votes) OVER (), 0)) AS vote_share,
	   trim_scale(100 * coalesce(w.seats, 0)::numeric / (SELECT count(*) FROM r_const)) AS seat_share,
	   k.candidates
FROM (SELECT party, sum(votes) AS votes, count(*) AS candidates FROM r_cand GROUP BY party) k
LEFT JOIN (SELECT party, count(*) AS seats FROM r_winner GROUP BY party) w USING (party);

SELECT count(*) AS seats_filled, (SELECT count(*) FROM r_const) - count(*) AS seats_empty FROM r_winner;
SELECT count(*) AS constituencies_with_repeated_labels
FROM (SELECT constituency FROM r_cand GROUP BY constituency HAVING count(DISTINCT party) < count(*)) x;

CREATE FUNCTION r_compare() RETURNS TABLE (check_name text, agree boolean) LANGUAGE sql AS $$
	WITH m AS (SELECT (unnest(party_seats(t, parties))).* FROM r_tally),
		 s AS (SELECT (seat_summary(t, parties)).* FROM r_tally),
		 plain_s AS (
			SELECT (SELECT count(*) FROM r_const) AS seats, (SELECT count(*) FROM r_winner) AS filled,
				   (SELECT sum(votes) FROM r_cand) AS valid,
				   (SELECT sum(invalid) FROM r_const) AS invalid,
				   (SELECT sum(votes) FROM r_cand) + (SELECT sum(invalid + unaccounted) FROM r_const) AS cast_,
				   (SELECT count(*) FROM r_cand) AS candidates),
		 shares AS (SELECT votes::float8 / sum(votes) OVER () AS v, seats::float8 / sum(seats) OVER () AS e
					FROM r_plain_parties),
		 plain_ix AS (SELECT 100 * sqrt(sum((v - e) ^ 2) / 2) AS g, 100 * sum(abs(v - e)) / 2 AS lh,
							 1 / sum(v ^ 2) AS ev, 1 / sum(e ^ 2) AS es FROM shares)
	SELECT 'party rows', NOT EXISTS (SELECT * FROM m EXCEPT SELECT * FROM r_plain_parties)
					 AND NOT EXISTS (SELECT * FROM r_plain_parties EXCEPT SELECT * FROM m)
	UNION ALL
	SELECT 'party order', (SELECT array_agg(party) FROM m) =
		   (SELECT array_agg(party ORDER BY seats DESC, votes DESC, party COLLATE "C") FROM r_plain_parties)
	UNION ALL
	SELECT 'national counts', s.seats = p.seats AND s.seats_filled = p.filled
		   AND s.seats_empty = p.seats - p.filled AND s.majority_needed = p.seats / 2 + 1
		   AND s.valid_votes = p.valid AND s.invalid = p.invalid AND s.ballots_cast = p.cast_
		   AND s.candidates = p.candidates
		   AND s.parties = (SELECT count(*) FROM r_plain_parties)
	FROM s, plain_s p
	UNION ALL
	SELECT 'largest party', s.largest_party IS NOT DISTINCT FROM
		   (SELECT min(party) FROM r_plain_parties WHERE seats = (SELECT max(seats) FROM r_plain_parties) AND seats > 0
			HAVING count(*) = 1)
		   AND s.largest_party_seats = (SELECT max(seats) FROM r_plain_parties)
	FROM s
	UNION ALL
	SELECT 'turnout', s.turnout = trim_scale(100 * s.ballots_cast::numeric / s.registered)
		   AND s.turnout_valid = trim_scale(100 * s.valid_votes::numeric / s.registered)
		   AND s.registered = (SELECT sum(registered(t)) FROM r_tally)
	FROM s
	UNION ALL
	SELECT 'indices', round(s.gallagher::numeric, 9) = round(i.g::numeric, 9)
		   AND round(s.loosemore_hanby::numeric, 9) = round(i.lh::numeric, 9)
		   AND round(s.enp_votes::numeric, 9) = round(i.ev::numeric, 9)
		   AND round(s.enp_seats::numeric, 9) = round(i.es::numeric, 9)
	FROM s, plain_ix i
	UNION ALL
	-- GROUP BY ROLLUP: the regions' rows add up to the national one, and
	-- each region agrees with plain SQL over its own constituencies
	SELECT 'rollup', (SELECT party_seats(t, parties) FROM r_tally) =
		   (SELECT party_seats(t, parties) FROM r_tally GROUP BY ROLLUP (region) ORDER BY region NULLS FIRST LIMIT 1)
	UNION ALL
	SELECT 'number keys', (SELECT party_seats(t, parties) FROM r_tally) = (SELECT party_seats(t, parties) FROM r_tally_numbers)
		   AND (SELECT seat_summary(t, parties) FROM r_tally) = (SELECT seat_summary(t, parties) FROM r_tally_numbers)
	UNION ALL
	SELECT 'regions', NOT EXISTS (
		SELECT r.region, (r.s).seats, (r.s).seats_filled
		FROM (SELECT region, seat_summary(t, parties) AS s FROM r_tally GROUP BY region) r
		EXCEPT
		SELECT c.region, count(*), count(w.constituency)
		FROM r_const c LEFT JOIN r_winner w USING (constituency) GROUP BY c.region)
$$;

-- serially
SET max_parallel_workers_per_gather = 0;
SELECT * FROM r_compare();
-- named rules: 'kz1994' fills the seats election_summary fills, 'none'
-- is the same as no rules here (no ties broken by turnout)
SELECT (SELECT (seat_summary(t, parties, 'kz1994')).seats_filled FROM r_tally)
	   = (SELECT (election_summary(t, 'kz1994')).seats_filled FROM r_tally) AS kz1994_agrees,
	   (SELECT (seat_summary(t, parties, 'kz1994')).seats_filled FROM r_tally)
	   < (SELECT (seat_summary(t, parties)).seats_filled FROM r_tally) AS some_by_elections,
	   (SELECT party_seats(t, parties, 'none') FROM r_tally) = (SELECT party_seats(t, parties) FROM r_tally) AS none_agrees;
CREATE TEMP TABLE r_serial AS
SELECT (SELECT party_seats(t, parties) FROM r_tally) AS p, (SELECT seat_summary(t, parties) FROM r_tally) AS s;

-- with Partial Aggregate in two workers
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT party_seats(t, parties) FROM r_tally;
EXPLAIN (COSTS OFF) SELECT seat_summary(t) FROM r_tally;
SELECT * FROM r_compare();
SELECT (SELECT party_seats(t, parties) FROM r_tally) = p AS parties_agree,
	   (SELECT seat_summary(t, parties) FROM r_tally) = s AS summary_agree
FROM r_serial;
RESET ALL;

-- Butler swing between two random elections, per constituency and
-- nationally from summed tallies, against plain SQL
CREATE TABLE r_party AS
SELECT constituency, e AS election, party,
	   CASE WHEN constituency % 37 = 0 THEN 0 ELSE (random() * 100)::bigint END AS votes
FROM generate_series(1, 200) constituency, generate_series(1, 2) e,
	 unnest('{Con,Lab,LD,SNP}'::text[]) party;
CREATE TABLE r_party_tally AS
SELECT constituency, election, tally(party, votes) AS t FROM r_party GROUP BY 1, 2;
SELECT count(*) AS constituencies,
	   count(*) FILTER (WHERE round(m, 12) IS NOT DISTINCT FROM round(p, 12)) AS agree
FROM (SELECT b.constituency, butler_swing(b.t, a.t, 'Lab', 'Con') AS m
	  FROM r_party_tally b JOIN r_party_tally a ON a.constituency = b.constituency
	  WHERE b.election = 1 AND a.election = 2) x
JOIN (SELECT constituency,
			 ((100.0 * sum(votes) FILTER (WHERE election = 2 AND party = 'Con') / nullif(sum(votes) FILTER (WHERE election = 2), 0)
			   - 100.0 * sum(votes) FILTER (WHERE election = 1 AND party = 'Con') / nullif(sum(votes) FILTER (WHERE election = 1), 0))
			  - (100.0 * sum(votes) FILTER (WHERE election = 2 AND party = 'Lab') / nullif(sum(votes) FILTER (WHERE election = 2), 0)
			   - 100.0 * sum(votes) FILTER (WHERE election = 1 AND party = 'Lab') / nullif(sum(votes) FILTER (WHERE election = 1), 0))) / 2 AS p
	  FROM r_party GROUP BY constituency) y USING (constituency);
SELECT round(butler_swing((SELECT sum(t) FROM r_party_tally WHERE election = 1),
						  (SELECT sum(t) FROM r_party_tally WHERE election = 2), 'Lab', 'Con'), 12)
	 = round(((100.0 * sum(votes) FILTER (WHERE election = 2 AND party = 'Con') / sum(votes) FILTER (WHERE election = 2)
			   - 100.0 * sum(votes) FILTER (WHERE election = 1 AND party = 'Con') / sum(votes) FILTER (WHERE election = 1))
			  - (100.0 * sum(votes) FILTER (WHERE election = 2 AND party = 'Lab') / sum(votes) FILTER (WHERE election = 2)
			   - 100.0 * sum(votes) FILTER (WHERE election = 1 AND party = 'Lab') / sum(votes) FILTER (WHERE election = 1))) / 2, 12)
	   AS national_swing_agrees
FROM r_party;
-- party and keys of different kinds
SELECT butler_swing(make_tally(NULL, 1, 0, '{1}'::bigint[], '{1}'), make_tally(NULL, 1, 0, '{1}'::bigint[], '{1}'), 'Con', 'Lab');
SELECT butler_swing(make_tally(NULL, 1, 0, '{Con}'::text[], '{1}'), make_tally(NULL, 1, 0, '{Con}'::text[], '{1}'), 1, 2);

DROP FUNCTION r_compare();
DROP VIEW r_plain_parties, r_winner;
DROP TABLE s_small, r_const, r_cand, r_tally, r_tally_numbers, r_party, r_party_tally;
