-- Holds and gains against 2017 with maslihat (reads the uk_count view):
-- a seat taken from a Labour and Co-operative MP is a gain "from Lab Coop".
SELECT n.ons_id, n.parties ->> w.winner_key AS party, b.parties ->> p.winner_key AS party_2017,
	   hold_or_gain(n.parties ->> w.winner_key, b.parties ->> p.winner_key,
					CASE b.party_names ->> p.winner_key WHEN 'Labour and Co-operative' THEN 'Lab Coop' END) AS result
FROM uk_count n JOIN uk_count b ON b.ons_id = n.ons_id AND b.election = 2017,
	 outcome(n.t, 'none') w, outcome(b.t, 'none') p
WHERE n.election = 2019
ORDER BY n.ons_id;
