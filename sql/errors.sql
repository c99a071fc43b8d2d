-- Bad input: every malformed value is a clean ERROR with a specific
-- SQLSTATE, and the session goes on.

CREATE FUNCTION pg_temp.try(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

-- malformed text values
SELECT input, pg_temp.try(format('SELECT %L::tally', input)) AS result
FROM (VALUES
	(''), ('   '), ('cast'), ('cast='), ('cast=abc'), ('cast=1.5'), ('cast=1e3'),
	('cast==1'), ('cast=1,invalid=0'), ('cast=1;'), ('registered=1 registered=1'),
	('votes={1:1} votes={2:2}'), ('turnout=5'), ('Cast=1'), ('castx=1'),
	('votes=1:2'), ('votes={1:2'), ('votes={1:2,}'), ('votes={,1:2}'), ('votes={1;2}'),
	('votes={1:}'), ('votes={:1}'), ('votes={a:1}'), ('votes={1:2}}'), ('votes={1:2 2:3}'),
	('votes={1 : 2}x'), ('cast=-1'), ('invalid=-3'), ('registered=-10'),
	('votes={1:-1}'), ('cast=9223372036854775808'), ('registered=99999999999999999999'),
	('votes={9223372036854775808:1}'), ('votes={-9223372036854775809:1}'),
	('votes={1:9223372036854775807,2:1}'), ('invalid=9223372036854775807 votes={1:1}'),
	('votes={1:1,1:2}'), ('votes={5:1,3:1,5:0}'), ('cast=5 votes={1:6}'),
	('cast=5 invalid=3 votes={1:3}'), ('registered=4 cast=5'), ('registered=0 votes={1:1}'),
	(E'cast=1\u00a0'), ('cast=+-1'), ('votes={1:+-1}')
) v(input);

-- each error's full report: message, detail and hint
\set VERBOSITY default
SELECT 'votes={1:2,}'::tally;
SELECT 'cast=5 votes={1:6}'::tally;
SELECT 'votes={1:1,1:2}'::tally;
SELECT 'cast=9223372036854775808'::tally;
SELECT 'votes={1:-1}'::tally;

-- bad aggregate input
SELECT pg_temp.try(q) AS result FROM (VALUES
	('SELECT tally(c, v) FROM (VALUES (1::bigint, -1::bigint)) x(c, v)'),
	('SELECT tally(NULL::bigint, -5::bigint)'),
	('SELECT tally(c, v) FROM (VALUES (1::bigint, 9223372036854775807::bigint), (2, 1)) x(c, v)'),
	('SELECT fptp_winner(c, v) FROM (VALUES (1::bigint, -1::bigint)) x(c, v)'),
	('SELECT sum(t) FROM (VALUES (''cast=9223372036854775807''::tally), (''cast=1'')) x(t)'),
	('SELECT sum(t) FROM (VALUES (''registered=9223372036854775807''::tally), (''registered=1'')) x(t)'),
	('SELECT ''votes={1:9223372036854775807}''::tally + ''votes={1:1}''::tally'),
	('SELECT ''votes={1:9223372036854775807}''::tally + ''votes={2:1}''::tally')
) v(q);

-- bad constructor arguments
SELECT pg_temp.try(q) AS result FROM (VALUES
	('SELECT make_tally(10, 5, 0, ''{1,2}''::bigint[], ''{1}'')'),
	('SELECT make_tally(10, 5, 0, ''{1,1}''::bigint[], ''{1,1}'')'),
	('SELECT make_tally(10, 5, 0, ''{1,NULL}''::bigint[], ''{1,1}'')'),
	('SELECT make_tally(10, 5, 0, ''{{1,2}}''::bigint[], ''{{1,1}}'')'),
	('SELECT make_tally(10, NULL, 0, ''{1}''::bigint[], ''{1}'')'),
	('SELECT make_tally(10, 5, 0, ''{1}''::bigint[], NULL)'),
	('SELECT make_tally(10, 5, -1, ''{1}''::bigint[], ''{1}'')'),
	('SELECT make_tally(10, 5, 0, ''{1}''::bigint[], ''{-1}'')'),
	('SELECT make_tally(10, 5, 0, ''{1}''::bigint[], ''{6}'')'),
	('SELECT make_tally(4, 5, 0, ''{1}''::bigint[], ''{5}'')'),
	('SELECT make_tally(-1, 0, 0, ''{}''::bigint[], ''{}'')'),
	('SELECT with_registered(''cast=5'', 4)'),
	('SELECT with_registered(''cast=5'', -4)')
) v(q);

-- bad rule arguments
SELECT pg_temp.try(q) AS result FROM (VALUES
	('SELECT outcome(''cast=10'', 9, ''kz1994'')'),
	('SELECT outcome(''cast=10'', -1, ''kz1994'')'),
	('SELECT outcome(''cast=10'', 100, 1.5)'),
	('SELECT outcome(''cast=10'', 100, -0.5)'),
	('SELECT outcome(''cast=10'', 100, ''NaN'')'),
	('SELECT is_valid(''cast=10'', 100, 0.1234567890123456789)'),
	('SELECT winner(''cast=10'', 5, ''kz1994'')'),
	('SELECT turnout(''cast=10'', 5)'),
	('SELECT ballots_needed(-1, ''kz1994'')'),
	('SELECT ballots_needed(9223372036854775807, 1)'),
	('SELECT ballots_needed(10, 2)')
) v(q);

-- the aggregates' support functions take real types, so SQL can call
-- them; outside an aggregate each refuses (it would update its state in
-- place), with SQLSTATE 0A000, never an internal error
\set VERBOSITY default
SELECT tally_ballot_transfn(NULL::tally, 1);
SELECT tally_combine('votes={1:1}'::tally, 'votes={1:2}'::tally);
SELECT election_summary_transfn(NULL::election_summary_state, 'votes={1:1}'::tally, 'kz1994');
SELECT seats_transfn(NULL::seats_state, 'votes={1:1}'::tally);
\set VERBOSITY sqlstate
SELECT tally_votes_transfn(NULL::tally, 1, 2);
\set VERBOSITY default
-- their final functions only read, and work
SELECT fptp_winner_finalfn('votes={1:1,2:3}'::tally) AS winner;

-- the session is still usable
SELECT 'votes={1:1}'::tally AS still_working;
