-- The candidate rules of 1994, the mäslihat level, and election_summary():
-- every boundary of the rules, NULLs, other elections' parameters, a
-- hostile search_path, and the summary under GROUP BY, ROLLUP, GROUPING
-- SETS, FILTER and parallel workers.

--
-- signatures_needed: 3 % of residents, rounded up, exactly
--
SELECT residents, signatures_needed(residents)
FROM (VALUES (0::bigint), (1), (33), (34), (100), (1000), (1001), (1033), (1034),
			 (9223372036854775807)) v(residents);

SELECT signatures_needed(1001, 0.5) AS half, signatures_needed(1001, 1) AS all_of_them,
	   signatures_needed(1001, 0) AS none, signatures_needed(3, 0.333333) AS third;

-- out of range gives NULL; NULL in, NULL out
SELECT signatures_needed(-1) AS negative_residents, signatures_needed(1000, 1.01) AS share_above_1,
	   signatures_needed(1000, -0.03) AS negative_share, signatures_needed(NULL) AS unknown;

--
-- candidate_violations with the 1994 defaults
--
CREATE TEMP TABLE c (
	what text,
	birth_date date,
	nominated_by text,
	signatures bigint,
	residents bigint,
	registered_on date
);
INSERT INTO c VALUES
	('meets every rule',                     '1950-06-01', 'self',              NULL, 2000, '1994-02-01'),
	('exactly 20 on election day',           '1974-03-07', 'self',              NULL, 2000, '1994-02-01'),
	('one day short of 20',                  '1974-03-08', 'self',              NULL, 2000, '1994-02-01'),
	('20 and one day',                       '1974-03-06', 'self',              NULL, 2000, '1994-02-01'),
	('association, 3 % of 1001 exactly: 31', '1950-06-01', 'association',       31,   1001, '1994-02-01'),
	('association, one short: 30 of 1001',   '1950-06-01', 'association',       30,   1001, '1994-02-01'),
	('association, 3 % of 1000 exactly: 30', '1950-06-01', 'association',       30,   1000, '1994-02-01'),
	('association, one short: 29 of 1000',   '1950-06-01', 'association',       29,   1000, '1994-02-01'),
	('association, no signatures recorded',  '1950-06-01', 'association',       NULL, 1000, '1994-02-01'),
	('association, residents unknown',       '1950-06-01', 'association',       500,  NULL, '1994-02-01'),
	('self-nominated, no signatures needed', '1950-06-01', 'self',              0,    1000, '1994-02-01'),
	('nominated by a labour collective',     '1950-06-01', 'labour collective', NULL, 1000, '1994-02-01'),
	('nominated by ''Self'' (not the word)', '1950-06-01', 'Self',              NULL, 1000, '1994-02-01'),
	('nomination unknown',                   '1950-06-01', NULL,                NULL, 1000, '1994-02-01'),
	('registered on the first day',          '1950-06-01', 'self',              NULL, 1000, '1994-01-26'),
	('registered on the last day',           '1950-06-01', 'self',              NULL, 1000, '1994-02-08'),
	('registered one day early',             '1950-06-01', 'self',              NULL, 1000, '1994-01-25'),
	('registered one day late',              '1950-06-01', 'self',              NULL, 1000, '1994-02-09'),
	('registration date unknown',            '1950-06-01', 'self',              NULL, 1000, NULL),
	('birth date unknown',                   NULL,         'self',              NULL, 1000, '1994-02-01'),
	('breaks every rule it can',             '1980-01-01', 'association',       1,    1000, '1994-03-01'),
	('nothing known',                        NULL,         NULL,                NULL, NULL, NULL);

SELECT what, candidate_violations(birth_date, nominated_by, signatures, residents, registered_on)
FROM c;

-- no rule broken is an empty array, not NULL
SELECT candidate_violations('1950-06-01', 'self', NULL, NULL, '1994-02-01') = '{}' AS empty;

--
-- other elections: every threshold and date is a parameter
--
-- 29 February: 22 years old on 1 March of a common year, not on 28 February
SELECT candidate_violations('1972-02-29', 'self', NULL, NULL, '1994-02-01',
							election_day => '1994-02-28', min_age => 22) AS on_28_february,
	   candidate_violations('1972-02-29', 'self', NULL, NULL, '1994-02-01',
							election_day => '1994-03-01', min_age => 22) AS on_1_march;

-- an election with age 25, 1 % signatures, registration in September 1999
SELECT what,
	   candidate_violations(birth_date, nominated_by, signatures, residents, registered_on,
							election_day => '1999-10-10', min_age => 25, signature_share => 0.01,
							registration_opens => '1999-09-01',
							registration_closes => '1999-09-30')
FROM (VALUES ('exactly 25, 1 % of 1001 is 11',  '1974-10-10'::date, 'association', 11::bigint, 1001::bigint, '1999-09-01'::date),
			 ('one day short of 25, 10 of 1001', '1974-10-11', 'association', 10, 1001, '1999-09-30'),
			 ('registered in October',           '1960-01-01', 'self', NULL, 1001, '1999-10-01'),
			 ('registered in August',            '1960-01-01', 'self', NULL, 1001, '1999-08-31')) v(what, birth_date, nominated_by, signatures, residents, registered_on);

-- a NULL rule parameter cannot be met either
SELECT candidate_violations('1950-06-01', 'association', 100, 1000, '1994-02-01',
							election_day => NULL, signature_share => NULL,
							registration_closes => NULL);

--
-- a hostile search_path cannot change what the rules mean
--
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.yes(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION hostile.yes(date, date) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION hostile.zero(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.yes);
CREATE OPERATOR hostile.<= (LEFTARG = date, RIGHTARG = date, FUNCTION = hostile.yes);
CREATE OPERATOR hostile.>= (LEFTARG = date, RIGHTARG = date, FUNCTION = hostile.yes);
CREATE OPERATOR hostile.* (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = hostile.zero);
SET search_path = hostile, public, pg_catalog;
SELECT what, candidate_violations(birth_date, nominated_by, signatures, residents, registered_on)
FROM c
WHERE what OPERATOR(pg_catalog.=) ANY (ARRAY['one day short of 20', 'association, one short: 30 of 1001',
												'nominated by a labour collective', 'registered one day late']);
SELECT signatures_needed(1001);
RESET search_path;
DROP SCHEMA hostile CASCADE;

--
-- the mäslihat level
--
SELECT unnest(enum_range(NULL::maslihat_level)) AS level;
SELECT 'district'::maslihat_level < 'regional'::maslihat_level AS district_below_regional;
SELECT 'oblast'::maslihat_level;

--
-- election_summary
--
CREATE TEMP TABLE s (id int, level maslihat_level, registered bigint, t tally);
INSERT INTO s VALUES
	-- district: a clear winner, a by-election at exactly 50 %, one ballot above 50 %
	(1, 'district', 1000, make_tally(NULL, 700, 4, '{11,12}'::bigint[], '{400,296}')),
	(2, 'district', 1000, make_tally(NULL, 500, 0, '{21,22,23}'::bigint[], '{200,200,100}')),
	(3, 'district',  999, make_tally(NULL, 500, 1, '{31}'::bigint[], '{499}')),
	-- city: a tie for first place, and nobody standing
	(4, 'city', 2000, make_tally(NULL, 1500, 10, '{41,42}'::bigint[], '{745,745}')),
	(5, 'city', 2000, make_tally(NULL, 1400, 0, '{}'::bigint[], '{}')),
	-- regional: two clear winners
	(6, 'regional', 3000, make_tally(NULL, 2400, 3, '{61,62,63}'::bigint[], '{1000,900,497}')),
	(7, 'regional', 3001, make_tally(NULL, 1501, 1, '{71,72}'::bigint[], '{1000,500}'));

-- the whole election, then by level
SELECT (election_summary(t, registered, 'kz1994')).* FROM s;

SELECT level, (election_summary(t, registered, 'kz1994')).*
FROM s GROUP BY level ORDER BY level;

-- with ROLLUP and GROUPING SETS
SELECT CASE WHEN total THEN 'all levels' ELSE level::text END AS level,
	   (x).seats, (x).seats_filled, (x).by_elections, (x).registered, (x)."cast",
	   round((x).turnout, 2) AS turnout, (x).invalid, (x).valid_votes, (x).candidates
FROM (SELECT level, grouping(level) = 1 AS total, election_summary(t, registered, 'kz1994') AS x
	  FROM s GROUP BY ROLLUP (level)) r
ORDER BY total, r.level;

SELECT level, id > 3 AS later, (election_summary(t, registered, 'kz1994')).seats_filled
FROM s GROUP BY GROUPING SETS ((level), (id > 3), ())
ORDER BY level NULLS LAST, later NULLS LAST;

-- FILTER: one pass, a column per level
SELECT (election_summary(t, registered, 'kz1994') FILTER (WHERE level = 'district')).by_elections AS district,
	   (election_summary(t, registered, 'kz1994') FILTER (WHERE level = 'city')).by_elections AS city,
	   (election_summary(t, registered, 'kz1994') FILTER (WHERE level = 'regional')).by_elections AS regional
FROM s;

-- the tallies' own registered voters (one-argument form)
SELECT (election_summary(with_registered(t, registered), 'kz1994')).* FROM s;

-- a stricter threshold: two thirds of registered voters must vote
SELECT (election_summary(t, registered, 0.6667)).* FROM s;

-- unknown registered voters: the seat is undecided, registered and turnout NULL
SELECT (election_summary(t, CASE WHEN id = 1 THEN NULL ELSE registered END, 'kz1994')).* FROM s;
SELECT (election_summary(t, 'kz1994')).* FROM s;	-- the tallies do not know them
-- ...but a seat without candidates needs a by-election whatever the turnout
SELECT (election_summary(t, 'kz1994')).* FROM s WHERE id = 5;
-- an unknown threshold
SELECT (election_summary(t, registered, NULL)).* FROM s;

-- NULL tallies are skipped; no rows give NULL, like sum()
SELECT (election_summary(t, registered, 'kz1994')).seats
FROM (SELECT NULL::tally AS t, 10::bigint AS registered UNION ALL SELECT t, registered FROM s) v;
SELECT election_summary(t, registered, 'kz1994') IS NULL AS no_rows FROM s WHERE false;
SELECT election_summary(NULL::tally, 'kz1994') IS NULL AS only_nulls;

-- errors
SELECT election_summary(t, 10, 'kz1994') FROM s;
SELECT election_summary(t, -1, 'kz1994') FROM s;
SELECT election_summary(t, registered, 1.5) FROM s;
SELECT election_summary(t, registered, 'NaN') FROM s;

--
-- in parallel: partial summaries serialized, combined, the same result
--
CREATE TABLE sp AS
SELECT g AS id, (ARRAY['district', 'city', 'regional']::maslihat_level[])[1 + g % 3] AS level,
	   1000::bigint AS registered,
	   make_tally(NULL, (200 + g % 150) + (150 + g % 120) + g % 5 + g % 7, g % 5, ARRAY[g * 10 + 1, g * 10 + 2]::bigint[],
				  ARRAY[200 + g % 150, 150 + g % 120]::bigint[]) AS t
FROM generate_series(1, 3000) g;
ALTER TABLE sp SET (parallel_workers = 2);
ANALYZE sp;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT level, election_summary(t, registered, 'kz1994') FROM sp GROUP BY level;
CREATE TEMP TABLE parallel_result AS
SELECT level, election_summary(t, registered, 'kz1994') AS x FROM sp GROUP BY level;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
SELECT p.level, p.x = q.x AS same, (p.x).*
FROM parallel_result p
JOIN (SELECT level, election_summary(t, registered, 'kz1994') AS x FROM sp GROUP BY level) q USING (level)
ORDER BY p.level;
RESET max_parallel_workers_per_gather;
DROP TABLE sp;

--
-- the examples of the README's reference, as printed there
--
SELECT (election_summary(t, registered, 'kz1994')).*
FROM (VALUES (make_tally(NULL, 700, 4, '{11,12}'::bigint[], '{400,296}'), 1000),
			 (make_tally(NULL, 500, 0, '{21,22}'::bigint[], '{260,240}'), 1000),
			 (make_tally(NULL, 1501, 1, '{31,32}'::bigint[], '{1000,500}'), 3001)) AS v(t, registered);
SELECT (election_summary(t, registered, 0.6)).seats_filled
FROM (VALUES (make_tally(NULL, 700, 4, '{11,12}'::bigint[], '{400,296}'), 1000),
			 (make_tally(NULL, 1501, 1, '{31,32}'::bigint[], '{1000,500}'), 3001)) AS v(t, registered);
SELECT signatures_needed(1001) AS of_1001, signatures_needed(1000) AS of_1000,
	   signatures_needed(1001, 0.01) AS one_percent;
SELECT candidate_violations('1974-03-07', 'self', NULL, NULL, '1994-02-08') AS on_the_boundaries,
	   candidate_violations('1974-03-08', 'association', 30, 1001, '1994-02-09') AS one_short_each;
SELECT candidate_violations('1974-10-11', 'self', NULL, NULL, '1999-09-15',
							election_day => '1999-10-10', min_age => 25,
							registration_opens => '1999-09-01',
							registration_closes => '1999-09-30') AS another_election;
SELECT 'city'::maslihat_level < 'regional' AS city_below_regional;
