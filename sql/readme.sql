-- Every SQL example of README.md, in its order; test/sh/readme.sh checks
-- that each example and its output in the README appear here verbatim.

-- Getting started (pg_regress created the extension; start afresh)
DROP EXTENSION maslihat;
CREATE EXTENSION maslihat;
CREATE TABLE constituency (id int PRIMARY KEY, name text, registered bigint);
CREATE TABLE ballot (constituency int, candidate bigint);
INSERT INTO constituency VALUES (1, 'Alatau', 10), (2, 'Auezov', 7), (3, 'Medeu', 6);
INSERT INTO ballot VALUES
  (1, 11), (1, 11), (1, 11), (1, 12), (1, 12), (1, NULL),
  (2, 21), (2, 22), (2, 21), (2, 22),
  (3, 31), (3, 31), (3, 32);

SELECT c.name, o.winner, o.margin, o.turnout, o.valid, o.by_election, o.reason
FROM constituency c
JOIN (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b
  ON b.constituency = c.id
CROSS JOIN LATERAL outcome(b.t, c.registered) o
ORDER BY c.id;

SELECT constituency, fptp_winner(candidate) FROM ballot GROUP BY 1 ORDER BY 1;

-- Reference: the tally type
SELECT 'registered=1000 cast=620 invalid=3 votes={42:317,17:300}'::tally;
SELECT 'votes={1:10,2:5}'::tally;

-- tally(candidate)
SELECT tally(candidate) FROM ballot WHERE constituency = 1;

-- tally(candidate, votes)
SELECT tally(candidate, votes)
FROM (VALUES (17, 300), (42, 317), (NULL, 3)) AS protocol(candidate, votes);

-- sum(tally) and +
SELECT sum(t) FROM (VALUES
  ('registered=500 cast=300 invalid=2 votes={17:150,42:148}'::tally),
  ('registered=400 cast=200 invalid=1 votes={17:99,42:100}')) AS station(t);
SELECT 'registered=500 cast=300 votes={17:300}'::tally + 'cast=10 votes={42:10}'::tally;

-- make_tally and with_registered
SELECT make_tally(1200, 800, 12, ARRAY[7, 3, 5], ARRAY[400, 300, 88]);
SELECT with_registered('votes={1:6,2:4}', 20);

-- fptp_winner
SELECT fptp_winner(candidate, votes)
FROM (VALUES (17, 300), (42, 317)) AS protocol(candidate, votes);

-- outcome
SELECT * FROM outcome('registered=1000 cast=620 invalid=3 votes={17:300,42:317}');
SELECT winner, tie, by_election, reason
FROM outcome('registered=1000 cast=620 votes={17:310,42:310}');
SELECT winner, tie, drawn, by_election
FROM outcome('registered=1000 cast=620 votes={17:310,42:310}', 1000, lots_seed => 1994);
SELECT valid, reason FROM outcome('cast=500 votes={17:250,42:250}', 1000);

-- accessors
SELECT winner(t), leader(t), is_valid(t), needs_by_election(t), turnout(t)
FROM (SELECT 'registered=1000 cast=500 votes={17:300,42:200}'::tally AS t) s;
SELECT is_valid('cast=501', 1000) AS half, is_valid('cast=501', 1000, 0.6) AS sixty_percent;
SELECT ballots_needed(1000) AS half, ballots_needed(1000, round(2.0 / 3, 18)) AS two_thirds;
SELECT registered(t), ballots_cast(t), invalid(t), valid_votes(t), candidates(t), votes(t, 42)
FROM (SELECT 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::tally AS t) s;
SELECT * FROM ranking('cast=100 votes={1:40,2:40,3:20}');

-- election summary and candidate rules
SELECT (election_summary(t, registered)).*
FROM (VALUES (make_tally(NULL, 700, 4, '{11,12}', '{400,296}'), 1000),
             (make_tally(NULL, 500, 0, '{21,22}', '{260,240}'), 1000),
             (make_tally(NULL, 1501, 1, '{31,32}', '{1000,500}'), 3001)) AS v(t, registered);
SELECT 'city'::maslihat_level < 'regional' AS city_below_regional;
SELECT signatures_needed(1001) AS of_1001, signatures_needed(1000) AS of_1000,
       signatures_needed(1001, 0.01) AS one_percent;
SELECT candidate_violations('1974-03-07', 'self', NULL, NULL, '1994-02-08') AS exactly_20;
SELECT candidate_violations('1974-03-08', 'association', 30, 1001, '1994-02-09') AS breaks;

-- jsonb
SELECT 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::tally::jsonb;
SELECT '{"cast": 5, "votes": [{"candidate": 1, "votes": 3}]}'::jsonb::tally;

-- operators
SELECT 'votes={1:2}'::tally = 'cast=2 invalid=0 votes={1:2}' AS same;

DROP TABLE constituency, ballot;

-- results night: seats by party, holds and gains, swing
SELECT (unnest(party_seats(t, parties))).*
FROM (VALUES (make_tally(100, 40, 2, '{Smith,Jones,Brown}'::text[], '{10,15,8}'),
              '{"Smith": "Ind", "Jones": "Con", "Brown": "Ind"}'::jsonb),
             (make_tally(90, 51, 1, '{Patel,Evans}'::text[], '{30,20}'),
              '{"Patel": "Lab", "Evans": "Con"}'),
             (make_tally(80, 15, 1, '{Ahmed,Clark}'::text[], '{7,7}'),
              '{"Ahmed": "Lab", "Clark": "Con"}')) AS v(t, parties);
SELECT seats, seats_filled, seats_empty, majority_needed, largest_party, overall_majority,
       valid_votes, turnout, turnout_valid
FROM (SELECT (seat_summary(t, parties)).*
      FROM (VALUES (make_tally(100, 40, 2, '{Smith,Jones,Brown}'::text[], '{10,15,8}'),
                    '{"Smith": "Ind", "Jones": "Con", "Brown": "Ind"}'::jsonb),
                   (make_tally(90, 51, 1, '{Patel,Evans}'::text[], '{30,20}'),
                    '{"Patel": "Lab", "Evans": "Con"}'),
                   (make_tally(80, 15, 1, '{Ahmed,Clark}'::text[], '{7,7}'),
                    '{"Ahmed": "Lab", "Clark": "Con"}')) AS v(t, parties)) s;
SELECT largest_party, round(gallagher::numeric, 2) AS gallagher,
       round(loosemore_hanby::numeric, 2) AS loosemore_hanby,
       round(enp_votes::numeric, 2) AS enp_votes, round(enp_seats::numeric, 2) AS enp_seats
FROM (SELECT (seat_summary(t)).*
      FROM (VALUES (make_tally(NULL, 100, 0, '{Blue,Red,Green}'::text[], '{50,30,20}')),
                   (make_tally(NULL, 100, 0, '{Blue,Red,Green}'::text[], '{45,40,15}')),
                   (make_tally(NULL, 100, 0, '{Blue,Red,Green}'::text[], '{30,45,25}'))) AS v(t)) s;
SELECT hold_or_gain('Con', 'Con') AS hold, hold_or_gain('Con', 'Lab') AS gain,
       hold_or_gain('Con', 'Lab', 'Lab Coop') AS from_coop, hold_or_gain(NULL, 'Lab') AS empty_seat;
SELECT butler_swing(make_tally(NULL, 100, 0, '{Con,Lab,LD}'::text[], '{42,40,18}'),
                    make_tally(NULL, 100, 0, '{Con,Lab,LD}'::text[], '{44,32,24}'),
                    'Lab', 'Con') AS lab_to_con;
