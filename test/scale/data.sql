-- Synthetic ballots for the scale-out tests (test/sh/partitionwise.sh,
-- test/sh/fdw_shards.sh, test/sh/moving_window.sh): deterministic, no
-- random(), so every run and every node generates the same rows.
--
-- scale_ballots(n) gives the ballots of constituencies 1..n, each in one
-- of four regions and one of the three mäslihat levels, counted at
-- distinct times.  Candidate numbers repeat across constituencies (the
-- candidate number is (c % 7) * 10 + j), so that merging partial counts of
-- different constituencies adds votes of the same candidate together, not
-- only unions of disjoint candidates.  Planted cases:
--   constituency  5: candidate 99 gets every other ballot among the first
--                    40 and none after (a candidate who leaves a moving frame)
--   constituency  7: only blank or invalid ballots (a tally with no votes)
--   constituency  9: ballots 100..170 are all blank (moving frames with
--                    only blank ballots), and counting stops for an hour
--                    after ballot 170 (time frames that empty, then refill)
--   constituency 12: candidates 121 and 122 tie at 80 ballots each
--   constituency 20: one candidate only
--   constituency 33: a single ballot
-- Requires the maslihat extension (the level is a maslihat_level).

CREATE FUNCTION scale_ballots(constituencies int DEFAULT 40)
RETURNS TABLE (region text, constituency int, level maslihat_level, station int,
			   counted_at timestamp, candidate bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT (ARRAY['north', 'south', 'east', 'west'])[c % 4 + 1],
		   c,
		   (enum_range(NULL::maslihat_level))[c % 3 + 1],
		   1 + i % (2 + c % 4),
		   timestamp '1994-03-07 08:00' + make_interval(secs => i * 7 + c)
			   + CASE WHEN c = 9 AND i > 170 THEN interval '1 hour' ELSE interval '0' END,
		   CASE
			   WHEN c = 5 AND i <= 40 AND i % 2 = 0 THEN 99
			   WHEN c = 7 THEN NULL
			   WHEN c = 9 AND i BETWEEN 100 AND 170 THEN NULL
			   WHEN c = 12 THEN CASE WHEN i % 5 = 0 THEN NULL WHEN i % 2 = 0 THEN 121 ELSE 122 END
			   WHEN c = 20 THEN CASE WHEN h < 10 THEN NULL ELSE 201 END
			   WHEN h < 3 THEN NULL
			   -- skewed towards the constituency's first candidates
			   ELSE (c % 7) * 10 + 1 + (h - 3) * (h - 3) * (1 + c % 6) / 9409
		   END
	FROM generate_series(1, constituencies) c,
		 LATERAL generate_series(1, CASE c WHEN 12 THEN 200 WHEN 33 THEN 1
								  ELSE 150 + (c * 53) % 250 END) i,
		 LATERAL (SELECT ((i::bigint * 2654435761 + c * 40503) % 1000003) % 100 AS h) x
$$;
