-- The ten most marginal seats of 2019 in plain SQL, by majority as % of valid votes.
WITH ranked AS (
	SELECT ons_id, party, votes, row_number() OVER (PARTITION BY ons_id ORDER BY votes DESC) AS pos,
		   sum(votes) OVER (PARTITION BY ons_id) AS valid
	FROM uk_candidate WHERE election = 2019)
SELECT c.name AS constituency, w.party, r.party AS runner_up_party, w.votes - r.votes AS majority,
	   round(100 * (w.votes - r.votes)::numeric / w.valid, 2) AS majority_pct
FROM uk_constituency c
JOIN ranked w ON w.ons_id = c.ons_id AND w.pos = 1
JOIN ranked r ON r.ons_id = c.ons_id AND r.pos = 2
WHERE c.election = 2019
ORDER BY (w.votes - r.votes)::numeric / w.valid, c.name
LIMIT 10;
