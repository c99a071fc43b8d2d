-- Seats that changed hands in plain SQL: from whom to whom, and how many.
WITH ranked AS (
	SELECT election, ons_id, party, votes,
		   rank() OVER (PARTITION BY election, ons_id ORDER BY votes DESC) AS pos
	FROM uk_candidate),
winners AS (
	SELECT election, ons_id, min(party) AS party FROM ranked
	WHERE pos = 1 AND votes > 0 GROUP BY election, ons_id HAVING count(*) = 1)
SELECT b.party AS from_party, w.party AS to_party, count(*) AS seats
FROM winners w JOIN winners b ON b.ons_id = w.ons_id AND b.election = 2017
WHERE w.election = 2019 AND w.party <> b.party
GROUP BY ROLLUP (b.party, w.party)
ORDER BY b.party NULLS LAST, seats DESC, w.party NULLS FIRST;
