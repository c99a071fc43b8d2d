-- The same election at the three grains gives the same tallies and outcomes:
-- ballots, candidate totals, and polling-station protocols merged.

CREATE TEMP TABLE g_constituency (id int PRIMARY KEY, registered bigint);
INSERT INTO g_constituency VALUES (1, 20), (2, 12), (3, 10), (4, 8), (5, 6);

-- ballots: constituency 1 clear winner, 2 tie, 3 exactly 50% turnout,
-- 4 one ballot above 50%, 5 unopposed
CREATE TEMP TABLE g_ballots (constituency int, station int, candidate bigint);
INSERT INTO g_ballots VALUES
	(1, 1, 101), (1, 1, 101), (1, 1, 102), (1, 2, 101), (1, 2, 103), (1, 2, NULL),
	(1, 2, 101), (1, 1, 102), (1, 3, 103), (1, 3, 101), (1, 3, NULL),
	(2, 1, 201), (2, 1, 202), (2, 2, 201), (2, 2, 202), (2, 2, 203), (2, 1, NULL), (2, 2, 203),
	(3, 1, 301), (3, 1, 301), (3, 1, 302), (3, 2, 301), (3, 2, 302),
	(4, 1, 401), (4, 1, 401), (4, 1, 402), (4, 1, 402), (4, 1, 401),
	(5, 1, 501), (5, 1, 501), (5, 1, 501), (5, 1, NULL);

-- candidate totals derived by hand from the same ballots
CREATE TEMP TABLE g_totals (constituency int, candidate bigint, votes bigint);
INSERT INTO g_totals VALUES
	(1, 101, 5), (1, 102, 2), (1, 103, 2), (1, NULL, 2),
	(2, 201, 2), (2, 202, 2), (2, 203, 2), (2, NULL, 1),
	(3, 301, 3), (3, 302, 2),
	(4, 401, 3), (4, 402, 2),
	(5, 501, 3), (5, NULL, 1);

-- station protocols: registered split across stations
CREATE TEMP TABLE g_stations (constituency int, station int, t tally);
INSERT INTO g_stations VALUES
	(1, 1, make_tally(8, 4, 0, '{101,102}'::bigint[], '{2,2}')),
	(1, 2, make_tally(7, 4, 1, '{101,103}'::bigint[], '{2,1}')),
	(1, 3, make_tally(5, 3, 1, '{101,103}'::bigint[], '{1,1}')),
	(2, 1, make_tally(6, 3, 1, '{201,202}'::bigint[], '{1,1}')),
	(2, 2, make_tally(6, 4, 0, '{201,202,203}'::bigint[], '{1,1,2}')),
	(3, 1, make_tally(6, 3, 0, '{301,302}'::bigint[], '{2,1}')),
	(3, 2, make_tally(4, 2, 0, '{301,302}'::bigint[], '{1,1}')),
	(4, 1, make_tally(8, 5, 0, '{401,402}'::bigint[], '{3,2}')),
	(5, 1, make_tally(6, 4, 1, '{501}'::bigint[], '{3}'));

CREATE TEMP TABLE g_tallies AS
SELECT c.id,
	   with_registered(b.t, c.registered) AS from_ballots,
	   with_registered(t.t, c.registered) AS from_totals,
	   s.t AS from_stations
FROM g_constituency c
JOIN (SELECT constituency, tally(candidate) AS t FROM g_ballots GROUP BY 1) b ON b.constituency = c.id
JOIN (SELECT constituency, tally(candidate, votes) AS t FROM g_totals GROUP BY 1) t ON t.constituency = c.id
JOIN (SELECT constituency, sum(t) AS t FROM g_stations GROUP BY 1) s ON s.constituency = c.id;

SELECT id, from_ballots, from_ballots = from_totals AS totals_agree,
	   from_ballots = from_stations AS stations_agree
FROM g_tallies ORDER BY id;

SELECT id, (o).winner, (o).winner_votes, (o).runner_up, (o).margin, (o).turnout,
	   (o).valid, (o).tie, (o).by_election, (o).reason
FROM (SELECT id, outcome(from_ballots, 'kz1994') AS o FROM g_tallies) s ORDER BY id;

-- the outcomes agree column by column across the grains
SELECT id,
	   outcome(from_ballots, 'kz1994') IS NOT DISTINCT FROM outcome(from_totals, 'kz1994') AS totals_agree,
	   outcome(from_ballots, 'kz1994') IS NOT DISTINCT FROM outcome(from_stations, 'kz1994') AS stations_agree
FROM g_tallies ORDER BY id;

-- registered from the constituencies table or from the stations: same answer
SELECT c.id, outcome(s.t, 'kz1994') IS NOT DISTINCT FROM outcome(s.t, c.registered, 'kz1994') AS same
FROM g_constituency c
JOIN (SELECT constituency, sum(t) AS t FROM g_stations GROUP BY 1) s ON s.constituency = c.id
ORDER BY c.id;

-- fptp_winner straight from GROUP BY, at both row grains
SELECT b.constituency, b.w AS from_ballots, t.w AS from_totals
FROM (SELECT constituency, fptp_winner(candidate) AS w FROM g_ballots GROUP BY 1) b
JOIN (SELECT constituency, fptp_winner(candidate, votes) AS w FROM g_totals GROUP BY 1) t
  USING (constituency)
ORDER BY 1;
