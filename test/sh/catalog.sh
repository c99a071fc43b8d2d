#!/usr/bin/env bash
# The catalog test: what CREATE EXTENSION maslihat puts in the catalog is
# labelled right, and the install script says why where it departs from
# the default.
#
#   - no SECURITY DEFINER function, none LEAKPROOF, none with a SET clause;
#   - every function IMMUTABLE and PARALLEL SAFE (aggregates included);
#   - exactly the functions listed in NON_STRICT below are not STRICT, and
#     each of them has a comment in the install script saying why;
#   - every CREATE FUNCTION in the install script says its volatility and
#     PARALLEL SAFE explicitly, and there is no CREATE OR REPLACE (which
#     would adopt an object a hostile user planted under the same name);
#   - every aggregate has a combine function and a state type that is a
#     real type, not a pseudo-type such as internal (Citus runs an
#     aggregate on its workers only then); a moving-window state may be
#     internal;
#   - a fresh CREATE EXTENSION and CREATE EXTENSION ... VERSION '0.1.0'
#     followed by ALTER EXTENSION ... UPDATE give the same catalog
#     (test/sql/catalog_snapshot.sql lists every object);
#   - SQL-language functions have SQL-standard bodies (bound when created,
#     so a caller's search_path cannot change what they call);
#   - every function, aggregate, operator and type has a COMMENT.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT, PGUSER
# of a superuser; scripts/test sets them) and PG_CONFIG naming that
# server's pg_config (else the one on PATH); creates and drops its own
# database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

# The functions that are deliberately not STRICT (aggregates aside, which
# have no strictness of their own).  Adding one means adding it here and a
# comment above it in the install script.
NON_STRICT="can_change(tally,bigint,text,bigint)
candidate_violations(date,text,bigint,bigint,date,date,integer,numeric,date,date)
election_summary_transfn(election_summary_state,tally)
election_summary_transfn(election_summary_state,tally,bigint)
election_summary_transfn(election_summary_state,tally,bigint,numeric)
election_summary_transfn(election_summary_state,tally,bigint,text)
election_summary_transfn(election_summary_state,tally,text)
hold_or_gain(text,text,text)
make_tally(bigint,bigint,bigint,bigint[],bigint[])
make_tally(bigint,bigint,bigint,text[],bigint[])
outcome(tally,bigint,numeric,bigint)
outcome(tally,bigint,text,bigint)
outcome(tally,text)
protocol_problems(bigint[],bigint[],bigint,bigint,bigint,bigint,bigint,bigint,bigint,numeric,numeric,numeric,bigint)
protocol_problems(tally,bigint,bigint,numeric,numeric,numeric,bigint)
protocol_problems(text[],bigint[],bigint,bigint,bigint,bigint,bigint,bigint,bigint,numeric,numeric,numeric,bigint)
seats_combine(seats_state,seats_state)
seats_transfn(seats_state,tally)
seats_transfn(seats_state,tally,jsonb)
seats_transfn(seats_state,tally,jsonb,text)
tally_ballot_invfn(internal,bigint)
tally_ballot_transfn(internal,bigint)
tally_ballot_transfn(tally,bigint)
tally_combine(tally,tally)
tally_key_ballot_invfn(internal,text)
tally_key_ballot_transfn(internal,text)
tally_key_ballot_transfn(tally,text)
tally_key_votes_transfn(tally,text,bigint)
tally_votes_transfn(tally,bigint,bigint)
with_ballots_issued(tally,bigint)
with_blank(tally,bigint)
with_registered(tally,bigint)"

DB=maslihat_catalog_$$
export PGDATABASE=$DB
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

createdb "$DB"
query "CREATE EXTENSION maslihat"
version=$(query "SELECT extversion FROM pg_extension WHERE extname = 'maslihat'")
script="maslihat--$version.sql"
installed="$("${PG_CONFIG:-pg_config}" --sharedir)/extension/$script"

# The extension's functions (aggregates included), as signatures.
FUNCS="(SELECT p.*, p.oid::regprocedure::text AS sig
		FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')) f"
# The extension's members of one catalog.
members() {
	echo "(SELECT objid FROM pg_depend WHERE classid = '$1'::regclass
		   AND refclassid = 'pg_extension'::regclass AND deptype = 'e'
		   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat'))"
}

nfuncs=$(query "SELECT count(*) FROM $FUNCS")
naggs=$(query "SELECT count(*) FROM $FUNCS WHERE prokind = 'a'")
echo "maslihat $version: $nfuncs functions, $naggs of them aggregates"
check "the extension has functions and aggregates" yes \
	"$([ "$nfuncs" -gt 30 ] && [ "$naggs" -ge 5 ] && echo yes || echo no)"

check "SECURITY DEFINER functions" "" "$(query "SELECT string_agg(sig, ', ') FROM $FUNCS WHERE prosecdef")"
check "LEAKPROOF functions" "" "$(query "SELECT string_agg(sig, ', ') FROM $FUNCS WHERE proleakproof")"
check "functions with a SET clause" "" "$(query "SELECT string_agg(sig, ', ') FROM $FUNCS WHERE proconfig IS NOT NULL")"
check "functions not IMMUTABLE" "" "$(query "SELECT string_agg(sig, ', ') FROM $FUNCS WHERE provolatile <> 'i'")"
check "functions not PARALLEL SAFE" "" "$(query "SELECT string_agg(sig, ', ') FROM $FUNCS WHERE proparallel <> 's'")"
check "non-strict functions are exactly the listed ones" "$NON_STRICT" \
	"$(query "SELECT sig FROM $FUNCS WHERE prokind = 'f' AND NOT proisstrict ORDER BY sig COLLATE \"C\"")"
check "SQL functions without an SQL-standard body" "" \
	"$(query "SELECT string_agg(sig, ', ') FROM $FUNCS WHERE prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql') AND prosqlbody IS NULL")"
check "languages used" "c sql" \
	"$(query "SELECT string_agg(DISTINCT l.lanname, ' ' ORDER BY l.lanname) FROM $FUNCS JOIN pg_language l ON l.oid = f.prolang WHERE prokind = 'f'")"

check "aggregates without a combine function" "" \
	"$(query "SELECT string_agg(sig, ', ') FROM $FUNCS JOIN pg_aggregate a ON a.aggfnoid = f.oid WHERE a.aggcombinefn = 0")"
check "aggregates whose state type is a pseudo-type" "" \
	"$(query "SELECT string_agg(sig, ', ') FROM $FUNCS JOIN pg_aggregate a ON a.aggfnoid = f.oid
			  JOIN pg_type t ON t.oid = a.aggtranstype WHERE t.typtype = 'p'")"
check "aggregates with serialize/deserialize functions (a real state type needs none)" "" \
	"$(query "SELECT string_agg(sig, ', ') FROM $FUNCS JOIN pg_aggregate a ON a.aggfnoid = f.oid
			  WHERE a.aggserialfn <> 0 OR a.aggdeserialfn <> 0")"
check "moving-window states other than internal, or without an inverse" "" \
	"$(query "SELECT string_agg(sig, ', ') FROM $FUNCS JOIN pg_aggregate a ON a.aggfnoid = f.oid
			  WHERE a.aggmtransfn <> 0 AND (a.aggmtranstype <> 'internal'::regtype OR a.aggminvtransfn = 0)")"
check "aggregates whose support functions are not PARALLEL SAFE" "" \
	"$(query "SELECT string_agg(DISTINCT sig, ', ') FROM $FUNCS JOIN pg_aggregate a ON a.aggfnoid = f.oid
			  JOIN pg_proc s ON s.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
										 a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn)
			  WHERE s.proparallel <> 's'")"

check "functions and aggregates without a COMMENT" "" \
	"$(query "SELECT string_agg(sig, ', ') FROM $FUNCS WHERE obj_description(oid, 'pg_proc') IS NULL")"
check "operators without a COMMENT" "" \
	"$(query "SELECT string_agg(oid::regoperator::text, ', ') FROM pg_operator
			  WHERE oid IN $(members pg_operator) AND obj_description(oid, 'pg_operator') IS NULL")"
check "types without a COMMENT" "" \
	"$(query "SELECT string_agg(oid::regtype::text, ', ') FROM pg_type
			  WHERE oid IN $(members pg_type) AND typcategory <> 'A'
			    AND obj_description(oid, 'pg_type') IS NULL")"

# A fresh install and an update from 0.1.0 give the same catalog.
snapshot() {
	local db=$1
	shift
	createdb "$db"
	for sql in "$@"; do query "$sql" -d "$db" >/dev/null; done
	psql -X -At -v ON_ERROR_STOP=1 -d "$db" -f test/sql/catalog_snapshot.sql
	dropdb "$db"
}
fresh=$(snapshot "${DB}_fresh" "CREATE EXTENSION maslihat")
updated=$(snapshot "${DB}_updated" "CREATE EXTENSION maslihat VERSION '0.1.0'" "ALTER EXTENSION maslihat UPDATE")
check "the snapshot lists the aggregates" yes "$(grep -q '^A tally(bigint) ' <<<"$fresh" && echo yes || echo no)"
check "a fresh install and an update from 0.1.0 give the same catalog" "" \
	"$(diff <(echo "$fresh") <(echo "$updated") | head -20)"

# The install script itself.
check "the installed $script is the repository's" yes \
	"$(cmp -s "$script" "$installed" && echo yes || echo no)"

script_report=$(python3 - "$script" <<'EOF'
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()

# Split into statements, keeping the comment lines that precede each.
# Quotes, dollar quotes and comments are respected.
statements = []            # (comments before it, statement text)
comments, buf = [], []
i, n = 0, len(text)
while i < n:
    c = text[i]
    if c == "-" and text.startswith("--", i):
        end = text.find("\n", i)
        end = n if end < 0 else end
        if "".join(buf).strip() == "":
            comments.append(text[i:end])
        i = end
        continue
    if c == "'":
        end = i + 1
        while True:
            end = text.find("'", end)
            if end < 0 or not text.startswith("''", end):
                break
            end += 2
        buf.append(text[i:end + 1])
        i = end + 1
        continue
    m = re.match(r"\$[A-Za-z_]*\$", text[i:]) if c == "$" else None
    if m:
        end = text.find(m.group(0), i + len(m.group(0)))
        buf.append(text[i:end + len(m.group(0))])
        i = end + len(m.group(0))
        continue
    if c == "\\" and "".join(buf).strip() == "":
        end = text.find("\n", i)      # a psql meta-command line
        i = n if end < 0 else end
        continue
    if c == ";":
        statements.append((comments, " ".join("".join(buf).split())))
        comments, buf = [], []
        i += 1
        continue
    if c == "\n" and "".join(buf).strip() == "" and comments and text[i - 1] == "\n":
        comments = []                 # a blank line ends a comment block
    buf.append(c)
    i += 1

problems = []
nonstrict = []
previous = None                       # the last CREATE FUNCTION seen
for comments, stmt in statements:
    upper = stmt.upper()
    if re.search(r"\bCREATE\s+OR\s+REPLACE\b", upper):
        problems.append("CREATE OR REPLACE: " + stmt[:60])
    if re.search(r"\bIF\s+NOT\s+EXISTS\b", upper):
        problems.append("IF NOT EXISTS: " + stmt[:60])
    if "SECURITY DEFINER" in upper:
        problems.append("SECURITY DEFINER: " + stmt[:60])
    if not upper.startswith("CREATE FUNCTION"):
        continue
    name = re.match(r"CREATE FUNCTION\s+([A-Za-z_0-9.]+)", stmt).group(1)
    # only the attributes, not the body
    attrs = upper.split(" RETURN ", 1)[0] if " LANGUAGE SQL " in upper else upper
    if not re.search(r"\b(IMMUTABLE|STABLE|VOLATILE)\b", attrs):
        problems.append("no explicit volatility: " + name)
    if "PARALLEL SAFE" not in attrs:
        problems.append("not PARALLEL SAFE: " + name)
    strict = re.search(r"\bSTRICT\b|RETURNS NULL ON NULL INPUT", attrs) is not None
    if not strict:
        nonstrict.append(name)
        # a comment right above it, or above the overload just before it
        explained = any("strict" in c.lower() for c in comments) or (
            previous is not None and previous[0] == name and previous[1])
        if not explained:
            problems.append("not STRICT and no comment saying why: " + name)
        previous = (name, explained)
    else:
        previous = (name, False)

print("nonstrict " + " ".join(sorted(nonstrict)))
for p in problems:
    print("problem " + p)
print("functions %d" % sum(1 for _, s in statements if s.upper().startswith("CREATE FUNCTION")))
EOF
)
script_funcs=$(sed -n 's/^functions //p' <<<"$script_report")
echo "the install script creates $script_funcs functions with CREATE FUNCTION"
check "CREATE FUNCTION statements in the script = non-aggregate functions in the catalog" \
	"$((nfuncs - naggs))" "$script_funcs"
check "install script problems (volatility, PARALLEL SAFE, unexplained non-strict, OR REPLACE, IF NOT EXISTS, SECURITY DEFINER)" \
	"" "$(sed -n 's/^problem //p' <<<"$script_report")"
check "the non-strict functions of the script are those of the catalog" \
	"$(sed 's/(.*//' <<<"$NON_STRICT" | tr '\n' ' ' | sed 's/ $//')" \
	"$(sed -n 's/^nonstrict //p' <<<"$script_report")"
check "the script starts with the \\echo guard" yes \
	"$(grep -m1 -v '^\(/\*.*\*/\|--.*\)\?$' "$script" | grep -q '^\\echo Use "CREATE EXTENSION maslihat"' && echo yes || echo no)"

finish
