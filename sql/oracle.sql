-- The oracle: on 12,000 random constituencies, with ties and turnouts at
-- and around the threshold, maslihat's winner, tie, validity and
-- by-election equal those of a plain-SQL reference query.

SELECT setseed(0.1994);

-- candidates get few votes from a small range, so ties are common
CREATE TEMP TABLE o_votes AS
SELECT c AS constituency, k::bigint AS candidate, (random() * 6)::int AS votes
FROM generate_series(1, 12000) c,
	 LATERAL generate_series(c * 10, c * 10 + (random() * 4)::int - 1) k;
-- some constituencies have no candidate; every one has 0 to 3 blank ballots
CREATE TEMP TABLE o_ballots AS
SELECT v.constituency, v.candidate FROM o_votes v, LATERAL generate_series(1, v.votes)
UNION ALL
SELECT c, NULL FROM generate_series(1, 12000) c, LATERAL generate_series(1, (random() * 3)::int);

-- registered: exactly twice the ballots (50%: invalid), one less (valid),
-- one more, or a random larger number
CREATE TEMP TABLE o_constituency AS
SELECT c AS constituency, n.cast,
	   CASE c % 4 WHEN 0 THEN 2 * n.cast
				  WHEN 1 THEN greatest(2 * n.cast - 1, n.cast)
				  WHEN 2 THEN 2 * n.cast + 1
				  ELSE n.cast + (random() * 3 * n.cast)::int END AS registered
FROM generate_series(1, 12000) c
JOIN (SELECT constituency, count(*) AS cast FROM o_ballots GROUP BY 1) n ON n.constituency = c;

-- the reference, in plain SQL with GROUP BY and window functions
CREATE TEMP TABLE o_reference AS
WITH ranked AS (
	SELECT constituency, candidate, votes,
		   rank() OVER (PARTITION BY constituency ORDER BY votes DESC) AS rk
	FROM (SELECT constituency, candidate, count(*) AS votes
		  FROM o_ballots WHERE candidate IS NOT NULL GROUP BY 1, 2) v
), top AS (
	SELECT constituency, max(votes) AS top_votes,
		   count(*) FILTER (WHERE rk = 1) AS n_top,
		   min(candidate) FILTER (WHERE rk = 1) AS top_candidate
	FROM ranked GROUP BY 1
)
SELECT c.constituency,
	   c.cast * 2 > c.registered AS valid,
	   coalesce(t.n_top > 1 AND t.top_votes > 0, false) AS tie,
	   CASE WHEN c.cast * 2 > c.registered AND t.n_top = 1 AND t.top_votes > 0
			THEN t.top_candidate END AS winner,
	   NOT (c.cast * 2 > c.registered AND coalesce(t.n_top = 1 AND t.top_votes > 0, false)) AS by_election
FROM o_constituency c LEFT JOIN top t USING (constituency);

-- maslihat, one call per constituency; a constituency whose ballots were
-- all blank still has a tally, since every constituency has a row
CREATE TEMP TABLE o_maslihat AS
SELECT c.constituency, o.valid, o.tie, o.winner, o.by_election
FROM o_constituency c
LEFT JOIN (SELECT constituency, tally(candidate) AS t FROM o_ballots GROUP BY 1) b USING (constituency)
CROSS JOIN LATERAL outcome(coalesce(b.t, 'cast=0'), c.registered, 'kz1994') o;

SELECT count(*) AS constituencies,
	   count(*) FILTER (WHERE r IS DISTINCT FROM m) AS mismatches
FROM o_reference r JOIN o_maslihat m USING (constituency);

-- the cases the test must cover are there
SELECT count(*) >= 10000 AS at_least_10000,
	   bool_or(tie AND valid) AS valid_ties,
	   bool_or(c.cast * 2 = c.registered AND c.cast > 0) AS exactly_half,
	   bool_or(c.cast * 2 = c.registered + 1) AS one_above_half,
	   bool_or(winner IS NOT NULL) AS winners,
	   bool_or(NOT valid) AS low_turnout
FROM o_reference JOIN o_constituency c USING (constituency);

-- three-way and larger ties are among them
SELECT count(*) > 0 AS three_way_ties FROM (
	SELECT constituency FROM (
		SELECT constituency, count(*) AS votes, rank() OVER (PARTITION BY constituency ORDER BY count(*) DESC) AS rk
		FROM o_ballots WHERE candidate IS NOT NULL GROUP BY constituency, candidate) s
	WHERE rk = 1 GROUP BY constituency HAVING count(*) >= 3) t;

-- fptp_winner agrees with the reference's plurality leader
SELECT count(*) FILTER (WHERE f.w IS DISTINCT FROM r.leader) AS leader_mismatches
FROM (SELECT constituency, fptp_winner(candidate) AS w FROM o_ballots GROUP BY 1) f
JOIN (SELECT constituency, CASE WHEN count(*) FILTER (WHERE rk = 1) = 1 THEN min(candidate) FILTER (WHERE rk = 1) END AS leader
	  FROM (SELECT constituency, candidate, rank() OVER (PARTITION BY constituency ORDER BY count(*) DESC) AS rk
			FROM o_ballots WHERE candidate IS NOT NULL GROUP BY 1, 2) s GROUP BY 1) r USING (constituency);
