-- (d) maslihat in one call: the unique leader of each constituency
SELECT constituency, fptp_winner(candidate) FROM ballots GROUP BY constituency
