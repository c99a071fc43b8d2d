-- (ta) the floor over the text-keyed ballots: scan and group, nothing else
SELECT constituency, count(*) FROM ballots_text GROUP BY constituency
