-- (a') not a target, a reference: the cheapest built-in aggregate that reads
-- the candidate column too, as every other peer must
SELECT constituency, count(candidate) FROM ballots GROUP BY constituency
