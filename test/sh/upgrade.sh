#!/usr/bin/env bash
# The upgrade a user makes, from the released 0.1.0 to this tree's 0.2.0.
#
# 0.1.0 is built from git (commit OLD below, its last commit) and installed
# with this tree's version into a private copy of the PostgreSQL
# installation that the test makes in a temporary folder (never into the
# installation the rest of the suite uses), on a server of its own.  With
# the 0.1.0 library it creates the extension at 0.1.0 and stores tallies of
# every kind 0.1.0 has: text input, make_tally, with_registered, the
# aggregates tally(bigint), tally(bigint, bigint) and sum, +, jsonb, empty
# tallies, registered known and unknown, 64-bit edge counts, 100,000
# candidates (TOASTed); fptp_winner results and stored outcomes; in a table
# with a hash index, in a materialized view, in binary and text COPY files
# and in a text dump; views over the 0.1.0 forms.  It records what 0.1.0
# answers, then installs this tree, restarts, runs ALTER EXTENSION maslihat
# UPDATE and compares:
#   - every stored value reads, with the same text, binary form and hash,
#     equal to the same tally computed afresh; the old COPY files load; the
#     text dump restores; the hash index still finds every row;
#   - the 1994 rule named ('kz1994' or the threshold 0.5) gives exactly the
#     0.1.0 answers of the forms that assumed it; views over those forms
#     raise "no turnout rule named" (SQLSTATE 22023);
#   - 0.1.0's tallies read under 0.2.0's blank, ballots issued and parts
#     (nothing known, no parts mark) and keep their bytes through them;
#   - the catalog of 0.1.0 + update is the catalog of a fresh CREATE
#     EXTENSION maslihat (test/sql/catalog_snapshot.sql, line by line).
#
# Needs git history (commit OLD), a C compiler and PG_CONFIG of the
# PostgreSQL to test (scripts/test exports it); runs as root (the server
# as postgres) or as the owner of its own server.  Removes everything it
# made when it ends.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. test/sh/helpers.bash

# check_count WHAT EXPECTED ACTUAL: check, with the count in the ok line
check_count() {
	check "$1: $3" "$2" "$3"
}

OLD=0fd1641                 # the last commit of 0.1.0
PG_CONFIG=${PG_CONFIG:-pg_config}
PG_MAJOR=$("$PG_CONFIG" --version | sed 's/^PostgreSQL \([0-9]*\).*/\1/')
if [ "$PG_MAJOR" -ge 16 ]; then force=debug_parallel_query; else force=force_parallel_mode; fi

WORK=$(mktemp -d /tmp/maslihat-upgrade.XXXXXX)
chmod 755 "$WORK"
PRIV=$WORK/pg               # the private copy of the PostgreSQL installation
RUN=$WORK/run               # data directory, socket and log of our server
mkdir -p "$RUN/v010" "$WORK/v010" "$WORK/out"

# Runs a command as the server's owner, postgres when we are root, from /
# (postgres may not be allowed into the work tree; every path is absolute).
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
server_started=
stop_server() {
	if [ -n "$server_started" ]; then
		as_owner "$PRIV_BIN/pg_ctl" -D "$RUN/data" -m fast -w stop >/dev/null 2>&1 || true
		server_started=
	fi
}
cleanup() {
	stop_server
	rm -rf "$WORK"
}
trap cleanup EXIT

# --- a private copy of the PostgreSQL installation --------------------------
# PostgreSQL finds its library and share folders relative to its binaries,
# so a copy of bindir, pkglibdir and sharedir under one prefix runs as is.
bindir=$("$PG_CONFIG" --bindir)
pkglibdir=$("$PG_CONFIG" --pkglibdir)
sharedir=$("$PG_CONFIG" --sharedir)
for d in "$bindir" "$pkglibdir" "$sharedir"; do
	if [ ! -e "$PRIV$d" ]; then
		mkdir -p "$PRIV$(dirname "$d")"
		cp -a "$d" "$PRIV$d"
	fi
done
# whatever maslihat the copied installation had is not ours to test
rm -rf "$PRIV$pkglibdir"/maslihat.so "$PRIV$pkglibdir"/bitcode/maslihat* "$PRIV$sharedir"/extension/maslihat[.-]*
PRIV_BIN=$PRIV$bindir
PRIV_CONFIG=$PRIV_BIN/pg_config
check "the private copy of PostgreSQL $PG_MAJOR relocates" "$PRIV$pkglibdir $PRIV$sharedir" \
	"$("$PRIV_CONFIG" --pkglibdir) $("$PRIV_CONFIG" --sharedir)"
export PATH="$PRIV_BIN:$PATH"

# --- 0.1.0 from git ---------------------------------------------------------
if ! git -C "$ROOT" cat-file -e "$OLD^{commit}" 2>/dev/null; then
	check "0.1.0 (commit $OLD) is in the repository's history" yes no
	finish
	exit 1
fi
git -C "$ROOT" archive "$OLD" | tar -x -C "$WORK/v010"
check "the 0.1.0 sources say 0.1.0" "default_version = '0.1.0'" \
	"$(grep -o "default_version = '[^']*'" "$WORK/v010/maslihat.control")"
if [ "$PG_MAJOR" -ge 16 ]; then
	# 0.1.0 only built on 15; fdb25c5 is the build fix alone (#if on the
	# server version: varatt.h, pg_noreturn), no change in what it does.
	git -C "$ROOT" diff 0fd1641 fdb25c5 -- src/maslihat.h | (cd "$WORK/v010" && git apply)
fi
# Compiled against the suite's headers, installed with the private copy's
# pg_config (the objects are up to date, so make only copies files).
nice make -s -C "$WORK/v010" PG_CONFIG="$PG_CONFIG" >"$WORK/build-0.1.0.log" 2>&1 ||
	{ cat "$WORK/build-0.1.0.log"; check "0.1.0 builds" yes no; finish; exit 1; }
make -s -C "$WORK/v010" install PG_CONFIG="$PRIV_CONFIG" >/dev/null
check "only 0.1.0 is installed in the private copy" "maslihat--0.1.0.sql maslihat.control" \
	"$(cd "$PRIV$sharedir/extension" && LC_ALL=C && echo maslihat[.-]*)"

# --- our server on the copy -------------------------------------------------
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$RUN"
as_owner "$PRIV_BIN/initdb" -D "$RUN/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 ||
	{ cat "$WORK/initdb.log"; exit 1; }
export PGHOST=$RUN PGPORT=54391 PGUSER=postgres PGDATABASE=postgres CLUSTER_DIR=$RUN
unset PGOPTIONS PGSERVICE PGHOSTADDR
start_server() {
	as_owner "$PRIV_BIN/pg_ctl" -D "$RUN/data" -l "$RUN/server.log" -w \
		-o "-p $PGPORT -k $RUN -c listen_addresses='' -c max_worker_processes=8" start >/dev/null ||
		{ cat "$RUN/server.log"; exit 1; }
	server_started=yes
}
start_server
log_mark

DB=upgraded                 # 0.1.0, then updated
BLOCKED=blocked             # 0.1.0 with views over the forms the update replaces
createdb "$DB"
createdb "$BLOCKED"
check "the extension created with the 0.1.0 library is 0.1.0" 0.1.0 \
	"$(query "CREATE EXTENSION maslihat; SELECT extversion FROM pg_extension WHERE extname = 'maslihat'" -d "$DB")"
query "CREATE EXTENSION maslihat" -d "$BLOCKED" >/dev/null

# --- stored with 0.1.0 ------------------------------------------------------
"${PSQL[@]}" -d "$DB" <<'EOF'
SELECT setseed(0.1994) \g /dev/null
-- ballots and candidate totals of 60 constituencies; NULL is a blank ballot
CREATE TABLE ballots (constituency int, station int, candidate bigint);
INSERT INTO ballots
SELECT c, 1 + (random() * 3)::int,
	   CASE WHEN random() < 0.05 THEN NULL
			WHEN c % 10 = 0 THEN (ARRAY[-9223372036854775808, 9223372036854775807, 0])[1 + (random() * 2)::int]
			ELSE 1 + (random() * (1 + c % 6))::int END
FROM generate_series(1, 60) c, generate_series(1, 30 + 7 * (c % 13)) b;
-- an exact tie for first in constituency 61, nothing but blank ballots in 62
INSERT INTO ballots SELECT 61, 1, 1 + b % 2 FROM generate_series(1, 40) b;
INSERT INTO ballots SELECT 62, 1, NULL FROM generate_series(1, 5);
CREATE TABLE totals AS
SELECT constituency, candidate, count(*) AS votes FROM ballots GROUP BY 1, 2;
CREATE TABLE stations AS
SELECT constituency, station, tally(candidate) AS t FROM ballots GROUP BY 1, 2;

-- every kind of tally 0.1.0 makes; lit is the text it was read from
CREATE TABLE stored (id int, how text, src int, lit text, t tally);
INSERT INTO stored (id, how, lit, t)
SELECT row_number() OVER (), 'text input', l, l::tally
FROM unnest(ARRAY[
	'cast=0',
	'registered=0',
	'registered=1000 cast=620 invalid=3 votes={17:300,42:317}',
	'registered=1000 cast=500 votes={1:250,2:250}',
	'registered=1000 cast=501 votes={1:300,2:201}',
	'registered=1001 cast=501 invalid=501',
	'cast=7 votes={1:0,2:0,3:0}',
	'votes={-1:1,1:1}',
	'registered=5 cast=5 invalid=5',
	'registered=9223372036854775807 cast=9223372036854775807 votes={-9223372036854775808:9223372036854775807}',
	'cast=9223372036854775807 invalid=9223372036854775807',
	'registered=9223372036854775807 cast=9223372036854775807 invalid=1 votes={-9223372036854775808:0,0:9223372036854775806,9223372036854775807:0}',
	'registered=9223372036854775807 cast=9223372036854775806 votes={1:4611686018427387903,2:4611686018427387903}',
	'registered=18 cast=10 invalid=1 votes={9223372036854775807:5,-9223372036854775808:4}'
]) WITH ORDINALITY AS u(l, n) ORDER BY n;
INSERT INTO stored (id, how, src, t)
SELECT 100 + constituency, 'tally(bigint)', constituency, tally(candidate) FROM ballots GROUP BY constituency;
INSERT INTO stored (id, how, src, t)
SELECT 200 + constituency, 'tally(bigint, bigint)', constituency, tally(candidate, votes) FROM totals GROUP BY constituency;
INSERT INTO stored (id, how, src, t)
SELECT 300 + constituency, 'sum(tally)', constituency, sum(t) FROM stations GROUP BY constituency;
INSERT INTO stored (id, how, src, t)
SELECT 400 + constituency, 'with_registered', constituency,
	   with_registered(tally(candidate), 2 * count(*) - (constituency % 3)) FROM ballots GROUP BY constituency;
INSERT INTO stored (id, how, src, t)
SELECT 500 + constituency, 'make_tally', constituency,
	   make_tally(CASE WHEN constituency % 2 = 0 THEN 3 * sum(votes)::bigint END, sum(votes)::bigint,
				  coalesce(sum(votes) FILTER (WHERE candidate IS NULL), 0)::bigint,
				  coalesce(array_agg(candidate) FILTER (WHERE candidate IS NOT NULL), '{}'),
				  coalesce(array_agg(votes) FILTER (WHERE candidate IS NOT NULL), '{}'))
FROM totals GROUP BY constituency;
INSERT INTO stored (id, how, t) SELECT 600, 'tally(bigint) of everything', tally(candidate) FROM ballots;
INSERT INTO stored (id, how, t) SELECT 601, 'sum of every station', sum(t) FROM stations;
INSERT INTO stored (id, how, t) SELECT 602, 'tally + tally', a.t + b.t FROM stored a, stored b WHERE a.id = 103 AND b.id = 3;
INSERT INTO stored (id, how, t) SELECT 603, 'from jsonb', (t::jsonb)::tally FROM stored WHERE id = 3;
INSERT INTO stored (id, how, t) SELECT 604, 'tally of no rows', tally(candidate) FROM ballots WHERE false;
INSERT INTO stored (id, how, t)
SELECT 605, '100,000 candidates', tally(c, c % 1000 + 1) FROM generate_series(1, 100000) c;
INSERT INTO stored (id, how, t)
SELECT 606, 'make_tally, 19,999 candidates', with_registered(make_tally(NULL, 20000, 1, array_agg(c), array_agg(1::bigint)), 9223372036854775807)
FROM generate_series(-9999, 9999) c;
CREATE INDEX stored_t_hash ON stored USING hash (t);

-- fptp_winner results and stored outcomes
CREATE TABLE winners AS
SELECT constituency, fptp_winner(candidate) AS by_ballots,
	   (SELECT fptp_winner(candidate, votes) FROM totals o WHERE o.constituency = b.constituency) AS by_totals
FROM ballots b GROUP BY constituency;
CREATE TABLE outcomes AS SELECT id, outcome(t, registered(t), 0.5) AS o FROM stored WHERE id < 600;

-- a materialized view over the aggregates
CREATE MATERIALIZED VIEW per_constituency AS
SELECT constituency, tally(candidate) AS t, fptp_winner(candidate) AS w FROM ballots GROUP BY constituency;

-- views over forms that 0.2.0 keeps as they are
CREATE VIEW kept AS
SELECT id, leader(t), turnout(t), candidates(t), valid_votes(t), votes(t, 1), registered(t),
	   election_summary(t, registered(t), 0.5) OVER (PARTITION BY id) AS summary
FROM stored;

-- views over the forms that assumed the 1994 rule; kept out of the dump
CREATE SCHEMA legacy;
CREATE VIEW legacy.no_rule_outcome AS SELECT id, outcome(t) FROM stored;
CREATE VIEW legacy.no_rule_winner AS SELECT id, winner(t) FROM stored;
CREATE VIEW legacy.no_rule_is_valid AS SELECT id, is_valid(t) FROM stored;
CREATE VIEW legacy.no_rule_by_election AS SELECT id, needs_by_election(t) FROM stored;
CREATE VIEW legacy.no_rule_summary AS SELECT election_summary(t) FROM stored;
CREATE VIEW legacy.no_rule_summary_registered AS SELECT election_summary(t, registered(t)) FROM stored;
CREATE MATERIALIZED VIEW legacy.stored_outcomes AS SELECT id, outcome(t) AS o FROM stored WHERE id < 600;
EOF

# views over the 0.1.0 forms that the update drops and creates anew
"${PSQL[@]}" -d "$BLOCKED" <<'EOF'
CREATE TABLE seats (id int, t tally);
INSERT INTO seats VALUES (1, 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'),
						 (2, 'registered=1000 cast=500 votes={1:300,2:200}');
CREATE VIEW ranked AS SELECT id, r.* FROM seats, ranking(t) r;
CREATE VIEW with_threshold AS SELECT id, outcome(t, registered(t), 0.5) FROM seats;
CREATE VIEW with_default_threshold AS
SELECT id, outcome(t, 1000), winner(t, 1000), is_valid(t, 1000), needs_by_election(t, 1000), ballots_needed(1000)
FROM seats;
EOF
# the same views but the one over ranking(t): the update replaces none of
# their functions, so it goes through
createdb threshold_views
query "CREATE EXTENSION maslihat" -d threshold_views >/dev/null
"${PSQL[@]}" -d threshold_views <<'EOF'
CREATE TABLE seats (id int, t tally);
INSERT INTO seats VALUES (1, 'registered=1000 cast=620 invalid=3 votes={17:300,42:317}'),
						 (2, 'registered=1000 cast=500 votes={1:300,2:200}');
CREATE VIEW with_threshold AS SELECT id, (outcome(t, registered(t), 0.5)).valid, winner(t, 1000, 0.5) FROM seats;
CREATE VIEW with_default_threshold AS
SELECT id, outcome(t, 1000), winner(t, 1000), is_valid(t, 1000), needs_by_election(t, 1000), ballots_needed(1000)
FROM seats;
EOF

# What 0.1.0 answers.  The probes print one line per value; the same
# probes after the update must print the same lines.
PROBE_VALUES="SELECT id, how, t::text, md5(tally_send(t)), tally_hash(t), t::jsonb::text,
	   registered(t), ballots_cast(t), invalid(t), valid_votes(t), candidates(t), leader(t), turnout(t),
	   votes(t, 1), votes(t, 17), t = t::text::tally, t = t::jsonb::tally
FROM stored ORDER BY id"
# registered voters tried with each tally: its own, exactly twice the
# ballots cast (exactly 50%, not valid in 1994), one fewer (valid), unknown
REGS="(SELECT id, t, r FROM stored,
	   LATERAL (VALUES (registered(t)), (NULL::bigint),
					   (CASE WHEN ballots_cast(t) < 4e18 THEN 2 * ballots_cast(t) END),
					   (CASE WHEN ballots_cast(t) BETWEEN 1 AND 4e18 THEN 2 * ballots_cast(t) - 1 END)) v(r)
	   WHERE id < 605) s"
# The 17 columns of 0.1.0's fptp_outcome of an outcome X, as text; NULL if
# X is NULL (X IS NULL would also be true of a row of NULLs).
o17() {
	echo "CASE WHEN ($1) IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW(($1).winner, ($1).winner_votes,
	   ($1).runner_up, ($1).runner_up_votes, ($1).margin, ($1).valid_votes, ($1).invalid, ($1).\"cast\",
	   ($1).registered, ($1).turnout, ($1).valid, ($1).tie, ($1).by_election, ($1).reason, ($1).leader,
	   ($1).candidates, ($1).drawn)::text END"
}
q_outcome_own_old="SELECT id, outcome(t)::text, winner(t), is_valid(t), needs_by_election(t) FROM stored WHERE id < 605 ORDER BY id"
q_outcome_own_new="SELECT id, $(o17 "outcome(t, 'kz1994')"),
	   winner(t, 'kz1994'), is_valid(t, 'kz1994'), needs_by_election(t, 'kz1994') FROM stored WHERE id < 605 ORDER BY id"
q_outcome_reg_old="SELECT id, r, outcome(t, r)::text, outcome(t, r, 0.5)::text, outcome(t, r, 0.5, 7)::text,
	   winner(t, r), is_valid(t, r), needs_by_election(t, r), ballots_needed(r)
FROM $REGS ORDER BY id, r NULLS FIRST"
q_outcome_reg_new="SELECT id, r, $(o17 "outcome(t, r, 'kz1994')"), $(o17 "outcome(t, r, 0.5)"),
	   $(o17 "outcome(t, r, 'kz1994', 7)"),
	   winner(t, r, 'kz1994'), is_valid(t, r, 'kz1994'), needs_by_election(t, r, 'kz1994'), ballots_needed(r, 'kz1994')
FROM $REGS ORDER BY id, r NULLS FIRST"
q_ranking_old="SELECT id, r.* FROM stored, ranking(t) r WHERE id < 605 ORDER BY id, r.rank, r.candidate"
q_ranking_new="SELECT id, r.candidate, r.votes, r.rank, r.share FROM stored, ranking(t) r WHERE id < 605 ORDER BY id, r.rank, r.candidate"
S10="ROW(s.seats, s.seats_filled, s.by_elections, s.undecided, s.registered, s.\"cast\", s.turnout, s.invalid,
	   s.valid_votes, s.candidates)::text"
SEATS="FROM stored WHERE id BETWEEN 100 AND 599"
q_summary_old="SELECT 1, election_summary(t)::text $SEATS
	   UNION ALL SELECT 2, election_summary(t, registered(t))::text $SEATS
	   UNION ALL SELECT 3, election_summary(t, registered(t), 0.5)::text $SEATS ORDER BY 1"
q_summary_new="SELECT 1, $S10 FROM (SELECT (election_summary(t, 'kz1994')).* $SEATS) s
	   UNION ALL SELECT 2, $S10 FROM (SELECT (election_summary(t, registered(t), 'kz1994')).* $SEATS) s
	   UNION ALL SELECT 3, $S10 FROM (SELECT (election_summary(t, registered(t), 0.5)).* $SEATS) s ORDER BY 1"
q_winners_fresh="SELECT w.constituency, w.by_ballots, w.by_totals, f.by_ballots, f.by_totals
FROM winners w JOIN (SELECT constituency, fptp_winner(candidate) AS by_ballots,
	   (SELECT fptp_winner(candidate, votes) FROM totals o WHERE o.constituency = b.constituency) AS by_totals
	   FROM ballots b GROUP BY constituency) f USING (constituency) ORDER BY 1"
q_matview="SELECT constituency, t::text, w FROM per_constituency ORDER BY 1"
# (the summary's type gains a column: its first ten are compared)
q_kept="SELECT id, leader, turnout, candidates, valid_votes, votes, registered, (summary).seats,
	   (summary).seats_filled, (summary).by_elections, (summary).undecided, (summary).registered,
	   (summary).\"cast\", (summary).turnout, (summary).invalid, (summary).valid_votes, (summary).candidates
FROM kept ORDER BY id"

query "$PROBE_VALUES" -d "$DB" >"$WORK/out/values.old"
query "$q_outcome_own_old" -d "$DB" >"$WORK/out/outcome_own.old"
query "$q_outcome_reg_old" -d "$DB" >"$WORK/out/outcome_reg.old"
query "$q_ranking_old" -d "$DB" >"$WORK/out/ranking.old"
query "$q_summary_old" -d "$DB" >"$WORK/out/summary.old"
query "$q_matview" -d "$DB" >"$WORK/out/matview.old"
query "$q_kept" -d "$DB" >"$WORK/out/kept.old"
query "SELECT count(*), (SELECT count(*) FROM stored) FROM (SELECT DISTINCT t FROM stored) d" -d "$DB" >"$WORK/out/distinct.old"
query "SELECT id, o FROM legacy.stored_outcomes ORDER BY id" -d "$DB" >"$WORK/out/legacy_matview.old"
query "SELECT oid || ' ' || oid::regprocedure FROM pg_proc WHERE oid IN (SELECT objid FROM pg_depend WHERE deptype = 'e'
	   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat'))" -d "$DB" | LC_ALL=C sort >"$WORK/out/procs.old"
echo "0.1.0: $(wc -l <"$WORK/out/values.old") stored tallies, $(wc -l <"$WORK/out/outcome_reg.old") outcomes with given registered voters"
check "0.1.0 stored every kind of tally" yes \
	"$([ "$(wc -l <"$WORK/out/values.old")" -ge 300 ] && echo yes || echo no)"

# the COPY files and the text dump, made by 0.1.0
"${PSQL[@]}" -d "$DB" -c "\\copy (SELECT id, t FROM stored ORDER BY id) TO '$WORK/stored.bin' WITH (FORMAT binary)"
"${PSQL[@]}" -d "$DB" -c "\\copy (SELECT id, t FROM stored ORDER BY id) TO '$WORK/stored.txt'"
pg_dump -d "$DB" --exclude-schema=legacy --exclude-table=outcomes -f "$WORK/dump.sql"
pg_dump -d "$DB" --exclude-schema=legacy -t outcomes -f "$WORK/dump_outcomes.sql"

# --- this tree's 0.2.0 ------------------------------------------------------
# A backend loads the library once, the first time it needs it, and keeps
# it; make install replaces the file (a new inode), so new connections
# would load the new one.  We rely on less: the server is stopped, the new
# library and scripts installed, and the server started again, so that no
# process can hold 0.1.0's code.
stop_server
nice make -s -C "$ROOT" PG_CONFIG="$PG_CONFIG" >"$WORK/build-0.2.0.log" 2>&1 ||
	{ cat "$WORK/build-0.2.0.log"; check "this tree builds" yes no; finish; exit 1; }
make -s -C "$ROOT" install PG_CONFIG="$PRIV_CONFIG" >/dev/null
start_server
new_version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$ROOT/maslihat.control")
check "this tree installs 0.2.0 and the update from 0.1.0" "0.2.0 yes" \
	"$new_version $([ -e "$PRIV$sharedir/extension/maslihat--0.1.0--$new_version.sql" ] && echo yes || echo no)"
check "the 0.1.0 install script is installed unchanged" yes \
	"$(cmp -s "$WORK/v010/maslihat--0.1.0.sql" "$PRIV$sharedir/extension/maslihat--0.1.0.sql" && echo yes || echo no)"

# Between the package upgrade and ALTER EXTENSION: 0.1.0's catalog calls
# the new library.  Every C function of 0.1.0 must find its symbol there.
C_FUNCS="FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
			   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
		   WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')"
n_c=$(query "SELECT count(*) $C_FUNCS" -d "$DB")
check "0.1.0's catalog has C functions" yes "$([ "$n_c" -ge 40 ] && echo yes || echo no)"
# fmgr_c_validator loads the library and looks the symbol up, or raises
check_count "the new library has every C function 0.1.0's catalog names, of them" "$n_c of $n_c" \
	"$(query "SELECT count(fmgr_c_validator(p.oid)::text) || ' of ' || count(*) $C_FUNCS" -d "$DB")"
check "before the update, stored values read the same with the new library" "" \
	"$(query "$PROBE_VALUES" -d "$DB" | diff "$WORK/out/values.old" - | head -5)"

# --- ALTER EXTENSION maslihat UPDATE -----------------------------------------
query "ALTER EXTENSION maslihat UPDATE" -d "$DB"
check "ALTER EXTENSION maslihat UPDATE goes to $new_version" "$new_version" \
	"$(query "SELECT extversion FROM pg_extension WHERE extname = 'maslihat'" -d "$DB")"
echo "0.1.0 functions that the update dropped (views over them block it):"
query "SELECT oid || ' ' || oid::regprocedure FROM pg_proc WHERE oid IN (SELECT objid FROM pg_depend WHERE deptype = 'e'
	   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat'))" -d "$DB" |
	LC_ALL=C sort | LC_ALL=C comm -23 "$WORK/out/procs.old" - | sed 's/^[0-9]* /  /'

# compare lines of two files: same number of lines, every one equal
# compare_lines WHAT OLD_FILE NEW_OUTPUT_FILE
compare_lines() {
	local total same
	total=$(wc -l <"$2")
	same=$(awk 'NR == FNR { old[FNR] = $0; next } (FNR in old) && old[FNR] == $0 { n++ } END { print n + 0 }' "$2" "$3")
	check_count "$1: lines equal, of lines" "$total of $total" "$same of $(wc -l <"$3")"
	[ "$total" -gt 0 ] || check "$1: there is something to compare" yes no
	if [ "$same" != "$total" ]; then diff "$2" "$3" | head -6 || true; fi
}

query "$PROBE_VALUES" -d "$DB" >"$WORK/out/values.new"
compare_lines "stored tallies: text, binary form, hash, jsonb, accessors" "$WORK/out/values.old" "$WORK/out/values.new"
query "$q_matview" -d "$DB" >"$WORK/out/matview.new"
compare_lines "the materialized view's stored rows" "$WORK/out/matview.old" "$WORK/out/matview.new"
query "REFRESH MATERIALIZED VIEW per_constituency" -d "$DB"
query "$q_matview" -d "$DB" >"$WORK/out/matview.new"
compare_lines "the materialized view refreshed by $new_version" "$WORK/out/matview.old" "$WORK/out/matview.new"
query "$q_kept" -d "$DB" >"$WORK/out/kept.new"
compare_lines "a view over leader, turnout, votes, election_summary(t, r, 0.5)" "$WORK/out/kept.old" "$WORK/out/kept.new"
query "SELECT count(*), (SELECT count(*) FROM stored) FROM (SELECT DISTINCT t FROM stored) d" -d "$DB" >"$WORK/out/distinct.new"
compare_lines "count(DISTINCT t)" "$WORK/out/distinct.old" "$WORK/out/distinct.new"

# 0.1.0's tallies under 0.2.0's blank, ballots issued and parts: nothing
# known but blank 0 where no ballot is invalid, no parts mark; marked as a
# part and unmarked again, or with blank made unknown, the same bytes
n_stored=$(query "SELECT count(*) FROM stored WHERE t IS NOT NULL" -d "$DB")
check_count "0.1.0 tallies read by blank, ballots_issued, parts, is_final, as_part, of stored" \
	"$n_stored of $n_stored" \
	"$(query "SELECT count(*) FILTER (WHERE blank(t) IS NOT DISTINCT FROM CASE WHEN invalid(t) = 0 THEN 0 END
								 AND ballots_issued(t) IS NULL AND parts(t) = 0 AND provisional_parts(t) = 0
								 AND is_final(t) IS NULL AND parts(as_part(t) + as_part('cast=0', true)) = 2
								 AND NOT is_final(as_part(t) + as_part('cast=0', true))
								 AND tally_send(with_parts(as_part(t, true), 0)) = tally_send(t)
								 AND tally_send(with_blank(t, NULL)) = tally_send(t))
			  || ' of ' || count(*) FROM stored WHERE t IS NOT NULL" -d "$DB")"

# equal to the same tallies counted afresh by the new library
check_count "stored tallies equal to fresh ones (=, text, hash), of stored" "331 of 331" \
	"$(query "SELECT count(*) FILTER (WHERE s.t = f.t AND s.t::text = f.t::text AND tally_hash(s.t) = tally_hash(f.t)
								 OR s.t IS NULL AND f.t IS NULL)
			  || ' of ' || count(*)
			  FROM stored s JOIN (
				SELECT 100 + constituency AS id, tally(candidate) AS t FROM ballots GROUP BY 1
				UNION ALL SELECT 200 + constituency, tally(candidate, votes) FROM totals GROUP BY 1
				UNION ALL SELECT 300 + constituency, sum(t) FROM stations GROUP BY 1
				UNION ALL SELECT 400 + constituency, with_registered(tally(candidate), 2 * count(*) - (constituency % 3))
						  FROM ballots GROUP BY constituency
				UNION ALL SELECT 500 + constituency,
					make_tally(CASE WHEN constituency % 2 = 0 THEN 3 * sum(votes)::bigint END, sum(votes)::bigint,
							   coalesce(sum(votes) FILTER (WHERE candidate IS NULL), 0)::bigint,
							   coalesce(array_agg(candidate) FILTER (WHERE candidate IS NOT NULL), '{}'),
							   coalesce(array_agg(votes) FILTER (WHERE candidate IS NOT NULL), '{}'))
					FROM totals GROUP BY constituency
				UNION ALL SELECT id, lit::tally FROM stored WHERE lit IS NOT NULL
				UNION ALL SELECT 600, tally(candidate) FROM ballots
				UNION ALL SELECT 601, sum(t) FROM stations
				UNION ALL SELECT 602, (SELECT tally(candidate) FROM ballots WHERE constituency = 3) + lit::tally FROM stored WHERE id = 3
				UNION ALL SELECT 603, lit::tally::jsonb::tally FROM stored WHERE id = 3
				UNION ALL SELECT 604, tally(candidate) FROM ballots WHERE false
				UNION ALL SELECT 605, tally(c, c % 1000 + 1) FROM generate_series(1, 100000) c
				UNION ALL SELECT 606, with_registered(make_tally(NULL, 20000, 1, array_agg(c), array_agg(1::bigint)), 9223372036854775807)
						  FROM generate_series(-9999, 9999) c
			  ) f USING (id)" -d "$DB")"
check_count "the same with parallel plans forced" "250 of 250" \
	"$(PGOPTIONS="-c $force=on -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0" \
		query "SELECT count(*) FILTER (WHERE s.t = f.t AND s.t::text = f.t::text) || ' of ' || count(*)
			  FROM stored s JOIN (
				SELECT 100 + constituency AS id, tally(candidate) AS t FROM ballots GROUP BY 1
				UNION ALL SELECT 200 + constituency, tally(candidate, votes) FROM totals GROUP BY 1
				UNION ALL SELECT 300 + constituency, sum(t) FROM stations GROUP BY 1
				UNION ALL SELECT 400 + constituency, with_registered(tally(candidate), 2 * count(*) - (constituency % 3))
						  FROM ballots GROUP BY constituency
				UNION ALL SELECT 600, tally(candidate) FROM ballots
				UNION ALL SELECT 601, sum(t) FROM stations
			  ) f USING (id)" -d "$DB")"
check_count "fptp_winner results stored by 0.1.0 = fresh ones, of constituencies" "62 of 62" \
	"$(query "SELECT count(*) FILTER (WHERE w_b IS NOT DISTINCT FROM f_b AND w_t IS NOT DISTINCT FROM f_t) || ' of ' || count(*)
			  FROM ($q_winners_fresh) x(c, w_b, w_t, f_b, f_t)" -d "$DB")"

# the hash index built by 0.1.0 finds every row through the new hash
check "the hash index uses the stored hashes: plan" yes \
	"$(query "SET enable_seqscan = off; SET enable_bitmapscan = off;
			  EXPLAIN (COSTS OFF) SELECT id FROM stored WHERE t = 'registered=0'::tally" -d "$DB" |
	   grep -q 'Index Scan using stored_t_hash' && echo yes || echo no)"
check_count "the hash index finds every stored tally (all but the NULL one), of tallies" "330 of 330" \
	"$(query "SET enable_seqscan = off; SET enable_bitmapscan = off;
			  SELECT count(*) FILTER (WHERE (SELECT count(*) FROM stored i WHERE i.t = s.t AND i.id = s.id) = 1)
			  || ' of ' || count(*) FROM (SELECT id, t::text::tally AS t FROM stored WHERE t IS NOT NULL) s" -d "$DB")"

# the COPY files of 0.1.0 load; the binary form written anew is the same
"${PSQL[@]}" -d "$DB" <<EOF
CREATE TABLE loaded_bin (id int, t tally);
CREATE TABLE loaded_txt (id int, t tally);
\\copy loaded_bin FROM '$WORK/stored.bin' WITH (FORMAT binary)
\\copy loaded_txt FROM '$WORK/stored.txt'
\\copy (SELECT id, t FROM stored ORDER BY id) TO '$WORK/stored.new.bin' WITH (FORMAT binary)
\\copy (SELECT id, t FROM stored ORDER BY id) TO '$WORK/stored.new.txt'
EOF
for kind in bin txt; do
	check_count "0.1.0's $kind COPY file loads equal (=, text), of rows" "331 of 331" \
		"$(query "SELECT count(*) FILTER (WHERE l.t = s.t AND l.t::text = s.t::text OR l.t IS NULL AND s.t IS NULL) || ' of ' || count(*)
				  FROM loaded_$kind l JOIN stored s USING (id)" -d "$DB")"
	check "$new_version writes the same $kind COPY file as 0.1.0" yes \
		"$(cmp -s "$WORK/stored.$kind" "$WORK/stored.new.$kind" && echo yes || echo no)"
done

# the 1994 rule, named, gives the 0.1.0 answers exactly
query "$q_outcome_own_new" -d "$DB" >"$WORK/out/outcome_own.new"
compare_lines "outcome(t), winner(t), is_valid(t), needs_by_election(t) of 0.1.0 = the 'kz1994' forms" \
	"$WORK/out/outcome_own.old" "$WORK/out/outcome_own.new"
query "$q_outcome_reg_new" -d "$DB" >"$WORK/out/outcome_reg.new"
compare_lines "outcome(t, r[, 0.5[, seed]]), winner, is_valid, needs_by_election, ballots_needed of 0.1.0 = 'kz1994' and 0.5" \
	"$WORK/out/outcome_reg.old" "$WORK/out/outcome_reg.new"
query "$q_ranking_new" -d "$DB" >"$WORK/out/ranking.new"
compare_lines "ranking(t)" "$WORK/out/ranking.old" "$WORK/out/ranking.new"
query "$q_summary_new" -d "$DB" >"$WORK/out/summary.new"
compare_lines "election_summary of 0.1.0 = the 'kz1994' forms" "$WORK/out/summary.old" "$WORK/out/summary.new"
check_count "outcomes stored by 0.1.0 read; = outcome(t, registered(t), 'kz1994'), new columns NULL, of rows" "324 of 324" \
	"$(query "SELECT count(*) FILTER (WHERE $(o17 s.o) IS NOT DISTINCT FROM $(o17 "outcome(t, registered(t), 'kz1994')")
				  AND (s.o).winner_key IS NULL AND (s.o).winner_share IS NULL AND (s.o).turnout_valid IS NULL)
			  || ' of ' || count(*) FROM outcomes s JOIN stored USING (id)" -d "$DB")"

# views over the forms that assumed the rule now raise the clear error
for v in no_rule_outcome no_rule_winner no_rule_is_valid no_rule_by_election no_rule_summary no_rule_summary_registered; do
	check "a 0.1.0 view over a form naming no rule ($v) raises" "ERROR:  22023: no turnout rule named" \
		"$("${PSQL[@]}" -d "$DB" -c '\set VERBOSITY verbose' -c "SELECT * FROM legacy.$v" 2>&1 | grep -m1 '^ERROR:' || true)"
done
query "SELECT id, $(o17 o) FROM legacy.stored_outcomes ORDER BY id" -d "$DB" >"$WORK/out/legacy_matview.new"
compare_lines "a 0.1.0 materialized view over outcome(t) still reads (its 17 columns)" "$WORK/out/legacy_matview.old" "$WORK/out/legacy_matview.new"
check "refreshing it raises" "ERROR:  22023: no turnout rule named" \
	"$("${PSQL[@]}" -d "$DB" -c '\set VERBOSITY verbose' -c "REFRESH MATERIALIZED VIEW legacy.stored_outcomes" 2>&1 | grep -m1 '^ERROR:' || true)"

# --- the text dump of 0.1.0 --------------------------------------------------
# into a new database: CREATE EXTENSION in the dump installs $new_version
createdb restored
"${PSQL[@]}" -d restored -f "$WORK/dump.sql" >/dev/null
check "the 0.1.0 dump restores with $new_version" "$new_version" \
	"$(query "SELECT extversion FROM pg_extension WHERE extname = 'maslihat'" -d restored)"
query "$PROBE_VALUES" -d restored >"$WORK/out/values.restored"
compare_lines "tallies restored from the 0.1.0 dump" "$WORK/out/values.old" "$WORK/out/values.restored"
query "$q_matview" -d restored >"$WORK/out/matview.restored"
compare_lines "the materialized view restored from the 0.1.0 dump" "$WORK/out/matview.old" "$WORK/out/matview.restored"
# Stored fptp_outcome values: the dump has 17 fields, the 0.2.0 type 24,
# so they load into 0.1.0's type (CREATE EXTENSION ... VERSION '0.1.0'
# first, as 0.2.0 still installs it) and then the update adds the columns.
createdb restored_outcomes
query "CREATE EXTENSION maslihat VERSION '0.1.0'" -d restored_outcomes
"${PSQL[@]}" -d restored_outcomes -f "$WORK/dump_outcomes.sql" >/dev/null
query "ALTER EXTENSION maslihat UPDATE" -d restored_outcomes
check_count "0.1.0's dumped outcomes restore at 0.1.0 and update, of rows" "324 of 324" \
	"$(query "SELECT count(*) FILTER (WHERE (o).drawn IS NOT NULL AND (o).turnout_valid IS NULL) || ' of ' || count(*) FROM outcomes" -d restored_outcomes)"

# --- views over the functions the update replaces -----------------------------
# ranking(tally) gains an OUT column, which only DROP FUNCTION can give it: a
# user's view over ranking(t) makes ALTER EXTENSION maslihat UPDATE fail,
# cleanly, naming the view (the README's Upgrading section says so and how
# to go on).  The threshold forms keep their signatures; their default
# threshold became NaN, so views over them never block the update, and a
# view that relied on the 0.1.0 default raises the clear error.
blocked=$("${PSQL[@]}" -d "$BLOCKED" -c "ALTER EXTENSION maslihat UPDATE" 2>&1 || true)
check "ALTER EXTENSION UPDATE with a 0.1.0 view over ranking(t) fails, naming it" yes \
	"$(grep -q 'view ranked depends on function ranking(tally)' <<<"$blocked" && echo yes || echo no)"
check "after the failed update the database is still at 0.1.0, its views answering" "0.1.0 1|42|317|1" \
	"$(query "SELECT extversion FROM pg_extension WHERE extname = 'maslihat'" -d "$BLOCKED") $(
	   query "SELECT id, candidate, votes, rank FROM ranked ORDER BY id, rank LIMIT 1" -d "$BLOCKED")"
# the way through: drop the view over ranking, update, create it again
"${PSQL[@]}" -d "$BLOCKED" <<'EOF'
BEGIN;
DROP VIEW ranked;
ALTER EXTENSION maslihat UPDATE;
CREATE VIEW ranked AS SELECT id, r.* FROM seats, ranking(t) r;
COMMIT;
EOF
check "with that view dropped first, the update goes through and it can be made again" \
	"$new_version 1|42|317|1|42" \
	"$(query "SELECT extversion FROM pg_extension WHERE extname = 'maslihat'" -d "$BLOCKED") $(
	   query "SELECT id, candidate, votes, rank, key FROM ranked ORDER BY id, rank LIMIT 1" -d "$BLOCKED")"
updated=$("${PSQL[@]}" -d threshold_views -c "ALTER EXTENSION maslihat UPDATE" 2>&1 || true)
check "ALTER EXTENSION UPDATE with 0.1.0 views over the threshold forms goes through" "" "$updated"
check "a view with its threshold given keeps its 0.1.0 answers" "1|t|42 2|f|" \
	"$(query "SELECT * FROM with_threshold ORDER BY id" -d threshold_views | tr '\n' ' ' | sed 's/ $//')"
check "a view that relied on the default threshold raises the clear error" "ERROR:  22023: no turnout rule named" \
	"$("${PSQL[@]}" -d threshold_views -v VERBOSITY=verbose -c "SELECT * FROM with_default_threshold" 2>&1 | grep -m1 '^ERROR' || true)"

# --- the catalog: 0.1.0 + update = a fresh CREATE EXTENSION -----------------
createdb fresh
query "CREATE EXTENSION maslihat" -d fresh
"${PSQL[@]}" -At -d fresh -f "$ROOT/test/sql/catalog_snapshot.sql" >"$WORK/out/catalog.fresh"
"${PSQL[@]}" -At -d "$DB" -f "$ROOT/test/sql/catalog_snapshot.sql" >"$WORK/out/catalog.updated"
echo "catalog snapshot: $(wc -l <"$WORK/out/catalog.fresh") lines"
compare_lines "catalog of a fresh CREATE EXTENSION = 0.1.0 + update" "$WORK/out/catalog.fresh" "$WORK/out/catalog.updated"
check "the catalog snapshot covers functions, aggregates, types, columns, casts, operators, members" "A C E F M O P Q T Y" \
	"$(cut -c1 "$WORK/out/catalog.fresh" | sort -u | tr '\n' ' ' | sed 's/ $//')"

crashes=$(crash_lines_since_mark)
check "no backend crashed" "" "$crashes"
finish
