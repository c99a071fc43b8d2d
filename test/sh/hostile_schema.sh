#!/usr/bin/env bash
# The install script under a hostile search_path, and the trusted install.
#
# An untrusted role, mallory, owns a schema "hostile" and the database's
# public schema, and plants trojans there before maslihat is installed
# into "hostile": functions that shadow pg_catalog's (array_remove, ceil,
# make_interval, int8, numeric_out, array_length, jsonb_build_object, ...)
# or ours with more specific argument types (signatures_needed(integer,
# numeric), make_tally(integer, ...)), and operators +, -, *, =, <>, <, <=,
# >= on bigint, numeric, date and text.  Each trojan, if it ever runs,
# bumps a sequence (which no rollback undoes), writes a row saying as whom
# it ran, and raises a WARNING.  After the install more trojans follow
# with the tally type in their signatures, in public, ahead of "hostile"
# in the search_path.
#
#   A. A superuser installs maslihat into mallory's schema with the
#      search_path "hostile, public"; then every function, aggregate,
#      operator and cast is exercised (serial, parallel, windows, hash,
#      COPY binary, jsonb) with the search_path "hostile, public,
#      pg_catalog", so trojans even come before pg_catalog.  Its output
#      must equal the same exercise in a database without trojans, no
#      trojan may have run, every C function must have been called
#      (pg_stat_user_functions), and every function the extension's
#      objects refer to must be pg_catalog's or the extension's own.
#   B. maslihat.control says trusted = true, so mallory, owner of a
#      database but no superuser, installs it himself into his trojan-laden
#      schema: it works, no trojan ran (they would have run as the
#      bootstrap superuser), he is still no superuser, and the exercise
#      gives the same output.  A role without CREATE on the database
#      cannot install it.
#   C. An object already holding one of our names makes CREATE EXTENSION
#      fail rather than adopt it (no CREATE OR REPLACE).
#   D. Control: a function written carelessly (an unqualified call in a
#      string body) does run a trojan, so the trojans are live.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT, PGUSER
# of a superuser); creates and drops its own databases and roles.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

SUFFIX=$$
MALLORY=maslihat_mallory_$SUFFIX
EVE=maslihat_eve_$SUFFIX
CLEAN_DB=maslihat_clean_$SUFFIX
HOSTILE_DB=maslihat_hostile_$SUFFIX
TRUSTED_DB=maslihat_trusted_$SUFFIX
SQUAT_DB=maslihat_squat_$SUFFIX
WORK=$(mktemp -d)
SUPERUSER=$PGUSER

cleanup() {
	for db in "$CLEAN_DB" "$HOSTILE_DB" "$TRUSTED_DB" "$SQUAT_DB"; do
		dropdb -U "$SUPERUSER" --if-exists "$db" >/dev/null 2>&1 || true
	done
	psql -X -q -U "$SUPERUSER" -d postgres -c "DROP ROLE IF EXISTS $MALLORY" -c "DROP ROLE IF EXISTS $EVE" >/dev/null 2>&1 || true
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

as_super() { "${PSQL[@]}" -U "$SUPERUSER" "$@"; }
as_mallory() { "${PSQL[@]}" -U "$MALLORY" "$@"; }
trojan_calls() { "${PSQL[@]}" -U "$SUPERUSER" -d "$1" -At -c "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM audit.trojan_calls"; }
trojan_log() { "${PSQL[@]}" -U "$SUPERUSER" -d "$1" -At -c "SELECT string_agg(format('%s as %s', trojan, ran_as), '; ') FROM audit.trojan_log"; }

# ---------------------------------------------------------------- trojans

# The audit trail every trojan writes to.
audit_sql() {
	cat <<'EOF'
CREATE SCHEMA audit;
CREATE SEQUENCE audit.trojan_calls;
CREATE TABLE audit.trojan_log (trojan text, ran_as text, at timestamptz DEFAULT pg_catalog.clock_timestamp());
CREATE FUNCTION audit.hit(trojan text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_catalog.nextval('audit.trojan_calls');
	INSERT INTO audit.trojan_log (trojan, ran_as)
	VALUES (trojan, pg_catalog.format('%s (superuser: %s)', CURRENT_USER,
									  pg_catalog.current_setting('is_superuser')));
	RAISE WARNING 'TROJAN % ran as %', trojan, CURRENT_USER;
END
$$;
GRANT USAGE ON SCHEMA audit TO PUBLIC;
GRANT USAGE, UPDATE ON SEQUENCE audit.trojan_calls TO PUBLIC;
GRANT INSERT ON audit.trojan_log TO PUBLIC;
EOF
}

# trojan_function SCHEMA NAME ARGS RETURNS RESULT: a function that logs
# its call and then returns RESULT (an expression of $1, $2, ...), so
# that the query it hijacked still looks right.
trojan_function() {
	printf 'CREATE FUNCTION %s.%s(%s) RETURNS %s LANGUAGE plpgsql AS $t$BEGIN PERFORM audit.hit(%s); RETURN %s; END$t$;\n' \
		"$1" "$2" "$3" "$4" "'$1.$2($3)'" "$5"
}

# trojan_operator SCHEMA OP LEFT RIGHT RETURNS RESULT
trojan_operator() {
	local fn="trojan_op_$((++TROJAN_OPS))"
	trojan_function "$1" "$fn" "$3, $4" "$5" "$6" | sed "s/'$1\.$fn(/'$1.OPERATOR $2(/"
	printf 'CREATE OPERATOR %s.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %s.%s);\n' "$1" "$2" "$3" "$4" "$1" "$fn"
}
TROJAN_OPS=0

# Trojans that can exist before maslihat: in SCHEMA, shadowing pg_catalog
# or our own names with more specific argument types.
trojans_before() {
	local s=$1
	trojan_function "$s" array_remove "text[], text" "text[]" '$1'
	trojan_function "$s" ceil "numeric" "numeric" 'pg_catalog.ceil($1)'
	trojan_function "$s" make_interval "integer" "interval" 'pg_catalog.make_interval($1)'
	trojan_function "$s" int8 "numeric" "bigint" '$1::pg_catalog.int8'
	trojan_function "$s" numeric "bigint" "numeric" '$1::pg_catalog.numeric'
	trojan_function "$s" numeric_out "numeric" "text" '$1::pg_catalog.text'
	trojan_function "$s" text "bigint" "text" '$1::pg_catalog.text'
	trojan_function "$s" date "timestamp" "date" '$1::pg_catalog.date'
	trojan_function "$s" array_length "bigint[], integer" "integer" 'pg_catalog.array_length($1, $2)'
	trojan_function "$s" jsonb_build_object "text, bigint" "jsonb" 'pg_catalog.jsonb_build_object($1, $2)'
	trojan_function "$s" to_jsonb "bigint" "jsonb" 'pg_catalog.to_jsonb($1)'
	trojan_function "$s" hashint8 "bigint" "integer" 'pg_catalog.hashint8($1)'
	trojan_function "$s" signatures_needed "integer, numeric" "bigint" '0'
	trojan_function "$s" signatures_needed "bigint, integer" "bigint" '0'
	trojan_function "$s" ballots_needed "integer, numeric" "bigint" '0'
	trojan_function "$s" ballots_needed "integer" "bigint" '0'
	trojan_function "$s" make_tally "integer, integer, integer, integer[], integer[]" "bigint" '0'
	trojan_function "$s" candidate_violations "date, text, integer, integer, date" "text[]" "'{}'"
	trojan_function "$s" outcome "text" "text" '$1'
	trojan_function "$s" registered "text" "bigint" '0'
	trojan_operator "$s" + bigint bigint bigint '$1 OPERATOR(pg_catalog.+) $2'
	trojan_operator "$s" - bigint bigint bigint '$1 OPERATOR(pg_catalog.-) $2'
	trojan_operator "$s" = bigint bigint boolean '$1 OPERATOR(pg_catalog.=) $2'
	trojan_operator "$s" '<>' bigint bigint boolean '$1 OPERATOR(pg_catalog.<>) $2'
	trojan_operator "$s" '<' bigint integer boolean '$1 OPERATOR(pg_catalog.<) $2'
	trojan_operator "$s" '<=' bigint bigint boolean '$1 OPERATOR(pg_catalog.<=) $2'
	trojan_operator "$s" '>=' bigint bigint boolean '$1 OPERATOR(pg_catalog.>=) $2'
	trojan_operator "$s" '<' numeric integer boolean '$1 OPERATOR(pg_catalog.<) $2'
	trojan_operator "$s" '>' numeric integer boolean '$1 OPERATOR(pg_catalog.>) $2'
	trojan_operator "$s" '*' numeric numeric numeric '$1 OPERATOR(pg_catalog.*) $2'
	trojan_operator "$s" - date interval timestamp '$1 OPERATOR(pg_catalog.-) $2'
	trojan_operator "$s" '<=' date date boolean '$1 OPERATOR(pg_catalog.<=) $2'
	trojan_operator "$s" '>=' date date boolean '$1 OPERATOR(pg_catalog.>=) $2'
	trojan_operator "$s" = text text boolean '$1 OPERATOR(pg_catalog.=) $2'
}

# Trojans that need the tally type: planted after the install, in public,
# which the exercise puts ahead of the extension's schema.
trojans_after() {
	local s=$1 x=$2
	trojan_function "$s" signatures_needed "bigint, numeric" "bigint" '0'
	trojan_function "$s" tally_eq "$x.tally, $x.tally" "boolean" 'true'
	trojan_function "$s" tally_hash "$x.tally" "integer" '0'
	trojan_function "$s" tally_to_jsonb "$x.tally" "jsonb" "'{}'"
	trojan_function "$s" outcome "$x.tally" "$x.fptp_outcome" 'NULL'
	trojan_function "$s" votes "$x.tally, integer" "bigint" '0'
	trojan_operator "$s" = "$x.tally" "$x.tally" boolean 'true'
	trojan_operator "$s" '<>' "$x.tally" "$x.tally" boolean 'false'
	trojan_operator "$s" + "$x.tally" "$x.tally" "$x.tally" '$1'
}

# ---------------------------------------------------------------- exercise

# Calls every function, aggregate, operator and cast of the extension in
# schema "hostile", with only schema-qualified names, under a search_path
# where the trojans come first.  Prints results only, deterministically.
exercise_sql() {
	cat <<'EOF'
\pset footer off
SET search_path = pg_catalog;
CREATE SCHEMA IF NOT EXISTS data;
CREATE TABLE data.ballots (i int, constituency int, candidate bigint);
INSERT INTO data.ballots
SELECT i, i % 7, CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 31) % 5 END FROM generate_series(1, 20000) i;
CREATE TABLE data.totals AS SELECT constituency, i % 100 AS station, candidate, count(*) AS votes FROM data.ballots GROUP BY 1, 2, 3;
ANALYZE data.ballots, data.totals;

SET search_path = hostile, public, pg_catalog;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

-- aggregates, in parallel workers (combine, serialize, deserialize)
EXPLAIN (COSTS OFF) SELECT hostile.tally(candidate) FROM data.ballots;
EXPLAIN (COSTS OFF) SELECT hostile.tally(candidate, votes), hostile.fptp_winner(candidate, votes) FROM data.totals;
EXPLAIN (COSTS OFF) SELECT hostile.fptp_winner(candidate) FROM data.ballots;
CREATE TABLE data.tallies AS
SELECT constituency, hostile.tally(candidate) AS t FROM data.ballots GROUP BY constituency;
SELECT constituency, t FROM data.tallies ORDER BY constituency;
SELECT hostile.tally(candidate) FROM data.ballots;
SELECT hostile.fptp_winner(candidate) FROM data.ballots;
SELECT hostile.tally(candidate, votes) FROM data.totals;
SELECT hostile.fptp_winner(candidate, votes) FROM data.totals;
EXPLAIN (COSTS OFF) SELECT hostile.sum(t), hostile.election_summary(t, 'kz1994'::pg_catalog.text) FROM data.tallies;
SELECT hostile.sum(t) FROM data.tallies;
SELECT hostile.election_summary(t, 'kz1994'::pg_catalog.text) FROM data.tallies;
SELECT hostile.election_summary(t, 100000::pg_catalog.int8, 'kz1994'::pg_catalog.text) FROM data.tallies;
SELECT hostile.election_summary(t, 100000::pg_catalog.int8, 0.5::pg_catalog.numeric) FROM data.tallies;
-- windows, moving (inverse transition)
SELECT pg_catalog.count(*) FROM (SELECT DISTINCT w, fw FROM (
	SELECT hostile.tally(candidate) OVER (ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS w,
		   hostile.fptp_winner(candidate) OVER (ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS fw
	FROM data.ballots) s) d;
-- hashing: DISTINCT and GROUP BY on tallies
SET enable_sort = off;
SELECT pg_catalog.count(*) FROM (SELECT DISTINCT t FROM data.tallies) s;
SELECT pg_catalog.count(*) FROM (SELECT t FROM data.tallies GROUP BY t) s;
RESET enable_sort;
-- operators, constructors, accessors, rules
SELECT x OPERATOR(hostile.=) y, x OPERATOR(hostile.<>) y, x OPERATOR(hostile.+) y
FROM (SELECT 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::hostile.tally AS x,
			 'cast=10 votes={17:10}'::hostile.tally AS y) s;
SELECT hostile.make_tally(1200::pg_catalog.int8, 800::pg_catalog.int8, 12::pg_catalog.int8,
						  ARRAY[7, 3, 5]::pg_catalog.int8[], ARRAY[400, 300, 88]::pg_catalog.int8[]);
SELECT hostile.with_registered('votes={1:6,2:4}'::hostile.tally, 20::pg_catalog.int8);
SELECT hostile.registered(t), hostile.ballots_cast(t), hostile.invalid(t), hostile.valid_votes(t),
	   hostile.candidates(t), hostile.votes(t, 42::pg_catalog.int8)
FROM (SELECT 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::hostile.tally AS t) s;
SELECT * FROM hostile.ranking('cast=100 votes={1:40,2:40,3:20}'::hostile.tally);
SELECT * FROM hostile.outcome('registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::hostile.tally, 'kz1994'::pg_catalog.text);
SELECT * FROM hostile.outcome('registered=1000 cast=620 votes={17:310,42:310}'::hostile.tally,
							  1000::pg_catalog.int8, 0.5::pg_catalog.numeric, 1994::pg_catalog.int8);
SELECT hostile.winner(t, 'kz1994'::pg_catalog.text), hostile.winner(t, 2000::pg_catalog.int8, 0.5::pg_catalog.numeric),
	   hostile.leader(t), hostile.is_valid(t, 'kz1994'::pg_catalog.text), hostile.is_valid(t, 2000::pg_catalog.int8, 0.25::pg_catalog.numeric),
	   hostile.needs_by_election(t, 'kz1994'::pg_catalog.text), hostile.needs_by_election(t, 5000::pg_catalog.int8, 0.5::pg_catalog.numeric),
	   hostile.turnout(t), hostile.turnout(t, 2000::pg_catalog.int8)
FROM (SELECT 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'::hostile.tally AS t) s;
-- text keys and named rules (0.2.0)
SELECT hostile.tally(candidate::pg_catalog.text) FROM data.ballots;
SELECT hostile.fptp_winner(candidate::pg_catalog.text) FROM data.ballots;
SELECT hostile.tally(candidate::pg_catalog.text, votes), hostile.fptp_winner(candidate::pg_catalog.text, votes) FROM data.totals;
SELECT CAST('votes={"x":1}'::pg_catalog.varchar AS hostile.tally),
	   hostile.make_tally(NULL::pg_catalog.int8, 10::pg_catalog.int8, 1::pg_catalog.int8,
						  ARRAY['Lab', 'Con']::pg_catalog.text[], ARRAY[5, 4]::pg_catalog.int8[]);
SELECT hostile.votes(t, 'Lab'::pg_catalog.text), hostile.leader_key(t),
	   hostile.winner_key(t, 'kz1994'::pg_catalog.text), hostile.winner_key(t, 20::pg_catalog.int8, 'kz1994'::pg_catalog.text),
	   hostile.is_valid(t, 20::pg_catalog.int8, 'kz1994'::pg_catalog.text), hostile.needs_by_election(t, 20::pg_catalog.int8, 'kz1994'::pg_catalog.text),
	   hostile.turnout_valid(t), hostile.turnout_valid(t, 20::pg_catalog.int8)
FROM (SELECT 'registered=18 cast=10 invalid=1 votes={"Lab":5,"Con":4}'::hostile.tally AS t) s;
SELECT (hostile.outcome('registered=1000 cast=620 votes={17:310,42:310}'::hostile.tally,
						1000::pg_catalog.int8, 'kz1994'::pg_catalog.text, 1994::pg_catalog.int8)).winner,
	   hostile.winner('registered=1000 cast=620 votes={17:300,42:320}'::hostile.tally, 1000::pg_catalog.int8, 'kz1994'::pg_catalog.text),
	   hostile.ballots_needed(1000::pg_catalog.int8, 'kz1994'::pg_catalog.text);
SELECT hostile.ballots_needed(1000::pg_catalog.int8, 0.5::pg_catalog.numeric),
	   hostile.signatures_needed(1001::pg_catalog.int8, 0.03::pg_catalog.numeric);
SELECT hostile.candidate_violations('1974-03-07'::pg_catalog.date, 'association'::pg_catalog.text,
									30::pg_catalog.int8, 1001::pg_catalog.int8, '1994-02-08'::pg_catalog.date),
	   hostile.candidate_violations('1974-03-08'::pg_catalog.date, 'party'::pg_catalog.text,
									NULL::pg_catalog.int8, NULL::pg_catalog.int8, '1994-02-09'::pg_catalog.date);
-- seats by party, holds and gains, swing
EXPLAIN (COSTS OFF) SELECT hostile.party_seats(t), hostile.seat_summary(t) FROM data.tallies;
SELECT hostile.party_seats(t), hostile.seat_summary(t) FROM data.tallies;
SELECT hostile.party_seats(t, '{"1":"A","2":"A"}'::pg_catalog.jsonb),
	   hostile.seat_summary(t, '{"1":"A","2":"A"}'::pg_catalog.jsonb) FROM data.tallies;
SELECT hostile.hold_or_gain('Lab'::pg_catalog.text, 'Con'::pg_catalog.text),
	   hostile.hold_or_gain('Lab'::pg_catalog.text, 'Lab'::pg_catalog.text, 'Lab Coop'::pg_catalog.text);
SELECT hostile.butler_swing('cast=10 votes={1:6,2:4}'::hostile.tally, 'cast=10 votes={1:4,2:6}'::hostile.tally,
							1::pg_catalog.int8, 2::pg_catalog.int8),
	   hostile.butler_swing('cast=10 votes={"a":6,"b":4}'::hostile.tally, 'cast=10 votes={"a":4,"b":6}'::hostile.tally,
							'a'::pg_catalog.text, 'b'::pg_catalog.text);
-- audit and election night
SELECT p.code, p.found, p.expected
FROM hostile.protocol_problems(ARRAY['Lab', 'Con']::pg_catalog.text[], ARRAY[5, 4]::pg_catalog.int8[],
							   ballots_cast => 8::pg_catalog.int8, invalid => 1::pg_catalog.int8,
							   declared_valid => 9::pg_catalog.int8) p;
SELECT p.code FROM hostile.protocol_problems(ARRAY[1, 1]::pg_catalog.int8[], ARRAY[0, 0]::pg_catalog.int8[]) p;
SELECT d.* FROM hostile.compare_counts('registered=9 cast=5 votes={1:3,2:2}'::hostile.tally,
									   'registered=9 cast=5 votes={1:2,2:3}'::hostile.tally, 'none'::pg_catalog.text) d;
SELECT (hostile.can_change('cast=5 votes={1:3,2:2}'::hostile.tally, 9::pg_catalog.int8, 'kz1994'::pg_catalog.text)).*,
	   (hostile.can_change('registered=9 cast=5 votes={1:3,2:2}'::hostile.tally, 'none'::pg_catalog.text)).decided;
-- blank ballots, ballots issued, parts
SELECT hostile.blank('cast=5 invalid=2 blank=1 votes={1:3}'::hostile.tally),
	   hostile.other_invalid('cast=5 invalid=2 blank=1 votes={1:3}'::hostile.tally),
	   hostile.ballots_issued('issued=6 cast=5 votes={1:5}'::hostile.tally),
	   hostile.parts('votes={1:5} parts=2 provisional=1'::hostile.tally),
	   hostile.provisional_parts('votes={1:5} parts=2 provisional=1'::hostile.tally),
	   hostile.is_final('votes={1:5} parts=2'::hostile.tally),
	   hostile.with_blank('cast=5 invalid=2 votes={1:3}'::hostile.tally, 2::pg_catalog.int8),
	   hostile.with_ballots_issued('cast=5 votes={1:5}'::hostile.tally, 5::pg_catalog.int8),
	   hostile.with_parts('cast=5 votes={1:5}'::hostile.tally, 3::pg_catalog.int8, 1::pg_catalog.int8),
	   hostile.as_part('cast=5 votes={1:5}'::hostile.tally, true);
SELECT p.code FROM hostile.protocol_problems('issued=40 cast=5 votes={1:5}'::hostile.tally) p;
-- casts and the type's functions called directly
SELECT CAST('registered=9 cast=5 votes={1:3}'::hostile.tally AS pg_catalog.jsonb),
	   CAST('{"cast": 5, "votes": [{"candidate": 1, "votes": 3}]}'::pg_catalog.jsonb AS hostile.tally);
SELECT hostile.tally_send('votes={1:2}'::hostile.tally),
	   hostile.tally_out(hostile.tally_in('votes={2:1,1:2}'::pg_catalog.cstring)),
	   hostile.tally_eq('cast=1'::hostile.tally, 'cast=1'::hostile.tally),
	   hostile.tally_ne('cast=1'::hostile.tally, 'cast=2'::hostile.tally),
	   hostile.tally_add('cast=1'::hostile.tally, 'cast=2'::hostile.tally),
	   hostile.tally_hash('cast=1'::hostile.tally) OPERATOR(pg_catalog.=) hostile.tally_hash('cast=1 invalid=0'::hostile.tally),
	   hostile.tally_to_jsonb('cast=1'::hostile.tally),
	   hostile.jsonb_to_tally('{"cast": 1}'::pg_catalog.jsonb);
-- binary COPY: tally_send and tally_recv
CREATE TABLE data.copied (constituency int, t hostile.tally);
\copy (SELECT constituency, t FROM data.tallies) TO 'COPY_FILE' (FORMAT binary)
\copy data.copied FROM 'COPY_FILE' (FORMAT binary)
SELECT pg_catalog.count(*) FROM data.copied c JOIN data.tallies t
	ON c.constituency OPERATOR(pg_catalog.=) t.constituency AND c.t OPERATOR(hostile.=) t.t;
EOF
}

# Runs the exercise in DB as ROLE; its output goes to FILE.
run_exercise() {
	local db=$1 role=$2 out=$3
	exercise_sql | sed "s|COPY_FILE|$WORK/copy-$db.bin|g" >"$WORK/exercise-$db.sql"
	"${PSQL[@]}" -U "$role" -d "$db" -f "$WORK/exercise-$db.sql" >"$out" 2>"$out.stderr"
}

# ---------------------------------------------------------------- setup

as_super -d postgres -c "CREATE ROLE $MALLORY LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" \
	-c "CREATE ROLE $EVE LOGIN NOSUPERUSER"

# the reference: the same exercise in a database without trojans
createdb -U "$SUPERUSER" "$CLEAN_DB"
as_super -d "$CLEAN_DB" -c "CREATE SCHEMA hostile" -c "CREATE EXTENSION maslihat SCHEMA hostile"
as_super -d "$CLEAN_DB" -c "ALTER DATABASE $CLEAN_DB SET track_functions = 'all'"
run_exercise "$CLEAN_DB" "$SUPERUSER" "$WORK/clean.out"
echo "reference exercise: $(wc -l <"$WORK/clean.out") lines of output"

# ---------------------------------------------------------------- A

echo "== A: a superuser installs maslihat into mallory's trojan-laden schema"
createdb -U "$SUPERUSER" -O "$MALLORY" "$HOSTILE_DB"
as_super -d "$HOSTILE_DB" -c "ALTER DATABASE $HOSTILE_DB SET track_functions = 'all'"
{
	audit_sql
	echo "CREATE SCHEMA hostile;"
	trojans_before hostile
	trojans_before public
} >"$WORK/trojans_before.sql"
as_mallory -d "$HOSTILE_DB" -f "$WORK/trojans_before.sql" >/dev/null
ntrojans=$(as_super -d "$HOSTILE_DB" -At -c "SELECT count(*) FROM pg_proc WHERE prosrc LIKE '%audit.hit%'")
nops=$(as_super -d "$HOSTILE_DB" -At -c "SELECT count(*) FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode WHERE p.prosrc LIKE '%audit.hit%'")
echo "planted $ntrojans trojan functions ($nops of them behind operators) in hostile and public"

check "CREATE EXTENSION with search_path = hostile, public succeeds" yes \
	"$(as_super -d "$HOSTILE_DB" -c "SET search_path = hostile, public" -c "CREATE EXTENSION maslihat SCHEMA hostile" >/dev/null 2>"$WORK/create.err" && echo yes || { cat "$WORK/create.err"; echo no; })"
check "trojans run by CREATE EXTENSION" "0" "$(trojan_calls "$HOSTILE_DB")"

trojans_after public hostile >"$WORK/trojans_after.sql"
as_mallory -d "$HOSTILE_DB" -f "$WORK/trojans_after.sql" >/dev/null
as_super -d "$HOSTILE_DB" -c "SELECT pg_stat_reset()" >/dev/null
run_exercise "$HOSTILE_DB" "$SUPERUSER" "$WORK/hostile.out" || true
check "exercise under the hostile search_path runs without error" "" \
	"$(grep -v '^WARNING:  TROJAN\|^psql:.*WARNING:  TROJAN' "$WORK/hostile.out.stderr" || true)"
check "exercise output equals the one without trojans" "" "$(diff "$WORK/clean.out" "$WORK/hostile.out" || true)"
check "trojans run by the exercise" "0" "$(trojan_calls "$HOSTILE_DB")"
check "trojan log" "" "$(trojan_log "$HOSTILE_DB")"

# Every C function was called.  pg_stat_user_functions counts calls from
# expressions; aggregate support functions and type I/O are called by the
# executor directly and are not counted, so for those the plans are shown
# (Partial Aggregate in workers, then Finalize: combine, serialize,
# deserialize) and the output compared above covers them.
sleep 1
check "C functions of the extension the exercise never called" "" \
	"$(as_super -d "$HOSTILE_DB" -At -c "
		SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1)
		FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		  AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
		LEFT JOIN pg_stat_user_functions s ON s.funcid = p.oid
		WHERE p.prokind = 'f' AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
		  AND p.oid NOT IN (SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn,
												aggdeserialfn, aggmtransfn, aggminvtransfn, aggmfinalfn])
							FROM pg_aggregate)
		  AND p.oid NOT IN (SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend]) FROM pg_type)
		  -- the 0.1.0 forms that name no rule only raise (sql/rule_sets.sql)
		  AND obj_description(p.oid, 'pg_proc') NOT LIKE 'no longer assumes a rule%'
		  AND coalesce(s.calls, 0) = 0")"
check "aggregates ran as Partial Aggregate in parallel workers" 5 \
	"$(grep -c 'Partial Aggregate' "$WORK/hostile.out")"

# Every function or operator the extension's objects refer to is
# pg_catalog's or the extension's own: operator functions and estimators,
# aggregate support, type I/O, casts, opclass members, and what the
# SQL-standard bodies call.
check "objects the extension refers to that are neither pg_catalog's nor its own" "" \
	"$(as_super -d "$HOSTILE_DB" -At <<'EOF'
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'maslihat'),
member AS (SELECT classid, objid FROM pg_depend, ext
		   WHERE refclassid = 'pg_extension'::regclass AND refobjid = ext.oid AND deptype = 'e'),
referenced_proc AS (
	SELECT unnest(ARRAY[oprcode, oprrest, oprjoin]) AS f FROM pg_operator WHERE oid IN (SELECT objid FROM member WHERE classid = 'pg_operator'::regclass)
	UNION SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn, aggmtransfn, aggminvtransfn, aggmfinalfn])
		  FROM pg_aggregate WHERE aggfnoid IN (SELECT objid FROM member WHERE classid = 'pg_proc'::regclass)
	UNION SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze])
		  FROM pg_type WHERE oid IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass)
	UNION SELECT castfunc FROM pg_cast WHERE oid IN (SELECT objid FROM member WHERE classid = 'pg_cast'::regclass)
	UNION SELECT amproc FROM pg_amproc WHERE amprocfamily IN (SELECT objid FROM member WHERE classid = 'pg_opfamily'::regclass)
	UNION SELECT refobjid FROM pg_depend WHERE classid = 'pg_proc'::regclass AND refclassid = 'pg_proc'::regclass
		  AND objid IN (SELECT objid FROM member WHERE classid = 'pg_proc'::regclass)),
referenced_op AS (
	SELECT amopopr AS o FROM pg_amop WHERE amopfamily IN (SELECT objid FROM member WHERE classid = 'pg_opfamily'::regclass)
	UNION SELECT unnest(ARRAY[oprcom, oprnegate]) FROM pg_operator WHERE oid IN (SELECT objid FROM member WHERE classid = 'pg_operator'::regclass)
	UNION SELECT refobjid FROM pg_depend WHERE classid = 'pg_proc'::regclass AND refclassid = 'pg_operator'::regclass
		  AND objid IN (SELECT objid FROM member WHERE classid = 'pg_proc'::regclass)),
referenced_type AS (
	SELECT unnest(proargtypes::oid[] || prorettype) AS t FROM pg_proc WHERE oid IN (SELECT objid FROM member WHERE classid = 'pg_proc'::regclass)
	UNION SELECT atttypid FROM pg_attribute a JOIN pg_type ty ON ty.typrelid = a.attrelid
		  WHERE ty.oid IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass)
	UNION SELECT unnest(ARRAY[castsource, casttarget]) FROM pg_cast WHERE oid IN (SELECT objid FROM member WHERE classid = 'pg_cast'::regclass))
SELECT string_agg(what, ', ' ORDER BY what) FROM (
	SELECT 'function ' || f::regprocedure AS what FROM referenced_proc
	WHERE f <> 0 AND f NOT IN (SELECT objid FROM member WHERE classid = 'pg_proc'::regclass)
	  AND (SELECT pronamespace FROM pg_proc WHERE oid = f) <> 'pg_catalog'::regnamespace
	UNION ALL
	SELECT 'operator ' || o::regoperator FROM referenced_op
	WHERE o <> 0 AND o NOT IN (SELECT objid FROM member WHERE classid = 'pg_operator'::regclass)
	  AND (SELECT oprnamespace FROM pg_operator WHERE oid = o) <> 'pg_catalog'::regnamespace
	UNION ALL
	SELECT 'type ' || t::regtype FROM referenced_type
	WHERE t NOT IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass)
	  AND t NOT IN (SELECT typarray FROM pg_type WHERE oid IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass))
	  AND (SELECT typnamespace FROM pg_type WHERE oid = t) <> 'pg_catalog'::regnamespace) bad;
EOF
)"

# ---------------------------------------------------------------- B

echo "== B: trusted: mallory, a database owner but no superuser, installs it himself"
check "maslihat.control says trusted = true" yes \
	"$(grep -Eq '^[[:space:]]*trusted[[:space:]]*=[[:space:]]*true' maslihat.control && echo yes || echo no)"
check "the installed control file says trusted = true" yes \
	"$(grep -Eq '^[[:space:]]*trusted[[:space:]]*=[[:space:]]*true' "$(pg_config --sharedir)/extension/maslihat.control" && echo yes || echo no)"
createdb -U "$SUPERUSER" -O "$MALLORY" "$TRUSTED_DB"
as_super -d "$TRUSTED_DB" -c "ALTER DATABASE $TRUSTED_DB SET track_functions = 'all'"
as_mallory -d "$TRUSTED_DB" -f "$WORK/trojans_before.sql" >/dev/null
check "mallory is no superuser" f "$(as_super -d postgres -At -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$MALLORY'")"
check "mallory: CREATE EXTENSION maslihat SCHEMA hostile, search_path = hostile, public" yes \
	"$(as_mallory -d "$TRUSTED_DB" -c "SET search_path = hostile, public" -c "CREATE EXTENSION maslihat SCHEMA hostile" >/dev/null 2>"$WORK/trusted.err" && echo yes || { cat "$WORK/trusted.err"; echo no; })"
check "trojans run by the trusted install" "0" "$(trojan_calls "$TRUSTED_DB")"
check "trojan log of the trusted install" "" "$(trojan_log "$TRUSTED_DB")"
check "mallory is still no superuser" f "$(as_super -d postgres -At -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$MALLORY'")"
check "the extension belongs to mallory" "$MALLORY" \
	"$(as_super -d "$TRUSTED_DB" -At -c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'maslihat'")"
check "its functions belong to the bootstrap superuser, not to mallory" "0" \
	"$(as_super -d "$TRUSTED_DB" -At -c "SELECT count(*) FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
		AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' WHERE p.proowner <> 10")"
trojans_after public hostile >"$WORK/trojans_after.sql"
as_mallory -d "$TRUSTED_DB" -f "$WORK/trojans_after.sql" >/dev/null
run_exercise "$TRUSTED_DB" "$MALLORY" "$WORK/trusted.out" || true
check "mallory's exercise runs without error" "" \
	"$(grep -v '^WARNING:  TROJAN\|^psql:.*WARNING:  TROJAN' "$WORK/trusted.out.stderr" || true)"
check "mallory's exercise output equals the one without trojans" "" "$(diff "$WORK/clean.out" "$WORK/trusted.out" || true)"
check "trojans run by mallory's exercise" "0" "$(trojan_calls "$TRUSTED_DB")"
check "eve, without CREATE on the database, cannot install it" "42501" \
	"$(createdb -U "$SUPERUSER" -O "$MALLORY" "$SQUAT_DB" && "${PSQL[@]}" -U "$EVE" -d "$SQUAT_DB" -c '\set VERBOSITY sqlstate' -c "CREATE EXTENSION maslihat" 2>&1 | sed -n 's/^.*ERROR:  //p')"
check "mallory can drop the extension he installed" yes \
	"$(as_mallory -d "$TRUSTED_DB" -c "DROP EXTENSION maslihat CASCADE" >/dev/null 2>&1 && echo yes || echo no)"

# ---------------------------------------------------------------- C

echo "== C: a squatter on one of our names makes CREATE EXTENSION fail"
as_mallory -d "$SQUAT_DB" -c "CREATE SCHEMA hostile" \
	-c "CREATE FUNCTION hostile.ballots_needed(registered bigint, threshold numeric DEFAULT 0.5) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN 0" >/dev/null
check "CREATE EXTENSION over a squatted signature fails with 42723" "42723" \
	"$(as_super -d "$SQUAT_DB" -c '\set VERBOSITY sqlstate' -c "CREATE EXTENSION maslihat SCHEMA hostile" 2>&1 | sed -n 's/^.*ERROR:  //p')"
check "the squatter is still mallory's, and no extension was made" "$MALLORY|0" \
	"$(as_super -d "$SQUAT_DB" -At -c "SELECT proowner::regrole || '|' || (SELECT count(*) FROM pg_extension WHERE extname = 'maslihat')
		FROM pg_proc WHERE oid = 'hostile.ballots_needed(bigint, numeric)'::regprocedure")"

# ---------------------------------------------------------------- D

echo "== D: control: careless SQL does run the trojans"
as_mallory -d "$HOSTILE_DB" -c "CREATE FUNCTION public.careless(a text[]) RETURNS text[] LANGUAGE sql AS 'SELECT array_remove(a, ''x'')'" >/dev/null
before=$(trojan_calls "$HOSTILE_DB")
as_super -d "$HOSTILE_DB" -c "SET search_path = hostile, public" -c "SELECT public.careless(ARRAY['x', 'y'])" >/dev/null 2>&1
check "the careless function ran a trojan" yes \
	"$([ "$(trojan_calls "$HOSTILE_DB")" -gt "$before" ] && echo yes || echo no)"

finish
