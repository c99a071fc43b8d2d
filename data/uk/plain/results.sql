-- The 2019 results table in plain SQL: winner's name and party, runner-up's
-- party, majority (votes and % of valid votes), turnout both ways, valid votes.
-- A tie for first place elects nobody (no winner, no runner-up).
WITH ranked AS (
	SELECT ons_id, name, party, votes,
		   rank() OVER (PARTITION BY ons_id ORDER BY votes DESC) AS pos,
		   sum(votes) OVER (PARTITION BY ons_id) AS valid
	FROM uk_candidate WHERE election = 2019),
places AS (
	SELECT ons_id, min(valid) AS valid,
		   count(*) FILTER (WHERE pos = 1) AS firsts, count(*) FILTER (WHERE pos = 2) AS seconds,
		   max(votes) FILTER (WHERE pos = 1) AS first_votes,
		   max(votes) FILTER (WHERE pos = 2) AS second_votes
	FROM ranked GROUP BY ons_id)
SELECT c.ons_id, c.name AS constituency, w.name AS winner, w.party, r.party AS runner_up_party,
	   p.first_votes - coalesce(p.second_votes, CASE WHEN p.firsts > 1 THEN p.first_votes ELSE 0 END) AS majority,
	   trim_scale(100 * (p.first_votes - coalesce(p.second_votes, CASE WHEN p.firsts > 1 THEN p.first_votes ELSE 0 END))::numeric / nullif(p.valid, 0)) AS majority_pct,
	   trim_scale(100 * (p.valid + c.invalid_votes)::numeric / c.electorate) AS turnout,
	   trim_scale(100 * p.valid::numeric / c.electorate) AS turnout_valid,
	   p.valid
FROM uk_constituency c
JOIN places p ON p.ons_id = c.ons_id
LEFT JOIN ranked w ON w.ons_id = c.ons_id AND w.pos = 1 AND p.firsts = 1 AND w.votes > 0
LEFT JOIN ranked r ON r.ons_id = c.ons_id AND r.pos = 2 AND p.firsts = 1 AND p.seconds = 1
WHERE c.election = 2019
ORDER BY c.ons_id;
