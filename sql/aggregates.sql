-- The aggregates and PostgreSQL's NULL semantics: no rows, all-NULL rows,
-- FILTER, GROUP BY with empty groups.

CREATE TEMP TABLE ballots (constituency int, candidate bigint);
INSERT INTO ballots VALUES
	(1, 10), (1, 10), (1, 11), (1, NULL),
	(2, 20), (2, 21),
	(3, NULL), (3, NULL),
	(4, 40);

SELECT constituency, tally(candidate), fptp_winner(candidate)
FROM ballots GROUP BY constituency ORDER BY constituency;

-- no rows: NULL, like sum()
SELECT tally(candidate), fptp_winner(candidate) FROM ballots WHERE false;
SELECT tally(candidate, 5::bigint), fptp_winner(candidate, 5::bigint), sum(NULL::tally)
FROM ballots WHERE false;

-- a NULL candidate is a blank or invalid ballot, so all-NULL rows still count
SELECT tally(candidate), fptp_winner(candidate) FROM ballots WHERE constituency = 3;

-- FILTER: rows left out are not ballots
SELECT tally(candidate) FILTER (WHERE candidate IS NOT NULL) AS valid_only,
	   tally(candidate) FILTER (WHERE constituency = 99) AS nothing
FROM ballots;

-- candidate totals; a NULL candidate carries the blank or invalid ballots,
-- a NULL votes is skipped like sum() skips it, repeated candidates add up
CREATE TEMP TABLE totals (constituency int, candidate bigint, votes bigint);
INSERT INTO totals VALUES
	(1, 10, 2), (1, 11, 1), (1, NULL, 1),
	(2, 20, 1), (2, 21, 1),
	(3, NULL, 2),
	(4, 40, 1),
	(5, 50, NULL),
	(6, 60, 3), (6, 60, 4), (6, 61, 0);
SELECT constituency, tally(candidate, votes), fptp_winner(candidate, votes)
FROM totals GROUP BY constituency ORDER BY constituency;

-- sum(tally): stations into constituencies; NULL tallies are skipped
CREATE TEMP TABLE stations (constituency int, station int, t tally);
INSERT INTO stations VALUES
	(1, 1, 'registered=500 cast=300 invalid=2 votes={10:150,11:148}'),
	(1, 2, 'registered=400 cast=200 invalid=1 votes={10:99,11:100}'),
	(1, 3, NULL),
	(2, 1, 'registered=100 cast=60 votes={20:60}'),
	(2, 2, 'cast=10 votes={21:10}'),
	(3, 1, NULL);
SELECT constituency, sum(t), registered(sum(t)) FROM stations GROUP BY 1 ORDER BY 1;
SELECT sum(t) AS national FROM stations;

-- a constituency with a single station sums to that station
SELECT sum(t) = 'registered=500 cast=300 invalid=2 votes={10:150,11:148}'::tally AS same
FROM stations WHERE constituency = 1 AND station = 1;

-- aggregates of aggregates: constituencies into regions
SELECT sum(tally) FROM (SELECT constituency, tally(candidate) FROM ballots GROUP BY 1) s;

-- ties and zero votes in fptp_winner
SELECT fptp_winner(c) AS two_way_tie FROM (VALUES (1), (2)) v(c);
SELECT fptp_winner(c, v) AS zero_votes FROM (VALUES (1, 0), (2, 0)) x(c, v);
SELECT fptp_winner(c, v) AS unopposed FROM (VALUES (7::bigint, 1::bigint)) x(c, v);
SELECT fptp_winner(c) AS only_blank FROM (VALUES (NULL::bigint)) v(c);

-- DISTINCT and ORDER BY inside the aggregate behave as for any aggregate
SELECT tally(DISTINCT candidate) FROM ballots WHERE constituency = 1;
