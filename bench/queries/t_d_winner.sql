-- (td) maslihat over text keys: the unique leader of each constituency
SELECT constituency, fptp_winner(key) FROM ballots_text GROUP BY constituency
