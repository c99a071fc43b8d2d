#!/usr/bin/env bash
# Live running counts: the ballots-grain aggregates as moving-window
# functions.  tally(candidate) and fptp_winner(candidate) have a
# moving-aggregate mode (MSFUNC/MINVFUNC): as the frame moves, ballots that
# leave it are taken back rather than the frame recounted.  For every row of
# every constituency and several frames,
#   tally(candidate) OVER w, fptp_winner(candidate) OVER w and
#   outcome(tally(candidate) OVER w, registered, 'kz1994')
# must equal a recount of the frame's rows by the plain (non-moving)
# aggregates, value by value: including frames with only blank ballots
# (constituency 7 throughout, constituency 9 for a while), frames a
# candidate has left (constituency 5: candidate 99 stops getting ballots),
# empty frames (NULL), and time frames that empty and refill.
# Timing is bench/moving_window.sh's business, not this test's.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT and PGUSER
# set, as scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=maslihat_moving_window_$$
export PGDATABASE=$DB
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
passed=0
failed=0

cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# check WHAT EXPECTED ACTUAL
check() {
	if [ "$2" == "$3" ]; then
		passed=$((passed + 1))
		echo "ok: $1"
	else
		failed=$((failed + 1))
		echo "FAILED: $1: expected $2, got $3"
	fi
}

query() { "${PSQL[@]}" -At -c "$1"; }

createdb "$DB"
"${PSQL[@]}" -c "CREATE EXTENSION maslihat" -f test/scale/data.sql -f - <<-'EOF'
	-- rn: the ballot's place in its constituency's count
	CREATE TABLE ballots AS
	SELECT constituency, counted_at, candidate,
		   row_number() OVER (PARTITION BY constituency ORDER BY counted_at) AS rn
	FROM scale_ballots(12);
	CREATE INDEX ON ballots (constituency, rn);
	CREATE INDEX ON ballots (constituency, counted_at);
	ANALYZE ballots;
EOF
echo "$(query "SELECT count(*) FROM ballots") ballots in $(query "SELECT count(DISTINCT constituency) FROM ballots") constituencies"

check "tally(bigint) and fptp_winner(bigint) have a moving-aggregate mode" 2 \
	"$(query "SELECT count(*) FROM pg_aggregate
			  WHERE aggfnoid IN ('tally(bigint)'::regprocedure, 'fptp_winner(bigint)'::regprocedure)
				AND aggmtransfn <> 0 AND aggminvtransfn <> 0")"

# compare LABEL FRAME RECOUNT REGISTERED
#   FRAME: the window frame clause; RECOUNT: the condition that picks the
#   frame's rows r for the current row b; REGISTERED: the registered voters
#   given to outcome().
compare() {
	local label=$1 frame=$2 recount=$3 registered=$4
	local out
	out=$("${PSQL[@]}" -At -F ' ' <<-EOF
		CREATE TEMP TABLE moving AS
		SELECT b.constituency, b.rn,
			   tally(b.candidate) OVER w AS t,
			   fptp_winner(b.candidate) OVER w AS winner,
			   outcome(tally(b.candidate) OVER w, $registered, 'kz1994') AS o
		FROM ballots b
		WINDOW w AS (PARTITION BY b.constituency ORDER BY b.counted_at $frame);

		CREATE TEMP TABLE recounted AS
		SELECT b.constituency, b.rn, f.t, f.winner, outcome(f.t, $registered, 'kz1994') AS o
		FROM ballots b,
			 LATERAL (SELECT tally(r.candidate) AS t, fptp_winner(r.candidate) AS winner
					  FROM ballots r
					  WHERE r.constituency = b.constituency AND $recount) f;

		SELECT 'COUNTS', count(*),
			   count(*) FILTER (WHERE m.t::text IS NOT DISTINCT FROM c.t::text),
			   count(*) FILTER (WHERE m.winner IS NOT DISTINCT FROM c.winner),
			   count(*) FILTER (WHERE m.o::text IS NOT DISTINCT FROM c.o::text),
			   count(*) FILTER (WHERE c.t IS NOT NULL AND valid_votes(c.t) = 0),
			   count(*) FILTER (WHERE c.t IS NULL)
		FROM moving m JOIN recounted c USING (constituency, rn);

		SELECT 'DIFF', m.constituency, m.rn, coalesce(m.t::text, 'NULL'), '/', coalesce(m.winner::text, 'NULL'),
			   'moving vs recount', coalesce(c.t::text, 'NULL'), '/', coalesce(c.winner::text, 'NULL')
		FROM moving m JOIN recounted c USING (constituency, rn)
		WHERE m.t::text IS DISTINCT FROM c.t::text OR m.winner IS DISTINCT FROM c.winner
		   OR m.o::text IS DISTINCT FROM c.o::text
		ORDER BY 2, 3 LIMIT 5;
	EOF
	)
	local rows tallies winners outcomes blank_only empty
	read -r _ rows tallies winners outcomes blank_only empty < <(grep '^COUNTS ' <<<"$out")
	if [ "$rows" -gt 0 ] && [ "$tallies" -eq "$rows" ] && [ "$winners" -eq "$rows" ] && [ "$outcomes" -eq "$rows" ]; then
		passed=$((passed + 1))
		printf 'ok: %-52s %5d frames equal a recount (%d with only blank ballots, %d empty)\n' \
			"$label" "$rows" "$blank_only" "$empty"
	else
		failed=$((failed + 1))
		echo "FAILED: $label: of $rows frames, tallies agree in $tallies, winners in $winners, outcomes in $outcomes:"
		grep '^DIFF ' <<<"$out" | cut -c1-400 | sed 's/^/    /'
	fi
}

for n in 0 1 3 10 50 250; do
	compare "ROWS BETWEEN $n PRECEDING AND CURRENT ROW" \
		"ROWS BETWEEN $n PRECEDING AND CURRENT ROW" \
		"r.rn BETWEEN b.rn - $n AND b.rn" "$((2 * n + 1))"
done
compare "ROWS BETWEEN 10 PRECEDING AND 1 PRECEDING" \
	"ROWS BETWEEN 10 PRECEDING AND 1 PRECEDING" \
	"r.rn BETWEEN b.rn - 10 AND b.rn - 1" 19
compare "ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING" \
	"ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING" \
	"r.rn BETWEEN b.rn - 5 AND b.rn + 5" 21
compare "RANGE 10 to 3 minutes PRECEDING (empties and refills)" \
	"RANGE BETWEEN interval '10 minutes' PRECEDING AND interval '3 minutes' PRECEDING" \
	"r.counted_at BETWEEN b.counted_at - interval '10 minutes' AND b.counted_at - interval '3 minutes'" 100

# The planted cases are really in the frames compared above.
check "frames of 10 with only blank ballots outside constituency 7 (constituency 9)" t \
	"$(query "SELECT count(*) > 0 FROM (SELECT constituency, valid_votes(tally(candidate) OVER w) AS v, ballots_cast(tally(candidate) OVER w) AS c
			  FROM ballots WINDOW w AS (PARTITION BY constituency ORDER BY counted_at ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)) s
			  WHERE constituency = 9 AND v = 0 AND c = 11")"
check "candidate 99 leaves the frame of 10 in constituency 5, and the tally stops naming it" 1 \
	"$(query "SELECT count(*) FROM (SELECT rn, t, lag(t) OVER (ORDER BY rn) AS before
			  FROM (SELECT rn, tally(candidate) OVER (ORDER BY counted_at ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS t
					FROM ballots WHERE constituency = 5) w) s
			  WHERE votes(before, 99) > 0 AND position('99:' IN t::text) = 0")"
check "a frame of the time window empties after the pause in constituency 9, then refills" "t t" \
	"$(query "SELECT bool_or(t IS NULL AND rn >= 171), bool_or(t IS NOT NULL AND rn > 171)
			  FROM (SELECT rn, tally(candidate) OVER (ORDER BY counted_at RANGE BETWEEN interval '10 minutes' PRECEDING AND interval '3 minutes' PRECEDING) AS t
					FROM ballots WHERE constituency = 9) s" | tr '|' ' ')"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
