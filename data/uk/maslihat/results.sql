-- The 2019 results table with maslihat (reads the uk_count view).
SELECT c.ons_id, c.name AS constituency, o.winner_key AS winner, u.parties ->> o.winner_key AS party,
	   u.parties ->> o.runner_up_key AS runner_up_party, o.margin AS majority,
	   o.majority_share AS majority_pct, o.turnout, o.turnout_valid, o.valid_votes AS valid
FROM uk_count u JOIN uk_constituency c USING (election, ons_id), outcome(u.t, 'none') o
WHERE u.election = 2019
ORDER BY c.ons_id;
