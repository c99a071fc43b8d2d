--
-- Audit and election night: protocol_problems, compare_counts, can_change,
-- each checked against plain SQL on random elections and at its boundaries.
--

-- protocol_problems: bad counts are rows, never errors
SELECT code, severity, candidate, found, expected
FROM protocol_problems(ARRAY['Con', 'Lab', 'LD', 'Green'], ARRAY[26000, 5664, 8000, 2918],
					   registered => 70000, ballots_cast => 41842 + 211, invalid => 211,
					   declared_valid => 41842);
SELECT code, severity, message FROM protocol_problems(ARRAY[1, 2, 2, NULL], ARRAY[5, -1, NULL, 0],
	ballots_issued => 100, ballots_cast => -50, blank => 10, invalid => 2, same_votes => 3);
SELECT * FROM protocol_problems('{}'::text[], '{}');
SELECT * FROM protocol_problems(NULL::text[], NULL);
SELECT code FROM protocol_problems(ARRAY[1, 2], ARRAY[1]);
-- sums beyond 64 bits are exact
SELECT code, found, expected FROM protocol_problems(ARRAY[1, 2], ARRAY[9223372036854775807, 9223372036854775807],
	ballots_cast => 9223372036854775807, declared_valid => 0);
-- a NULL tolerance turns its check off; bad tolerances are errors
SELECT count(*) FROM protocol_problems(ARRAY[1], ARRAY[10], blank => 5, blank_share => NULL);
SELECT count(*) FROM protocol_problems(ARRAY[1], ARRAY[10], blank => 5, blank_share => 1.5);
SELECT count(*) FROM protocol_problems(ARRAY[1], ARRAY[10], admitted_min => -1);

-- boundaries: 3 blank of 100 cast is not more than 3%, 4 is; the whole
-- is ballots cast, or the ballots accounted for when cast is not given
SELECT b, array(SELECT code FROM protocol_problems(ARRAY[1, 2], ARRAY[60, 97 - 60 - b],
													  ballots_cast => 100, blank => b, invalid => 3)) AS problems
FROM generate_series(2, 4) b;
SELECT array(SELECT code FROM protocol_problems(ARRAY[1], ARRAY[97], invalid => 3)) AS three_of_100,
	   array(SELECT code FROM protocol_problems(ARRAY[1], ARRAY[96], invalid => 4)) AS four_of_100;
-- admitted voters: at least 15 apart and more than 2% of ballots issued
SELECT issued, array(SELECT code FROM protocol_problems(ARRAY[1], ARRAY[1000], ballots_issued => issued,
														   ballots_cast => 1000)) AS problems
FROM unnest(ARRAY[1014, 1015, 1020, 1021, 979, 980, 985, 986]) issued;
SELECT array(SELECT code FROM protocol_problems(ARRAY[1], ARRAY[100], ballots_issued => 115, ballots_cast => 100)) AS fifteen,
	   array(SELECT code FROM protocol_problems(ARRAY[1], ARRAY[100], ballots_issued => 114, ballots_cast => 100)) AS fourteen,
	   array(SELECT code FROM protocol_problems(ARRAY[1], ARRAY[100], ballots_issued => 114, ballots_cast => 100,
											  admitted_min => 14)) AS fourteen_of_min_14;

-- random protocols against the same checks in plain SQL
SELECT setseed(0.12);
CREATE TEMP TABLE protocol AS
SELECT id,
	   CASE WHEN random() < 0.1 THEN NULL ELSE (400 + random() * 200)::bigint END AS registered,
	   CASE WHEN random() < 0.3 THEN NULL ELSE (250 + random() * 150)::bigint END AS issued,
	   (250 + random() * 150)::bigint AS "cast",
	   CASE WHEN random() < 0.5 THEN NULL ELSE (random() * 15)::bigint END AS blank,
	   (random() * 15)::bigint AS invalid,
	   ARRAY[(random() * 150)::bigint, (random() * 150)::bigint, (random() * 60)::bigint] AS votes
FROM generate_series(1, 2000) id;
-- make most protocols add up, some exactly on a tolerance, some with one vote too many
UPDATE protocol SET votes[1] = greatest(0, "cast" - coalesce(blank, 0) - invalid - votes[2] - votes[3])
	+ CASE WHEN id % 7 = 0 THEN 1 WHEN id % 11 = 0 THEN -1 ELSE 0 END
WHERE id % 5 <> 0;
UPDATE protocol SET issued = "cast" + 15 + (id % 3) WHERE id % 13 = 0;
UPDATE protocol SET votes = ARRAY[0, 0, 0] WHERE id % 97 = 0;
UPDATE protocol SET votes = (SELECT votes FROM protocol WHERE id = 3) WHERE id % 101 = 0;
CREATE TEMP TABLE declared AS
SELECT id, CASE WHEN id % 17 = 0 THEN votes[1] + votes[2] + votes[3] + 3 ELSE votes[1] + votes[2] + votes[3] END AS valid
FROM protocol;

CREATE TEMP VIEW expected_problems AS
SELECT p.id, array_remove(ARRAY[
	CASE WHEN s.v + coalesce(p.blank, 0) + p.invalid > p."cast" THEN 'votes_exceed_cast' END,
	CASE WHEN s.v + coalesce(p.blank, 0) + p.invalid < p."cast" THEN 'ballots_unaccounted' END,
	CASE WHEN p."cast" > p.registered THEN 'cast_exceeds_registered' END,
	CASE WHEN s.v <> d.valid THEN 'valid_mismatch' END,
	CASE WHEN p.blank * 100 > p."cast" * 3 THEN 'blank_share' END,
	CASE WHEN p.invalid * 100 > p."cast" * 3 THEN 'invalid_share' END,
	CASE WHEN abs(p.issued - p."cast") >= 15 AND abs(p.issued - p."cast") * 100 > p.issued * 2
		 THEN 'admitted_mismatch' END,
	CASE WHEN count(*) OVER (PARTITION BY p.votes) > 1 THEN 'same_votes' END,
	CASE WHEN s.v = 0 THEN 'no_votes' END], NULL) AS codes
FROM protocol p JOIN declared d USING (id)
CROSS JOIN LATERAL (SELECT p.votes[1] + p.votes[2] + p.votes[3] AS v) s;

-- the same votes at several stations: a window counts them
CREATE TEMP VIEW found_problems AS
SELECT p.id, array(SELECT code FROM protocol_problems(ARRAY[1, 2, 3], p.votes, p.registered, p.issued, p."cast",
	p.blank, p.invalid, d.valid, same_votes => p.same)) AS codes
FROM (SELECT *, count(*) OVER (PARTITION BY votes) AS same FROM protocol) p JOIN declared d USING (id);

SELECT count(*) AS protocols, count(*) FILTER (WHERE e.codes <> '{}') AS with_problems,
	   count(*) FILTER (WHERE e.codes IS DISTINCT FROM f.codes) AS disagreements
FROM expected_problems e JOIN found_problems f USING (id);
SELECT code, count(*) FROM found_problems, unnest(codes) code GROUP BY code ORDER BY code;
-- every problem with its station, one query over the raw rows
SELECT p.id, x.code, x.found, x.expected
FROM protocol p JOIN declared d USING (id)
CROSS JOIN LATERAL protocol_problems(ARRAY[1, 2, 3], p.votes, p.registered, p.issued, p."cast",
									 p.blank, p.invalid, d.valid) x
WHERE x.severity = 'error'
ORDER BY p.id, x.code LIMIT 5;

-- compare_counts
SELECT * FROM compare_counts('registered=100 cast=50 votes={"a":20,"b":19}',
							 'registered=100 cast=50 votes={"a":19,"b":20,"c":1}', 'none');
SELECT * FROM compare_counts('registered=100 cast=50 invalid=1 votes={1:20,2:19}',
							 'cast=50 invalid=2 votes={1:20,2:18}', 'kz1994');
SELECT count(*) FROM compare_counts('votes={1:1}', 'votes={1:1}', 'none');
SELECT * FROM compare_counts('votes={1:1}', 'votes={"a":1}', 'none');
-- blank ballots, ballots issued and parts differ too (NULL: unknown on one side)
SELECT * FROM compare_counts('issued=60 cast=50 invalid=2 blank=1 votes={1:48} parts=3 provisional=1',
							 'cast=50 invalid=2 votes={1:48} parts=4', 'none');
-- a recount that moves the turnout over the line changes the validity
SELECT item, in_a, in_b, difference, changes_winner, changes_validity
FROM compare_counts('registered=100 cast=50 votes={1:30,2:20}', 'registered=100 cast=51 votes={1:31,2:20}', 'kz1994');

-- random double entries against plain SQL
SELECT setseed(0.34);
CREATE TEMP TABLE entry AS
SELECT id, make_tally(100, c1 + c2 + c3, 0, ARRAY[1, 2, 3], ARRAY[c1, c2, c3]) AS a,
	   make_tally(100, c1 + d1 + c2 + c3, 0, ARRAY[1, 2, 3], ARRAY[c1 + d1, c2, c3]) AS b,
	   c1, c2, c3, d1
FROM (SELECT id, (random() * 20)::bigint AS c1, (random() * 20)::bigint AS c2, (random() * 20)::bigint AS c3,
			 (random() * 4)::bigint - 2 AS d1
	  FROM generate_series(1, 1000) id) s
WHERE c1 + d1 >= 0;
SELECT count(*) AS pairs,
	   count(*) FILTER (WHERE d1 <> 0) AS differing,
	   count(*) FILTER (WHERE (SELECT count(*) FROM compare_counts(a, b, 'kz1994')) <> CASE WHEN d1 = 0 THEN 0 ELSE 2 END) AS wrong_rows,
	   count(*) FILTER (WHERE d1 <> 0 AND (SELECT difference FROM compare_counts(a, b, 'kz1994') WHERE candidate = '1') <> d1) AS wrong_difference,
	   count(*) FILTER (WHERE d1 <> 0 AND (SELECT bool_and(changes_winner) FROM compare_counts(a, b, 'kz1994'))
			IS DISTINCT FROM (winner_key(a, 'kz1994') IS DISTINCT FROM winner_key(b, 'kz1994'))) AS wrong_winner_call,
	   count(*) FILTER (WHERE d1 <> 0 AND (SELECT bool_and(changes_validity) FROM compare_counts(a, b, 'kz1994'))
			IS DISTINCT FROM ((c1 + c2 + c3) * 2 > 100) <> ((c1 + d1 + c2 + c3) * 2 > 100)) AS wrong_validity_call
FROM entry;

-- can_change
SELECT * FROM can_change('cast=40 votes={"a":25,"b":15}', 50, 'none');
SELECT * FROM can_change('cast=40 votes={"a":26,"b":14}', 50, 'none');
SELECT * FROM can_change('registered=100 cast=40 votes={"a":20,"b":15}', 'kz1994');
SELECT * FROM can_change('cast=40 votes={"a":20,"b":15}', 'kz1994');
SELECT * FROM can_change('cast=3 votes={1:3}', 6, 'kz1994');
SELECT * FROM can_change('cast=4 votes={1:4}', 6, 'kz1994');
SELECT * FROM can_change('cast=0', 0, 'kz1994');
SELECT * FROM can_change('cast=5 votes={1:5}', 4, 'none');
-- a threshold given as a number: at 1 no count of 10 can pass 10, at 0.9 the last ballot does
SELECT * FROM can_change('cast=5 votes={1:5}', 10, '1');
SELECT * FROM can_change('cast=5 votes={1:5}', 10, '0.9');
SELECT * FROM can_change('cast=9 votes={1:5,2:4}', 10, '0.9');
-- fewer ballots to come than voters who have not voted (the stations not
-- yet in): a margin of 10 with exactly 10 to come, then 9
SELECT remaining, leader_can_change, decided FROM can_change('cast=40 votes={1:25,2:15}', 100, 'none', remaining => 10);
SELECT remaining, leader_can_change, decided FROM can_change('cast=40 votes={1:25,2:15}', 100, 'none', remaining => 9);
-- 51 ballots of 100 are valid under kz1994: 40 + 11 can reach it, 40 + 10 cannot
SELECT * FROM can_change('cast=40 votes={1:25,2:15}', 100, 'kz1994', 11);
SELECT * FROM can_change('cast=40 votes={1:25,2:15}', 100, 'kz1994', 10);
SELECT remaining FROM can_change('cast=40 votes={1:25,2:15}', 100, 'kz1994', NULL);
SELECT can_change('cast=40 votes={1:25,2:15}', NULL, 'kz1994') IS NULL AS unknown_registered;
SELECT * FROM can_change('cast=40 votes={1:25,2:15}', 100, 'kz1994', 61);
SELECT * FROM can_change('cast=40 votes={1:25,2:15}', 100, 'kz1994', -1);

-- the exact call against every way the remaining ballots can fall, in
-- plain SQL: two candidates, blank ballots, the 1994 rule
SELECT setseed(0.56);
-- (and, for a third of them, fewer ballots to come than voters left: rem)
CREATE TEMP TABLE night AS
SELECT id, registered, x, y, z,
	   CASE WHEN id % 3 = 0 THEN floor(random() * (registered - x - y - z + 1))::int END AS rem
FROM (SELECT id, (random() * 12)::int AS registered, (random() * 5)::int AS x, (random() * 5)::int AS y,
			 (random() * 2)::int AS z
	  FROM generate_series(1, 600) id) s
WHERE x + y + z <= registered;
-- exactly on a margin, exactly on the threshold
INSERT INTO night VALUES (1001, 10, 5, 2, 0, NULL), (1002, 10, 5, 1, 0, NULL), (1003, 10, 3, 2, 0, NULL),
	(1004, 10, 4, 2, 0, NULL), (1005, 11, 3, 2, 0, NULL), (1006, 4, 2, 0, 0, NULL), (1007, 4, 1, 1, 1, NULL),
	(1008, 0, 0, 0, 0, NULL),
	(1009, 12, 4, 2, 0, 2), (1010, 12, 4, 2, 0, 1), (1011, 12, 4, 1, 0, 1), (1012, 12, 4, 1, 0, 2);
CREATE TEMP VIEW oracle AS
WITH winners AS (
	SELECT n.id, f.fx, f.fy, f.fz,
		   CASE WHEN (f.fx + f.fy + f.fz) * 2 > n.registered AND f.fx <> f.fy THEN CASE WHEN f.fx > f.fy THEN 1 ELSE 2 END END AS winner,
		   (f.fx + f.fy + f.fz) * 2 > n.registered AS valid,
		   f.fx = n.x AND f.fy = n.y AND f.fz = n.z AS now
	FROM night n
	CROSS JOIN LATERAL (SELECT n.x + a AS fx, n.y + b AS fy, n.z + c AS fz
						FROM generate_series(0, n.registered) a, generate_series(0, n.registered) b,
							 generate_series(0, n.registered) c
						WHERE a + b + c <= coalesce(n.rem, n.registered - n.x - n.y - n.z)) f
)
SELECT w.id,
	   bool_or(w.winner IS DISTINCT FROM c.winner) AS winner_can_change,
	   bool_or(w.valid <> c.valid) AS validity_can_change
FROM winners w JOIN winners c ON c.id = w.id AND c.now
GROUP BY w.id;
SELECT count(*) AS elections,
	   count(*) FILTER (WHERE o.winner_can_change) AS winner_open,
	   count(*) FILTER (WHERE o.validity_can_change) AS validity_open,
	   count(*) FILTER (WHERE (k).winner_can_change <> o.winner_can_change
					 OR (k).validity_can_change <> o.validity_can_change
					 OR (k).decided <> NOT (o.winner_can_change OR o.validity_can_change)) AS wrong_calls
FROM night n JOIN oracle o USING (id)
CROSS JOIN LATERAL (SELECT can_change(make_tally(NULL, x + y + z, z, ARRAY[1, 2], ARRAY[x, y]), registered, 'kz1994', rem) AS k) s;
SELECT id, registered, x, y, z, rem, (k).*
FROM night CROSS JOIN LATERAL (SELECT can_change(make_tally(NULL, x + y + z, z, ARRAY[1, 2], ARRAY[x, y]), registered, 'kz1994', rem) AS k) s
WHERE id > 1000 ORDER BY id;
