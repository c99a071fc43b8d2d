-- bench/sample.sql: the benchmark's tables from the synthetic 1994 sample
-- of data/ (data/load.sql loaded first, from the top of the tree):
--
--   psql -v order=random -f data/load.sql -f bench/sample.sql
--
-- constituencies, ballots, station_tallies and candidate_totals as
-- bench/generate.sql makes them.  order: random (default; the ballots in
-- no order) or constituency (the sample's own order: constituency by
-- constituency, station by station, each candidate's ballots together).

\set ON_ERROR_STOP on
\if :{?order}
\else
\set order random
\endif
SELECT :'order' IN ('random', 'constituency') AS bench_order_known,
	   :'order' = 'random' AS bench_random_order \gset
\if :bench_order_known
\else
DO $$ BEGIN RAISE EXCEPTION 'with the sample, order is random or constituency'; END $$;
\endif

SET client_min_messages = warning;
DROP TABLE IF EXISTS ballots, station_tallies, candidate_totals, constituencies;

CREATE TABLE constituencies (constituency int PRIMARY KEY, registered bigint NOT NULL);
INSERT INTO constituencies SELECT id, registered FROM constituency ORDER BY id;

CREATE TABLE ballots (constituency int NOT NULL, candidate bigint);
\if :bench_random_order
-- the same shuffle every time: by a hash of each row's place in the sample
INSERT INTO ballots
SELECT constituency, candidate
FROM (SELECT constituency, candidate, row_number() OVER () AS n FROM ballot) b
ORDER BY hashint8extended(n, 1994);
\else
INSERT INTO ballots SELECT constituency, candidate FROM ballot;
\endif

CREATE TABLE station_tallies (constituency int NOT NULL, station int NOT NULL, t tally NOT NULL,
							  PRIMARY KEY (constituency, station));
INSERT INTO station_tallies SELECT constituency, number, t FROM station;

CREATE TABLE candidate_totals (constituency int NOT NULL, candidate bigint, votes bigint NOT NULL);
INSERT INTO candidate_totals SELECT constituency, candidate, votes FROM candidate_total ORDER BY 1, 2 NULLS FIRST;

-- as in bench/generate.sql: a true group estimate for plain SQL's GROUP BY
CREATE STATISTICS ballots_constituency_candidate (ndistinct) ON constituency, candidate FROM ballots;

-- the sample's own copies are no longer needed
DROP TABLE constituency_tally, ballot CASCADE;
VACUUM (FREEZE, ANALYZE) ballots, station_tallies, candidate_totals, constituencies;
