-- bench/report.sql: bench/run's tables, in Markdown, from bench_median.
-- Variables: dataset (the main run's name).
\pset format unaligned
\pset tuples_only on
\pset footer off

SELECT EXISTS (SELECT FROM bench_dataset WHERE dataset = :'dataset') AS report_main \gset
\if :report_main
-- Ratios are paired: for each run, this peer's time over (a)'s (or (b)'s
-- over this one's) in the same round, a few seconds apart; the median of
-- those.  A slow spell on a shared machine then moves both sides of a
-- ratio together.
CREATE TEMP VIEW bench_ratio AS
SELECT r.dataset, r.workers, r.peer,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms / a.ms) AS to_a,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms / r.ms) AS b_to,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY c.ms / r.ms) AS c_to,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms / dw.ms) AS to_dw
FROM bench_result r
JOIN bench_result a ON a.dataset = r.dataset AND a.workers = r.workers AND a.run = r.run AND a.peer = 'a'
JOIN bench_result b ON b.dataset = r.dataset AND b.workers = r.workers AND b.run = r.run AND b.peer = 'b'
JOIN bench_result c ON c.dataset = r.dataset AND c.workers = r.workers AND c.run = r.run AND c.peer = 'c'
JOIN bench_result dw ON dw.dataset = r.dataset AND dw.workers = r.workers AND dw.run = r.run AND dw.peer = 'd_winner'
GROUP BY r.dataset, r.workers, r.peer;

-- The main table: medians, and ratios to the floor (a) and to plain SQL (b).
WITH m AS (
	SELECT q.ord, q.label, m.workers, m.peer, m.form, m.settings, m.ms, x.to_a, x.b_to
	FROM bench_median m
	JOIN bench_ratio x USING (dataset, workers, peer)
	JOIN (SELECT DISTINCT ON (peer) peer, ord, label FROM bench_query ORDER BY peer, ord) q USING (peer)
	WHERE m.dataset = :'dataset' AND m.peer NOT LIKE 't%'
), cell AS (
	SELECT ord, label, workers,
		   format('%s | %s | %s', to_char(ms, 'FM999,990'), to_char(to_a, 'FM990.00'),
				  to_char(b_to, 'FM990.00')) AS txt,
		   concat_ws(', ', CASE WHEN peer = 'b' THEN replace(form, 'b_', '') || ' form' END,
					 CASE WHEN settings LIKE '%jit=on%' THEN 'JIT' END,
					 CASE WHEN settings LIKE '%parallel_setup_cost=0%' THEN 'parallel costs 0' END) AS note
	FROM m
)
SELECT string_agg(line, E'\n' ORDER BY k)
FROM (
	SELECT 0 AS k, '| query | 0 workers: ms | ÷ (a) | (b) ÷ | 2 workers: ms | ÷ (a) | (b) ÷ | fastest settings (0 / 2 workers) |' AS line
	UNION ALL
	SELECT 1, '|---|--:|--:|--:|--:|--:|--:|---|'
	UNION ALL
	SELECT 1 + c0.ord, format('| %s | %s | %s | %s / %s |', c0.label, c0.txt, c2.txt,
							  coalesce(nullif(c0.note, ''), 'defaults'),
							  coalesce(nullif(c2.note, ''), 'defaults'))
	FROM cell c0 JOIN cell c2 ON c2.ord = c0.ord AND c2.workers = 2
	WHERE c0.workers = 0
) t;

\echo
\echo 'ms: median of the runs (EXPLAIN ANALYZE Execution Time, TIMING OFF). ÷ (a): times the floor; (b) ÷: (b)''s time over this one, the speed-up over the best plain SQL; both the median of the ratios within each run.'
\echo

-- The issue's targets, from the same paired ratios.
WITH v AS (
	SELECT workers,
		   max(to_a) FILTER (WHERE peer = 'd_winner') AS dw_a,
		   max(to_a) FILTER (WHERE peer = 'd_outcome') AS dout_a,
		   max(b_to) FILTER (WHERE peer = 'd_winner') AS b_dw,
		   max(b_to) FILTER (WHERE peer = 'd_outcome') AS b_dout,
		   max(c_to) FILTER (WHERE peer = 'd_winner') AS c_dw
	FROM bench_ratio WHERE dataset = :'dataset'
	GROUP BY workers
), t AS (
	SELECT 1 AS k, workers, '(d) fptp_winner ÷ (a)' AS what, dw_a AS val, '<=' AS op, 1.15 AS goal FROM v
	UNION ALL SELECT 2, workers, '(d) outcome(tally, ''kz1994'') ÷ (a)', dout_a, '<=', 1.15 FROM v
	UNION ALL SELECT 3, workers, '(b) ÷ (d) outcome(tally, ''kz1994'')', b_dout, '>=',
					 CASE WHEN workers = 0 THEN 1.0 ELSE 1.5 END FROM v
	UNION ALL SELECT 4, workers, '(b) ÷ (d) fptp_winner', b_dw, '>=',
					 CASE WHEN workers = 0 THEN 1.0 ELSE 1.5 END FROM v
	UNION ALL SELECT 5, workers, '(c) ÷ (d) fptp_winner', c_dw, '>=', 3 FROM v
)
SELECT string_agg(line, E'\n' ORDER BY k, workers)
FROM (
	SELECT -2 AS k, 0 AS workers, '| target | workers | goal | measured | |' AS line
	UNION ALL SELECT -1, 0, '|---|--:|--:|--:|---|'
	UNION ALL
	SELECT k, workers,
		   format('| %s | %s | %s %s | %s | %s |', what, workers, op, goal, to_char(val, 'FM990.000'),
				  CASE WHEN (op = '<=' AND val <= goal) OR (op = '>=' AND val >= goal)
					   THEN 'met' ELSE 'MISSED' END)
	FROM t
) x;

\echo


-- The text-key table: the same ballots keyed by names (ballots_text),
-- against its own floor (ta) and plain SQL over the same column (tb).
CREATE TEMP VIEW bench_text_ratio AS
SELECT r.dataset, r.workers, r.peer,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms / a.ms) AS to_ta,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms / r.ms) AS tb_to,
	   min(r.ms / a.ms) AS to_ta_min, max(r.ms / a.ms) AS to_ta_max
FROM bench_result r
JOIN bench_result a ON a.dataset = r.dataset AND a.workers = r.workers AND a.run = r.run AND a.peer = 'ta'
JOIN bench_result b ON b.dataset = r.dataset AND b.workers = r.workers AND b.run = r.run AND b.peer = 'tb'
WHERE r.peer LIKE 't%'
GROUP BY r.dataset, r.workers, r.peer;

SELECT EXISTS (SELECT FROM bench_text_ratio WHERE dataset = :'dataset') AS report_text \gset
\if :report_text
WITH m AS (
	SELECT q.ord, q.label, m.workers, m.peer, m.form, m.settings, m.ms, x.to_ta, x.tb_to
	FROM bench_median m
	JOIN bench_text_ratio x USING (dataset, workers, peer)
	JOIN (SELECT DISTINCT ON (peer) peer, ord, label FROM bench_query ORDER BY peer, ord) q USING (peer)
	WHERE m.dataset = :'dataset'
), cell AS (
	SELECT ord, label, workers,
		   format('%s | %s | %s', to_char(ms, 'FM999,990'), to_char(to_ta, 'FM990.00'),
				  to_char(tb_to, 'FM990.00')) AS txt,
		   concat_ws(', ', CASE WHEN peer = 'tb' THEN replace(form, 't_b_', '') || ' form' END,
					 CASE WHEN settings LIKE '%jit=on%' THEN 'JIT' END,
					 CASE WHEN settings LIKE '%parallel_setup_cost=0%' THEN 'parallel costs 0' END) AS note
	FROM m
)
SELECT string_agg(line, E'\n' ORDER BY k)
FROM (
	SELECT 0 AS k, '| text keys (10 to 30 bytes) | 0 workers: ms | ÷ (ta) | (tb) ÷ | 2 workers: ms | ÷ (ta) | (tb) ÷ | fastest settings (0 / 2 workers) |' AS line
	UNION ALL
	SELECT 1, '|---|--:|--:|--:|--:|--:|--:|---|'
	UNION ALL
	SELECT 1 + c0.ord, format('| %s | %s | %s | %s / %s |', c0.label, c0.txt, c2.txt,
							  coalesce(nullif(c0.note, ''), 'defaults'),
							  coalesce(nullif(c2.note, ''), 'defaults'))
	FROM cell c0 JOIN cell c2 ON c2.ord = c0.ord AND c2.workers = 2
	WHERE c0.workers = 0
) t;

\echo

WITH v AS (
	SELECT workers,
		   max(to_ta) FILTER (WHERE peer = 'td_outcome') AS out_ta,
		   max(to_ta_min) FILTER (WHERE peer = 'td_outcome') AS out_ta_min,
		   max(to_ta_max) FILTER (WHERE peer = 'td_outcome') AS out_ta_max,
		   max(tb_to) FILTER (WHERE peer = 'td_outcome') AS tb_out
	FROM bench_text_ratio WHERE dataset = :'dataset'
	GROUP BY workers
), t AS (
	SELECT 1 AS k, workers, '(td) outcome(tally(key), ''kz1994'') ÷ (ta)' AS what, out_ta AS val,
		   format('%s to %s', to_char(out_ta_min, 'FM990.000'), to_char(out_ta_max, 'FM990.000')) AS spread,
		   '<=' AS op, 1.25 AS goal FROM v
	UNION ALL SELECT 2, workers, '(tb) ÷ (td) outcome(tally(key), ''kz1994'')', tb_out, '', '>', 1.0 FROM v
)
SELECT string_agg(line, E'\n' ORDER BY k, workers)
FROM (
	SELECT -2 AS k, 0 AS workers, '| target (text keys) | workers | goal | measured (median) | runs range | |' AS line
	UNION ALL SELECT -1, 0, '|---|--:|--:|--:|--:|---|'
	UNION ALL
	SELECT k, workers,
		   format('| %s | %s | %s %s | %s | %s | %s |', what, workers, op, goal, to_char(val, 'FM990.000'), spread,
				  CASE WHEN (op = '<=' AND val <= goal) OR (op = '>' AND val > goal)
					   THEN 'met' ELSE 'MISSED' END)
	FROM t
) x;

\echo
\endif

-- The same targets by the time the query spent on a CPU (the backend's
-- and its workers', bench_sched) instead of the time on the clock: what
-- another process on a shared machine inflates least, since waits for a
-- CPU are not in it.  With workers it is the work of all, not the wait
-- for the answer.  Paired per run as above.
SELECT count(*) > 0 AS report_cpu FROM bench_result
WHERE dataset = :'dataset' AND cpu_ms > 0 \gset
\if :report_cpu
WITH p AS (
	SELECT r.workers, r.run, r.peer, r.cpu_ms FROM bench_result r
	WHERE r.dataset = :'dataset' AND r.cpu_ms > 0
), t(k, what, num, den, op, goal) AS (
	VALUES (1, '(d) fptp_winner ÷ (a)', 'd_winner', 'a', '<=', 1.15),
		   (2, '(d) outcome(tally, ''kz1994'') ÷ (a)', 'd_outcome', 'a', '<=', 1.15),
		   (3, '(b) ÷ (d) outcome(tally, ''kz1994'')', 'b', 'd_outcome', '>=', 1.0),
		   (4, '(td) fptp_winner(key) ÷ (ta)', 'td_winner', 'ta', '<=', 1.25),
		   (5, '(td) outcome(tally(key), ''kz1994'') ÷ (ta)', 'td_outcome', 'ta', '<=', 1.25),
		   (6, '(tb) ÷ (td) outcome(tally(key), ''kz1994'')', 'tb', 'td_outcome', '>', 1.0)
), v AS (
	SELECT t.k, n.workers, t.what, t.op, t.goal,
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY n.cpu_ms / d.cpu_ms) AS val,
		   min(n.cpu_ms / d.cpu_ms) AS lo, max(n.cpu_ms / d.cpu_ms) AS hi
	FROM t JOIN p n ON n.peer = t.num
	JOIN p d ON d.peer = t.den AND d.run = n.run AND d.workers = n.workers
	GROUP BY t.k, n.workers, t.what, t.op, t.goal
)
SELECT string_agg(line, E'\n' ORDER BY k, workers)
FROM (
	SELECT -2 AS k, 0 AS workers, '| target, by CPU time | workers | goal | measured (median) | runs range | |' AS line
	UNION ALL SELECT -1, 0, '|---|--:|--:|--:|--:|---|'
	UNION ALL
	SELECT k, workers, format('| %s | %s | %s %s | %s | %s to %s | %s |', what, workers, op, goal, to_char(val, 'FM990.000'),
					 to_char(lo, 'FM990.000'), to_char(hi, 'FM990.000'),
					 CASE WHEN (op = '<=' AND val <= goal) OR (op = '>=' AND val >= goal)
							   OR (op = '>' AND val > goal)
						  THEN 'met' ELSE 'MISSED' END)
	FROM v
) x;

\echo
\endif
\endif

-- Scaling: time per ballot and the aggregate's memory, by number of ballots.
SELECT string_agg(line, E'\n' ORDER BY k1, k2)
FROM (
	SELECT 0::bigint AS k1, 0 AS k2,
		   '| ballots | workers | (a) ns/ballot | (d) fptp_winner ns/ballot | (d) outcome(tally, ''kz1994'') ns/ballot | (d) hash aggregate peak memory | batches |' AS line
	UNION ALL SELECT 1, 0, '|--:|--:|--:|--:|--:|--:|--:|'
	UNION ALL
	SELECT d.ballots, m.workers,
		   format('| %s | %s | %s | %s | %s | %s kB | %s |', to_char(d.ballots, 'FM999,999,999,990'), m.workers,
				  to_char(max(m.ms) FILTER (WHERE m.peer = 'a') * 1e6 / d.ballots, 'FM990.0'),
				  to_char(max(m.ms) FILTER (WHERE m.peer = 'd_winner') * 1e6 / d.ballots, 'FM990.0'),
				  to_char(max(m.ms) FILTER (WHERE m.peer = 'd_outcome') * 1e6 / d.ballots, 'FM990.0'),
				  to_char(max(m.peak_kb) FILTER (WHERE m.peer LIKE 'd%'), 'FM999,999,990'),
				  max(m.batches) FILTER (WHERE m.peer LIKE 'd%'))
	FROM bench_median m JOIN bench_dataset d USING (dataset)
	WHERE d.scaling
	GROUP BY d.ballots, m.workers
) x
HAVING count(*) > 2;

\echo

-- Scaling checks: time per ballot within 15% of the smallest run, memory
-- flat; (a) alongside, for what PostgreSQL's own fixed costs per query
-- (starting workers, finishing 5,935 groups) do to the smaller runs.
WITH s AS (
	SELECT d.ballots, m.workers, m.peer, m.ms * 1e6 / d.ballots AS ns, m.peak_kb,
		   first_value(m.ms * 1e6 / d.ballots) OVER w AS ns0,
		   first_value(m.peak_kb) OVER w AS kb0,
		   first_value(d.ballots) OVER w AS ballots0
	FROM bench_median m JOIN bench_dataset d USING (dataset)
	WHERE d.scaling
	WINDOW w AS (PARTITION BY m.workers, m.peer ORDER BY d.ballots)
)
SELECT string_agg(CASE WHEN peer = 'a'
					   THEN format('- (a) for reference, %s workers, %s → %s ballots: time per ballot %s%%',
								   workers, to_char(ballots0, 'FM999,999,999,990'),
								   to_char(ballots, 'FM999,999,999,990'),
								   to_char(100 * (ns / ns0 - 1), 'FMS990.0'))
					   ELSE format('- %s, %s workers, %s → %s ballots: time per ballot %s%%, aggregate memory %s%% (%s)',
								   CASE peer WHEN 'd_winner' THEN 'fptp_winner' ELSE 'outcome(tally, ''kz1994'')' END,
								   workers, to_char(ballots0, 'FM999,999,999,990'),
								   to_char(ballots, 'FM999,999,999,990'),
								   to_char(100 * (ns / ns0 - 1), 'FMS990.0'),
								   to_char(100 * (peak_kb::numeric / kb0 - 1), 'FMS990.0'),
								   CASE WHEN abs(ns / ns0 - 1) <= 0.15 AND peak_kb <= kb0 * 1.05
										THEN 'met' ELSE 'MISSED' END) END,
				  E'\n' ORDER BY workers, peer, ballots)
FROM s WHERE ballots > ballots0;
