-- Seats by party in 2019 with maslihat (reads the uk_count view).
SELECT party, seats, votes, vote_share, seat_share
FROM unnest((SELECT party_seats(t, parties) FROM uk_count WHERE election = 2019));
