-- A small election for the client tests (test/sh/clients_*.sh), loaded
-- into a fresh database with psql -v ON_ERROR_STOP=1 -f.
--
--   1 Alatau      60 % turnout, candidate 11 elected, one blank ballot
--   2 Auezov      57 % turnout, candidates 21 and 22 tied
--   3 Medeu       exactly 50 % turnout: not valid, candidate 31 led
--   4 Bostandyk   only blank ballots: no candidates
--   5 Zhetysu     registered voters unknown: validity unknown
--   6 Turksib     counts beyond 2^53 (JavaScript's exact integers):
--                 4503599627370497 ballots of 9007199254740993 voters,
--                 one ballot over half
--   7 Kalkaman    candidates on the protocol with 0 votes, all ballots
--                 invalid: no valid votes
--
-- Constituencies 1 to 5 are counted at the ballots grain and at the
-- polling-station grain (the same tallies); 6 and 7 only from station
-- protocols.

CREATE EXTENSION maslihat;

CREATE TABLE constituency (
	id int PRIMARY KEY,
	name text NOT NULL,
	registered bigint			-- NULL: unknown
);

INSERT INTO constituency VALUES
	(1, 'Alatau', 10),
	(2, 'Auezov', 7),
	(3, 'Medeu', 6),
	(4, 'Bostandyk', 4),
	(5, 'Zhetysu', NULL),
	(6, 'Turksib', 9007199254740993),
	(7, 'Kalkaman', 8);

-- One row per ballot; a NULL candidate is a blank or invalid ballot.
CREATE TABLE ballot (
	constituency int NOT NULL REFERENCES constituency,
	station int NOT NULL,
	candidate bigint
);

INSERT INTO ballot VALUES
	(1, 1, 11), (1, 1, 11), (1, 1, 12), (1, 1, NULL),
	(1, 2, 11), (1, 2, 12),
	(2, 1, 21), (2, 1, 22),
	(2, 2, 21), (2, 2, 22),
	(3, 1, 31), (3, 1, 31), (3, 1, 32),
	(4, 1, NULL), (4, 1, NULL),
	(4, 2, NULL),
	(5, 1, 51), (5, 1, 52),
	(5, 2, 51);

-- One row per polling-station protocol.
CREATE TABLE station (
	constituency int NOT NULL REFERENCES constituency,
	station int NOT NULL,
	t tally NOT NULL,
	PRIMARY KEY (constituency, station)
);

INSERT INTO station VALUES
	(1, 1, make_tally(6, 4, 1, ARRAY[11, 12], ARRAY[2, 1])),
	(1, 2, make_tally(4, 2, 0, ARRAY[11, 12], ARRAY[1, 1])),
	(2, 1, 'registered=4 cast=2 votes={21:1,22:1}'),
	(2, 2, 'registered=3 cast=2 votes={21:1,22:1}'),
	(3, 1, 'registered=6 cast=3 votes={31:2,32:1}'),
	(4, 1, 'registered=2 cast=2 invalid=2'),
	(4, 2, 'registered=2 cast=1 invalid=1'),
	(5, 1, 'cast=2 votes={51:1,52:1}'),
	(5, 2, 'cast=1 votes={51:1}'),
	(6, 1, make_tally(4503599627370496, 2251799813685249, 1,
					  ARRAY[61, 62], ARRAY[2251799813685000, 248])),
	(6, 2, make_tally(4503599627370497, 2251799813685248, 0,
					  ARRAY[61, 62], ARRAY[1125899906842624, 1125899906842624])),
	(7, 1, make_tally(8, 5, 5, ARRAY[71, 72], ARRAY[0, 0]));

-- Each constituency's tally from its station protocols.
CREATE VIEW constituency_tally AS
SELECT c.id, c.name, c.registered, s.t
FROM constituency c
JOIN (SELECT constituency, sum(t) AS t FROM station GROUP BY 1) s
  ON s.constituency = c.id;
