-- (tb) plain SQL over text keys, top-two form: votes per key, row_number() for the
-- first and second place, ballots cast per constituency, joined
WITH v AS (
	SELECT constituency, key, count(*) AS n
	FROM ballots_text GROUP BY constituency, key
), ranked AS (
	SELECT constituency, key, n,
		   row_number() OVER (PARTITION BY constituency ORDER BY n DESC, key) AS place
	FROM v WHERE key IS NOT NULL AND n > 0
), per AS (
	SELECT constituency, sum(n) AS ballots_cast FROM v GROUP BY constituency
)
SELECT p.constituency,
	   CASE WHEN f.key IS NOT NULL AND 2 * p.ballots_cast > c.registered
				 AND s.n IS DISTINCT FROM f.n
			THEN f.key END AS winner,
	   coalesce(s.n = f.n, false) AS tie,
	   2 * p.ballots_cast > c.registered AS valid,
	   f.key IS NULL OR 2 * p.ballots_cast <= c.registered
	   OR coalesce(s.n = f.n, false) AS by_election
FROM per p
JOIN constituencies c USING (constituency)
LEFT JOIN ranked f ON f.constituency = p.constituency AND f.place = 1
LEFT JOIN ranked s ON s.constituency = p.constituency AND s.place = 2
