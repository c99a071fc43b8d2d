-- The tally as jsonb and back.

SELECT 'registered=1000 cast=620 invalid=3 votes={42:317,17:300}'::tally::jsonb;
SELECT 'cast=2 invalid=2'::tally::jsonb;

-- reporting tools read the votes as rows
SELECT v.candidate, v.votes
FROM jsonb_to_recordset(('registered=1000 cast=620 invalid=3 votes={42:317,17:300}'::tally::jsonb) -> 'votes')
	 AS v(candidate bigint, votes bigint)
ORDER BY v.candidate;

-- round trips: tally -> jsonb -> tally is the same value
SELECT t, t::jsonb::tally = t AS same
FROM (VALUES ('registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::tally),
			 ('cast=0'), ('registered=7 cast=7 invalid=7'),
			 ('votes={-9223372036854775808:9223372036854775807}')) v(t);

-- the text form's defaults apply
SELECT '{"votes": [{"candidate": 2, "votes": 5}, {"candidate": 1, "votes": 4}]}'::jsonb::tally;
SELECT '{"registered": null, "invalid": 3}'::jsonb::tally;
SELECT '{}'::jsonb::tally;

-- bad jsonb is a clean error
CREATE FUNCTION pg_temp.try(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;
SELECT j, pg_temp.try(format('SELECT %L::jsonb::tally', j)) AS result
FROM (VALUES
	('[]'), ('5'), ('{"turnout": 5}'), ('{"cast": "5"}'), ('{"cast": 5.5}'),
	('{"cast": -1}'), ('{"cast": 1e30}'), ('{"votes": {}}'), ('{"votes": [1]}'),
	('{"votes": [{"candidate": 1}]}'), ('{"votes": [{"candidate": 1, "votes": 1, "vote": 7}]}'), ('{"votes": [{"candidate": 1, "votes": 1}, {"candidate": 1, "votes": 2}]}'),
	('{"cast": 1, "votes": [{"candidate": 1, "votes": 2}]}'), ('{"registered": 1, "cast": 2}'),
	('{"votes": [{"candidate": 1, "votes": 9223372036854775807}, {"candidate": 2, "votes": 1}]}')
) v(j);
