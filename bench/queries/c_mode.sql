-- (c) the built-in ordered-set aggregate: the most frequent candidate
SELECT constituency, mode() WITHIN GROUP (ORDER BY candidate) FROM ballots GROUP BY constituency
