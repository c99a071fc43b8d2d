-- Loads the UK general elections of 2017 and 2019 (House of Commons Library
-- files in data/uk-ge-2017/ and data/uk-ge-2019/, Open Parliament Licence
-- v3.0; see their PROVENANCE.md) into three plain tables.  Needs no extension.
-- From the repository root:
--   psql -v ON_ERROR_STOP=1 -f data/uk/load.sql
--
-- The candidate files are loaded as published: Meon Valley's 2019 Labour
-- and Green votes are mistyped there.  data/uk/correct.sql puts in the
-- declared figures.
--
--   uk_constituency  one row per constituency and election
--   uk_candidate     one row per candidate and election
--   uk_party_votes   the constituency files' votes for the main parties (a
--                    column each there), to check the candidate files by
--
-- party is the Library's party code, as in the constituency files'
-- first/second party and Result columns.  The 2019 candidate file spells
-- four of them differently (Alliance, Brexit, Ashfield Independents,
-- Birkenhead Social Justice Party); they are mapped to the codes of the
-- constituency file (APNI, BRX, Ash, BSJP).  Labour and Labour
-- Co-operative candidates share the code Lab; party_name tells them apart.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

DROP TABLE IF EXISTS uk_party_votes, uk_candidate, uk_constituency;

CREATE TEMP TABLE raw_constituency_2019 (
	ons_id text, ons_region_id text, constituency_name text, county_name text,
	region_name text, country_name text, constituency_type text, declaration_time text,
	member_first_name text, member_surname text, member_gender text, result text,
	first_party text, second_party text, electorate bigint, valid_votes bigint,
	invalid_votes bigint, majority bigint, con bigint, lab bigint, ld bigint, brx bigint,
	green bigint, snp bigint, pc bigint, dup bigint, sf bigint, sdlp bigint, uup bigint,
	apni bigint, other bigint, other_winner bigint
) ON COMMIT DROP;
\copy raw_constituency_2019 FROM 'data/uk-ge-2019/HoC-GE2019-results-by-constituency.csv' (FORMAT csv, HEADER true)

CREATE TEMP TABLE raw_candidate_2019 (
	ons_id text, ons_region_id text, constituency_name text, county_name text,
	region_name text, country_name text, constituency_type text, party_name text,
	party_abbreviation text, firstname text, surname text, gender text, sitting_mp text,
	former_mp text, votes bigint, share numeric, change numeric
) ON COMMIT DROP;
\copy raw_candidate_2019 FROM 'data/uk-ge-2019/HoC-GE2019-results-by-candidate.csv' (FORMAT csv, HEADER true)

CREATE TEMP TABLE raw_constituency_2017 (
	ons_id text, ons_region_id text, constituency_name text, county_name text,
	region_name text, country_name text, constituency_type text, declaration_time text,
	result text, first_party text, second_party text, electorate bigint,
	valid_votes bigint, invalid_votes bigint, majority bigint, con bigint, lab bigint,
	ld bigint, ukip bigint, green bigint, snp bigint, pc bigint, dup bigint, sf bigint,
	sdlp bigint, uup bigint, alliance bigint, other bigint, other_winner bigint
) ON COMMIT DROP;
\copy raw_constituency_2017 FROM 'data/uk-ge-2017/HoC-GE2017-constituency-results.csv' (FORMAT csv, HEADER true)

CREATE TEMP TABLE raw_candidate_2017 (
	ons_id text, ons_region_id text, constituency_name text, county_name text,
	region_name text, country_name text, constituency_type text, party_name text,
	party_abbreviation text, ec_party_id text, mnis_party_id text, ec_adjunct_party_id text,
	firstname text, surname text, gender text, sitting_mp text, former_mp text,
	member_mnis_id text, votes bigint, share numeric, change numeric,
	democracy_club_person_id text
) ON COMMIT DROP;
\copy raw_candidate_2017 FROM 'data/uk-ge-2017/HoC-GE2017-results-by-candidate.csv' (FORMAT csv, HEADER true)

CREATE TABLE uk_constituency (
	election integer NOT NULL,		-- 2017 or 2019
	ons_id text NOT NULL,
	name text NOT NULL,
	region text NOT NULL,
	country text NOT NULL,
	result text NOT NULL,			-- the Library's label against the election before
	first_party text NOT NULL,
	second_party text NOT NULL,
	electorate bigint NOT NULL,
	valid_votes bigint NOT NULL,
	invalid_votes bigint NOT NULL,
	majority bigint NOT NULL,
	PRIMARY KEY (election, ons_id)
);

CREATE TABLE uk_candidate (
	election integer NOT NULL,
	ons_id text NOT NULL,
	name text NOT NULL,				-- first name and surname, unique in a constituency
	party text NOT NULL,			-- the Library's party code
	party_name text NOT NULL,
	votes bigint NOT NULL,
	PRIMARY KEY (election, ons_id, name),
	FOREIGN KEY (election, ons_id) REFERENCES uk_constituency
);

INSERT INTO uk_constituency
SELECT 2019, ons_id, constituency_name, region_name, country_name, result, first_party,
	   second_party, electorate, valid_votes, invalid_votes, majority
FROM raw_constituency_2019
UNION ALL
SELECT 2017, ons_id, constituency_name, region_name, country_name, result, first_party,
	   second_party, electorate, valid_votes, invalid_votes, majority
FROM raw_constituency_2017;

INSERT INTO uk_candidate
SELECT 2019, ons_id, firstname || ' ' || surname,
	   CASE party_abbreviation
		   WHEN 'Alliance' THEN 'APNI'
		   WHEN 'Brexit' THEN 'BRX'
		   WHEN 'Ashfield Independents' THEN 'Ash'
		   WHEN 'Birkenhead Social Justice Party' THEN 'BSJP'
		   ELSE party_abbreviation
	   END,
	   party_name, votes
FROM raw_candidate_2019
UNION ALL
SELECT 2017, ons_id, firstname || ' ' || surname, party_abbreviation, party_name, votes
FROM raw_candidate_2017;

CREATE TABLE uk_party_votes (
	election integer NOT NULL,
	ons_id text NOT NULL,
	party text NOT NULL,
	votes bigint NOT NULL,
	PRIMARY KEY (election, ons_id, party),
	FOREIGN KEY (election, ons_id) REFERENCES uk_constituency
);

INSERT INTO uk_party_votes
SELECT 2019, r.ons_id, v.party, v.votes
FROM raw_constituency_2019 r,
	 LATERAL (VALUES ('Con', r.con), ('Lab', r.lab), ('LD', r.ld), ('BRX', r.brx), ('Green', r.green),
					 ('SNP', r.snp), ('PC', r.pc), ('DUP', r.dup), ('SF', r.sf), ('SDLP', r.sdlp),
					 ('UUP', r.uup), ('APNI', r.apni)) v(party, votes)
UNION ALL
SELECT 2017, r.ons_id, v.party, v.votes
FROM raw_constituency_2017 r,
	 LATERAL (VALUES ('Con', r.con), ('Lab', r.lab), ('LD', r.ld), ('UKIP', r.ukip), ('Green', r.green),
					 ('SNP', r.snp), ('PC', r.pc), ('DUP', r.dup), ('SF', r.sf), ('SDLP', r.sdlp),
					 ('UUP', r.uup), ('APNI', r.alliance)) v(party, votes);

COMMIT;
ANALYZE uk_constituency, uk_candidate, uk_party_votes;
