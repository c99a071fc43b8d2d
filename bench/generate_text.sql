-- bench/generate_text.sql: the same ballots keyed by text, for the
-- benchmark's text-key table (after bench/generate.sql, and after any rows
-- added to ballots by hand).
--
-- Makes ballots_text (constituency int, key text): one row per row of
-- ballots, in the same order, the candidate's number replaced by a name of
-- 12 to 28 bytes (Latin and Kazakh Cyrillic letters), unique within a
-- constituency; NULL stays NULL.  bench_key(candidate) gives the name.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS ballots_text;
DROP FUNCTION IF EXISTS bench_key(bigint);

-- A candidate's name: a first name by the number modulo 8 (so that the
-- consecutive numbers of one constituency's candidates differ), a surname
-- by the next 4 bits.
CREATE FUNCTION bench_key(candidate bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT (ARRAY['Aigerim', 'Нұрлан', 'Saule', 'Yerlan', 'Әлия', 'Bakhyt', 'Zhanna', 'Serik'])
			   [1 + ((candidate % 8) + 8) % 8]
		   || ' ' ||
		   (ARRAY['Abenov', 'Seitkaliyeva', 'Dzhaksybekov', 'Omarova', 'Tokayev-Nurly', 'Zhunusova',
				  'Kassymov', 'Mukhametzhanova', 'Ospanov', 'Baimukhanova', 'Iskakov', 'Sarsenbayeva',
				  'Utepov', 'Yessenova', 'Kulibayev', 'Zhakupova'])
			   [1 + (((candidate >> 3) % 16) + 16) % 16]
$$;

CREATE TABLE ballots_text AS
SELECT constituency, bench_key(candidate) AS key FROM ballots;
ALTER TABLE ballots_text ALTER COLUMN constituency SET NOT NULL;

-- As for ballots: plain SQL groups by (constituency, key).
CREATE STATISTICS ballots_text_constituency_key (ndistinct) ON constituency, key FROM ballots_text;
VACUUM (FREEZE, ANALYZE) ballots_text;
