-- Named rule sets: 'kz1994' (more than half of the registered voters must
-- cast a ballot) and 'none' (no turnout rule); no rule is ever assumed.

-- the 1994 rule: exactly half is not enough, one more ballot is
SELECT is_valid('registered=1000 cast=500 votes={1:500}', 'kz1994') AS exactly_half,
	   is_valid('registered=1000 cast=501 votes={1:501}', 'kz1994') AS one_more,
	   is_valid('registered=999 cast=500 votes={1:500}', 'kz1994') AS odd_registered;
SELECT ballots_needed(1000, 'kz1994') AS kz_1000, ballots_needed(999, 'kz1994') AS kz_999,
	   ballots_needed(1000, 'none') AS none_1000;

-- without a turnout rule every election is valid, with or without an
-- electorate: Kingston upon Hull East 2019, turnout 49.51%
SELECT winner_key, valid, by_election, turnout, turnout_valid
FROM outcome(make_tally(66378, 32863, 159, ARRAY['Lab', 'Con', 'Brexit', 'LD', 'Green'],
						ARRAY[12713, 11474, 5764, 1707, 875]), 'none');
SELECT winner_key, valid, by_election
FROM outcome(make_tally(66378, 32863, 159, ARRAY['Lab', 'Con', 'Brexit', 'LD', 'Green'],
						ARRAY[12713, 11474, 5764, 1707, 875]), 'kz1994');
SELECT winner_key, valid, by_election, registered
FROM outcome('cast=100 votes={"a":60,"b":40}', 'none');
SELECT winner_key, valid, by_election FROM outcome('cast=100 votes={"a":60,"b":40}', 'kz1994');
SELECT winner_key, valid, by_election FROM outcome('cast=100 votes={"a":60,"b":40}', NULL, 'none');
-- 'none' still leaves a tie or an empty count without a winner
SELECT reason FROM outcome('cast=10 votes={"a":5,"b":5}', 'none');
SELECT reason FROM outcome('cast=3 invalid=3', 'none');
SELECT reason FROM outcome('cast=0', 'none');

-- a threshold of 0 needs no electorate either: ballots cast > 0 decides
SELECT (outcome('cast=1 votes={1:1}', NULL, 0)).valid AS one_ballot,
	   (outcome('cast=0 votes={1:0}', NULL, 0)).valid AS no_ballot,
	   (outcome('cast=3 votes={1:2,2:1}', NULL, 0)).winner AS winner_without_electorate;
-- (the strict functions give NULL for a NULL argument, as PostgreSQL's do)
SELECT is_valid('cast=1 votes={1:1}', NULL, 0) AS strict_null;

-- the same rules in every function
SELECT winner(t, 'kz1994'), winner(t, 'none'), winner(t, 2000, 'kz1994') AS kz_2000,
	   winner_key(t, 'none'), winner_key(t, 2000, 'kz1994') AS kz_2000_key,
	   is_valid(t, 2000, 'kz1994'), needs_by_election(t, 2000, 'kz1994'),
	   needs_by_election(t, 'none'), turnout(t), turnout_valid(t), turnout_valid(t, 2000)
FROM (SELECT 'registered=1000 cast=620 invalid=20 votes={17:300,42:300}'::tally
			 + 'registered=0 votes={17:0}'::tally AS t) s;

-- election_summary under each rule
CREATE TABLE r_seats (id int, t tally);
INSERT INTO r_seats VALUES
	(1, 'registered=100 cast=60 invalid=1 votes={"a":40,"b":19}'),
	(2, 'registered=100 cast=50 votes={"a":30,"b":20}'),
	(3, 'registered=100 cast=70 votes={"a":35,"b":35}'),
	(4, 'cast=40 votes={"a":25,"b":15}');
SELECT (election_summary(t, 'kz1994')).* FROM r_seats;
SELECT (election_summary(t, 'none')).* FROM r_seats;
SELECT (election_summary(t, 100, 'kz1994')).* FROM r_seats;

-- NULL rules: validity unknown, as a NULL threshold
SELECT valid, by_election FROM outcome('registered=10 cast=6 votes={1:6}', NULL::text);
SELECT (election_summary(t, NULL::text)).undecided FROM r_seats;

-- no rule named: an error that says what to write
SELECT outcome('registered=10 cast=6 votes={1:6}');
SELECT winner('registered=10 cast=6 votes={1:6}');
SELECT is_valid('registered=10 cast=6 votes={1:6}');
SELECT needs_by_election('registered=10 cast=6 votes={1:6}');
SELECT election_summary(t) FROM r_seats;
SELECT election_summary(t, 100::bigint) FROM r_seats;
-- the threshold forms without a threshold (their default is NaN: no rule)
SELECT outcome('registered=10 cast=6 votes={1:6}', 10);
SELECT winner('registered=10 cast=6 votes={1:6}', 10);
SELECT ballots_needed(10);
-- an unknown rule set
SELECT outcome('cast=1 votes={1:1}', 'uk');
-- leader and turnout need no rule
SELECT leader('registered=10 cast=6 votes={1:6}'), leader_key('registered=10 cast=6 votes={1:6}'),
	   turnout('registered=10 cast=6 votes={1:6}');

-- candidate rules: an out-of-range minimum age is an error, not a wrap-around
SELECT candidate_violations('1994-03-06', 'self', NULL, NULL, '1994-02-01', '1994-03-07', 2147483647);
SELECT candidate_violations('1994-03-06', 'self', NULL, NULL, '1994-02-01', '1994-03-07', -1);
SELECT candidate_violations('1974-03-07', 'self', NULL, NULL, '1994-02-01', '1994-03-07', 20) AS born_20_years_before,
	   candidate_violations('1994-03-06', 'self', NULL, NULL, '1994-02-01', '1994-03-07', 0) AS min_age_0,
	   candidate_violations('1994-03-06', 'self', NULL, NULL, '1994-02-01', '1994-03-07', NULL) AS null_min_age;

DROP TABLE r_seats;
