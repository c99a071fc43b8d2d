-- Tables for test/sh/partitionwise.sh: the same election at four grains,
-- each three times: unpartitioned (the single-node answer), partitioned by
-- constituency with hash partitioning (suffix _h) and by region with list
-- partitioning (suffix _l).  Needs test/scale/data.sql.

-- ballots: one row per ballot, a NULL candidate is blank or invalid
CREATE TABLE ballots AS SELECT * FROM scale_ballots(:constituencies);

-- candidate totals per polling station.  Constituencies 1, 4, 7, ... split
-- every count into two rows (rows of the same candidate add up, some halves
-- are 0); constituencies 5, 10, ... carry a NULL votes row (skipped);
-- constituency 44 has only NULL votes rows.
CREATE TABLE totals AS
WITH t AS (
	SELECT region, constituency, level, station, candidate, count(*) AS votes
	FROM ballots GROUP BY 1, 2, 3, 4, 5
)
SELECT region, constituency, level, station, candidate, votes FROM t WHERE constituency % 3 <> 1
UNION ALL
SELECT region, constituency, level, station, candidate, votes - votes / 2 FROM t WHERE constituency % 3 = 1
UNION ALL
SELECT region, constituency, level, station, candidate, votes / 2 FROM t WHERE constituency % 3 = 1
UNION ALL
SELECT region, constituency, level, station, candidate, NULL FROM t WHERE constituency % 5 = 0 AND station = 1
UNION ALL
SELECT 'north', 44, 'regional', s, 7, NULL FROM generate_series(1, 3) s;

-- polling-station protocols as tallies: registered voters known except in
-- constituencies 3, 13, 23, 33 (then the merged count does not know them
-- either); some stations with a NULL tally (skipped), and constituency 44
-- with NULL tallies only.
CREATE TABLE stations AS
SELECT region, constituency, level, station,
	   CASE WHEN constituency % 10 = 3 THEN tally(candidate)
			ELSE with_registered(tally(candidate), count(*) * 3 / 2 + station) END AS t
FROM ballots GROUP BY 1, 2, 3, 4
UNION ALL
SELECT DISTINCT region, constituency, level, 99, NULL::tally FROM ballots WHERE constituency % 8 = 1
UNION ALL
SELECT 'north', 44, 'regional', s, NULL FROM generate_series(1, 3) s;

-- one row per seat for election_summary, 2000 of them (a national election
-- of seats is large enough for partial aggregation to pay), made up from a
-- formula rather than counted from the ballots above: registered voters
-- beside the tally (exactly 50 % turnout in constituencies 6, 12, ...;
-- unknown in 17), and inside it in constituencies 4, 8, ...; first place
-- tied in 50, 100, ...; no tally at all for 333 and 666 (skipped).
CREATE TABLE seats AS
SELECT (ARRAY['north', 'south', 'east', 'west'])[c % 4 + 1] AS region,
	   c AS constituency,
	   (enum_range(NULL::maslihat_level))[c % 3 + 1] AS level,
	   CASE WHEN c IN (333, 666) THEN NULL
			WHEN c % 4 = 0 THEN with_registered(t, registered) ELSE t END AS t,
	   registered
FROM generate_series(1, 2000) c,
	 LATERAL (SELECT 100 + (c * 37) % 900 AS ballots, c % 9 AS invalid) b,
	 LATERAL (SELECT CASE WHEN c % 50 = 0 THEN (ballots - invalid) * 2 / 5
						  ELSE (ballots - invalid) * (3 + c % 5) / 10 END AS v1) v,
	 LATERAL (SELECT CASE WHEN c % 50 = 0 THEN v1
						  ELSE (ballots - invalid - v1) * 2 / 3 END AS v2) w,
	 LATERAL (SELECT make_tally(NULL, ballots, invalid,
								ARRAY[(c % 7) * 10 + 1, (c % 7) * 10 + 2, (c % 7) * 10 + 3],
								ARRAY[v1, v2, ballots - invalid - v1 - v2]) AS t,
					 CASE WHEN c = 17 THEN NULL
						  WHEN c % 6 = 0 THEN 2 * ballots
						  ELSE ballots * 7 / 5 + c % 13 END AS registered) x;

DO $$
DECLARE
	g text;
	r int;
BEGIN
	FOREACH g IN ARRAY ARRAY['ballots', 'totals', 'stations', 'seats']
	LOOP
		EXECUTE format('CREATE TABLE %I (LIKE %I) PARTITION BY HASH (constituency)', g || '_h', g);
		FOR r IN 0..3
		LOOP
			EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS 4, REMAINDER %s)',
						   g || '_h' || r, g || '_h', r);
		END LOOP;
		EXECUTE format('CREATE TABLE %I (LIKE %I) PARTITION BY LIST (region)', g || '_l', g);
		EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (''north'')', g || '_l_north', g || '_l');
		EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (''south'')', g || '_l_south', g || '_l');
		EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (''east'', ''west'')', g || '_l_east_west', g || '_l');
		EXECUTE format('INSERT INTO %I SELECT * FROM %I', g || '_h', g);
		EXECUTE format('INSERT INTO %I SELECT * FROM %I', g || '_l', g);
	END LOOP;
END
$$;

ANALYZE;
