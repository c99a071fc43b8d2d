-- bench/checks.sql: do the peers agree?  Runs every query of bench/queries/
-- (load_queries.psql first) and prints one row per check: what was
-- compared, how many constituencies, how many disagree.  bench/run stops on
-- a disagreement; test/sh/bench_small.sh counts them.

CREATE TEMP TABLE ans_b_window AS :q_b_window;
CREATE TEMP TABLE ans_b_top2 AS :q_b_top2;
CREATE TEMP TABLE ans_c AS :q_c_mode;
CREATE TEMP TABLE ans_d_winner AS :q_d_winner;
CREATE TEMP TABLE ans_d_outcome AS :q_d_outcome;
CREATE TEMP TABLE ans_e AS :q_e_stations;
CREATE TEMP TABLE ans_e_national AS :q_e_national;
CREATE TEMP TABLE ans_f AS :q_f_totals;
CREATE TEMP TABLE ans_t_b_window AS :q_t_b_window;
CREATE TEMP TABLE ans_t_b_top2 AS :q_t_b_top2;
CREATE TEMP TABLE ans_t_d_winner AS :q_t_d_winner;
CREATE TEMP TABLE ans_t_d_outcome AS :q_t_d_outcome;
CREATE TEMP TABLE ans_tally AS
	SELECT constituency, tally(candidate) AS t FROM ballots GROUP BY constituency;

CREATE TEMP VIEW bench_checks AS
SELECT 1 AS n, '(b) window form = (d) outcome: winner, tie, valid, by-election' AS "check",
	   count(*) AS compared,
	   count(*) FILTER (WHERE b.constituency IS NULL OR d.constituency IS NULL
						OR b.winner IS DISTINCT FROM (d.o).winner
						OR b.tie IS DISTINCT FROM (d.o).tie
						OR b.valid IS DISTINCT FROM (d.o).valid
						OR b.by_election IS DISTINCT FROM (d.o).by_election) AS mismatches
FROM ans_b_window b FULL JOIN ans_d_outcome d USING (constituency)
UNION ALL
SELECT 2, '(b) top-two form = (d) outcome: winner, tie, valid, by-election', count(*),
	   count(*) FILTER (WHERE b.constituency IS NULL OR d.constituency IS NULL
						OR b.winner IS DISTINCT FROM (d.o).winner
						OR b.tie IS DISTINCT FROM (d.o).tie
						OR b.valid IS DISTINCT FROM (d.o).valid
						OR b.by_election IS DISTINCT FROM (d.o).by_election)
FROM ans_b_top2 b FULL JOIN ans_d_outcome d USING (constituency)
UNION ALL
SELECT 3, '(d) fptp_winner = leader of (d) outcome', count(*),
	   count(*) FILTER (WHERE w.constituency IS NULL OR d.constituency IS NULL
						OR w.fptp_winner IS DISTINCT FROM (d.o).leader)
FROM ans_d_winner w FULL JOIN ans_d_outcome d USING (constituency)
UNION ALL
SELECT 4, '(c) mode() = (d) fptp_winner where the mode is unique', count(*),
	   count(*) FILTER (WHERE c.constituency IS NULL OR c.mode IS DISTINCT FROM w.fptp_winner)
FROM ans_c c RIGHT JOIN ans_d_winner w USING (constituency)
WHERE w.fptp_winner IS NOT NULL
UNION ALL
SELECT 5, '(e) sum of station tallies = tally of the ballots, registered set', count(*),
	   count(*) FILTER (WHERE e.constituency IS NULL OR t.constituency IS NULL
						OR e.sum IS DISTINCT FROM with_registered(t.t, c.registered))
FROM ans_e e FULL JOIN ans_tally t USING (constituency)
LEFT JOIN constituencies c USING (constituency)
UNION ALL
SELECT 6, '(e) national sum = tally of all ballots, all registered', count(*),
	   count(*) FILTER (WHERE n.sum IS DISTINCT FROM
						(SELECT with_registered(tally(candidate),
												(SELECT sum(registered)::bigint FROM constituencies))
						 FROM ballots))
FROM ans_e_national n
UNION ALL
SELECT 7, '(f) tally(candidate, votes) = tally of the ballots', count(*),
	   count(*) FILTER (WHERE f.constituency IS NULL OR t.constituency IS NULL
						OR f.tally IS DISTINCT FROM t.t)
FROM ans_f f FULL JOIN ans_tally t USING (constituency)
UNION ALL
SELECT 8, '(tb) window form over text keys = (td) outcome: winner, tie, valid, by-election', count(*),
	   count(*) FILTER (WHERE b.constituency IS NULL OR d.constituency IS NULL
						OR b.winner IS DISTINCT FROM (d.o).winner_key
						OR b.tie IS DISTINCT FROM (d.o).tie
						OR b.valid IS DISTINCT FROM (d.o).valid
						OR b.by_election IS DISTINCT FROM (d.o).by_election)
FROM ans_t_b_window b FULL JOIN ans_t_d_outcome d USING (constituency)
UNION ALL
SELECT 9, '(tb) top-two form over text keys = (td) outcome: winner, tie, valid, by-election', count(*),
	   count(*) FILTER (WHERE b.constituency IS NULL OR d.constituency IS NULL
						OR b.winner IS DISTINCT FROM (d.o).winner_key
						OR b.tie IS DISTINCT FROM (d.o).tie
						OR b.valid IS DISTINCT FROM (d.o).valid
						OR b.by_election IS DISTINCT FROM (d.o).by_election)
FROM ans_t_b_top2 b FULL JOIN ans_t_d_outcome d USING (constituency)
UNION ALL
SELECT 10, '(td) outcome over text keys = (d) outcome, key for number', count(*),
	   count(*) FILTER (WHERE t.constituency IS NULL OR d.constituency IS NULL
						OR (t.o).winner_key IS DISTINCT FROM bench_key((d.o).winner)
						OR (t.o).tie IS DISTINCT FROM (d.o).tie
						OR (t.o).valid IS DISTINCT FROM (d.o).valid
						OR (t.o).by_election IS DISTINCT FROM (d.o).by_election
						OR (t.o).winner_votes IS DISTINCT FROM (d.o).winner_votes
						OR (t.o).margin IS DISTINCT FROM (d.o).margin)
FROM ans_t_d_outcome t FULL JOIN ans_d_outcome d USING (constituency)
UNION ALL
SELECT 11, '(td) fptp_winner(key) = the key of (d) fptp_winner(candidate)', count(*),
	   count(*) FILTER (WHERE t.constituency IS NULL OR d.constituency IS NULL
						OR t.fptp_winner IS DISTINCT FROM bench_key(d.fptp_winner))
FROM ans_t_d_winner t FULL JOIN ans_d_winner d USING (constituency);
