# shellcheck shell=bash
# Shared by test/sh/clients_*.sh: a fresh database with the fixture
# election, psql's answers to test/clients/queries.sql, and the final
# count.  Sourced from the repository root after scripts/lib.sh.

CLIENTS_DIR=test/clients
PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
clients_passed=0
clients_failed=0

# clients_check WHAT COMMAND...: counts one check of the script itself.
clients_check() {
	local what=$1
	shift
	if "$@"; then
		clients_passed=$((clients_passed + 1))
	else
		clients_failed=$((clients_failed + 1))
		echo "FAILED: $what"
	fi
}

# clients_run_client COMMAND...: runs a client, shows its output and adds
# its closing "N passed, M failed" to the count (a client that ends
# without one counts as one failure).
clients_run_client() {
	local out rc=0 last
	out=$("$@" 2>&1) || rc=$?
	printf '%s\n' "$out"
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		clients_passed=$((clients_passed + BASH_REMATCH[1]))
		clients_failed=$((clients_failed + BASH_REMATCH[2]))
		if [ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
			echo "FAILED: the client exited with $rc"
			clients_failed=$((clients_failed + 1))
		fi
	else
		echo "FAILED: the client ended without a count (exit code $rc)"
		clients_failed=$((clients_failed + 1))
	fi
}

# clients_create_db NAME: a new database NAME with the fixture loaded;
# PGDATABASE is set to it.
clients_create_db() {
	export PGDATABASE=$1
	"$PG_BIN/createdb" "$PGDATABASE" &&
		"${PSQL[@]}" -f "$CLIENTS_DIR/fixture.sql" >/dev/null
}

clients_drop_db() {
	if [ -n "${PGDATABASE:-}" ]; then
		"$PG_BIN/dropdb" --if-exists "$PGDATABASE" >/dev/null 2>&1 || true
	fi
}

# clients_psql_answers DIR: splits queries.sql into DIR/NAME.sql, one per
# query, and writes psql's unaligned, tuples-only answer to each into
# DIR/NAME.out, NULL shown as \N; DIR/names lists the names in order.
clients_psql_answers() {
	local dir=$1 name
	mkdir -p "$dir"
	awk -v dir="$dir" '
		/^-- name: / { name = $3; print name > (dir "/names"); next }
		name != "" { print > (dir "/" name ".sql") }
	' "$CLIENTS_DIR/queries.sql"
	while read -r name; do
		"${PSQL[@]}" -A -t -P 'null=\N' -f "$dir/$name.sql" >"$dir/$name.out" || return 1
	done <"$dir/names"
}

clients_summary() {
	echo "$clients_passed passed, $clients_failed failed"
	[ "$clients_failed" -eq 0 ]
}

# Whether the server has tallies with text keys: read, stored in a table,
# read back and cast to jsonb.
clients_text_keys() {
	local got
	got=$("${PSQL[@]}" -At -c "CREATE TEMP TABLE k (t tally)" \
		-c "INSERT INTO k VALUES ('votes={\"b\":2,\"a\":1}')" \
		-c "SELECT t::text || '|' || (t::jsonb -> 'votes' -> 0 ->> 'candidate') FROM k" 2>/dev/null) || return 1
	[ "$got" == 'cast=3 invalid=0 votes={"a":1,"b":2}|a' ]
}

# Whether the server's tallies have the trailer (blank ballots, ballots
# issued, parts: 0.2.0), so that edge_trailer.sql can be loaded.
clients_trailers() {
	local got
	got=$("${PSQL[@]}" -At -c "SELECT 'cast=5 invalid=2 blank=1 votes={1:3} parts=2'::tally::text" 2>/dev/null) || return 1
	[ "$got" == 'cast=5 invalid=2 blank=1 votes={1:3} parts=2 provisional=0' ]
}

# clients_run_examples LANG RUNNER WORK: runs each README example of LANG
# (test/clients/readme_examples.py) as RUNNER FILE in WORK/examples, and
# requires it to print exactly the output the README shows.
clients_run_examples() {
	local lang=$1 runner=$2 dir=$3/examples name ext out
	clients_check "README $lang examples found" /usr/bin/python3 "$CLIENTS_DIR/readme_examples.py" "$lang" "$dir" || return 0
	case $lang in python) ext=py ;; js) ext=js ;; java) ext=java ;; r) ext=R ;; esac
	while read -r name; do
		out=$(cd "$dir" && $runner "$name.$ext" 2>&1) || out="$out (exit code $?)"
		if [ "$out" == "$(cat "$dir/$name.out")" ]; then
			clients_passed=$((clients_passed + 1))
			echo "ok: README $lang example $name prints what the README shows"
		else
			clients_failed=$((clients_failed + 1))
			echo "FAILED: README $lang example $name printed:"
			printf '%s\n' "$out"
			echo "README shows:"
			cat "$dir/$name.out"
		fi
	done <"$dir/names"
}
