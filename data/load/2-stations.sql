-- The synthetic 1994 sample, grain 2 of 3: polling-station protocols.
--
-- Each constituency gets 3 to 8 stations (more where more voters are
-- registered).  Every count of the constituency (each candidate's votes,
-- the blank or invalid ballots, the registered voters who did not vote) is
-- split across its stations in proportion to fixed weights, with the
-- cumulative rounding floor(n x upto / total) - floor(n x before / total),
-- so the stations add up to the constituency exactly.  Non-voters use
-- other weights than ballots, so turnout varies between stations.  The
-- weights come from the ids alone: the same stations every time.

SET client_min_messages = warning;
DROP TABLE IF EXISTS station CASCADE;

CREATE TEMP TABLE station_share AS
SELECT constituency, number,
	   (row_number() OVER (ORDER BY constituency, number))::integer AS id,
	   (sum(w) OVER upto)::bigint - w AS before, (sum(w) OVER upto)::bigint AS upto,
	   (sum(w) OVER whole)::bigint AS total,
	   (sum(w2) OVER upto)::bigint - w2 AS before2, (sum(w2) OVER upto)::bigint AS upto2,
	   (sum(w2) OVER whole)::bigint AS total2
FROM (
	SELECT c.id AS constituency, s.number,
		   (40 + (c.id::bigint * 7919 + s.number * 104729) % 61)::bigint AS w,
		   (20 + (c.id::bigint * 15485863 + s.number * 32452843) % 97)::bigint AS w2
	FROM constituency c,
		 generate_series(1, least(8, 2 + c.registered / 700)::integer) AS s(number)
) weights
WINDOW upto AS (PARTITION BY constituency ORDER BY number),
	   whole AS (PARTITION BY constituency);

-- the part of n at a station: floor(n x upto / total) - floor(n x before / total)
CREATE TEMP TABLE station_votes AS
SELECT s.id AS station, k.id AS candidate,
	   k.votes * s.upto / s.total - k.votes * s.before / s.total AS votes
FROM station_share s JOIN candidate k ON k.constituency = s.constituency;

CREATE UNLOGGED TABLE station (
	id integer PRIMARY KEY,
	constituency integer NOT NULL REFERENCES constituency,
	number integer NOT NULL,
	t tally NOT NULL,
	UNIQUE (constituency, number)
);

COMMENT ON TABLE station IS 'SYNTHETIC sample of the 1994 mäslihat elections: one row per polling station with its result protocol as a tally';

INSERT INTO station
SELECT s.id, s.constituency, s.number,
	   make_tally(v.valid + inv + non_voters, v.valid + inv, inv, v.candidates, v.votes)
FROM station_share s
JOIN constituency c ON c.id = s.constituency
JOIN (SELECT station, array_agg(candidate ORDER BY candidate) AS candidates,
			 array_agg(votes ORDER BY candidate) AS votes, sum(votes)::bigint AS valid
	  FROM station_votes GROUP BY station) v ON v.station = s.id,
LATERAL (SELECT c.invalid * s.upto / s.total - c.invalid * s.before / s.total AS inv,
				(c.registered - c.ballots_cast) * s.upto2 / s.total2
				- (c.registered - c.ballots_cast) * s.before2 / s.total2 AS non_voters) parts;

DROP TABLE station_share, station_votes;
ANALYZE station;
