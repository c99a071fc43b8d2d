-- The synthetic 1994 sample, grain 1 of 3: candidate totals, straight from
-- data/constituencies.csv and data/candidates.csv.  Run by data/load.sql
-- from the repository root (\copy reads paths relative to it), in a
-- database where CREATE EXTENSION maslihat was run.
--
-- Tables are UNLOGGED: the sample is rebuilt from the CSV files at will.

SET client_min_messages = warning;
DROP TABLE IF EXISTS constituency_tally, ballot, station, candidate, constituency, published CASCADE;

CREATE UNLOGGED TABLE constituency (
	id integer PRIMARY KEY,
	level maslihat_level NOT NULL,
	region text NOT NULL,
	name text NOT NULL,
	residents bigint NOT NULL,
	registered bigint NOT NULL,
	ballots_cast bigint NOT NULL,
	invalid bigint NOT NULL,
	note text NOT NULL CHECK (note LIKE 'synthetic%'),
	UNIQUE (id, level)
);

CREATE UNLOGGED TABLE candidate (
	id bigint PRIMARY KEY,
	constituency integer NOT NULL,
	level maslihat_level NOT NULL,
	name text NOT NULL,
	birth_date date,
	nominated_by text,
	signatures bigint,
	registered_on date,
	votes bigint NOT NULL,
	note text NOT NULL CHECK (note LIKE 'synthetic%'),
	-- a candidate stands at the level of the constituency
	FOREIGN KEY (constituency, level) REFERENCES constituency (id, level)
);

\copy constituency FROM 'data/constituencies.csv' (FORMAT csv, HEADER true)
\copy candidate FROM 'data/candidates.csv' (FORMAT csv, HEADER true)

COMMENT ON TABLE constituency IS 'SYNTHETIC sample of the 1994 mäslihat elections: one row per constituency (one seat); matches the published totals only';
COMMENT ON TABLE candidate IS 'SYNTHETIC sample of the 1994 mäslihat elections: one row per candidate with total votes';

-- Grain 1: one row per candidate with its votes, and one row per
-- constituency with a NULL candidate carrying the blank or invalid ballots,
-- as tally(candidate, votes) reads them.
CREATE VIEW candidate_total AS
SELECT constituency, id AS candidate, votes FROM candidate
UNION ALL
SELECT id, NULL, invalid FROM constituency;

ANALYZE constituency, candidate;

-- The figures the Central Election Commission published (the seed), to
-- compare with what the sample gives.
CREATE TABLE published (
	n integer PRIMARY KEY,
	figure text NOT NULL,
	value numeric NOT NULL
);
INSERT INTO published VALUES
	(1, 'seats (constituencies)', 5935),
	(2, 'seats filled', 5897),
	(3, 'by-elections (turnout <= 50 %)', 38),
	(4, 'registered voters', 9561534),
	(5, 'ballots cast', 7030050),
	(6, 'turnout %', 73.52),
	(7, 'blank or invalid ballots', 12593),
	(8, 'candidates', 13744),
	(9, '  to district mäslihats', 9710),
	(10, '  to city mäslihats', 2322),
	(11, '  to regional mäslihats', 1712);
COMMENT ON TABLE published IS 'the results of the 1994 mäslihat elections as published by the Central Election Commission (not synthetic)';
