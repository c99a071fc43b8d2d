#!/usr/bin/env bash
# Random SQL: SQLsmith (Debian package sqlsmith) against a database that
# holds maslihat and a small sample election at its three grains (ballots,
# candidate totals, station protocols as tallies), as a role that is not a
# superuser.  SQLsmith builds random queries from every function, operator
# and aggregate in the catalog, ours among them, over these tables.  Errors
# are expected; what must not happen is a backend terminated by a signal
# (the server log is read) or a lost connection.
#
#   bash test/sh/sqlsmith.sh                       SQLSMITH_QUERIES (5,000)
#   SQLSMITH_QUERIES=200000 bash test/sh/sqlsmith.sh   the long run
#   SQLSMITH_SEED=n ...                            replay one run
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT, PGUSER
# of a superuser, CLUSTER_DIR; scripts/test sets them); creates and drops
# its own database and role.  Installs sqlsmith if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

SQLSMITH_QUERIES=${SQLSMITH_QUERIES:-5000}
SQLSMITH_SEED=${SQLSMITH_SEED:-$((RANDOM * 32768 + RANDOM))}
STATEMENT_TIMEOUT=${SQLSMITH_STATEMENT_TIMEOUT:-1s}

if ! command -v sqlsmith >/dev/null; then
	(. scripts/lib.sh && install_packages sqlsmith)
fi

DB=maslihat_smith_$$
ROLE=maslihat_smith_$$
WORK=$(mktemp -d)
export PGDATABASE=$DB
cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1 || true
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

createdb "$DB"
"${PSQL[@]}" <<EOF
CREATE EXTENSION maslihat;
CREATE ROLE $ROLE LOGIN NOSUPERUSER;
ALTER ROLE $ROLE SET statement_timeout = '$STATEMENT_TIMEOUT';
ALTER ROLE $ROLE SET work_mem = '4MB';
ALTER DATABASE $DB SET log_error_verbosity = verbose;
SELECT setseed(0.1994) \\g /dev/null

-- a small election in the shape of the 1994 sample
CREATE TABLE constituency (id int PRIMARY KEY, level maslihat_level, name text,
						   residents bigint, registered bigint);
INSERT INTO constituency
SELECT i, (ARRAY['district', 'city', 'regional']::maslihat_level[])[1 + i % 3], 'Constituency ' || i,
	   1500 + (random() * 3000)::int, 1000 + (random() * 2000)::int
FROM generate_series(1, 60) i;
CREATE TABLE candidate (id bigint PRIMARY KEY, constituency int REFERENCES constituency,
						name text, birth_date date, nominated_by text, signatures bigint,
						registered_on date);
INSERT INTO candidate
SELECT c.id * 10 + k, c.id, 'Candidate ' || (c.id * 10 + k),
	   date '1930-01-01' + (random() * 25000)::int,
	   CASE WHEN random() < 0.6 THEN 'self' WHEN random() < 0.9 THEN 'association' ELSE 'party' END,
	   (random() * 200)::bigint, date '1994-01-20' + (random() * 25)::int
FROM constituency c, generate_series(1, 2 + c.id % 3) k;
-- ballots: a NULL candidate is a blank or invalid ballot
CREATE TABLE ballot (constituency int, station int, candidate bigint);
INSERT INTO ballot
SELECT c.id, s, CASE WHEN random() < 0.02 THEN NULL
					 ELSE c.id * 10 + 1 + (random() * random() * (2 + c.id % 3))::int % (2 + c.id % 3) END
FROM constituency c, generate_series(1, 3) s, generate_series(1, (c.registered * 0.7 / 3)::int) b;
-- candidate totals and station protocols
CREATE VIEW candidate_total AS
SELECT constituency, candidate, count(*) AS votes FROM ballot GROUP BY 1, 2;
CREATE TABLE station AS
SELECT b.constituency, b.station, with_registered(tally(b.candidate), c.registered / 3 + 1) AS t
FROM ballot b JOIN constituency c ON c.id = b.constituency GROUP BY 1, 2, c.registered;
CREATE TABLE constituency_tally AS
SELECT constituency, 'ballots' AS grain, tally(candidate) AS t FROM ballot GROUP BY 1
UNION ALL SELECT constituency, 'totals', tally(candidate, votes) FROM candidate_total GROUP BY 1
UNION ALL SELECT constituency, 'stations', sum(t) FROM station GROUP BY 1;
CREATE VIEW result AS
SELECT c.id, c.name, o.* FROM constituency c
JOIN constituency_tally t ON t.constituency = c.id AND t.grain = 'ballots',
	 LATERAL outcome(t.t, c.registered, 'kz1994') o;
-- odd values, and a table the role may change
CREATE TABLE odd (id int, t tally, ts tally[], j jsonb);
INSERT INTO odd VALUES
	(1, NULL, NULL, NULL), (2, 'cast=0', '{}', '{}'),
	(3, 'registered=9223372036854775807 cast=9223372036854775807 votes={-9223372036854775808:9223372036854775807}',
	 ARRAY['cast=1'::tally, NULL], '{"cast": 5, "votes": [{"candidate": 1, "votes": 5}]}'),
	(4, 'votes={1:5,2:5}', ARRAY['votes={1:1}'::tally], '{"votes": []}');
INSERT INTO odd SELECT 100 + k, tally(c), NULL, NULL FROM generate_series(1, 2000) c, generate_series(1, 2) k GROUP BY k;
CREATE TABLE scratch (t tally, n bigint, s text);
ANALYZE;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $ROLE;
GRANT ALL ON scratch TO $ROLE;
EOF
echo "sample: $(query "SELECT count(*) FROM constituency") constituencies, $(query "SELECT count(*) FROM candidate") candidates, $(query "SELECT count(*) FROM ballot") ballots"
check "the three grains give the same tallies" 0 \
	"$(query "SELECT count(*) FROM constituency_tally a JOIN constituency_tally b USING (constituency) WHERE a.grain < b.grain AND with_registered(a.t, NULL) <> with_registered(b.t, NULL)")"

log_mark
echo "sqlsmith: $SQLSMITH_QUERIES queries, seed $SQLSMITH_SEED, as $ROLE, statement_timeout $STATEMENT_TIMEOUT"
t0=$SECONDS
status=0
sqlsmith --target="host=$PGHOST port=$PGPORT dbname=$DB user=$ROLE" \
	--max-queries="$SQLSMITH_QUERIES" --seed="$SQLSMITH_SEED" --exclude-catalog \
	--verbose --dump-all-queries >"$WORK/queries.sql" 2>"$WORK/sqlsmith.log" || status=$?
echo "sqlsmith ran for $((SECONDS - t0)) s, exit status $status"
# the errors its queries met, from the server log, most frequent first
errors=$(log_since_mark | grep -c " ERROR:  " || true)
echo "queries that ended in an ERROR: $errors; the most frequent:"
log_since_mark | sed -n 's/^.* ERROR:  [0-9A-Z]\{5\}: \(.\{0,70\}\).*/\1/p' | sed 's/[0-9][0-9]*/N/g' |
	sort | uniq -c | sort -rn | head -5 | sed 's/^/   /' || true

queries=$(grep -c ';$' "$WORK/queries.sql" || true)
ours=$(python3 - "$WORK/queries.sql" <<'EOF'
import re
import sys
ours = {"tally", "fptp_winner", "sum", "election_summary", "outcome", "winner", "leader",
        "is_valid", "needs_by_election", "turnout", "ballots_needed", "registered",
        "ballots_cast", "invalid", "valid_votes", "candidates", "votes", "ranking",
        "make_tally", "with_registered", "signatures_needed", "candidate_violations"}
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
calls = 0
for q in text.split(";\n"):
    names = set(re.findall(r"public\.([a-z_0-9]+)\s*\(", q))
    if names & ours or any(n.startswith("tally_") or n.startswith("election_summary") for n in names):
        calls += 1
print(calls)
EOF
)
echo "queries generated: $queries, of which $ours call maslihat's functions or aggregates by name"
check "sqlsmith ran its $SQLSMITH_QUERIES queries" yes "$([ "$status" -eq 0 ] && [ "${queries:-0}" -ge "$SQLSMITH_QUERIES" ] && echo yes || echo no)"
check "sqlsmith lost no connection" "" \
	"$(grep -iE "server closed the connection|terminating connection because of crash|connection to server .* failed|broken" "$WORK/sqlsmith.log" | head -3 || true)"
check "server log: no backend terminated by a signal" "" "$(crash_lines_since_mark)"
# errors raised in maslihat's own files, by SQLSTATE (log_error_verbosity
# is verbose in this database, so each ERROR has its LOCATION)
log_since_mark | awk '
	/ ERROR:  [0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]: / {
		match($0, / ERROR:  [0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]: /); state = substr($0, RSTART + 9, 5); next
	}
	/ LOCATION:  / && state != "" {
		if ($0 ~ /(maslihat|tally_[a-z]+|outcome_sql|summary|counter|ranking|outcome|mh_common)\.c:/) print state
		state = ""
	}' | sort | uniq -c | sort -rn >"$WORK/our_errors.txt"
echo "errors raised by maslihat's code, by SQLSTATE:"
sed 's/^/   /' "$WORK/our_errors.txt"
check "server log: no internal error (XX000) raised by maslihat's code" "" "$(grep XX000 "$WORK/our_errors.txt" || true)"

if [ "$failed" -gt 0 ]; then
	cp "$WORK/queries.sql" "/tmp/maslihat_sqlsmith_$SQLSMITH_SEED.sql" 2>/dev/null &&
		echo "the queries are in /tmp/maslihat_sqlsmith_$SQLSMITH_SEED.sql"
fi
finish
