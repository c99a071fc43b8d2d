-- Blank ballots apart from otherwise invalid ones, ballots issued, and the
-- parts (station protocols) a tally holds with a provisional or final mark:
-- the tally's optional trailer (0.2.0).

-- the text form: new fields only where there is something to say
SELECT 'registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1'::tally;
SELECT 'provisional=0 parts=1 blank=2 invalid=2 issued=5 votes={1:3}'::tally;	-- any order in
SELECT 'invalid=0 blank=0 votes={1:3}'::tally;	-- blank 0 of 0 invalid is known anyway: not stored
SELECT 'votes={1:3} parts=0 provisional=0'::tally;	-- parts 0 is no parts mark
SELECT 'votes={"Smith":3,"Jones":4} invalid=1 blank=1 parts=2 provisional=1'::tally;
-- text of 0.1.0 reads as before, with the same bytes
SELECT tally_send('registered=1000 cast=620 invalid=3 votes={17:300,42:317}');
SELECT tally_send('registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300} parts=2 provisional=1');

-- the accessors, and NULL where the tally does not know
SELECT t, blank(t), other_invalid(t), ballots_issued(t), parts(t), provisional_parts(t), is_final(t)
FROM (VALUES ('cast=10 invalid=3 votes={1:7}'::tally),
			 ('cast=10 invalid=0 votes={1:10}'),
			 ('cast=10 invalid=3 blank=2 votes={1:7}'),
			 ('issued=12 cast=10 votes={1:10} parts=3 provisional=1'),
			 ('cast=10 votes={1:10} parts=3'),
			 (NULL)) v(t);

-- the setters; NULL makes blank or issued unknown again, a NULL tally stays NULL
SELECT with_blank('cast=10 invalid=3 votes={1:7}', 2);
SELECT with_blank('cast=10 invalid=3 blank=2 votes={1:7}', NULL);
SELECT with_blank(NULL, 2);
SELECT with_ballots_issued('registered=20 cast=10 votes={1:10}', 11);
SELECT with_ballots_issued('issued=11 cast=10 votes={1:10}', NULL);
SELECT with_parts('cast=10 votes={1:10}', 150, 20);
SELECT with_parts('cast=10 votes={1:10} parts=3 provisional=1', 0);
SELECT with_parts('cast=10 votes={1:10}', NULL, 0);
SELECT as_part('cast=10 votes={1:10}'), as_part('cast=10 votes={1:10}', true), as_part(NULL);
-- with_registered keeps the rest, and checks issued against it
SELECT with_registered('issued=11 cast=10 invalid=1 blank=1 votes={1:9} parts=1', 30);

-- the invariants, each with its SQLSTATE
SELECT 'invalid=3 blank=4 votes={1:1}'::tally;
SELECT 'registered=10 issued=11 cast=10 votes={1:10}'::tally;
SELECT 'parts=1 provisional=2 votes={1:1}'::tally;
SELECT 'provisional=1 votes={1:1}'::tally;
SELECT 'blank=-1 invalid=1 votes={1:1}'::tally;
SELECT 'blank=1 votes={1:1}'::tally;
SELECT with_blank('cast=10 invalid=3 votes={1:7}', 4);
SELECT with_blank('cast=10 invalid=3 votes={1:7}', -1);
SELECT with_ballots_issued('registered=20 cast=10 votes={1:10}', 21);
SELECT with_ballots_issued('cast=10 votes={1:10}', -5);
SELECT with_registered('issued=11 cast=10 votes={1:10}', 10);
SELECT with_parts('cast=10 votes={1:10}', 2, 3);
SELECT with_parts('cast=10 votes={1:10}', -1, 0);

-- round trips: text, binary (COPY) and jsonb, every combination of fields
CREATE TEMP TABLE trailer_src AS
SELECT row_number() OVER () AS id, t
FROM (SELECT CASE WHEN b AND invalid(base) > 0 THEN with_blank(base, 1) ELSE base END AS t0, i, p, base
	  FROM (VALUES ('registered=50 cast=10 invalid=3 votes={1:4,2:3}'::tally),
				   ('cast=10 invalid=0 votes={"a":4,"b":6}'),
				   ('cast=5 invalid=2 votes={}')) base(base),
		   (VALUES (false), (true)) b(b),
		   (VALUES (NULL::bigint), (9)) i(i),
		   (VALUES (0), (1), (2)) p(p)) s,
	 LATERAL (SELECT CASE p WHEN 0 THEN x WHEN 1 THEN as_part(x) ELSE as_part(x, true) END AS t
			  FROM (SELECT with_ballots_issued(t0, i) AS x) y) z;
-- (blank 1 cannot be given where invalid is 0: 6 of the 36 come out twice)
SELECT count(*) AS tallies, count(DISTINCT t::text) AS distinct_texts FROM trailer_src;
\copy trailer_src TO 'maslihat_regress_parts.bin' (FORMAT binary)
CREATE TEMP TABLE trailer_dst (LIKE trailer_src);
\copy trailer_dst FROM 'maslihat_regress_parts.bin' (FORMAT binary)
\! rm -f maslihat_regress_parts.bin
SELECT count(*) AS copied, count(*) FILTER (WHERE s.t = d.t) AS binary_same,
	   count(*) FILTER (WHERE s.t::text::tally = s.t) AS text_same,
	   count(*) FILTER (WHERE s.t::jsonb::tally = s.t) AS jsonb_same,
	   count(*) FILTER (WHERE s.t::text = d.t::text) AS same_text
FROM trailer_src s JOIN trailer_dst d USING (id);
-- equal contents, equal bytes: however a value was made
SELECT with_blank(with_ballots_issued('cast=10 invalid=3 votes={1:7}', 10), 2)
	 = 'issued=10 cast=10 invalid=3 blank=2 votes={1:7}'::tally AS same,
	   tally_send(as_part('cast=10 invalid=0 votes={1:10}')) = tally_send('votes={1:10} parts=1 provisional=1') AS same_bytes,
	   'cast=10 invalid=0 votes={1:10}'::tally = with_blank('cast=10 invalid=0 votes={1:10}', 0) AS blank_0_of_0;
SELECT as_part('registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317}')::jsonb;
SELECT '{"cast": 10, "invalid": 3, "blank": 1, "issued": null, "parts": 2, "provisional": 0, "votes": [{"candidate": 1, "votes": 7}]}'::jsonb::tally;
SELECT '{"cast": 10, "invalid": 3, "blank": 4, "votes": []}'::jsonb::tally;
SELECT '{"cast": 10, "parts": 1.5}'::jsonb::tally;
SELECT '{"cast": 10, "stations": 1}'::jsonb::tally;
SELECT tally_send('cast=10 invalid=3 blank=2 votes={1:7} parts=1');

-- sums: parts and provisional add up; blank and issued stay known only if known in every part
SELECT as_part('issued=10 cast=10 invalid=2 blank=1 votes={1:8}')
	 + as_part('issued=7 cast=7 invalid=1 blank=0 votes={2:6}', true);
SELECT as_part('issued=10 cast=10 invalid=2 blank=1 votes={1:8}')
	 + as_part('cast=7 invalid=1 votes={2:6}', true);		-- blank and issued unknown in one part
SELECT as_part('cast=10 invalid=2 blank=2 votes={1:8}', true)
	 + as_part('cast=7 invalid=0 votes={2:7}', true);		-- no invalid ballot: blank known, 0
SELECT is_final(as_part('votes={1:1}', true) + 'votes={2:1}'),	-- a part without a mark adds no part
	   is_final('votes={1:1}'::tally + 'votes={2:1}');
-- the aggregates: sum over parts, and a count of ballots (which says nothing of blank or issued)
SELECT sum(t) FROM (VALUES (as_part('issued=4 cast=4 invalid=1 blank=1 votes={1:3}', true)),
						   (as_part('issued=6 cast=6 invalid=2 blank=1 votes={1:1,2:3}')),
						   (NULL)) v(t);
SELECT tally(c) FROM (VALUES (1), (NULL), (2)) v(c);

-- election night: stations report as they count, provisional first, final later
CREATE TABLE night_stations (region text, station int, t tally);
INSERT INTO night_stations
SELECT 'r' || (s % 5), s,
	   as_part(with_blank(with_ballots_issued(make_tally(600, v1 + v2 + v3 + inv, inv,
														 ARRAY[1, 2, 3], ARRAY[v1, v2, v3]),
											  v1 + v2 + v3 + inv + s % 3),
						  s % 7),
			   s % 4 <> 0)	-- every fourth station's protocol is still provisional
FROM generate_series(1, 2000) s,
	 LATERAL (SELECT 150 + s % 40 AS v1, 120 + s % 30 AS v2, 80 + s % 20 AS v3, 10 + s % 7 AS inv) n
WHERE s % 9 <> 0;			-- a ninth of the stations have not reported yet
CREATE TABLE night_expected (region text, stations int);
INSERT INTO night_expected SELECT 'r' || (s % 5), count(*) FROM generate_series(1, 2000) s GROUP BY 1;
ANALYZE night_stations;

-- stations reported / expected, with a provisional or final mark, every regional sum
SELECT region, parts(t) || ' / ' || e.stations AS reported,
	   provisional_parts(t) AS provisional, is_final(t) AS final,
	   ballots_issued(t) AS issued, ballots_cast(t) AS cast, invalid(t), blank(t), valid_votes(t)
FROM (SELECT region, sum(t) AS t FROM night_stations GROUP BY region) r
JOIN night_expected e USING (region)
ORDER BY region;

-- serial and parallel plans give the same sums, marks included
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE night_serial AS
SELECT (SELECT sum(t) FROM night_stations) AS total,
	   (SELECT array_agg(t ORDER BY region)
		FROM (SELECT region, sum(t) AS t FROM night_stations GROUP BY region) g) AS regions;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT sum(t) FROM night_stations;
SELECT (SELECT sum(t) FROM night_stations) = total AS total_same,
	   (SELECT array_agg(t ORDER BY region)
		FROM (SELECT region, sum(t) AS t FROM night_stations GROUP BY region) g) = regions AS regions_same,
	   parts(total), provisional_parts(total), is_final(total)
FROM night_serial;
RESET ALL;

-- a station's protocol is corrected and confirmed: the sum becomes final when every part is
UPDATE night_stations SET t = as_part(t, true);
SELECT parts(t), provisional_parts(t), is_final(t) FROM (SELECT sum(t) AS t FROM night_stations) s;

-- live adding of parts into a stored regional tally (UPDATE ... SET t = t + part), in
-- two waves; the empty count knows its registered voters and ballots issued (0), so
-- the sums keep them known
CREATE TABLE night_regions AS SELECT region, 'registered=0 issued=0'::tally AS t FROM night_expected;
UPDATE night_regions r SET t = r.t + s.t
FROM (SELECT region, sum(t) AS t FROM night_stations WHERE station <= 1000 GROUP BY region) s
WHERE s.region = r.region;
SELECT region, parts(t), is_final(t) FROM night_regions ORDER BY region;
UPDATE night_regions r SET t = r.t + s.t
FROM (SELECT region, sum(t) AS t FROM night_stations WHERE station > 1000 GROUP BY region) s
WHERE s.region = r.region;
SELECT count(*) FILTER (WHERE r.t = s.t) AS same_as_sum, count(*) AS regions
FROM night_regions r JOIN (SELECT region, sum(t) AS t FROM night_stations GROUP BY region) s USING (region);

-- protocol_problems on a stored tally uses its own ballots issued and blank ballots
SELECT code, severity, message, found, expected
FROM protocol_problems(with_ballots_issued('registered=1000 cast=620 invalid=30 blank=25 votes={17:300,42:290}', 650));
SELECT code, found, expected
FROM protocol_problems('cast=620 invalid=30 votes={17:300,42:290}'::tally, declared_valid => 600);
SELECT count(*) AS problems FROM protocol_problems('cast=620 invalid=3 votes={17:300,42:317}'::tally);
SELECT count(*) AS problems FROM protocol_problems(NULL::tally);
-- the same numbers through the array form give the same problems
SELECT (SELECT array_agg(code ORDER BY code) FROM protocol_problems(with_ballots_issued('registered=1000 cast=620 invalid=30 blank=25 votes={17:300,42:290}', 650)))
	 = (SELECT array_agg(code ORDER BY code)
		FROM protocol_problems(ARRAY[17, 42]::bigint[], ARRAY[300, 290]::bigint[], registered => 1000,
							   ballots_issued => 650, ballots_cast => 620, blank => 25, invalid => 5)) AS same;

DROP TABLE night_stations, night_expected, night_regions;
