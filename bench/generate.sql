-- bench/generate.sql: a deterministic electorate shaped like the 1994
-- mäslihat elections (7,030,050 ballots, 5,935 constituencies, 13,744
-- candidates, 12,593 blank or invalid ballots, 9,561,534 registered voters,
-- 38 constituencies below 50% turnout), scaled to any number of ballots.
--
--   psql -v ballots=7030050 -v constituencies=5935 -v order=random -f bench/generate.sql
--
-- Variables (all optional): ballots, constituencies, and order: how the
-- ballots lie in the table: random (default), station (one polling
-- station's ballots together, stations in no order, as a count loaded from
-- station protocols) or constituency (sorted by constituency).
--
-- Makes, in the current database (maslihat created beforehand):
--   constituencies (constituency int, registered bigint)
--   ballots (constituency int, candidate bigint)   one row per ballot cast,
--       NULL candidate = blank or invalid
--   station_tallies (constituency int, station int, t tally)   a tally per
--       polling station (about one per 600 ballots), registered known
--   candidate_totals (constituency int, candidate bigint, votes bigint)
--       a row per candidate, and one with a NULL candidate for the blank or
--       invalid ballots
--   ballot_plan, station_plan   what the ballots are expanded from
--
-- Every number is a function of the variables: no random().  Totals are
-- shared out by largest remainder, so at the defaults they are the 1994
-- figures exactly.  Each constituency has a unique leader: ties and other
-- edge cases are the tests' business (test/sh/bench_small.sh).

\set ON_ERROR_STOP on
\if :{?ballots}
\else
\set ballots 7030050
\endif
\if :{?constituencies}
\else
\set constituencies 5935
\endif
\if :{?order}
\else
\set order random
\endif
SELECT :'order' IN ('random', 'station', 'constituency') AS bench_order_known \gset
\if :bench_order_known
\else
DO $$ BEGIN RAISE EXCEPTION 'order must be random, station or constituency'; END $$;
\endif

SET client_min_messages = warning;
DROP TABLE IF EXISTS ballots, station_tallies, candidate_totals, constituencies, station_plan, ballot_plan;
DROP FUNCTION IF EXISTS bench_hash(bigint, bigint), bench_share(numeric[], bigint), bench_ballots();

-- A 31-bit mix of two integers (a Knuth multiplicative step, xor-shift, another multiply).
CREATE FUNCTION bench_hash(a bigint, b bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT ((h # (h >> 15)) * 1274126177 % 2147483648)
	FROM (SELECT ((a * 2654435761 + b * 40503 + 12345) % 4294967296) AS h) s
$$;

-- Shares total out in proportion to weights, by largest remainder (exact sum).
CREATE FUNCTION bench_share(weights numeric[], total bigint) RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	WITH w AS (
		SELECT i, weights[i] * total / sum(weights[i]) OVER () AS exact
		FROM generate_subscripts(weights, 1) AS i
	), f AS (
		SELECT i, floor(exact)::bigint AS base, exact - floor(exact) AS frac FROM w
	), r AS (
		SELECT i, base + CASE WHEN row_number() OVER (ORDER BY frac DESC, i)
			<= total - sum(base) OVER () THEN 1 ELSE 0 END AS share
		FROM f
	)
	SELECT array_agg(share ORDER BY i) FROM r
$$;

CREATE TABLE ballot_plan (
	constituency int PRIMARY KEY,
	registered bigint NOT NULL,
	"cast" bigint NOT NULL,
	invalid bigint NOT NULL,
	nstations int NOT NULL,
	cands bigint[] NOT NULL,		-- candidate numbers
	votes bigint[] NOT NULL,		-- their votes
	thresholds bigint[] NOT NULL	-- where each candidate's ballots start
);

-- Shape: candidates per constituency (1..5, 2.316 on average as in 1994),
-- registered voters, turnout (38 in 5,935 at 30-49%, the others 60-95%).
CREATE TEMP TABLE shape AS
WITH c AS (
	SELECT i, row_number() OVER (ORDER BY bench_hash(i, 4), i) AS pos
	FROM generate_series(1, :constituencies) AS i
), sizes AS (
	SELECT round(:constituencies * 300 / 5935.0) AS n1,
		   round(:constituencies * 1724 / 5935.0) AS n3,
		   round(:constituencies * 150 / 5935.0) AS n4,
		   round(:constituencies * 50 / 5935.0) AS n5,
		   round(:constituencies * 38 / 5935.0) AS nlow
)
SELECT c.i AS constituency,
	   CASE WHEN pos <= n1 THEN 1
			WHEN pos <= n1 + n3 THEN 3
			WHEN pos <= n1 + n3 + n4 THEN 4
			WHEN pos <= n1 + n3 + n4 + n5 THEN 5
			ELSE 2 END AS ncand,
	   (600 + bench_hash(c.i, 1) % 2000)::numeric AS reg_weight,
	   row_number() OVER (ORDER BY bench_hash(c.i, 2), c.i) <= nlow AS low,
	   CASE WHEN row_number() OVER (ORDER BY bench_hash(c.i, 2), c.i) <= nlow
			THEN 0.30 + (bench_hash(c.i, 3) % 20) / 100.0
			ELSE 0.60 + (bench_hash(c.i, 3) % 36) / 100.0 END AS turnout
FROM c, sizes;

-- Registered voters: 9,561,534 x (ballots / 7,030,050) shared by weight.
CREATE TEMP TABLE reg AS
SELECT s.constituency, r.registered
FROM (SELECT array_agg(reg_weight ORDER BY constituency) AS w,
			 array_agg(constituency ORDER BY constituency) AS ids
	  FROM shape) a,
	 LATERAL unnest(a.ids, bench_share(a.w, round(9561534::numeric * :ballots / 7030050)::bigint))
		AS r(constituency, registered)
JOIN shape s USING (constituency);

-- Ballots cast: low-turnout constituencies at their turnout (never above
-- half), the rest share what is left of the national total.
CREATE TEMP TABLE casts AS
WITH low AS (
	SELECT s.constituency, floor(r.registered * s.turnout)::bigint AS "cast"
	FROM shape s JOIN reg r USING (constituency) WHERE s.low
), high AS (
	SELECT array_agg(r.registered * s.turnout ORDER BY s.constituency) AS w,
		   array_agg(s.constituency ORDER BY s.constituency) AS ids
	FROM shape s JOIN reg r USING (constituency) WHERE NOT s.low
)
SELECT constituency, "cast" FROM low
UNION ALL
SELECT x.constituency, x."cast"
FROM high, LATERAL unnest(high.ids,
		bench_share(high.w, :ballots - (SELECT coalesce(sum("cast"), 0) FROM low)::bigint))
	AS x(constituency, "cast");

-- Blank or invalid ballots: 12,593 x (ballots / 7,030,050) shared by cast.
CREATE TEMP TABLE invalids AS
SELECT x.constituency, x.invalid
FROM (SELECT array_agg("cast"::numeric ORDER BY constituency) AS w,
			 array_agg(constituency ORDER BY constituency) AS ids FROM casts) a,
	 LATERAL unnest(a.ids, bench_share(a.w, round(12593::numeric * :ballots / 7030050)::bigint))
		AS x(constituency, invalid);

-- Votes: candidates numbered 1, 2, ... across the country; in each
-- constituency one candidate (not always the first) leads with a weight
-- above every other's, so its votes are strictly the most.
INSERT INTO ballot_plan
WITH base AS (
	SELECT s.constituency, s.ncand, r.registered, c."cast", v.invalid,
		   c."cast" - v.invalid AS valid,
		   sum(s.ncand) OVER (ORDER BY s.constituency) - s.ncand AS first_cand,
		   bench_hash(s.constituency, 5) % s.ncand + 1 AS leader
	FROM shape s JOIN reg r USING (constituency) JOIN casts c USING (constituency)
	JOIN invalids v USING (constituency)
), weights AS (
	SELECT b.*, k, (10 + bench_hash(b.constituency, 10 + k) % 90)::numeric AS w
	FROM base b, generate_series(1, b.ncand) AS k
), lead AS (
	SELECT w.*, CASE WHEN k = leader THEN max(w) OVER (PARTITION BY constituency) + 20 ELSE w END AS weight
	FROM weights w
), shared AS (
	SELECT constituency, k, leader, first_cand + k AS cand,
		   CASE WHEN k = leader THEN NULL
				ELSE floor(valid * weight / sum(weight) OVER (PARTITION BY constituency))::bigint
		   END AS v, valid
	FROM lead
), votes AS (
	SELECT constituency, k, cand,
		   coalesce(v, valid - coalesce(sum(v) OVER (PARTITION BY constituency), 0)) AS v
	FROM shared
)
SELECT b.constituency, b.registered, b."cast", b.invalid,
	   1 + b."cast" / 600,
	   array_agg(v.cand ORDER BY v.k),
	   array_agg(v.v ORDER BY v.k),
	   array_agg(b.invalid + v.before ORDER BY v.k)
FROM base b
JOIN (SELECT constituency, k, cand, v,
			 coalesce(sum(v) OVER (PARTITION BY constituency ORDER BY k
								   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
	  FROM votes) v USING (constituency)
GROUP BY b.constituency, b.registered, b."cast", b.invalid
ORDER BY b.constituency;

-- Ballot j (0-based) of a constituency goes to the candidate whose range
-- holds (j x 1000003) mod cast: a permutation, since 1000003 is a prime
-- above any constituency's ballots, so every candidate gets exactly its
-- votes, spread through the constituency.  Ballot j is cast at station
-- j mod nstations.  Registered voters are shared out among the stations as
-- the ballots are, so a station never has more ballots than voters.
CREATE TABLE station_plan AS
SELECT p.constituency, s.station, p.nstations,
	   p."cast" / p.nstations + CASE WHEN s.station < p."cast" % p.nstations THEN 1 ELSE 0 END AS ballots,
	   p.registered / p.nstations
	   + CASE WHEN s.station < p.registered % p.nstations THEN 1 ELSE 0 END AS registered,
	   p."cast", p.cands, p.thresholds,
	   row_number() OVER (ORDER BY CASE WHEN :'order' = 'constituency' THEN 0
										ELSE bench_hash(p.constituency, 100000 + s.station) END,
							  p.constituency, s.station) AS ord
FROM ballot_plan p, generate_series(0, p.nstations - 1) AS s(station)
ORDER BY ord;

-- The ballots station by station in the plan's order (one station's
-- ballots together, as a count is loaded from the stations' protocols).
CREATE FUNCTION bench_ballots() RETURNS TABLE (ord bigint, m int, constituency int,
											   station int, candidate bigint)
LANGUAGE sql STABLE AS $$
	SELECT s.ord, g.m, s.constituency, s.station,
		   s.cands[width_bucket(((s.station + s.nstations * g.m::bigint) * 1000003) % s."cast",
								s.thresholds)]
	FROM station_plan s, generate_series(0, s.ballots - 1) AS g(m)
$$;

CREATE TABLE constituencies (constituency int PRIMARY KEY, registered bigint NOT NULL);
INSERT INTO constituencies SELECT constituency, registered FROM ballot_plan ORDER BY 1;

CREATE TABLE ballots (constituency int NOT NULL, candidate bigint);
SELECT :'order' = 'random' AS bench_random_order \gset
\if :bench_random_order
INSERT INTO ballots SELECT constituency, candidate FROM bench_ballots() ORDER BY bench_hash(ord, m);
\else
INSERT INTO ballots SELECT constituency, candidate FROM bench_ballots();
\endif

CREATE TABLE station_tallies (constituency int NOT NULL, station int NOT NULL, t tally NOT NULL,
							  PRIMARY KEY (constituency, station));
INSERT INTO station_tallies
SELECT b.constituency, b.station, with_registered(tally(b.candidate), s.registered)
FROM bench_ballots() b JOIN station_plan s USING (constituency, station)
GROUP BY b.constituency, b.station, s.registered;

CREATE TABLE candidate_totals (constituency int NOT NULL, candidate bigint, votes bigint NOT NULL);
INSERT INTO candidate_totals
SELECT p.constituency, NULL, p.invalid FROM ballot_plan p
UNION ALL
SELECT p.constituency, x.cand, x.v FROM ballot_plan p, unnest(p.cands, p.votes) AS x(cand, v)
WHERE x.v > 0			-- as in the ballots: a candidate without a ballot is not named
ORDER BY 1, 2 NULLS FIRST;

-- Plain SQL groups the ballots by (constituency, candidate); without this
-- the planner guesses a tenth of the rows as groups and sizes its hash
-- table for them.  It changes no single-column estimate.
CREATE STATISTICS ballots_constituency_candidate (ndistinct) ON constituency, candidate FROM ballots;

DROP TABLE shape, reg, casts, invalids;
VACUUM (FREEZE, ANALYZE) ballots, station_tallies, candidate_totals, constituencies, ballot_plan, station_plan;
