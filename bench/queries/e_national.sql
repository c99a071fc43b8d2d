-- (e) the national summary: every station tally merged into one
SELECT sum(t) FROM station_tallies
