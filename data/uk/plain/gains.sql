-- Holds and gains against 2017 in plain SQL, labelled as the House of
-- Commons Library labels them: "Lab hold", "Con gain from Lab".  A seat
-- taken from a Labour and Co-operative MP is a gain "from Lab Coop"; a
-- Labour and Co-operative hold is a "Lab hold".
WITH ranked AS (
	SELECT election, ons_id, party, party_name, votes,
		   rank() OVER (PARTITION BY election, ons_id ORDER BY votes DESC) AS pos
	FROM uk_candidate),
winners AS (
	SELECT election, ons_id, min(party) AS party, min(party_name) AS party_name FROM ranked
	WHERE pos = 1 AND votes > 0 GROUP BY election, ons_id HAVING count(*) = 1)
SELECT c.ons_id, w.party, b.party AS party_2017,
	   CASE WHEN w.party = b.party THEN w.party || ' hold'
			ELSE w.party || ' gain from ' ||
				 CASE WHEN b.party_name = 'Labour and Co-operative' THEN 'Lab Coop' ELSE b.party END
	   END AS result
FROM uk_constituency c
LEFT JOIN winners w ON w.election = 2019 AND w.ons_id = c.ons_id
LEFT JOIN winners b ON b.election = 2017 AND b.ons_id = c.ons_id
WHERE c.election = 2019
ORDER BY c.ons_id;
