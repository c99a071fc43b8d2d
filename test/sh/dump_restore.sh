#!/usr/bin/env bash
# Nothing lost: tables holding tallies round-trip exactly through
# pg_dump -Fc + pg_restore into a new database, through pg_dump --inserts
# replayed by psql, and through COPY in text and binary.  Compared value
# by value, with tally = tally and with text equality, plus the bytes of
# the text export and of tally_send.
#
# The values: NULL, empty, registered unknown and known (0 too), every
# count at the int64 edges, candidates at -2^63 and 2^63 - 1, a tally of
# 100,000 candidates (1.6 MB, TOASTed), 3,000 random ones, tallies inside an
# array, a composite and a domain, an fptp_outcome column, a generated
# column and a CHECK constraint calling the extension, a hash index and a
# materialized view.  The extension lives in its own schema, so that the
# dump must qualify what it refers to.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT, PGUSER;
# scripts/test sets them); creates and drops its own databases.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

SRC=maslihat_dump_src_$$
DST=maslihat_dump_dst_$$
INS=maslihat_dump_ins_$$
WORK=$(mktemp -d)
cleanup() {
	for db in "$SRC" "$DST" "$INS"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
chmod 755 "$WORK"

createdb "$SRC"
"${PSQL[@]}" -d "$SRC" <<'EOF'
CREATE SCHEMA counting;
CREATE EXTENSION maslihat SCHEMA counting;
SET search_path = public, counting;

CREATE DOMAIN station_tally AS tally CHECK (counting.ballots_cast(VALUE) <= 100000);
CREATE TYPE protocol AS (station int, t tally, signed_by text);

CREATE TABLE tallies (
	id int PRIMARY KEY,
	t tally,
	note text,
	arr tally[],
	proto protocol,
	st station_tally,
	o fptp_outcome,
	cast_total bigint GENERATED ALWAYS AS (counting.ballots_cast(t)) STORED,
	CHECK (counting.invalid(t) <= counting.ballots_cast(t))
);
CREATE INDEX tallies_t_hash ON tallies USING hash (t);

INSERT INTO tallies (id, t, note) VALUES
	(1, NULL, 'NULL'),
	(2, 'cast=0', 'empty, registered unknown'),
	(3, 'registered=0', 'empty, registered 0'),
	(4, 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}', 'the README example'),
	(5, 'registered=9223372036854775807 cast=9223372036854775807 votes={-9223372036854775808:9223372036854775807}', 'int64 edges'),
	(6, 'cast=9223372036854775807 invalid=9223372036854775807', 'all invalid at the edge'),
	(7, 'registered=9223372036854775807 cast=9223372036854775807 invalid=1 votes={-9223372036854775808:0,0:9223372036854775806,9223372036854775807:0}', 'zero votes at both ends'),
	(8, 'votes={-1:1,1:1}', 'negative candidate number'),
	(9, 'registered=5 cast=5 invalid=5', 'registered = cast = invalid'),
	(10, 'cast=7 votes={1:0,2:0,3:0}', 'candidates without votes, ballots unaccounted');
-- 100,000 candidates, 1.6 MB: TOASTed
INSERT INTO tallies (id, t, note)
SELECT 11, counting.tally(c, c % 1000 + 1), '100,000 candidates' FROM generate_series(1, 100000) c;
-- many candidates, registered known, through make_tally and with_registered
INSERT INTO tallies (id, t, note)
SELECT 12, counting.with_registered(counting.make_tally(NULL, 20000, 1, array_agg(c), array_agg(1::bigint)), 9223372036854775807),
	   'make_tally, 19,999 candidates'
FROM generate_series(-9999, 9999) c;
-- 3,000 random tallies, half with registered voters
SELECT setseed(0.1994) \g /dev/null
INSERT INTO tallies (id, t, note)
SELECT 100 + g, CASE WHEN g % 2 = 0 THEN counting.with_registered(x.t, counting.ballots_cast(x.t) + g) ELSE x.t END, 'random'
FROM generate_series(1, 3000) g,
	 LATERAL (SELECT counting.tally(CASE WHEN random() < 0.05 THEN NULL
										  ELSE (random() * 2e18)::bigint * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END)
											   / (1 + (random() * 1e6)::bigint) END)
			  FROM generate_series(1, 1 + g % 50) k WHERE g > 0) x(t);
-- every row also as an array, a composite, a domain value and its outcome
UPDATE tallies SET arr = ARRAY[t, NULL, 'cast=1']::tally[],
				   proto = ROW(id, t, 'clerk "' || id || '", {x}')::protocol,
				   st = CASE WHEN counting.ballots_cast(t) <= 100000 THEN t END,
				   o = CASE WHEN t IS NOT NULL THEN counting.outcome(t, 'kz1994') END;

CREATE MATERIALIZED VIEW region AS
SELECT id % 10 AS region, counting.sum(t) AS t, counting.election_summary(t, 'kz1994') AS summary
FROM tallies WHERE id >= 100 GROUP BY 1;
ANALYZE tallies;
EOF
nrows=$(query "SELECT count(*) FROM tallies" -d "$SRC")
echo "source: $nrows rows, $(query "SELECT pg_size_pretty(pg_total_relation_size('tallies'))" -d "$SRC") (tallies), $(query "SELECT count(*) FROM region" -d "$SRC") regions"

# export the table the same way from any database: text, binary, bytes
# (cast_total, a generated column, cannot be copied in; it is compared)
COLS="id, t, note, arr, proto, st, o"
export_text() { "${PSQL[@]}" -d "$1" -c "\\copy (SELECT $COLS FROM tallies ORDER BY id) TO '$2'"; }
export_binary() { "${PSQL[@]}" -d "$1" -c "\\copy (SELECT $COLS FROM tallies ORDER BY id) TO '$2' (FORMAT binary)"; }
send_digest() { query "SELECT md5(string_agg(coalesce(encode(counting.tally_send(t), 'hex'), 'NULL'), ',' ORDER BY id)) FROM public.tallies" -d "$1"; }
region_text() { query "SELECT region, t, summary FROM region ORDER BY region" -d "$1"; }

export_text "$SRC" "$WORK/src.txt"
export_binary "$SRC" "$WORK/src.bin"
src_digest=$(send_digest "$SRC")

# ---- pg_dump -Fc, pg_restore into a new database
pg_dump -Fc -d "$SRC" -f "$WORK/src.dump"
createdb "$DST"
check "pg_restore into a new database" yes \
	"$(pg_restore --exit-on-error -d "$DST" "$WORK/src.dump" 2>"$WORK/restore.err" && echo yes || { head -5 "$WORK/restore.err"; echo no; })"
export_text "$DST" "$WORK/dst.txt"
check "rows after pg_restore" "$nrows" "$(query "SELECT count(*) FROM tallies" -d "$DST")"
check "text export after pg_restore is byte-identical" yes "$(cmp -s "$WORK/src.txt" "$WORK/dst.txt" && echo yes || echo no)"
check "tally_send bytes after pg_restore" "$src_digest" "$(send_digest "$DST")"
check "materialized view after pg_restore" "$(region_text "$SRC")" "$(region_text "$DST")"
check "the hash index finds every restored tally" "$((nrows - 1))" \
	"$(query "SET enable_seqscan = off; SET enable_bitmapscan = off;
			  SELECT count(*) FROM tallies a WHERE EXISTS (SELECT FROM tallies b WHERE b.t OPERATOR(counting.=) a.t AND b.id = a.id)" -d "$DST" | tail -1)"
check "the hash index is used" yes \
	"$(query "SET enable_seqscan = off; SET enable_bitmapscan = off;
			  EXPLAIN SELECT * FROM tallies WHERE t OPERATOR(counting.=) 'cast=0'" -d "$DST" | grep -q 'Index Scan using tallies_t_hash' && echo yes || echo no)"

# ---- COPY text and binary into the restored database, compared there
"${PSQL[@]}" -d "$DST" <<EOF
CREATE TABLE via_text (LIKE tallies INCLUDING ALL);
CREATE TABLE via_binary (LIKE tallies INCLUDING ALL);
\\copy via_text ($COLS) FROM '$WORK/src.txt'
\\copy via_binary ($COLS) FROM '$WORK/src.bin' (FORMAT binary)
EOF
for copy in via_text via_binary; do
	check "$copy: rows" "$nrows" "$(query "SELECT count(*) FROM $copy" -d "$DST")"
	# value by value: tally = tally, text equality, and the same in the
	# array, the composite, the domain and the outcome
	check "$copy: rows that differ from the restored table" 0 "$(query "
		SELECT count(*) FROM tallies r FULL JOIN $copy c USING (id)
		WHERE r.id IS NULL OR c.id IS NULL
		   OR (r.t IS NULL) <> (c.t IS NULL)
		   OR NOT coalesce(r.t OPERATOR(counting.=) c.t, true)
		   OR coalesce(r.t OPERATOR(counting.<>) c.t, false)
		   OR r.t::text IS DISTINCT FROM c.t::text
		   OR r.arr::text IS DISTINCT FROM c.arr::text
		   OR NOT coalesce((r.arr)[1] OPERATOR(counting.=) (c.arr)[1], true)
		   OR r.proto::text IS DISTINCT FROM c.proto::text
		   OR NOT coalesce((r.proto).t OPERATOR(counting.=) (c.proto).t, true)
		   OR r.st::text IS DISTINCT FROM c.st::text
		   OR r.o::text IS DISTINCT FROM c.o::text
		   OR r.cast_total IS DISTINCT FROM c.cast_total
		   OR r.note IS DISTINCT FROM c.note" -d "$DST")"
done
check "NULL tallies stay NULL (in t, in the array, in the composite)" "1|1|$nrows|1" \
	"$(query "SELECT count(*) FILTER (WHERE t IS NULL) || '|' || count(*) FILTER (WHERE arr[1] IS NULL) || '|' ||
				     count(*) FILTER (WHERE arr[2] IS NULL) || '|' || count(*) FILTER (WHERE (proto).t IS NULL) FROM via_binary" -d "$DST")"
check "the 100,000-candidate tally" "100000|50050000" \
	"$(query "SELECT counting.candidates(t) || '|' || counting.valid_votes(t) FROM via_binary WHERE id = 11" -d "$DST")"

# ---- the way back: the restored table's binary export into the source
export_binary "$DST" "$WORK/dst.bin"
"${PSQL[@]}" -d "$SRC" <<EOF
CREATE TABLE back (LIKE tallies INCLUDING ALL);
\\copy back ($COLS) FROM '$WORK/dst.bin' (FORMAT binary)
EOF
check "restored values loaded back into the source equal the originals" "$nrows|0" \
	"$(query "SELECT count(*) || '|' || count(*) FILTER (WHERE (s.t IS NULL) <> (b.t IS NULL)
						OR NOT coalesce(s.t OPERATOR(counting.=) b.t, true) OR s.t::text IS DISTINCT FROM b.t::text)
			  FROM tallies s JOIN back b USING (id)" -d "$SRC")"
# (arrays and composites carry type OIDs, which differ between databases)
check "binary export of the restored tallies is byte-identical" yes \
	"$(cmp -s <("${PSQL[@]}" -d "$SRC" -c "\\copy (SELECT id, t, note FROM tallies ORDER BY id) TO STDOUT (FORMAT binary)") \
			  <("${PSQL[@]}" -d "$DST" -c "\\copy (SELECT id, t, note FROM tallies ORDER BY id) TO STDOUT (FORMAT binary)") && echo yes || echo no)"

# ---- pg_dump --inserts: every value as a literal, replayed by psql
pg_dump --inserts --rows-per-insert=50 -d "$SRC" -f "$WORK/src.sql"
createdb "$INS"
check "pg_dump --inserts replays" yes \
	"$("${PSQL[@]}" -d "$INS" -f "$WORK/src.sql" >/dev/null 2>"$WORK/ins.err" && echo yes || { head -5 "$WORK/ins.err"; echo no; })"
export_text "$INS" "$WORK/ins.txt"
check "text export after --inserts is byte-identical" yes "$(cmp -s "$WORK/src.txt" "$WORK/ins.txt" && echo yes || echo no)"
check "tally_send bytes after --inserts" "$src_digest" "$(send_digest "$INS")"

finish
