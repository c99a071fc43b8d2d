-- (td) maslihat over text keys: each constituency's tally and its outcome
-- with the registered voters (winner_key, tie, validity, by-election and
-- the rest), one call
SELECT c.constituency, outcome(t.t, c.registered, 'kz1994') AS o
FROM (SELECT constituency, tally(key) AS t FROM ballots_text GROUP BY constituency) t
JOIN constituencies c USING (constituency)
