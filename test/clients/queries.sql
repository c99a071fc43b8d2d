-- The queries every client test runs against test/clients/fixture.sql.
-- Each starts with a line "-- name: NAME" and ends with a semicolon at the
-- end of a line.  test/clients/lib.sh runs each through psql -X -A -t, and
-- each client runs it through its driver and compares every value with
-- psql's.  Every query has an ORDER BY, so rows come in one order.

-- name: outcome_ballots
-- all 17 columns of outcome(), at the ballots grain with the registered
-- voters given beside the tally
SELECT c.id, c.name, o.winner, o.winner_votes, o.runner_up, o.runner_up_votes,
	   o.margin, o.valid_votes, o.invalid, o."cast", o.registered, o.turnout,
	   o.valid, o.tie, o.by_election, o.reason, o.leader, o.candidates, o.drawn
FROM constituency c
JOIN (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b
  ON b.constituency = c.id
CROSS JOIN LATERAL outcome(b.t, c.registered, 'kz1994') o
ORDER BY c.id;

-- name: outcome_stations
-- o.* from station protocols summed, with each tally's own registered voters
SELECT ct.id, o.*
FROM constituency_tally ct
CROSS JOIN LATERAL outcome(ct.t, 'kz1994') o
ORDER BY ct.id;

-- name: outcome_rules
-- a higher threshold, lots drawn for a tie, and lots that cannot save an
-- election that is not valid
SELECT 'alatau at 60 %' AS what, o.* FROM constituency_tally ct, outcome(ct.t, ct.registered, 0.6) o WHERE ct.id = 1
UNION ALL
SELECT 'auezov by lots', o.* FROM constituency_tally ct, outcome(ct.t, ct.registered, 'kz1994', lots_seed => 1994) o WHERE ct.id = 2
UNION ALL
SELECT 'medeu by lots', o.* FROM constituency_tally ct, outcome(ct.t, ct.registered, 'kz1994', lots_seed => 1994) o WHERE ct.id = 3
ORDER BY what;

-- name: outcome_composite
-- outcome() as one composite column: drivers see its text form
SELECT ct.id, outcome(ct.t, 'kz1994') AS o
FROM constituency_tally ct
ORDER BY ct.id;

-- name: ranking
SELECT ct.id, r.candidate, r.votes, r.rank, r.share
FROM constituency_tally ct
CROSS JOIN LATERAL ranking(ct.t) r
ORDER BY ct.id, r.rank, r.candidate;

-- name: tallies
-- a tally at each grain, and as jsonb
SELECT ct.id, b.t AS ballots, ct.t AS stations, ct.t::jsonb AS stations_json
FROM constituency_tally ct
LEFT JOIN (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b
  ON b.constituency = ct.id
ORDER BY ct.id;

-- name: station_tallies
SELECT constituency, station, t
FROM station
ORDER BY constituency, station;

-- name: accessors
SELECT id, registered(t), ballots_cast(t), invalid(t), valid_votes(t),
	   candidates(t), votes(t, 61), turnout(t), is_valid(t, 'kz1994'),
	   needs_by_election(t, 'kz1994'), winner(t, 'kz1994'), leader(t),
	   ballots_needed(registered(t), 'kz1994'), t = t AS same
FROM constituency_tally
ORDER BY id;

-- name: aggregates
SELECT constituency, fptp_winner(candidate), count(*) AS ballots
FROM ballot
GROUP BY constituency
ORDER BY constituency;

-- name: region
-- the whole election in one tally
SELECT sum(t) AS region, candidates(sum(t)) AS candidates
FROM station;
