-- (d) maslihat: each constituency's tally and its outcome with the
-- registered voters (winner, tie, validity, by-election and the rest)
SELECT c.constituency, outcome(t.t, c.registered, 'kz1994') AS o
FROM (SELECT constituency, tally(candidate) AS t FROM ballots GROUP BY constituency) t
JOIN constituencies c USING (constituency)
