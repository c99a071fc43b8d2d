-- (tb) plain SQL over text keys, window form: votes per key, then each constituency's
-- ballots cast and top vote count as window aggregates over those counts
WITH v AS (
	SELECT constituency, key, count(*) AS n
	FROM ballots_text GROUP BY constituency, key
), w AS (
	SELECT constituency, key, n,
		   sum(n) OVER c AS ballots_cast,
		   max(n) FILTER (WHERE key IS NOT NULL) OVER c AS top
	FROM v WINDOW c AS (PARTITION BY constituency)
), r AS (
	SELECT constituency, min(ballots_cast) AS ballots_cast,
		   count(key) AS ncand, coalesce(min(top), 0) AS top,
		   count(key) FILTER (WHERE n = top) AS ntop,
		   min(key) FILTER (WHERE n = top) AS leader
	FROM w GROUP BY constituency
)
SELECT c.constituency,
	   CASE WHEN r.ncand > 0 AND 2 * r.ballots_cast > c.registered AND r.top > 0 AND r.ntop = 1
			THEN r.leader END AS winner,
	   r.ntop >= 2 AND r.top > 0 AS tie,
	   2 * r.ballots_cast > c.registered AS valid,
	   r.ncand = 0 OR 2 * r.ballots_cast <= c.registered OR r.top = 0 OR r.ntop >= 2 AS by_election
FROM r JOIN constituencies c USING (constituency)
