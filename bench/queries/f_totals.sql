-- (f) tallies from candidate totals (a NULL candidate carries the blank or invalid ballots)
SELECT constituency, tally(candidate, votes) FROM candidate_totals GROUP BY constituency
