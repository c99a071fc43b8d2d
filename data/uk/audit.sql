-- The audit of the 2019 results: maslihat's checks run over the House of
-- Commons Library's candidate file, against the constituency file's
-- declared valid and invalid votes and its party columns.  Needs the
-- tables of data/uk/load.sql and the extension; changes nothing.  From the
-- repository root:
--   psql -v ON_ERROR_STOP=1 -f data/uk/audit.sql
--
-- As published, it names Meon Valley and only Meon Valley: its candidates'
-- votes come to 740 more than the declared valid votes, and the party
-- columns show where: Labour 5,664 against 5,644 and the Green 2,918
-- against 2,198.  After data/uk/correct.sql it reports nothing.

-- Every error of every constituency, one query over the raw rows: the
-- candidates' votes as arrays, the declared figures beside them.  (Without
-- the severity filter it also shows one warning, true but no data error:
-- 3.2% of Chorley's ballots were rejected, in the Speaker's seat, where
-- the main parties do not stand.)
SELECT c.name AS constituency, p.code, p.severity, p.found, p.expected
FROM uk_constituency c
JOIN (SELECT election, ons_id, array_agg(name ORDER BY name) AS candidates,
			 array_agg(votes ORDER BY name) AS votes
	  FROM uk_candidate GROUP BY election, ons_id) k USING (election, ons_id)
CROSS JOIN LATERAL protocol_problems(k.candidates, k.votes,
									 registered => c.electorate,
									 ballots_cast => c.valid_votes + c.invalid_votes,
									 invalid => c.invalid_votes,
									 declared_valid => c.valid_votes) p
WHERE c.election = 2019 AND p.severity = 'error'
ORDER BY c.name, p.code;

-- Which numbers: the candidate file by party against the constituency
-- file's party columns (the parties without a column of their own as
-- 'Other'), compared count by count: difference is the candidate file's
-- figure minus the declared one.
WITH by_file AS (
	SELECT c.ons_id, c.name,
		   (SELECT tally(CASE WHEN k.party IN (SELECT p.party FROM uk_party_votes p
											   WHERE p.election = c.election AND p.ons_id = c.ons_id)
							 THEN k.party ELSE 'Other' END, k.votes)
			FROM uk_candidate k WHERE k.election = c.election AND k.ons_id = c.ons_id) AS candidate_file,
		   (SELECT tally(party, votes)
			FROM (SELECT p.party, p.votes FROM uk_party_votes p
				  WHERE p.election = c.election AND p.ons_id = c.ons_id
				  UNION ALL
				  SELECT 'Other', c.valid_votes - (SELECT sum(p.votes) FROM uk_party_votes p
												   WHERE p.election = c.election AND p.ons_id = c.ons_id)::bigint) v) AS constituency_file
	FROM uk_constituency c
	WHERE c.election = 2019
)
SELECT f.name AS constituency, d.item, d.candidate AS party, d.in_a AS declared,
	   d.in_b AS candidate_file, d.difference, d.changes_winner
FROM by_file f
CROSS JOIN LATERAL compare_counts(f.constituency_file, f.candidate_file, 'none') d
ORDER BY f.name, d.item, d.candidate;
