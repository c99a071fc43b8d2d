# shellcheck shell=bash
# Shared by the reliability and security scripts in test/sh/ (catalog,
# hostile_schema, dump_restore, limits, sqlsmith, load).  Not a test
# itself: scripts/test runs test/sh/*.sh only.
#
# The caller sets PGHOST, PGPORT and PGUSER (a superuser) of a running
# cluster where maslihat is installed, CLUSTER_DIR (its server.log is read)
# and, optionally, PG_BIN.

if [ -n "${PG_BIN:-}" ]; then
	PATH="$PG_BIN:$PATH"
fi
export PATH

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
passed=0
failed=0

# check WHAT EXPECTED ACTUAL
check() {
	if [ "$2" == "$3" ]; then
		passed=$((passed + 1))
		echo "ok: $1"
	else
		failed=$((failed + 1))
		echo "FAILED: $1: expected $(printf '%q' "$2"), got $(printf '%q' "$3")"
	fi
}

# check_true WHAT COMMAND...: passes if the command succeeds
check_true() {
	local what=$1
	shift
	if "$@"; then
		check "$what" yes yes
	else
		check "$what" yes no
	fi
}

# query SQL [psql options...]: one value or rows, unaligned, no headers
query() {
	local sql=$1
	shift
	"${PSQL[@]}" -At "$@" -c "$sql"
}

# The server log from the point log_mark was called.
log_mark() {
	LOG_OFFSET=$(stat -c %s "$CLUSTER_DIR/server.log" 2>/dev/null || echo 0)
}
log_since_mark() {
	tail -c +$((${LOG_OFFSET:-0} + 1)) "$CLUSTER_DIR/server.log" 2>/dev/null || true
}

# Lines of the log since log_mark that show a backend killed by a signal,
# a PANIC, or the postmaster reinitializing after a crash.
crash_lines_since_mark() {
	log_since_mark | grep -E "terminated by signal|server process .* was terminated|PANIC:|all server processes terminated; reinitializing|TRAP:" || true
}

# The closing line scripts/test reads, and the exit status.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
