-- Counts every constituency from each grain with maslihat's aggregates and
-- keeps the tallies side by side:
--   ballots           tally(candidate), one row per ballot
--   candidate totals  tally(candidate, votes), one row per candidate
--   stations          sum(tally), one protocol per polling station
-- Ballots and candidate totals do not know the electoral roll: the
-- constituency's registered voters are attached with with_registered().
-- The station protocols carry their own.

SET client_min_messages = warning;
DROP TABLE IF EXISTS constituency_tally, ballot_count CASCADE;
DROP VIEW IF EXISTS grain_figure;

CREATE UNLOGGED TABLE constituency_tally (
	grain text NOT NULL,
	constituency integer NOT NULL REFERENCES constituency,
	level maslihat_level NOT NULL,
	t tally NOT NULL,
	PRIMARY KEY (grain, constituency)
);

-- CREATE TABLE AS, unlike INSERT, may count in parallel
CREATE TEMP TABLE ballot_count AS
SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY constituency;

INSERT INTO constituency_tally
SELECT 'ballots', c.id, c.level, with_registered(b.t, c.registered)
FROM ballot_count b JOIN constituency c ON c.id = b.constituency;

INSERT INTO constituency_tally
SELECT 'candidate totals', c.id, c.level, with_registered(k.t, c.registered)
FROM (SELECT constituency, tally(candidate, votes) AS t
	  FROM candidate_total GROUP BY constituency) k
JOIN constituency c ON c.id = k.constituency;

INSERT INTO constituency_tally
SELECT 'stations', c.id, c.level, s.t
FROM (SELECT constituency, sum(t) AS t FROM station GROUP BY constituency) s
JOIN constituency c ON c.id = s.constituency;

DROP TABLE ballot_count;
ANALYZE constituency_tally;

-- The published figures as each grain gives them, numbered as in published:
-- one election_summary() per grain, and one per level for the candidates.
CREATE VIEW grain_figure AS
WITH per_grain AS (
	SELECT grain,
		   election_summary(t, 'kz1994') AS s,
		   election_summary(t, 'kz1994') FILTER (WHERE level = 'district') AS d,
		   election_summary(t, 'kz1994') FILTER (WHERE level = 'city') AS c,
		   election_summary(t, 'kz1994') FILTER (WHERE level = 'regional') AS r
	FROM constituency_tally
	GROUP BY grain
)
SELECT grain, f.n, f.value
FROM per_grain,
	 LATERAL (VALUES (1, (s).seats::numeric),
					 (2, (s).seats_filled),
					 (3, (s).by_elections),
					 (4, (s).registered),
					 (5, (s)."cast"),
					 (6, round((s).turnout, 2)),
					 (7, (s).invalid),
					 (8, (s).candidates),
					 (9, (d).candidates),
					 (10, (c).candidates),
					 (11, (r).candidates)) AS f(n, value);
