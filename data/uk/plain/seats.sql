-- Seats by party in plain SQL: seats won, votes, vote share (% of valid
-- votes), seat share (% of all seats); a tie for first place leaves the
-- seat empty.  Two candidates with one label are two candidates.
WITH ranked AS (
	SELECT ons_id, party, votes, rank() OVER (PARTITION BY ons_id ORDER BY votes DESC) AS pos
	FROM uk_candidate WHERE election = 2019),
winners AS (
	SELECT ons_id, min(party) AS party FROM ranked
	WHERE pos = 1 AND votes > 0 GROUP BY ons_id HAVING count(*) = 1),
seats AS (SELECT party, count(*) AS seats FROM winners GROUP BY party),
votes AS (SELECT party, sum(votes) AS votes FROM uk_candidate WHERE election = 2019 GROUP BY party)
SELECT v.party, coalesce(s.seats, 0) AS seats, v.votes,
	   trim_scale(100 * v.votes / sum(v.votes) OVER ()) AS vote_share,
	   trim_scale(100 * coalesce(s.seats, 0)::numeric / (SELECT count(*) FROM uk_constituency WHERE election = 2019)) AS seat_share
FROM votes v LEFT JOIN seats s USING (party)
ORDER BY seats DESC, votes DESC, party;
