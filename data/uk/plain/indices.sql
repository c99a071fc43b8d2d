-- Party-system indices of 2019 in plain SQL, every party label one party:
-- Gallagher's least-squares index and Loosemore-Hanby's (percentage points
-- of vote share against share of the seats filled), and the effective
-- number of parties (Laakso-Taagepera) by votes and by seats.
WITH ranked AS (
	SELECT ons_id, party, votes, rank() OVER (PARTITION BY ons_id ORDER BY votes DESC) AS pos
	FROM uk_candidate WHERE election = 2019),
winners AS (
	SELECT ons_id, min(party) AS party FROM ranked
	WHERE pos = 1 AND votes > 0 GROUP BY ons_id HAVING count(*) = 1),
parties AS (
	SELECT party, sum(votes)::float8 AS votes, (SELECT count(*) FROM winners w WHERE w.party = r.party)::float8 AS seats
	FROM ranked r GROUP BY party),
shares AS (
	SELECT votes / sum(votes) OVER () AS v, seats / sum(seats) OVER () AS s FROM parties)
SELECT 100 * sqrt(sum((v - s) ^ 2) / 2) AS gallagher, 100 * sum(abs(v - s)) / 2 AS loosemore_hanby,
	   1 / sum(v ^ 2) AS enp_votes, 1 / sum(s ^ 2) AS enp_seats
FROM shares;
