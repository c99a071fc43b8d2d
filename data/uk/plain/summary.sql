-- The national line in plain SQL: seats, filled, empty, majority needed,
-- the largest party, overall majority or hung; votes and turnout both ways.
WITH ranked AS (
	SELECT ons_id, party, votes, rank() OVER (PARTITION BY ons_id ORDER BY votes DESC) AS pos
	FROM uk_candidate WHERE election = 2019),
winners AS (
	SELECT ons_id, min(party) AS party FROM ranked
	WHERE pos = 1 AND votes > 0 GROUP BY ons_id HAVING count(*) = 1),
largest AS (SELECT party, count(*) AS seats FROM winners GROUP BY party ORDER BY 2 DESC LIMIT 1),
national AS (
	SELECT count(*) AS seats, sum(electorate) AS electorate, sum(invalid_votes) AS invalid,
		   (SELECT sum(votes) FROM uk_candidate WHERE election = 2019) AS valid
	FROM uk_constituency WHERE election = 2019)
SELECT n.seats, (SELECT count(*) FROM winners) AS seats_filled,
	   n.seats - (SELECT count(*) FROM winners) AS seats_empty,
	   n.seats / 2 + 1 AS majority_needed, l.party AS largest_party, l.seats AS largest_party_seats,
	   l.seats >= n.seats / 2 + 1 AS overall_majority,
	   n.valid AS valid_votes, n.invalid, n.electorate,
	   trim_scale(100 * (n.valid + n.invalid) / n.electorate) AS turnout,
	   trim_scale(100 * n.valid / n.electorate) AS turnout_valid
FROM national n, largest l;
