-- Parallel aggregation: every aggregate runs as Partial Aggregate in the
-- workers and Finalize Aggregate in the leader, with the same answers.

CREATE TABLE p_ballots (constituency int, station int, candidate bigint);
INSERT INTO p_ballots
SELECT c, i % 200, CASE WHEN i % 97 = 0 THEN NULL ELSE (i * 31 + c) % 4 END
FROM generate_series(1, 50) c, generate_series(1, 2000) i;
-- candidate totals per station and stations' tallies: many rows each
CREATE TABLE p_totals AS
SELECT constituency, station, candidate, count(*) AS votes FROM p_ballots GROUP BY 1, 2, 3;
CREATE TABLE p_stations AS
SELECT constituency, station, tally(candidate) AS t FROM p_ballots GROUP BY 1, 2;
ANALYZE p_ballots, p_totals, p_stations;

-- serial answers first
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_answers AS
SELECT (SELECT tally(candidate) FROM p_ballots) AS ballots,
	   (SELECT fptp_winner(candidate) FROM p_ballots) AS winner,
	   (SELECT tally(candidate, votes) FROM p_totals) AS totals,
	   (SELECT fptp_winner(candidate, votes) FROM p_totals) AS totals_winner,
	   (SELECT sum(t) FROM p_stations) AS stations,
	   (SELECT election_summary(t, 1000, 'kz1994') FROM p_stations) AS summary;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF) SELECT tally(candidate) FROM p_ballots;
EXPLAIN (COSTS OFF) SELECT fptp_winner(candidate) FROM p_ballots;
EXPLAIN (COSTS OFF) SELECT tally(candidate, votes) FROM p_totals;
EXPLAIN (COSTS OFF) SELECT fptp_winner(candidate, votes) FROM p_totals;
EXPLAIN (COSTS OFF) SELECT sum(t) FROM p_stations;
EXPLAIN (COSTS OFF) SELECT constituency, tally(candidate) FROM p_ballots GROUP BY 1;
EXPLAIN (COSTS OFF) SELECT election_summary(t, 'kz1994') FROM p_stations;
EXPLAIN (COSTS OFF) SELECT election_summary(t, 1000, 'kz1994') FROM p_stations;
EXPLAIN (COSTS OFF) SELECT election_summary(t, 1000, 0.5) FROM p_stations;

-- the parallel answers equal the serial ones
SELECT (SELECT tally(candidate) FROM p_ballots) = ballots AS ballots,
	   (SELECT fptp_winner(candidate) FROM p_ballots) IS NOT DISTINCT FROM winner AS winner,
	   (SELECT tally(candidate, votes) FROM p_totals) = totals AS totals,
	   (SELECT fptp_winner(candidate, votes) FROM p_totals) IS NOT DISTINCT FROM totals_winner AS totals_winner,
	   (SELECT sum(t) FROM p_stations) = stations AS stations,
	   (SELECT election_summary(t, 1000, 'kz1994') FROM p_stations) = summary AS summary
FROM serial_answers;

-- grouped: per-constituency answers equal the serial plan's
SELECT count(*) AS constituencies, count(*) FILTER (WHERE p.t = s.t) AS agree
FROM (SELECT constituency, tally(candidate) AS t FROM p_ballots GROUP BY 1) p
JOIN (SELECT constituency, sum(t) AS t FROM p_stations GROUP BY 1) s USING (constituency);

RESET ALL;
DROP TABLE p_ballots, p_totals, p_stations;
