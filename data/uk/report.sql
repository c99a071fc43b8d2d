-- The demo's report on the UK general election of 2019, after
-- data/uk/load.sql, data/uk/correct.sql and data/uk/maslihat/count.sql.
-- Every figure comes from maslihat over the uk_count view (one tally per
-- constituency, keyed by candidate name, and the candidates' parties).
\pset footer off
\pset null '-'

CREATE TEMP TABLE published (party text, name text, seats bigint);
INSERT INTO published VALUES
	('Con', 'Conservative', 365), ('Lab', 'Labour', 202), ('SNP', 'SNP', 48),
	('LD', 'Liberal Democrat', 11), ('DUP', 'DUP', 8), ('SF', 'Sinn Féin', 7),
	('PC', 'Plaid Cymru', 4), ('SDLP', 'SDLP', 2), ('Green', 'Green', 1),
	('APNI', 'Alliance', 1), ('Spk', 'Speaker', 1);
CREATE TEMP TABLE s19 AS SELECT (seat_summary(t, parties)).* FROM uk_count WHERE election = 2019;

\echo
\echo '== Seats by party, 12 December 2019 (party_seats over 650 constituency tallies)'
SELECT p.party, coalesce(pub.name, '') AS name, p.seats, pub.seats AS published,
	   to_char(p.votes, 'FM99,999,999') AS votes, round(p.vote_share, 1) AS "vote %",
	   round(p.seat_share, 1) AS "seat %", p.candidates
FROM unnest((SELECT party_seats(t, parties) FROM uk_count WHERE election = 2019)) p
LEFT JOIN published pub USING (party)
WHERE p.seats > 0 OR p.vote_share >= 0.5
ORDER BY p.seats DESC, p.votes DESC;
\pset tuples_only on
SELECT format('%s seats, %s filled, %s empty; majority needed %s; largest party %s with %s: %s.',
			  seats, seats_filled, seats_empty, majority_needed, largest_party, largest_party_seats,
			  CASE WHEN overall_majority THEN format('overall majority of %s', 2 * largest_party_seats - seats)
				   ELSE 'hung parliament' END)
FROM s19;
SELECT CASE WHEN count(*) = 11 AND bool_and(p.seats = x.seats)
			THEN 'AGREE: every party''s seats equal the published figures (Con 365, Lab 202, SNP 48, LD 11, DUP 8, SF 7, PC 4, SDLP 2, Green 1, Alliance 1, Speaker 1).'
			ELSE 'DISAGREE with the published seats' END
FROM published p
LEFT JOIN unnest((SELECT party_seats(t, parties) FROM uk_count WHERE election = 2019)) x USING (party);
\pset tuples_only off

\echo
\echo '== The country (seat_summary): votes, electorate, turnout both ways'
SELECT to_char(valid_votes, 'FM99,999,999') AS "valid votes", to_char(invalid, 'FM99,999,999') AS invalid,
	   to_char(registered, 'FM99,999,999') AS electorate,
	   round(turnout_valid, 1) AS "turnout % (valid / electorate)",
	   round(turnout, 2) AS "turnout % (all ballots / electorate)"
FROM s19;
\pset tuples_only on
SELECT CASE WHEN valid_votes = 32014110 AND invalid = 117919 AND registered = 47562702 AND round(turnout_valid, 1) = 67.3
			THEN 'AGREE: valid votes 32,014,110, invalid 117,919, electorate 47,562,702, turnout 67.3% as published.'
			ELSE 'DISAGREE with the published totals' END
FROM s19;
\pset tuples_only off

\echo
\echo '== By country (seat_summary with GROUP BY ROLLUP: partial states merged)'
SELECT coalesce(country, 'United Kingdom') AS country, (s).seats, (s).largest_party AS largest,
	   (s).largest_party_seats AS "its seats", (s).overall_majority AS majority,
	   round((s).turnout_valid, 1) AS "turnout % (valid)", round((s).enp_votes::numeric, 2) AS "parties (votes)",
	   round((s).gallagher::numeric, 2) AS gallagher
FROM (SELECT c.country, seat_summary(u.t, u.parties) AS s
	  FROM uk_count u JOIN uk_constituency c USING (election, ons_id)
	  WHERE u.election = 2019 GROUP BY ROLLUP (c.country)) x
ORDER BY country IS NULL, (s).seats DESC;

\echo
\echo '== Holds and gains against 2017 (hold_or_gain), and the Con-Lab swing (butler_swing)'
CREATE TEMP TABLE g AS
SELECT n.ons_id, n.parties ->> w.winner_key AS party, b.parties ->> p.winner_key AS party_2017,
	   hold_or_gain(n.parties ->> w.winner_key, b.parties ->> p.winner_key,
					CASE b.party_names ->> p.winner_key WHEN 'Labour and Co-operative' THEN 'Lab Coop' END) AS result
FROM uk_count n JOIN uk_count b ON b.ons_id = n.ons_id AND b.election = 2017,
	 outcome(n.t, 'none') w, outcome(b.t, 'none') p
WHERE n.election = 2019;
SELECT coalesce(party_2017, 'all') AS "from", coalesce(party, '') AS "to", count(*) AS seats,
	   CASE WHEN party IS NOT NULL AND count(*) <= 8
			THEN string_agg(c.name, ', ' ORDER BY c.name) END AS constituencies
FROM g JOIN uk_constituency c ON c.election = 2019 AND c.ons_id = g.ons_id
WHERE party <> party_2017
GROUP BY ROLLUP (party_2017, party)
HAVING party IS NOT NULL OR party_2017 IS NULL
ORDER BY party_2017 NULLS LAST, seats DESC;
\pset tuples_only on
SELECT format('%s seats changed hands, %s held.  Labels equal to the Library''s Result column: %s of %s.',
			  count(*) FILTER (WHERE g.result LIKE '% gain from %'), count(*) FILTER (WHERE g.result LIKE '% hold'),
			  count(*) FILTER (WHERE g.result = c.result), count(*))
FROM g JOIN uk_constituency c ON c.election = 2019 AND c.ons_id = g.ons_id;
SELECT format('National Butler swing from Labour to Conservative: %s points (Con share %s%% -> %s%%, Lab %s%% -> %s%%).',
			  round(butler_swing(b.t, n.t, 'Lab', 'Con'), 1),
			  round(100.0 * votes(b.t, 'Con') / valid_votes(b.t), 1), round(100.0 * votes(n.t, 'Con') / valid_votes(n.t), 1),
			  round(100.0 * votes(b.t, 'Lab') / valid_votes(b.t), 1), round(100.0 * votes(n.t, 'Lab') / valid_votes(n.t), 1))
FROM (SELECT tally(party, votes) AS t FROM uk_candidate WHERE election = 2017) b,
	 (SELECT tally(party, votes) AS t FROM uk_candidate WHERE election = 2019) n;
\pset tuples_only off

\echo
\echo '== The ten most marginal seats (outcome(t, ''none''): majority as % of valid votes)'
SELECT c.name AS constituency, u.parties ->> o.winner_key AS winner, u.parties ->> o.runner_up_key AS second,
	   o.margin AS majority, round(o.majority_share, 2) AS "majority %"
FROM uk_count u JOIN uk_constituency c USING (election, ons_id), outcome(u.t, 'none') o
WHERE u.election = 2019
ORDER BY o.majority_share, c.name
LIMIT 10;

\echo
\echo '== How disproportional (seat_summary): every party label one party, seat shares of seats filled'
SELECT round(gallagher::numeric, 2) AS "Gallagher (LSq)", round(loosemore_hanby::numeric, 2) AS "Loosemore-Hanby",
	   round(enp_votes::numeric, 2) AS "effective parties, votes", round(enp_seats::numeric, 2) AS "effective parties, seats",
	   seats_empty AS "empty seats"
FROM s19;

\echo
\echo '== The results table for a few seats (outcome(t, ''none''))'
SELECT c.name AS constituency, o.winner_key AS winner, u.parties ->> o.winner_key AS party,
	   u.parties ->> o.runner_up_key AS second, o.margin AS majority, round(o.majority_share, 2) AS "majority %",
	   round(o.turnout, 2) AS "turnout %", round(o.turnout_valid, 2) AS "turnout % (valid)", o.valid_votes AS valid
FROM uk_count u JOIN uk_constituency c USING (election, ons_id), outcome(u.t, 'none') o
WHERE u.election = 2019
  AND c.name IN ('Chorley', 'Buckingham', 'Kensington', 'Meon Valley', 'North Down',
				 'Kingston upon Hull East', 'Fermanagh and South Tyrone', 'Bishop Auckland')
ORDER BY c.name;
