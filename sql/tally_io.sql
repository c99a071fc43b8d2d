-- The tally's text form: canonical output, defaults, round trips,
-- constructors, accessors and operators.

-- canonical form: fields in a fixed order, candidates ascending
SELECT 'registered=1000 cast=620 invalid=3 votes={42:317,17:300}'::tally;
SELECT '  votes = { 42 : 317 , 17 : 300 }   invalid=3 cast=620  registered=1000 '::tally;
SELECT E'registered=10\tcast=5\ninvalid=1 votes={1:4}'::tally;

-- defaults: registered unknown (and left out), invalid 0, cast = invalid + votes
SELECT 'votes={1:10,2:5}'::tally;
SELECT 'invalid=7'::tally;
SELECT 'cast=9'::tally;
SELECT 'votes={}'::tally;
SELECT 'registered=0'::tally;

-- extreme but legal values
SELECT 'registered=9223372036854775807 cast=9223372036854775807 votes={-9223372036854775808:9223372036854775807}'::tally;
SELECT 'votes={9223372036854775807:1,-9223372036854775808:2,0:0}'::tally;

-- text round trip: output read back is the same value and the same text
CREATE TEMP TABLE samples (t tally);
INSERT INTO samples VALUES
	('registered=1000 cast=620 invalid=3 votes={17:300,42:317}'),
	('cast=0 invalid=0 votes={}'),
	('registered=5 cast=0'),
	('votes={1:1}'),
	('registered=100 cast=100 invalid=100'),
	('cast=10 invalid=2 votes={3:0,1:4,2:4}'),
	('registered=9223372036854775807 cast=1 votes={-1:1}'),
	(NULL);
SELECT t, t::text::tally = t AS same_value, t::text::tally::text = t::text AS same_text
FROM samples ORDER BY t::text;

-- accessors
SELECT registered(t), ballots_cast(t), invalid(t), valid_votes(t), candidates(t),
	   votes(t, 17) AS votes_17, votes(t, 99) AS votes_99
FROM (SELECT 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::tally AS t) s;
SELECT registered('votes={1:1}'), candidates('cast=0');

-- equality compares every count, registered known or not
SELECT 'votes={1:2}'::tally = 'cast=2 votes={1:2}'::tally AS eq,
	   'votes={1:2}'::tally = 'registered=2 votes={1:2}'::tally AS eq_registered,
	   'votes={1:2}'::tally <> 'votes={1:3}'::tally AS ne,
	   'votes={1:2,2:0}'::tally = 'votes={1:2}'::tally AS eq_zero_candidate;

-- + merges disjoint parts; registered known only if both parts know it
SELECT 'registered=100 cast=60 invalid=1 votes={1:30,2:29}'::tally
	 + 'registered=50 cast=40 invalid=2 votes={2:20,3:18}'::tally;
SELECT 'registered=100 cast=60 votes={1:60}'::tally + 'cast=1 votes={1:1}'::tally;
SELECT 'votes={1:1}'::tally + NULL::tally;

-- make_tally: a station's protocol
SELECT make_tally(1200, 800, 12, ARRAY[7, 3, 5], ARRAY[400, 300, 88]);
SELECT make_tally(registered => NULL, ballots_cast => 10, invalid => 0,
				  candidates => '{1,2}'::bigint[], votes => '{6,4}');
SELECT make_tally(100, 0, 0, '{}'::bigint[], '{}');

-- with_registered sets, replaces or clears registered voters
SELECT with_registered('votes={1:3}', 10), with_registered('registered=9 votes={1:3}', 3),
	   with_registered('registered=9 votes={1:3}', NULL), with_registered(NULL, 5);

-- psql shows NULL tallies as NULL and stores tallies in tables
CREATE TEMP TABLE stored (id int, t tally);
INSERT INTO stored VALUES (1, 'registered=3 cast=2 votes={1:2}'), (2, NULL);
SELECT id, t, t IS NULL AS is_null FROM stored ORDER BY id;

-- tallies can be grouped, made DISTINCT and hash-joined
SELECT t, count(*) FROM (VALUES ('votes={1:2}'::tally), ('cast=2 votes={1:2}'), ('registered=2 votes={1:2}'), (NULL)) v(t)
GROUP BY t ORDER BY t::text;
SELECT count(*) FROM (SELECT DISTINCT t FROM (VALUES ('votes={1:2}'::tally), ('votes={1:2}'), ('votes={2:1}')) v(t)) d;
SELECT a.id, b.id FROM (VALUES (1, 'votes={1:2}'::tally), (2, 'votes={2:2}')) a(id, t)
JOIN (VALUES (3, 'cast=2 votes={1:2}'::tally), (4, 'votes={2:3}')) b(id, t) USING (t);
