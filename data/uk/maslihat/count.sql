-- Each constituency's count as maslihat keeps it: a tally keyed by
-- candidate name (electorate, ballots, invalid from the constituency file)
-- and the candidates' party codes and names.  The results, seats and
-- gains queries read it.
CREATE VIEW uk_count AS
SELECT election, ons_id, jsonb_object_agg(k.name, k.party) AS parties,
	   jsonb_object_agg(k.name, k.party_name) AS party_names,
	   make_tally(c.electorate, c.valid_votes + c.invalid_votes, c.invalid_votes,
				  array_agg(k.name), array_agg(k.votes)) AS t
FROM uk_constituency c JOIN uk_candidate k USING (election, ons_id)
GROUP BY election, ons_id, c.electorate, c.valid_votes, c.invalid_votes;
