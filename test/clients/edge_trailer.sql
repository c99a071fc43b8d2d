-- Tallies with a trailer (blank ballots, ballots issued, parts and
-- provisional parts; tally.h): each field alone, all together, at 64-bit
-- edges and beyond 2^53, with number and text keys.  Loaded after
-- edge_text.sql when the server has the trailer (clients_trailers).
INSERT INTO edge VALUES
	(201, 'registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1'),
	(202, 'cast=620 invalid=3 blank=3 votes={17:300,42:317}'),
	(203, 'issued=9223372036854775807 cast=9007199254740993 votes={1:9007199254740993}'),
	(204, 'registered=9223372036854775807 issued=9223372036854775807 cast=9223372036854775807 invalid=9223372036854775807 blank=9007199254740993 votes={}'),
	(205, 'cast=5 votes={1:5} parts=9223372036854775807 provisional=9223372036854775807'),
	(206, 'cast=0 parts=2 provisional=0'),
	(207, E'registered=900 issued=452 cast=450 invalid=12 blank=0 votes={"Жасыл":240,"Smith \\"Jr\\"":198} parts=3 provisional=2');
