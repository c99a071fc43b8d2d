-- The first-past-the-post rules: validity by turnout, winner, ties,
-- by-elections and their reasons, drawing of lots.

\pset null '(null)'

-- turnout exactly at the threshold is not enough; one ballot more is
SELECT is_valid('cast=500', 1000, 'kz1994') AS exactly_half,
	   is_valid('cast=501', 1000, 'kz1994') AS one_above,
	   is_valid('cast=500 votes={1:500}', 999, 'kz1994') AS odd_registered,
	   is_valid('cast=499 votes={1:499}', 999, 'kz1994') AS odd_below;
SELECT (outcome('cast=500 votes={1:300,2:200}', 1000, 'kz1994')).*;
SELECT (outcome('cast=501 votes={1:301,2:200}', 1000, 'kz1994')).*;

-- the threshold is exact at any size: 128-bit products, no floating point
SELECT is_valid('cast=4611686018427387904', 9223372036854775807, 'kz1994') AS just_above_half,
	   is_valid('cast=4611686018427387903', 9223372036854775807, 'kz1994') AS just_below_half,
	   is_valid('cast=4611686018427387904', 9223372036854775806, 'kz1994') AS at_half_of_even;

-- other thresholds, settable per call
SELECT is_valid('cast=600', 1000, 0.6) AS at_60, is_valid('cast=601', 1000, 0.6) AS above_60,
	   is_valid('cast=1', 1000, 0) AS any_ballot, is_valid('cast=0', 1000, 0) AS no_ballot,
	   is_valid('cast=1000', 1000, 1) AS never,
	   is_valid('cast=334', 1000, 0.333333333333333333) AS third;
SELECT ballots_needed(1000, 'kz1994') AS half_of_1000, ballots_needed(999, 'kz1994') AS half_of_999,
	   ballots_needed(1000, 0.6) AS sixty, ballots_needed(0, 'kz1994') AS empty,
	   ballots_needed(9561534, 'kz1994') AS kz_1994;

-- a one-vote margin
SELECT winner, winner_votes, runner_up, runner_up_votes, margin, tie, by_election
FROM outcome('registered=100 cast=81 invalid=1 votes={1:40,2:39,3:1}', 'kz1994');

-- an unopposed candidate: no runner-up, no margin
SELECT winner, winner_votes, runner_up, runner_up_votes, margin, by_election, reason
FROM outcome('registered=100 cast=60 invalid=5 votes={9:55}', 'kz1994');

-- 2-way and 3-way ties for first place: no winner, a by-election for the tie
SELECT winner, winner_votes, runner_up, runner_up_votes, margin, tie, by_election, reason, leader
FROM outcome('registered=100 cast=90 votes={1:40,2:40,3:10}', 'kz1994');
SELECT winner, winner_votes, runner_up, runner_up_votes, margin, tie, by_election, reason, leader
FROM outcome('registered=100 cast=90 votes={1:30,2:30,3:30}', 'kz1994');
-- a tie for second place does not matter
SELECT winner, runner_up, runner_up_votes, margin, tie
FROM outcome('registered=100 cast=90 votes={1:50,2:20,3:20}', 'kz1994');

-- drawing of lots among the tied: deterministic for a seed, one of the tied
SELECT s AS seed, winner, drawn, tie, by_election, reason
FROM generate_series(1, 6) s,
	 LATERAL outcome('registered=100 cast=90 votes={1:30,2:30,3:30}', 100, 0.5, s);
SELECT count(DISTINCT winner) AS different_winners, bool_and(winner IN (1, 2, 3)) AS among_tied
FROM generate_series(1, 200) s,
	 LATERAL outcome('registered=100 cast=90 votes={1:30,2:30,3:30}', 100, 0.5, s);
-- lots are only drawn for a tie, and never save a low turnout
SELECT winner, drawn FROM outcome('registered=100 cast=90 votes={1:50,2:40}', 100, 0.5, 7);
SELECT winner, drawn, reason FROM outcome('registered=200 cast=90 votes={1:45,2:45}', 200, 0.5, 7);

-- no candidates; only blank or invalid ballots; candidates without votes
SELECT winner, valid, by_election, reason, candidates FROM outcome('registered=10 cast=8 invalid=8', 'kz1994');
SELECT winner, valid, by_election, reason, candidates FROM outcome('registered=10 cast=8 invalid=8 votes={1:0,2:0}', 'kz1994');
SELECT winner, valid, tie, by_election, reason FROM outcome('registered=10 cast=0 votes={1:0}', 'kz1994');

-- reasons in order: no candidates, low turnout, no valid votes, tie
SELECT reason FROM outcome('registered=10 cast=2 invalid=2', 'kz1994');
SELECT reason FROM outcome('registered=10 cast=2 votes={1:1,2:1}', 'kz1994');
SELECT reason FROM outcome('registered=10 cast=6 invalid=6 votes={1:0}', 'kz1994');

-- unknown registered voters: validity and by-election unknown, never guessed
SELECT winner, leader, valid, by_election, reason, turnout FROM outcome('cast=10 votes={1:6,2:4}', 'kz1994');
SELECT winner, leader, valid, by_election, reason FROM outcome('registered=20 cast=10 votes={1:6,2:4}', NULL, 'kz1994');
SELECT winner, valid, by_election, reason FROM outcome('cast=10 votes={1:5,2:5}', 'kz1994');
SELECT winner, valid FROM outcome('registered=12 cast=10 votes={1:6,2:4}', 12, NULL);
-- a tally's own registered voters, or given in the call (which wins)
SELECT winner, registered, valid FROM outcome('registered=12 cast=10 votes={1:6,2:4}', 'kz1994');
SELECT winner, registered, valid FROM outcome('registered=12 cast=10 votes={1:6,2:4}', 40, 'kz1994');

-- the accessors agree with outcome()
SELECT winner(t, 'kz1994') AS w, winner(t, 1000, 'kz1994') AS w1000, winner(t, 1300, 'kz1994') AS w1300, leader(t),
	   is_valid(t, 'kz1994'), is_valid(t, 1300, 'kz1994'), needs_by_election(t, 'kz1994'), needs_by_election(t, 1300, 'kz1994'),
	   turnout(t), turnout(t, 1300), turnout('cast=0', 0) AS zero_registered
FROM (SELECT 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::tally AS t) s;
SELECT winner('cast=3 votes={1:3}', 'kz1994') AS no_registered, is_valid('cast=3', 'kz1994'), needs_by_election('cast=3 votes={1:3}', 'kz1994');

-- ranking: shared ranks and shares of valid votes
SELECT * FROM ranking('registered=100 cast=90 invalid=10 votes={1:30,2:30,3:20,4:0}');
SELECT * FROM ranking('cast=3 invalid=3');
SELECT * FROM ranking('votes={5:0,6:0}');

-- percentages at the int64 edge: part x 100 made in int64 up to
-- 92233720368547758 and in numeric above it, equal to plain numeric SQL
SELECT t, turnout, turnout_valid, winner_share, runner_up_share, majority_share,
	   turnout = trim_scale(o.cast::numeric * 100 / o.registered) AND
	   turnout_valid = trim_scale(o.valid_votes::numeric * 100 / o.registered) AND
	   winner_share = trim_scale(o.winner_votes::numeric * 100 / o.valid_votes) AND
	   runner_up_share = trim_scale(o.runner_up_votes::numeric * 100 / o.valid_votes) AND
	   majority_share = trim_scale(o.margin::numeric * 100 / o.valid_votes) AS as_plain_sql
FROM (VALUES ('registered=9223372036854775807 cast=92233720368547758 votes={1:92233720368547757,2:1}'::tally),
			 ('registered=9223372036854775807 cast=92233720368547759 votes={1:92233720368547758,2:1}'),
			 ('registered=9223372036854775807 cast=9223372036854775807 votes={1:9000000000000000000,2:223372036854775807}'),
			 ('registered=3 cast=3 invalid=1 votes={1:1,2:1}'),
			 ('registered=1000 cast=620 invalid=3 votes={17:300,42:317}')) v(t),
	 outcome(t, 'none') o;
