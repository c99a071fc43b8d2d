-- The binary form: COPY (FORMAT binary) round trips every value exactly.

CREATE TEMP TABLE bin_src (id int, t tally);
INSERT INTO bin_src VALUES
	(1, 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'),
	(2, 'cast=0'),
	(3, 'registered=0'),
	(4, 'registered=9223372036854775807 cast=9223372036854775807 votes={-9223372036854775808:9223372036854775807}'),
	(5, NULL),
	(6, 'cast=10 invalid=2 votes={3:0,1:4,2:4}');
-- a tally with many candidates, built by the aggregate
INSERT INTO bin_src SELECT 7, tally(c, c % 7) FROM generate_series(1, 2000) c;

\copy bin_src TO 'maslihat_regress_tally.bin' (FORMAT binary)
CREATE TEMP TABLE bin_dst (LIKE bin_src);
\copy bin_dst FROM 'maslihat_regress_tally.bin' (FORMAT binary)

SELECT s.id, s.t IS NOT DISTINCT FROM d.t AS same, candidates(d.t)
FROM bin_src s JOIN bin_dst d USING (id) ORDER BY id;
SELECT count(*) AS rows_copied FROM bin_dst;

-- the text form survives COPY too
\copy bin_src TO 'maslihat_regress_tally.txt'
CREATE TEMP TABLE txt_dst (LIKE bin_src);
\copy txt_dst FROM 'maslihat_regress_tally.txt'
\! rm -f maslihat_regress_tally.bin maslihat_regress_tally.txt
SELECT count(*) FILTER (WHERE s.t IS NOT DISTINCT FROM d.t) AS same, count(*) AS total
FROM bin_src s JOIN txt_dst d USING (id);

-- tally_send is the binary form: version 1, flags, registered, cast, invalid, n, pairs
SELECT tally_send('registered=1000 cast=620 invalid=3 votes={17:300,42:317}');
SELECT tally_send('votes={}');
