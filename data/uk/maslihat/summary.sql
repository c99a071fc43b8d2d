-- The national line of 2019 with maslihat: seats, majority, votes, turnout
-- both ways and the party-system indices, in one pass.
SELECT (seat_summary(t, parties)).* FROM uk_count WHERE election = 2019;
