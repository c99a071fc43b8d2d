#!/usr/bin/env bash
# Fuzzing the jsonb form, which the core's libFuzzer harnesses cannot reach
# (jsonb is PostgreSQL's): thousands of random documents, mutated from the
# shape tally::jsonb writes, with number and text keys (awkward strings,
# Cyrillic, quotes, backslashes, digits only), wrong types, missing and
# extra keys, fractions, huge and negative numbers, nesting; the trailer's
# keys (issued, blank, parts, provisional) within their bounds and not.  Each is cast
# to tally inside its own subtransaction.  A document must either be
# refused with one of the SQLSTATEs the README lists for bad input, or give
# a tally whose jsonb and text forms both read back to it; the
# server must not crash.  Deterministic: setseed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

DB=maslihat_fuzz_jsonb_$$
export PGDATABASE=$DB
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT
createdb "$DB"
query "CREATE EXTENSION maslihat"
CASES=${FUZZ_JSONB_CASES:-20000}
log_mark

report=$("${PSQL[@]}" -At -c "SET fuzz.cases = $CASES" -f - <<'SQL' | tail -1
CREATE FUNCTION pick(a jsonb) RETURNS jsonb LANGUAGE sql VOLATILE
RETURN a -> (floor(random() * jsonb_array_length(a)))::int;

-- a candidate key: a number, a string, or something that is neither
CREATE FUNCTION random_key(kind int) RETURNS jsonb LANGUAGE sql VOLATILE
RETURN CASE WHEN random() < 0.04 THEN pick('[null, true, 1.5, -0.0, [], {}, "", 1e30, 9223372036854775808]')
			WHEN kind = 0 THEN to_jsonb((floor(random() * 20) - 3)::bigint)
			ELSE pick('["", " ", "Smith", "O\"Brien", "back\\slash", "{,}:", "10", "9",
						"Назарбаев", "Қазақ", "𝄞", "a", "ab", "x y z", "\u00e4"]') END;

-- a count: mostly small and valid, sometimes wrong
CREATE FUNCTION random_count() RETURNS jsonb LANGUAGE sql VOLATILE
RETURN CASE WHEN random() < 0.9 THEN to_jsonb(floor(random() * 50)::bigint)
			ELSE pick('[-1, 0.5, 1e3, 9223372036854775807, 9223372036854775808, -9223372036854775808,
						"5", null, true, [], {}]') END;

CREATE FUNCTION random_tally() RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	kind int := CASE WHEN random() < 0.5 THEN 0 ELSE 1 END;
	votes jsonb := '[]';
	doc jsonb := '{}';
	n int := floor(random() * 6)::int;
	cast_ bigint := 0;
	v jsonb;
	i int;
BEGIN
	FOR i IN 1 .. n LOOP
		v := random_count();
		IF jsonb_typeof(v) = 'number' AND v::text ~ '^[0-9]+$' AND length(v::text) < 10 THEN
			cast_ := cast_ + v::text::bigint;
		END IF;
		-- now and then mix the kinds, or a bad element
		IF random() < 0.05 THEN
			votes := votes || jsonb_build_array(pick('[1, "x", null, [], {"candidate": 1}, {"votes": 1},
													   {"candidate": 1, "votes": 1, "extra": 2}]'));
		ELSE
			votes := votes || jsonb_build_array(jsonb_build_object('candidate',
				random_key(CASE WHEN random() < 0.05 THEN 1 - kind ELSE kind END), 'votes', v));
		END IF;
	END LOOP;
	-- fields left out, wrong, or unknown
	IF random() < 0.95 THEN doc := doc || jsonb_build_object('votes', votes); END IF;
	IF random() < 0.7 THEN
		doc := doc || jsonb_build_object('cast', CASE WHEN random() < 0.8 THEN to_jsonb(cast_ + floor(random() * 5)::bigint) ELSE random_count() END);
	END IF;
	IF random() < 0.7 THEN
		doc := doc || jsonb_build_object('invalid', CASE WHEN random() < 0.8 THEN to_jsonb(floor(random() * 3)::bigint) ELSE random_count() END);
	END IF;
	IF random() < 0.6 THEN
		doc := doc || jsonb_build_object('registered', CASE WHEN random() < 0.2 THEN 'null'::jsonb ELSE to_jsonb(cast_ + floor(random() * 100)::bigint) END);
	END IF;
	-- the trailer's keys (0.2.0): within their bounds or not
	IF random() < 0.2 THEN
		doc := doc || jsonb_build_object('blank', CASE WHEN random() < 0.8 THEN to_jsonb(floor(random() * 3)::bigint) ELSE random_count() END);
	END IF;
	IF random() < 0.2 THEN
		doc := doc || jsonb_build_object('issued', CASE WHEN random() < 0.1 THEN 'null'::jsonb ELSE to_jsonb(cast_ + floor(random() * 5)::bigint) END);
	END IF;
	IF random() < 0.2 THEN doc := doc || jsonb_build_object('parts', random_count()); END IF;
	IF random() < 0.2 THEN
		doc := doc || jsonb_build_object('provisional', CASE WHEN random() < 0.8 THEN to_jsonb(floor(random() * 3)::bigint) ELSE random_count() END);
	END IF;
	IF random() < 0.03 THEN doc := doc || '{"stations": 1}'; END IF;
	IF random() < 0.02 THEN doc := jsonb_build_array(doc); END IF;
	RETURN doc;
END $$;

SELECT setseed(0.1994);
CREATE TEMP TABLE outcomes (ok boolean, sqlstate text, round_trip boolean, text_keys boolean, trailer boolean);
DO $$
DECLARE
	j jsonb;
	t tally;
	i int;
BEGIN
	FOR i IN 1 .. current_setting('fuzz.cases')::int LOOP
		j := random_tally();
		BEGIN
			t := j::tally;
			INSERT INTO outcomes VALUES (true, NULL,
				t::jsonb::tally = t AND t::text::tally = t AND (t::jsonb::tally)::text = t::text,
				strpos(t::text, 'votes={"') > 0,
				ballots_issued(t) IS NOT NULL OR parts(t) > 0 OR (invalid(t) > 0 AND blank(t) IS NOT NULL));
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcomes VALUES (false, SQLSTATE, NULL, NULL, NULL);
		END;
	END LOOP;
END $$;
SELECT count(*) || ' ' || count(*) FILTER (WHERE ok) || ' ' || count(*) FILTER (WHERE round_trip) || ' ' ||
	   count(*) FILTER (WHERE text_keys) || ' ' || count(*) FILTER (WHERE trailer) || ' ' ||
	   coalesce(string_agg(DISTINCT sqlstate, ',' ORDER BY sqlstate), '')
FROM outcomes;
SQL
)
read -r total accepted round_trips text_keyed trailers states <<<"$report"
echo "$total documents: $accepted accepted ($text_keyed keyed by text, $trailers with blank, issued or parts), refused with SQLSTATEs ${states:-none}"
check "every document was tried" "$CASES" "$total"
check "some documents were accepted and some refused (the fuzzing reaches both)" yes \
	"$([ "$accepted" -gt $((CASES / 20)) ] && [ "$accepted" -lt "$CASES" ] && echo yes || echo no)"
check "every accepted document reads back through jsonb and text" "$accepted" "$round_trips"
check "accepted documents are keyed by text and by numbers" yes \
	"$([ "$text_keyed" -gt $((accepted / 10)) ] && [ "$text_keyed" -lt "$accepted" ] && echo yes || echo no)"
check "accepted documents with and without blank, issued or parts" yes \
	"$([ "$trailers" -gt $((accepted / 10)) ] && [ "$trailers" -lt "$accepted" ] && echo yes || echo no)"
check "refusals carry only the SQLSTATEs of bad input" "" \
	"$(tr ',' '\n' <<<"$states" | grep -vxE '22P02|22003|42804|22021|54000|' || true)"
check "the server log shows no crash" "" "$(crash_lines_since_mark)"
finish
