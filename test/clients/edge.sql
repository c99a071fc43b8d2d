-- Tallies at the edges, for the adapter tests (test/sh/clients_*.sh):
-- 64-bit counts, counts beyond 2^53 (9007199254740993), the extreme
-- candidate numbers, no candidates, registered voters unknown or 0.
-- Loaded after fixture.sql; edge_text.sql adds text keys when the server
-- has them.
CREATE TABLE edge (id int PRIMARY KEY, t tally);

INSERT INTO edge VALUES
	(1, 'registered=9223372036854775807 cast=9223372036854775807 votes={1:9223372036854775807}'),
	(2, 'registered=9007199254740993 cast=9007199254740993 invalid=1 votes={-9223372036854775808:9007199254740992}'),
	(3, 'cast=0'),
	(4, 'registered=0 cast=0'),
	(5, 'registered=8 cast=5 invalid=5 votes={71:0,72:0}'),
	(6, 'votes={9223372036854775807:1,-1:2,10:3,9:4}'),
	(7, NULL);
