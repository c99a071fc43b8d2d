-- The contract Citus relies on to run an aggregate on its workers, tested
-- without Citus.  For a custom aggregate Citus runs worker_partial_agg on
-- each shard: the aggregate's transition function over the shard's rows,
-- stopping at the state, sent to the coordinator through the state type's
-- text output.  The coordinator's coord_combine_agg reads each state with
-- the type's text input, merges them with the combine function, starting
-- from the initial value, and applies the final function.  Here a table is
-- split into parts (by ballot, station or constituency), each part's
-- state goes through text, and the merged answer must equal the one-node
-- answer: every aggregate, every grain, ties and empty groups included.
-- scripts/test runs this file as is and with parallel plans forced; the
-- second half below forces parallel partial aggregation itself.

-- The helpers are made from the real aggregates' catalog rows, so they
-- use the very transition, combine and final functions, state types and
-- initial values: <name>_partial(args) stops at the state (Citus's
-- worker_partial_agg; with the combine function, so that it runs in
-- parallel too), <name>_merge_<result>(state) merges and finalizes
-- (coord_combine_agg).
DO $$
DECLARE
	a record;
	merge_name text;
BEGIN
	FOR a IN
		SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
			   g.aggtransfn::regproc::text AS sfunc, g.aggtranstype::regtype::text AS stype,
			   g.agginitval, g.aggcombinefn::regproc::text AS combinefn,
			   g.aggfinalfn::regproc::text AS finalfn, f.prorettype::regtype::text AS result
		FROM pg_aggregate g
		JOIN pg_proc p ON p.oid = g.aggfnoid
		JOIN pg_proc f ON f.oid = g.aggfinalfn
		JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
		WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
		ORDER BY 1, 2
	LOOP
		EXECUTE format('CREATE AGGREGATE %I(%s) (SFUNC = %s, STYPE = %s%s, COMBINEFUNC = %s, PARALLEL = SAFE)',
					   a.proname || '_partial', a.args, a.sfunc, a.stype,
					   CASE WHEN a.agginitval IS NULL THEN ''
					   ELSE format(', INITCOND = %L', a.agginitval) END, a.combinefn);
		merge_name := a.proname || '_merge_' || replace(a.result, ' ', '_');
		-- tally(bigint) and tally(text) share one merge: same functions
		IF to_regprocedure(format('%I(%s)', merge_name, a.stype)) IS NULL THEN
			EXECUTE format('CREATE AGGREGATE %I(%s) (SFUNC = %s, STYPE = %s%s, FINALFUNC = %s, FINALFUNC_MODIFY = READ_ONLY)',
						   merge_name, a.stype, a.combinefn, a.stype,
						   CASE WHEN a.agginitval IS NULL THEN ''
						   ELSE format(', INITCOND = %L', a.agginitval) END,
						   a.finalfn);
		END IF;
	END LOOP;
END
$$;

SELECT p.oid::regprocedure AS helper
FROM pg_proc p
WHERE p.prokind = 'a' AND (p.proname LIKE '%\_partial' OR p.proname LIKE '%\_merge\_%')
ORDER BY p.oid::regprocedure::text COLLATE "C";

-- 48 constituencies in 4 regions, 3 polling stations each.  Candidates 0
-- to 3 (keys of 10 to 30 bytes, some awkward); constituency 7's ballots
-- are all blank, every fifth constituency is an exact tie for first.
CREATE TABLE c_ballots (id int, region int, constituency int, station int, candidate bigint, key text);
INSERT INTO c_ballots
SELECT id, c % 4, c, id % 3,
	   CASE WHEN c = 7 OR id % 23 = 0 THEN NULL
			WHEN c % 5 = 0 THEN id % 2
			ELSE (id * 7 + c) % (1 + c % 4) END, NULL
FROM generate_series(1, 48) c, generate_series(1, 240 + 4 * (c % 3)) id;
UPDATE c_ballots SET key = (ARRAY['Jones, Alice "AJ"', 'Смирнова Анна', '{brace}: colon', 'Нұрлан Әбдіғали'])[candidate + 1];
-- candidate totals per station, with a NULL-votes row the aggregates skip
CREATE TABLE c_totals AS
SELECT region, constituency, station, candidate, key, count(*) AS votes
FROM c_ballots GROUP BY 1, 2, 3, 4, 5
UNION ALL SELECT 0, 48, 0, 9, 'skipped, no votes', NULL;
-- station protocols, registered voters known
CREATE TABLE c_stations AS
SELECT region, constituency, station, with_registered(tally(candidate), 2 * count(*)) AS t,
	   with_registered(tally(key), 2 * count(*)) AS tk
FROM c_ballots GROUP BY 1, 2, 3;
-- constituency tallies with registered voters: some at exactly 50 %
-- turnout (invalid under 'kz1994'), some unknown
CREATE TABLE c_constituencies AS
SELECT region, constituency, sum(t) AS t, sum(tk) AS tk,
	   CASE WHEN constituency % 11 = 0 THEN NULL
			WHEN constituency % 6 = 0 THEN ballots_cast(sum(t)) * 2
			ELSE ballots_cast(sum(t)) * 3 / 2 END AS registered
FROM c_stations GROUP BY 1, 2;
ANALYZE c_ballots, c_totals, c_stations, c_constituencies;

-- The one-node answer and the merged parts' answer of one aggregate call,
-- at one grain, with the table split by part: the groups compared and
-- those that differ.  An ungrouped call also gets an empty part (the
-- shard without rows: Citus receives its NULL or initial state).
CREATE FUNCTION contract_check(tbl text, grain text, call text, part text, state_type text,
							   OUT groups bigint, OUT mismatches bigint)
LANGUAGE plpgsql AS $$
DECLARE
	partial text := regexp_replace(call, '^(\w+)\(', '\1_partial(');
	merge text;
	one_sql text;
	parts_sql text;
	result_type text;
BEGIN
	EXECUTE format('SELECT pg_typeof(%s)::text FROM %s LIMIT 1', call, tbl) INTO result_type;
	IF result_type IS NULL THEN
		RAISE EXCEPTION 'no rows in %', tbl;
	END IF;
	merge := regexp_replace(call, '^(\w+)\(.*$', '\1') || '_merge_' || replace(result_type, ' ', '_');
	IF grain = 'national' THEN
		one_sql := format('SELECT 0 AS g, %s AS r FROM %s', call, tbl);
		parts_sql := format('SELECT 0 AS g, ps.p, (SELECT (%s)::text FROM %s WHERE (%s) = ps.p) AS s
							 FROM generate_series(0, 3) ps(p)', partial, tbl, part);
	ELSE
		one_sql := format('SELECT %s AS g, %s AS r FROM %s GROUP BY 1', grain, call, tbl);
		parts_sql := format('SELECT %s AS g, %s AS p, (%s)::text AS s FROM %s GROUP BY 1, 2',
							grain, part, partial, tbl);
	END IF;
	EXECUTE format('WITH one AS (%s), parts AS (%s),
					merged AS (SELECT g, %I(%s_in(s::cstring)) AS r FROM parts GROUP BY 1)
					SELECT count(*), count(*) FILTER (WHERE one.r IS DISTINCT FROM merged.r
													  OR one.g IS NULL OR merged.g IS NULL)
					FROM one FULL JOIN merged USING (g)',
				   one_sql, parts_sql, merge, state_type)
		INTO groups, mismatches;
END
$$;

-- Every aggregate call, the tables it reads, and how those are split.
CREATE TABLE contract_calls (n serial, tbl text, call text, state_type text);
INSERT INTO contract_calls (tbl, call, state_type) VALUES
	('c_ballots', 'tally(candidate)', 'tally'),
	('c_ballots', 'tally(key)', 'tally'),
	('c_ballots', 'fptp_winner(candidate)', 'tally'),
	('c_ballots', 'fptp_winner(key)', 'tally'),
	('c_totals', 'tally(candidate, votes)', 'tally'),
	('c_totals', 'tally(key, votes)', 'tally'),
	('c_totals', 'fptp_winner(candidate, votes)', 'tally'),
	('c_totals', 'fptp_winner(key, votes)', 'tally'),
	('c_stations', 'sum(t)', 'tally'),
	('c_stations', 'sum(tk)', 'tally'),
	('c_stations', 'fptp_winner(NULL::bigint)', 'tally'),
	('c_constituencies', 'election_summary(t, ''kz1994'')', 'election_summary_state'),
	('c_constituencies', 'election_summary(tk, ''none'')', 'election_summary_state'),
	('c_constituencies', 'election_summary(t, registered, ''kz1994'')', 'election_summary_state'),
	('c_constituencies', 'election_summary(tk, registered, ''none'')', 'election_summary_state'),
	('c_constituencies', 'election_summary(t, registered, 0.5)', 'election_summary_state'),
	('c_constituencies', 'election_summary(t, registered, NULL::numeric)', 'election_summary_state'),
	('c_constituencies', 'election_summary(t, NULL::bigint, ''kz1994'')', 'election_summary_state');

CREATE VIEW contract AS
SELECT c.call, g.grain, s.split, r.groups, r.mismatches
FROM contract_calls c
CROSS JOIN (VALUES ('constituency'), ('region'), ('national')) g(grain)
CROSS JOIN (VALUES ('by row', 'hashtext(ctid::text) & 3'),
				   ('by station', 'station'),
				   ('by constituency', 'constituency % 4')) s(split, part)
CROSS JOIN LATERAL contract_check(c.tbl, g.grain, c.call, s.part, c.state_type) r
WHERE NOT (c.tbl = 'c_constituencies' AND s.split = 'by station')
ORDER BY c.n, g.grain, s.split;

-- Serial plans: every answer through text equals the one-node answer.
SET max_parallel_workers_per_gather = 0;
SELECT call, count(*) AS checks, sum(groups) AS groups, sum(mismatches) AS mismatches
FROM contract GROUP BY call ORDER BY min(call);

-- Parallel partial aggregation inside each part as well: a worker's
-- state reaches the leader flat and is expanded again before it is sent.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT constituency, station, tally_partial(candidate)::text FROM c_ballots GROUP BY 1, 2;
SELECT call, count(*) AS checks, sum(groups) AS groups, sum(mismatches) AS mismatches
FROM contract GROUP BY call ORDER BY min(call);
RESET ALL;

-- Empty input: NULL everywhere, and election_summary's initial state.
SELECT tally_partial(candidate) IS NULL AS no_state,
	   election_summary_partial(t, 'kz1994')::text AS summary_state
FROM (SELECT NULL::bigint AS candidate, NULL::tally AS t WHERE false) x;
SELECT tally_merge_tally(tally_in(s)) IS NULL AS merged_null
FROM (VALUES (NULL::cstring), (NULL)) v(s);
SELECT election_summary_merge_election_summary(election_summary_state_in(s)) IS NULL AS summary_null
FROM (VALUES ('seats=0 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0'::cstring), (NULL)) v(s);

-- What crosses the wire: the states' text forms.
SELECT constituency, tally_partial(key)::text AS key_state, tally_partial(candidate)::text AS state
FROM c_ballots WHERE constituency IN (5, 7) AND station = 0 GROUP BY 1 ORDER BY 1;
SELECT region, election_summary_partial(t, registered, 'kz1994')::text AS state
FROM c_constituencies GROUP BY 1 ORDER BY 1;

-- A state's text input checks what it reads, as tally_in does.
SELECT election_summary_state_in('seats=1 seats_filled=1 by_elections=0 undecided=0 registered=10 registered_complete=true cast=11 invalid=0 valid_votes=11 candidates=1');
SELECT election_summary_state_in('seats=1 seats_filled=1 by_elections=0 undecided=0 registered=10 registered_complete=true cast=5 invalid=3 valid_votes=3 candidates=1');
SELECT election_summary_state_in('seats=0 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=false cast=0 invalid=0 valid_votes=0 candidates=0');
SELECT election_summary_state_in('seats=1 seats_filled=1 by_elections=0 undecided=0 registered=10 registered_complete=maybe cast=5 invalid=0 valid_votes=5 candidates=1');
SELECT election_summary_state_in('seats=1 seats_filled=1 by_elections=0 undecided=0 registered=10 registered_complete=true cast=5 invalid=0 valid_votes=5 candidates=1 extra=1');
SELECT election_summary_state_in('seats=-1 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0');
SELECT election_summary_state_in('seats=99999999999999999999 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0');
SELECT election_summary_state_in('seats=1 seats_filled=1 by_elections=0 undecided=0 registered=9223372036854775807 registered_complete=true cast=9223372036854775807 invalid=9223372036854775807 valid_votes=1 candidates=1');
-- and the text form round-trips
SELECT bool_and(s::text = election_summary_state_in(s::text::cstring)::text) AS round_trip
FROM (SELECT election_summary_partial(t, registered, 'kz1994') AS s FROM c_constituencies) x;

DROP VIEW contract;
DROP TABLE contract_calls, c_ballots, c_totals, c_stations, c_constituencies;
DROP FUNCTION contract_check(text, text, text, text, text);
