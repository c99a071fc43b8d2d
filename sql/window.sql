-- The aggregates as window functions: running counts and moving frames
-- equal a fresh count of the same rows.

CREATE TEMP TABLE w_ballots (constituency int, counted_at int, candidate bigint);
INSERT INTO w_ballots
SELECT c, i, CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7 + c) % 3 + 1 END
FROM generate_series(1, 3) c, generate_series(1, 40) i;

-- running count as ballots arrive
SELECT counted_at, candidate,
	   tally(candidate) OVER w,
	   fptp_winner(candidate) OVER w
FROM w_ballots WHERE constituency = 1 AND counted_at <= 12
WINDOW w AS (ORDER BY counted_at)
ORDER BY counted_at;

-- moving frames (inverse transitions) equal a recount of the frame's rows
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE moving = recount) AS tallies_agree,
	   count(*) FILTER (WHERE moving_winner IS NOT DISTINCT FROM recount_winner) AS winners_agree
FROM (
	SELECT b.constituency, b.counted_at,
		   tally(b.candidate) OVER (PARTITION BY b.constituency ORDER BY b.counted_at
									ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS moving,
		   fptp_winner(b.candidate) OVER (PARTITION BY b.constituency ORDER BY b.counted_at
										  ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS moving_winner,
		   (SELECT tally(r.candidate) FROM w_ballots r
			WHERE r.constituency = b.constituency
			  AND r.counted_at BETWEEN b.counted_at - 5 AND b.counted_at) AS recount,
		   (SELECT fptp_winner(r.candidate) FROM w_ballots r
			WHERE r.constituency = b.constituency
			  AND r.counted_at BETWEEN b.counted_at - 5 AND b.counted_at) AS recount_winner
	FROM w_ballots b
) s;

-- a frame that moves past every ballot of a candidate drops the candidate
SELECT counted_at, tally(candidate) OVER (ORDER BY counted_at ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 1::bigint), (2, 1), (3, 2), (4, 2), (5, NULL)) v(counted_at, candidate)
ORDER BY counted_at;

-- outcome over a running tally: when was the result decided?
SELECT counted_at, (outcome(t, 60, 'kz1994')).winner, (outcome(t, 60, 'kz1994')).valid
FROM (SELECT counted_at, tally(candidate) OVER (ORDER BY counted_at) AS t
	  FROM w_ballots WHERE constituency = 2) s
WHERE counted_at IN (1, 10, 30, 31, 40)
ORDER BY counted_at;

-- the other aggregates as window functions (no inverse: recomputed per frame)
SELECT c, tally(c, v) OVER (ORDER BY c), fptp_winner(c, v) OVER (ORDER BY c),
	   sum(t) OVER (ORDER BY c ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1::bigint, 5::bigint, 'votes={1:5}'::tally), (2, 7, 'votes={2:7}'), (3, 7, 'votes={3:7}')) x(c, v, t)
ORDER BY c;
