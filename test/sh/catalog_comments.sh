#!/usr/bin/env bash
# Every function, aggregate, type, cast and operator that belongs to the
# extension (pg_depend deptype 'e') has a COMMENT, so that \dx+ maslihat,
# \df+, \dT+, \do+ and \dC+ explain themselves; prints any that has none.
# So does every column of every composite type of the extension
# (fptp_outcome, election_summary, ...), so that \d+ describes each field.
# Operator classes and families are reported too, as notes.  Needs a
# running cluster with maslihat installed (PGHOST, PGPORT and PGUSER set,
# as scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

DB=maslihat_comments_$$
export PGDATABASE=$DB
PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
passed=0
failed=0

cleanup() { "$PG_BIN/dropdb" --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

"$PG_BIN/createdb" "$DB"
"${PSQL[@]}" -c "CREATE EXTENSION maslihat"

# kind|object|comment (empty when there is none), for every member of the
# extension.  An aggregate is a pg_proc row with prokind 'a'.
members=$("${PSQL[@]}" -At -F '|' <<'EOF'
SELECT CASE d.classid
		WHEN 'pg_proc'::regclass THEN
			CASE (SELECT prokind FROM pg_proc WHERE oid = d.objid)
				WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' ELSE 'function' END
		WHEN 'pg_type'::regclass THEN 'type'
		WHEN 'pg_cast'::regclass THEN 'cast'
		WHEN 'pg_operator'::regclass THEN 'operator'
		WHEN 'pg_opclass'::regclass THEN 'operator class'
		WHEN 'pg_opfamily'::regclass THEN 'operator family'
		ELSE d.classid::regclass::text
	   END,
	   pg_describe_object(d.classid, d.objid, d.objsubid),
	   regexp_replace(coalesce(obj_description(d.objid, d.classid::regclass::name), ''), '\s+', ' ', 'g')
FROM pg_depend d
JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
WHERE e.extname = 'maslihat' AND d.deptype = 'e'
ORDER BY 1, 2
EOF
)

declare -A total=() missing=()
while IFS='|' read -r kind object comment; do
	[ -n "$kind" ] || continue
	total[$kind]=$((${total[$kind]:-0} + 1))
	if [ -z "$comment" ]; then
		missing[$kind]=$((${missing[$kind]:-0} + 1))
		case $kind in
			function | procedure | aggregate | type | cast | operator)
				echo "MISSING COMMENT: $object"
				failed=$((failed + 1))
				;;
			*) echo "note: no comment on $object" ;;
		esac
	else
		case $kind in
			function | procedure | aggregate | type | cast | operator) passed=$((passed + 1)) ;;
		esac
	fi
done <<<"$members"

for kind in "${!total[@]}"; do
	echo "$kind: ${total[$kind]} in the extension, ${missing[$kind]:-0} without a comment"
done | sort

# Not vacuous: the kinds the extension is known to have are all there.
for kind in function aggregate type cast operator; do
	if [ "${total[$kind]:-0}" -gt 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAILED: no $kind found among the extension's objects"
	fi
done

# Every column of every composite type that belongs to the extension.
columns=$("${PSQL[@]}" -At -F '|' <<'EOF'
SELECT format_type(t.oid, NULL), a.attname,
	   regexp_replace(coalesce(col_description(t.typrelid, a.attnum), ''), '\s+', ' ', 'g')
FROM pg_depend d
JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
JOIN pg_type t ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
WHERE e.extname = 'maslihat' AND d.deptype = 'e' AND t.typtype = 'c'
ORDER BY 1, a.attnum
EOF
)
composite_columns=0
declare -A composite_missing=()
while IFS='|' read -r type column comment; do
	[ -n "$type" ] || continue
	composite_columns=$((composite_columns + 1))
	if [ -z "$comment" ]; then
		echo "MISSING COMMENT: column $column of type $type"
		composite_missing[$type]=$((${composite_missing[$type]:-0} + 1))
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done <<<"$columns"
for type in "${!composite_missing[@]}"; do
	echo "type $type: ${composite_missing[$type]} columns without a comment"
done | sort
echo "composite type columns: $composite_columns in the extension's types"
# not vacuous: the extension has composite types with columns
if [ "$composite_columns" -gt 0 ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAILED: no columns of composite types found among the extension's objects"
fi

# \dx shows the control file's comment
ext_comment=$("${PSQL[@]}" -At -c "SELECT obj_description(oid, 'pg_extension') FROM pg_extension WHERE extname = 'maslihat'")
if [ -n "$ext_comment" ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "MISSING COMMENT: extension maslihat (the control file's comment)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
