-- bench/measure.sql: timing inside the server, used by bench/run.
--
-- A query is timed by EXPLAIN (ANALYZE, TIMING OFF): the executor runs it
-- to the end, computing every column of every row, but no row goes to the
-- client, and per-node clocks are off.  The time is the plan's "Execution
-- Time"; planning is not counted.  (Wrapping a query as SELECT count(*)
-- FROM (...) would not do: the planner drops unused subquery columns, so
-- an aggregate whose result is not used would not be computed at all.)
--
-- Every peer is offered the same settings (JIT off or on; with workers,
-- also parallel_setup_cost = parallel_tuple_cost = 0, which makes the
-- planner choose a parallel plan it would otherwise judge not worth it) and
-- every form it has; a few trial runs pick the fastest, which is then run
-- `runs` times, the peers taking turns, and its median reported.
--
-- The turns come in another order each run (a fixed shuffle of the
-- peers, the same in every bench/run).  A query can slow the next one: on
-- our test machine the one after mode(), whose 5,935 sorts take and free
-- a gigabyte, ran 1.2-1.6 times as long as it did a query later, the floor
-- as much as any.  In a fixed order one peer would pay that every run; so
-- each pays it in a run or two, which the median leaves out.

SET client_min_messages = notice;

CREATE TABLE IF NOT EXISTS bench_query (
	peer text NOT NULL,			-- a, b, c, d_winner, ...
	form text NOT NULL,			-- the file in bench/queries/
	ord int NOT NULL,
	label text NOT NULL,
	sql text NOT NULL,
	PRIMARY KEY (peer, form)
);

CREATE TABLE IF NOT EXISTS bench_trial (
	dataset text, workers int, peer text, form text, settings text, ms float8
);

CREATE TABLE IF NOT EXISTS bench_result (
	dataset text, workers int, peer text, form text, settings text,
	run int, ms float8, peak_kb bigint, batches int,
	wait_ms float8,				-- the backend's wait for a CPU during the run
	attempts int,				-- 1, or more when a disturbed run was repeated
	cpu_ms float8				-- the run's time on a CPU, its workers' included
);

-- The backend's time on a CPU and waiting for one, in ns (Linux
-- /proc/self/schedstat), and the CPU time of the postmaster's children
-- that have ended, in ns (/proc/PID/stat's cutime and cstime, in clock
-- ticks of 10 ms): a query's parallel workers are among them once it is
-- done.  NULL elsewhere.
CREATE OR REPLACE FUNCTION bench_sched(OUT cpu_ns bigint, OUT wait_ns bigint,
									   OUT children_ns bigint)
LANGUAGE plpgsql AS $$
DECLARE
	f text[];
	pm text;
BEGIN
	f := regexp_split_to_array(btrim(pg_read_file('/proc/self/schedstat')), '\s+');
	cpu_ns := f[1]::bigint;
	wait_ns := f[2]::bigint;
	pm := split_part(pg_read_file('postmaster.pid'), E'\n', 1);
	-- the fields after the command's closing parenthesis: state is 3, cutime 16
	f := regexp_split_to_array(btrim(substring(pg_read_file('/proc/' || pm || '/stat') FROM '\) (.*)$')), '\s+');
	children_ns := (f[14]::bigint + f[15]::bigint) * 10000000;
EXCEPTION WHEN OTHERS THEN
	cpu_ns := NULL;
	wait_ns := NULL;
	children_ns := NULL;
END $$;

-- Sets 'name=value name=value ...' for the session; returns the names.
CREATE OR REPLACE FUNCTION bench_apply(settings text) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
	item text;
	names text[] := '{}';
BEGIN
	FOREACH item IN ARRAY regexp_split_to_array(btrim(settings), '\s+')
	LOOP
		CONTINUE WHEN item = '';
		PERFORM set_config(split_part(item, '=', 1), split_part(item, '=', 2), false);
		names := names || split_part(item, '=', 1);
	END LOOP;
	RETURN names;
END $$;

-- One timed run: milliseconds, the largest hash aggregate's peak memory
-- (kB, over the leader and its workers) and batches, if the plan has one,
-- how long the backend waited for a CPU meanwhile and the query's time on
-- a CPU (the backend's, and its parallel workers').
CREATE OR REPLACE FUNCTION bench_once(q text, settings text,
									  OUT ms float8, OUT peak_kb bigint, OUT batches int,
									  OUT wait_ms float8, OUT cpu_ms float8)
LANGUAGE plpgsql AS $$
DECLARE
	names text[] := bench_apply(settings);
	plan json;
	name text;
	s0 record;
	s1 record;
BEGIN
	s0 := bench_sched();
	EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF, FORMAT JSON) ' || q INTO plan;
	s1 := bench_sched();
	wait_ms := (s1.wait_ns - s0.wait_ns) / 1e6;
	-- with workers, theirs too (the postmaster has reaped them by now)
	cpu_ms := (s1.cpu_ns - s0.cpu_ns
			   + CASE WHEN current_setting('max_parallel_workers_per_gather')::int > 0
					  THEN s1.children_ns - s0.children_ns ELSE 0 END) / 1e6;
	FOREACH name IN ARRAY names
	LOOP
		EXECUTE format('RESET %I', name);
	END LOOP;
	ms := (plan -> 0 ->> 'Execution Time')::float8;
	SELECT max(m[1]::bigint) INTO peak_kb
	FROM regexp_matches(plan::text, '"Peak Memory Usage": (\d+)', 'g') AS m;
	SELECT max(m[1]::int) INTO batches
	FROM regexp_matches(plan::text, '"HashAgg Batches": (\d+)', 'g') AS m;
END $$;

-- Measures the peers named (all if NULL) at one worker setting.
--
-- The machine may be shared.  Without workers the backend alone runs the
-- query, so its wait for a CPU (bench_sched) shows whether another process
-- took the CPU from it: a run that waited more than 2% of its time (and
-- 2 ms) is repeated, up to `retries` times.  With workers the leader waits
-- for a CPU whenever its workers hold both, so there the runs stand as
-- they are and only the median and the paired ratios (bench/report.sql)
-- temper the noise.
CREATE OR REPLACE FUNCTION bench_measure(dataset text, workers int, runs int, trials int,
										 jit_modes text[], peers text[] DEFAULT NULL,
										 retries int DEFAULT 4)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	qr record;
	s text;
	j text;
	t int;
	r int;
	settings text[] := '{}';
	one record;
	attempt int;
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', workers::text, false);
	FOREACH j IN ARRAY jit_modes
	LOOP
		settings := settings || ('jit=' || j);
		IF workers > 0 THEN
			settings := settings || ('jit=' || j || ' parallel_setup_cost=0 parallel_tuple_cost=0');
		END IF;
	END LOOP;

	DELETE FROM bench_trial b WHERE b.dataset = bench_measure.dataset AND b.workers = bench_measure.workers
		AND (peers IS NULL OR b.peer = ANY (peers));
	DELETE FROM bench_result b WHERE b.dataset = bench_measure.dataset AND b.workers = bench_measure.workers
		AND (peers IS NULL OR b.peer = ANY (peers));

	-- trials: every form under every setting (the first run also warms up)
	FOR qr IN SELECT * FROM bench_query WHERE peers IS NULL OR peer = ANY (peers) ORDER BY ord, form
	LOOP
		FOREACH s IN ARRAY settings
		LOOP
			FOR t IN 1 .. trials
			LOOP
				INSERT INTO bench_trial
				SELECT dataset, workers, qr.peer, qr.form, s, o.ms FROM bench_once(qr.sql, s) o;
			END LOOP;
		END LOOP;
		RAISE NOTICE '% workers: tried %', workers, qr.form;
	END LOOP;

	-- the fastest form and setting of each peer, by its best trial
	CREATE TEMP TABLE bench_choice ON COMMIT DROP AS
	SELECT DISTINCT ON (b.peer) b.peer, b.form, b.settings, q.sql, q.ord
	FROM bench_trial b JOIN bench_query q USING (peer, form)
	WHERE b.dataset = bench_measure.dataset AND b.workers = bench_measure.workers
	  AND (peers IS NULL OR b.peer = ANY (peers))
	GROUP BY b.peer, b.form, b.settings, q.sql, q.ord
	ORDER BY b.peer, min(b.ms), b.form, b.settings;

	-- the runs, the peers taking turns in an order of their own each run
	FOR r IN 1 .. runs
	LOOP
		FOR qr IN SELECT * FROM bench_choice ORDER BY md5(r || ' ' || peer), ord
		LOOP
			attempt := 0;
			LOOP
				attempt := attempt + 1;
				SELECT * INTO one FROM bench_once(qr.sql, qr.settings);
				EXIT WHEN workers > 0 OR one.wait_ms IS NULL OR attempt > retries
					OR one.wait_ms <= greatest(2, 0.02 * one.ms);
			END LOOP;
			INSERT INTO bench_result
			VALUES (dataset, workers, qr.peer, qr.form, qr.settings, r, one.ms, one.peak_kb,
					one.batches, one.wait_ms, attempt, one.cpu_ms);
		END LOOP;
		RAISE NOTICE '% workers: run % of % done', workers, r, runs;
	END LOOP;
	DROP TABLE bench_choice;
END $$;

-- Medians of the runs.
CREATE OR REPLACE VIEW bench_median AS
SELECT dataset, workers, peer, form, settings,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
	   min(ms) AS min_ms, max(ms) AS max_ms, count(*) AS runs,
	   max(peak_kb) AS peak_kb, max(batches) AS batches
FROM bench_result
GROUP BY dataset, workers, peer, form, settings;

-- What each measured dataset is.
CREATE TABLE IF NOT EXISTS bench_dataset (
	dataset text PRIMARY KEY, ballots bigint, constituencies int, ord text, scaling bool
);
