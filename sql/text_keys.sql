-- Text candidate keys: every form number keys have, keys compared
-- bytewise, awkward keys round-tripping, kinds never mixed.

-- awkward keys: empty, spaces, quotes, backslashes, braces, commas,
-- colons, digits only, Cyrillic and Kazakh letters, a 4-byte character
CREATE TABLE k_ballot (id serial, constituency int, candidate text);
INSERT INTO k_ballot (constituency, candidate)
SELECT c, (ARRAY['', ' space ', 'say "yes"', 'back\slash', '{brace}', 'a,b', 'k:v',
				 '10', '9', 'Назарбаев', 'Қазақ', 'Өскемен', '𝄞', NULL])[1 + (i * i + 3 * c) % 14]
FROM generate_series(1, 3) c, generate_series(1, 200) i;
-- and a clear leader in each constituency
INSERT INTO k_ballot (constituency, candidate)
SELECT c, (ARRAY['Қазақ', 'say "yes"', '𝄞'])[c] FROM generate_series(1, 3) c, generate_series(1, 40);

-- one tally per constituency, keys in bytewise order ("10" before "9")
SELECT constituency, tally(candidate) FROM k_ballot GROUP BY 1 ORDER BY 1;

-- the text form reads back to an equal tally, with the same text
SELECT constituency, t::text::tally = t AS text_round_trip,
	   (t::text::tally)::text = t::text AS same_text
FROM (SELECT constituency, tally(candidate) AS t FROM k_ballot GROUP BY 1) s ORDER BY 1;

-- jsonb both ways
SELECT tally(candidate)::jsonb FROM k_ballot WHERE constituency = 1;
SELECT t::jsonb::tally = t AS jsonb_round_trip
FROM (SELECT tally(candidate) AS t FROM k_ballot) s;

-- the same count from candidate totals, from protocols and by sum()
CREATE TABLE k_total AS
SELECT constituency, candidate, count(*) AS votes FROM k_ballot GROUP BY 1, 2;
SELECT b.constituency,
	   b.t = tot.t AS totals_agree,
	   b.t = mk.t AS make_tally_agrees
FROM (SELECT constituency, tally(candidate) AS t FROM k_ballot GROUP BY 1) b
JOIN (SELECT constituency, tally(candidate, votes) AS t FROM k_total GROUP BY 1) tot USING (constituency)
JOIN (SELECT constituency,
			 make_tally(NULL, sum(votes)::bigint, coalesce(sum(votes) FILTER (WHERE candidate IS NULL), 0)::bigint,
						array_agg(candidate) FILTER (WHERE candidate IS NOT NULL),
						array_agg(votes) FILTER (WHERE candidate IS NOT NULL)) AS t
	  FROM k_total GROUP BY 1) mk USING (constituency)
ORDER BY 1;
SELECT sum(t) = (SELECT tally(candidate) FROM k_ballot) AS sum_agrees,
	   (SELECT t FROM (SELECT constituency, tally(candidate) AS t FROM k_ballot GROUP BY 1) s WHERE constituency = 1) +
	   (SELECT t FROM (SELECT constituency, tally(candidate) AS t FROM k_ballot GROUP BY 1) s WHERE constituency = 2) =
	   (SELECT tally(candidate) FROM k_ballot WHERE constituency IN (1, 2)) AS plus_agrees
FROM (SELECT constituency, tally(candidate) AS t FROM k_ballot GROUP BY 1) s;

-- votes(t, key) and the winner, ranking and outcome read keys as text
SELECT votes(t, 'Қазақ') AS kazakh, votes(t, '10') AS ten, votes(t, '') AS empty,
	   votes(t, 'nobody') AS nobody
FROM (SELECT tally(candidate) AS t FROM k_ballot) s;
SELECT constituency, fptp_winner(candidate) FROM k_ballot GROUP BY 1 ORDER BY 1;
SELECT * FROM ranking('votes={"Smith":300,"Jones":317,"Ng":300,"":0}');
SELECT winner, winner_key, runner_up, runner_up_key, leader_key, margin, winner_share,
	   runner_up_share, majority_share
FROM outcome('cast=620 invalid=3 votes={"Jones":317,"Smith":300}', 'none');
SELECT winner_key(t, 'none') AS winner, leader_key(t) AS leader
FROM (SELECT 'cast=620 votes={"Jones":310,"Smith":310}'::tally AS t) s;

-- number keys give their number as key text too
SELECT winner, winner_key, runner_up_key, leader_key
FROM outcome('registered=1000 cast=620 votes={17:300,42:317}', 'kz1994');

-- a digits-only text key is text, not the number
SELECT 'votes={"10":1}'::tally = 'votes={10:1}'::tally AS text_ten_is_number_ten;

-- equal tallies hash equal: DISTINCT, GROUP BY and hash joins
SELECT count(*) AS distinct_tallies
FROM (SELECT DISTINCT t
	  FROM (VALUES ('votes={"a":1,"b":2}'::tally), ('votes={"b":2,"a":1}'), ('votes={"a":1}')) v(t)) s;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) AS hash_join_matches
FROM (VALUES ('votes={"x":1,"y":2}'::tally)) a(t)
JOIN (VALUES ('votes={"y":2,"x":1}'::tally)) b(t) USING (t);
RESET enable_mergejoin;
RESET enable_nestloop;

-- keys compare bytewise whatever the collation
SELECT 'votes={"b":1,"a":1,"B":1,"ä":1}'::tally AS bytewise;

-- varchar columns are the aggregate, not a cast of the column to tally
CREATE TABLE k_varchar (c varchar(20));
INSERT INTO k_varchar VALUES ('x'), ('y'), ('x'), (NULL);
SELECT tally(c), fptp_winner(c) FROM k_varchar;
SELECT 'votes={"x":1}'::varchar::tally AS varchar_cast;

-- moving windows: a running count, each row equal to a fresh count
SELECT id, tally(candidate) OVER w = (SELECT tally(candidate) FROM k_ballot k2
									  WHERE k2.constituency = 1 AND k2.id BETWEEN k.id - 9 AND k.id) AS fresh
FROM k_ballot k WHERE constituency = 1 AND id <= 200	-- consecutive ids
WINDOW w AS (ORDER BY id ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
ORDER BY id LIMIT 12;
SELECT count(*) AS rows, count(*) FILTER (WHERE f IS NOT DISTINCT FROM fresh) AS agree
FROM (SELECT k.id, fptp_winner(candidate) OVER w AS f,
			 (SELECT fptp_winner(candidate) FROM k_ballot k2
			  WHERE k2.constituency = 1 AND k2.id BETWEEN k.id - 4 AND k.id) AS fresh
	  FROM k_ballot k WHERE constituency = 1 AND id <= 200
	  WINDOW w AS (ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW)) s;

-- binary COPY round trip
CREATE TABLE k_bin (id int, t tally);
INSERT INTO k_bin SELECT constituency, tally(candidate) FROM k_ballot GROUP BY 1;
INSERT INTO k_bin VALUES (4, 'cast=5 votes={"":5}'), (5, 'cast=0'), (6, NULL);
\copy k_bin TO PROGRAM 'cat > "$PG_ABS_BUILDDIR/results/text_keys.bin"' (FORMAT binary)
CREATE TABLE k_bin2 (LIKE k_bin);
\copy k_bin2 FROM PROGRAM 'cat "$PG_ABS_BUILDDIR/results/text_keys.bin"' (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.t IS NOT DISTINCT FROM b.t) AS same
FROM k_bin a JOIN k_bin2 b USING (id);
-- the binary form: flags 0x02, then each key's length, bytes and votes
SELECT tally_send('cast=7 votes={"ab":3,"":4}');

-- mixing kinds is an error with its own SQLSTATE (42804)
\set VERBOSITY default
SELECT 'votes={"a":1,2:3}'::tally;
SELECT 'votes={"a":1}'::tally + 'votes={2:3}'::tally;
SELECT sum(t) FROM (VALUES ('votes={"a":1}'::tally), ('votes={2:3}')) v(t);
SELECT votes('votes={"a":1}', 5);
SELECT votes('votes={1:1}', 'a');
SELECT winner('cast=1 votes={"a":1}', 'none');
SELECT '{"votes":[{"candidate":"a","votes":1},{"candidate":2,"votes":1}]}'::jsonb::tally;
\set VERBOSITY sqlstate
SELECT 'votes={"a":1,2:3}'::tally;
SELECT 'votes={"a":1}'::tally + 'votes={2:3}'::tally;
\set VERBOSITY default
-- an empty tally has no key kind: it adds to either
SELECT 'cast=2 invalid=2'::tally + 'votes={"a":1}'::tally AS empty_plus_text,
	   'cast=2 invalid=2'::tally + 'votes={1:1}'::tally AS empty_plus_number;

-- bad keys: escapes other than \" and \\, an unterminated key, duplicates,
-- NULL keys in arrays, a key longer than 65535 bytes
SELECT 'votes={"a\n":1}'::tally;
SELECT 'votes={"abc:1}'::tally;
SELECT 'votes={"a":1,"a":2}'::tally;
SELECT make_tally(NULL, 2, 0, ARRAY['a', NULL], ARRAY[1, 1]);
SELECT make_tally(NULL, 2, 0, ARRAY['a', 'a'], ARRAY[1, 1]);
SELECT tally(repeat('x', 65536));
SELECT candidates(tally(repeat('x', 65535))) AS longest_key_fits;

DROP TABLE k_ballot, k_total, k_varchar, k_bin, k_bin2;
