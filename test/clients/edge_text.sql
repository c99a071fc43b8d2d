-- Text keys at the edges: empty, quotes, backslashes, braces, commas,
-- colons, a key that looks like a number, Cyrillic and Kazakh letters,
-- a space.  Loaded after edge.sql when the server has text keys.
INSERT INTO edge VALUES
	(101, E'registered=9223372036854775807 cast=9007199254740993 votes={"":1,"\\"":2,"\\\\":3,"{}":4,",":5,":":6,"10":7,"9":8}'),
	(102, 'registered=9007199254740993 votes={"Жасыл":9007199254740,"Әділет":5,"Ақ жол":6,"a b":0}'),
	(103, E'votes={"Smith \\"Jr\\"":300,"Jones":317,"back\\\\slash":1}');
