-- The national Conservative-Labour Butler swing in plain SQL: the average
-- of the Conservative share's rise and the Labour share's fall, in
-- percentage points of valid votes; positive is a swing from Lab to Con.
WITH shares AS (
	SELECT election,
		   100 * sum(votes) FILTER (WHERE party = 'Con') / sum(votes) AS con,
		   100 * sum(votes) FILTER (WHERE party = 'Lab') / sum(votes) AS lab
	FROM uk_candidate GROUP BY election)
SELECT trim_scale(((n.con - b.con) - (n.lab - b.lab)) / 2) AS swing_lab_to_con
FROM shares n, shares b WHERE n.election = 2019 AND b.election = 2017;
