-- The synthetic 1994 sample, grain 3 of 3: one row per ballot cast,
-- 7,030,050 rows, generated from the station protocols: each candidate's
-- votes at a station become that many rows naming the candidate (read with
-- ranking(t)), the blank or invalid ballots rows with a NULL candidate.
-- UNLOGGED and without indexes, so that it loads in seconds.

SET client_min_messages = warning;
DROP TABLE IF EXISTS ballot CASCADE;

CREATE UNLOGGED TABLE ballot (
	constituency integer NOT NULL,
	station integer NOT NULL,
	candidate bigint			-- NULL: a blank or invalid ballot
);

COMMENT ON TABLE ballot IS 'SYNTHETIC sample of the 1994 mäslihat elections: one row per ballot cast, NULL candidate for a blank or invalid ballot';

INSERT INTO ballot
SELECT s.constituency, s.id, r.candidate
FROM station s, ranking(s.t) r, generate_series(1, r.votes)
UNION ALL
SELECT s.constituency, s.id, NULL
FROM station s, generate_series(1, invalid(s.t));

ANALYZE ballot;
