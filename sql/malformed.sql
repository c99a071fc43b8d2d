-- A catalogue of malformed tallies, text and binary.  Every one must be
-- a clean ERROR with a specific SQLSTATE (never XX000, never accepted),
-- and the session must go on working after each.  sql/errors.sql has the
-- first ~45 text values; these are others.

CREATE FUNCTION pg_temp.try_tally(input text, OUT code text, OUT message text,
								  OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM input::tally;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
	-- the input repeated in a syntax error's message is shown once, on the left
	message := regexp_replace(message, ': ".*"$', '', 's');
END
$$;

CREATE TEMP TABLE text_case (n serial PRIMARY KEY, input text NOT NULL);
INSERT INTO text_case (input) VALUES
	-- a field without a value, or a value without a field
	('registered='), ('invalid='), ('votes='), ('{1:1}'), ('=1'), ('='), ('cast 1'),
	('1'), ('x'), ('-'), ('+'),
	-- a field twice
	('cast=1 cast=1'), ('invalid=0 invalid=0'), ('cast=1 registered=5 cast=1'),
	('registered=1 registered=2'), ('votes={}votes={}'),
	-- not a decimal integer
	('cast=1x'), ('cast=0x10'), ('cast=1_000'), ('cast=1,000'), ('cast=-'), ('cast=+'),
	('cast=--1'), ('cast=- 1'), ('registered=NULL'), ('registered=unknown'),
	('registered=null cast=1'), ('cast="1"'), ('cast=''1'''),
	-- digits, minus signs and spaces that are not ASCII
	('cast=١'), ('cast=１'), ('cast=−1'), (E'cast=1\u2003'),
	-- keys: case, quotes, unknown ones, no space between fields
	('CAST=1'), ('Votes={1:1}'), ('"cast"=1'), ('cast=1 x'),
	('cast=1 invalid=1 registered=1 votes={} extra'), ('cast=1 # comment'),
	('cast=1;invalid=0'), ('votes={1:1}cast=1'), ('cast=1invalid=0'), ('registered=10cast=5'),
	(E'cast\t=\t1\tx'), (E'cast=1\x01'), (E'\x01cast=1'),
	-- the votes list
	('votes={'), ('votes=}'), ('votes={}}'), ('votes={{1:1}}'), ('votes={1:1},'),
	('votes={1::1}'), ('votes={1:1:1}'), ('votes={1,1}'), ('votes={[1:1]}'), ('votes=[1:1]'),
	('votes=(1:1)'), ('votes={"1":1,2:1}'), ('votes={1:"1"}'), ('votes={1:1.0}'), ('votes={1.0:1}'),
	('votes={1:1e2}'), ('votes={1:0x1}'), ('votes={1:null}'), ('votes={null:1}'),
	('votes={1:NaN}'), ('votes={1:Infinity}'), ('votes={ : }'), ('votes={,}'),
	('votes={1:1,,2:2}'), ('votes={- 1:1}'), ('votes={1:- 1}'),
	-- the same candidate twice, however it is written
	('votes={1:1, 1:1}'), ('votes={01:1,1:1}'), ('votes={+1:1,1:1}'), ('votes={-0:1,0:1}'),
	('votes={9223372036854775807:1,9223372036854775807:1}'),
	('votes={-9223372036854775808:1,-9223372036854775808:2}'),
	-- beyond 64 bits, or negative
	('cast=-9223372036854775808'), ('cast=18446744073709551616'),
	('cast=000000000000000000009223372036854775808'),
	('votes={1:4611686018427387904,2:4611686018427387904}'),
	('registered=9223372036854775807 cast=9223372036854775807 invalid=1 votes={1:9223372036854775807}'),
	('registered=9223372036854775807 invalid=9223372036854775807 votes={1:1}'),
	-- inconsistent counts
	('cast=1 votes={1:2}'), ('registered=5 cast=6 votes={}'), ('registered=0 cast=1'),
	('registered=1 invalid=2'), ('invalid=5 cast=4'), ('registered=-0 cast=1'),
	-- large inputs: 100 kB of junk, a 10,000-digit count, a million colons, a
	-- thousand copies of one candidate, and 2^25 + 1 colons (more candidates
	-- than a tally may hold: rejected before anything is allocated for them)
	(repeat('x', 100000)), ('cast=' || repeat('9', 10000)),
	('votes={' || repeat(':', 1000000)), ('votes={' || repeat('1:1,', 1000) || '1:1}'),
	('votes={' || repeat(':', 33554433) || '}');

SELECT n,
	   CASE WHEN length(input) > 48 THEN left(input, 32) || format('...(%s chars)', length(input))
			ELSE input END AS input,
	   r.code AS sqlstate, r.message, left(r.detail, 200) AS detail
FROM text_case, pg_temp.try_tally(input) r
ORDER BY n;

-- every one rejected, none with an internal error
SELECT count(*) AS text_cases,
	   count(*) FILTER (WHERE r.code IS NULL) AS accepted,
	   count(*) FILTER (WHERE r.code LIKE 'XX%') AS internal_errors,
	   string_agg(DISTINCT r.code, ' ' ORDER BY r.code) AS sqlstates
FROM text_case, pg_temp.try_tally(input) r;

-- their neighbours that are well-formed, for contrast
SELECT input, input::tally AS canonical
FROM (VALUES ('cast = 1'), ('votes = { 1 : 1 , 2 : 2 }'), ('cast=-0'), (E'\tinvalid=1\n'),
			 ('cast=0000000000000000000009223372036854775807')) v(input);

-- malformed text through COPY: the first bad line stops the whole COPY
CREATE TEMP TABLE mal (t tally);
COPY mal FROM STDIN;
votes={1:1}
votes={2:1,2:1}
\.
COPY mal FROM STDIN;
cast=5 votes={1:6}
\.
COPY mal FROM STDIN;
cast=99999999999999999999
\.
SELECT count(*) AS rows_loaded FROM mal;

--
-- Malformed binary values through COPY (FORMAT binary).  Each file in
-- test/data/binary/ (written by test/data/make_binary.py, which describes
-- each) is a whole binary COPY stream whose one field is a bad tally.
-- First each error's SQLSTATE, then its message and detail.
--
\set VERBOSITY sqlstate
-- truncated data
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_empty.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_version_only.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_header.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_half_pair.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_pair_minus_one.bin"' (FORMAT binary)
-- counts larger than the bytes that follow
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_exceeds_bytes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_max_no_bytes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_over_limit.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_sign_bit.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_uint32_max.bin"' (FORMAT binary)
-- trailing bytes
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trailing_byte.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trailing_pair.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trailing_after_empty.bin"' (FORMAT binary)
-- unknown format version
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_0.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_2.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_255.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_2_short.bin"' (FORMAT binary)
-- unknown flags
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/flags_0x03.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/flags_0x80.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/flags_0xff.bin"' (FORMAT binary)
-- registered voters marked unknown, yet holding a number
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unknown_registered_nonzero.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unknown_registered_negative.bin"' (FORMAT binary)
-- negative counts
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_registered.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_cast.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_invalid.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_votes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/int64_min_cast.bin"' (FORMAT binary)
-- int64 overflow in sums
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/overflow_votes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/overflow_votes_invalid.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/overflow_many_votes.bin"' (FORMAT binary)
-- duplicate and unsorted candidates
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/duplicate_candidates.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/duplicate_after_sorted.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/duplicate_zero_votes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unsorted_candidates.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unsorted_extremes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unsorted_late.bin"' (FORMAT binary)
-- inconsistent counts
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/votes_exceed_cast.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/invalid_exceeds_cast.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/cast_exceeds_registered.bin"' (FORMAT binary)
-- two good rows, then a bad one
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/bad_third_row.bin"' (FORMAT binary)

\set VERBOSITY default
\set SHOW_CONTEXT never
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_empty.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_version_only.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_header.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_half_pair.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trunc_pair_minus_one.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_exceeds_bytes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_max_no_bytes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_over_limit.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_sign_bit.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/count_uint32_max.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trailing_byte.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trailing_pair.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/trailing_after_empty.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_0.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_2.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_255.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/version_2_short.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/flags_0x03.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/flags_0x80.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/flags_0xff.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unknown_registered_nonzero.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unknown_registered_negative.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_registered.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_cast.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_invalid.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/negative_votes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/int64_min_cast.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/overflow_votes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/overflow_votes_invalid.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/overflow_many_votes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/duplicate_candidates.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/duplicate_after_sorted.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/duplicate_zero_votes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unsorted_candidates.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unsorted_extremes.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/unsorted_late.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/votes_exceed_cast.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/invalid_exceeds_cast.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/cast_exceeds_registered.bin"' (FORMAT binary)
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/bad_third_row.bin"' (FORMAT binary)
\set SHOW_CONTEXT errors

-- nothing was loaded, and the session still works: the good file loads,
-- value for value
SELECT count(*) AS rows_loaded FROM mal;
\copy mal FROM PROGRAM 'cat "$PG_ABS_SRCDIR/test/data/binary/valid.bin"' (FORMAT binary)
SELECT t FROM mal ORDER BY ctid;
SELECT array_agg(t ORDER BY ctid) IS NOT DISTINCT FROM ARRAY[
	'registered=1000 cast=620 invalid=3 votes={17:300,42:317}', NULL, 'cast=0', 'registered=0',
	'registered=9223372036854775807 cast=9223372036854775807 votes={-9223372036854775808:9223372036854775807}',
	'cast=9223372036854775807 invalid=9223372036854775807',
	'cast=10 invalid=2 votes={1:4,2:4,3:0}']::tally[] AS exactly_as_written
FROM mal;
SELECT sum(t), 'votes={1:1}'::tally + 'votes={1:1}' AS still_working
FROM mal WHERE ballots_cast(t) < 1000;
