-- (a) the floor: scan the ballots and group them, nothing else
SELECT constituency, count(*) FROM ballots GROUP BY constituency
