#!/usr/bin/env bash
# The synthetic 1994 sample at all three grains: every figure the Central
# Election Commission published, computed by maslihat from ballots, from
# candidate totals and from polling-station protocols, must come out
# exactly.  Needs a running cluster with maslihat installed (PGHOST, PGPORT
# and PGUSER set, as scripts/test does); creates and drops its own
# database.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=maslihat_sample_$$
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
	else
		failed=$((failed + 1))
		echo "MISMATCH: $1: expected $2, got $3"
	fi
}

query() { "${PSQL[@]}" -At -c "$1"; }

if command -v python3 >/dev/null; then
	if python3 data/generate.py --check >/dev/null; then
		check "generator reproduces data/*.csv" yes yes
	else
		check "generator reproduces data/*.csv" yes no
	fi
fi

createdb "$DB"
"${PSQL[@]}" -c "CREATE EXTENSION maslihat"
t0=$SECONDS
"${PSQL[@]}" -f data/load.sql >/dev/null
echo "loaded the sample at three grains in $((SECONDS - t0))s"

check "ballot rows" 7030050 "$(query "SELECT count(*) FROM ballot")"
check "blank or invalid ballot rows" 12593 "$(query "SELECT count(*) FROM ballot WHERE candidate IS NULL")"
check "station protocols add up to each constituency's registered voters" 0 \
	"$(query "SELECT count(*) FROM constituency c JOIN (SELECT constituency, sum(registered(t)) AS r FROM station GROUP BY 1) s ON s.constituency = c.id WHERE s.r <> c.registered")"
check "constituencies with at least 2 polling stations" 5935 \
	"$(query "SELECT count(*) FROM (SELECT constituency FROM station GROUP BY 1 HAVING count(*) >= 2) s")"

# every published figure, from each grain, through election_summary()
figures=(
	"1 seats 5935"
	"2 seats_filled 5897"
	"3 by_elections 38"
	"4 registered 9561534"
	"5 cast 7030050"
	"6 turnout_2dp 73.52"
	"7 invalid 12593"
	"8 candidates 13744"
	"9 district_candidates 9710"
	"10 city_candidates 2322"
	"11 regional_candidates 1712"
)
for grain in "ballots" "candidate totals" "stations"; do
	for f in "${figures[@]}"; do
		read -r n name expected <<<"$f"
		actual=$(query "SELECT value FROM grain_figure WHERE grain = '$grain' AND n = $n")
		check "$name from $grain" "$expected" "$actual"
	done
done

# the same, straight from the aggregate rather than through the view
check "election_summary over the ballots' tallies, registered given beside them" \
	"(5935,5897,38,0,9561534,7030050,73.52,12593,7017457,13744)" \
	"$(query "SELECT (s.seats, s.seats_filled, s.by_elections, s.undecided, s.registered, s.\"cast\", round(s.turnout, 2), s.invalid, s.valid_votes, s.candidates)
			  FROM (SELECT (election_summary(b.t, c.registered, 'kz1994')).*
					FROM (SELECT constituency, tally(candidate) AS t FROM ballot GROUP BY 1) b
					JOIN constituency c ON c.id = b.constituency) s")"
# partial aggregates in parallel workers, combined and serialized
check "election_summary with parallel workers equals the serial one" t \
	"$(query "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
			  SET max_parallel_workers_per_gather = 2;
			  CREATE TEMP TABLE p AS SELECT grain, level, election_summary(t, 'kz1994') AS s FROM constituency_tally GROUP BY grain, level;
			  RESET ALL; SET max_parallel_workers_per_gather = 0;
			  SELECT count(*) = 9 AND bool_and(p.s = q.s) FROM p
			  JOIN (SELECT grain, level, election_summary(t, 'kz1994') AS s FROM constituency_tally GROUP BY grain, level) q
			  USING (grain, level)" | tail -1)"

check "constituencies whose tallies differ between grains" 0 \
	"$(query "SELECT count(*) FROM constituency_tally a JOIN constituency_tally b USING (constituency)
			  WHERE a.grain < b.grain AND a.t <> b.t")"
check "constituencies with a tie for first place" 0 \
	"$(query "SELECT count(*) FROM constituency_tally, outcome(t, 'kz1994') o WHERE grain = 'ballots' AND o.tie")"
check "by-elections at exactly 50 % turnout (not valid)" 2 \
	"$(query "SELECT count(*) FROM constituency_tally WHERE grain = 'ballots' AND 2 * ballots_cast(t) = registered(t)")"
check "valid constituencies at exactly the fewest ballots needed" 3 \
	"$(query "SELECT count(*) FROM constituency_tally WHERE grain = 'ballots' AND ballots_cast(t) = ballots_needed(registered(t), 'kz1994')")"

# the candidate rules find exactly the planted breaches, and nothing else
check "candidates whose rule breaches differ from the planted ones" 0 \
	"$(query "SELECT count(*) FROM candidate k JOIN constituency c ON c.id = k.constituency,
				   candidate_violations(k.birth_date, k.nominated_by, k.signatures, c.residents, k.registered_on) v
			  WHERE array_to_string(v, ', ') IS DISTINCT FROM
					coalesce(rtrim(substring(k.note FROM 'planted: ([a-z_, ]+)')), '')")"
check "candidates who break a rule" 11 \
	"$(query "SELECT count(*) FROM candidate k JOIN constituency c ON c.id = k.constituency
			  WHERE cardinality(candidate_violations(k.birth_date, k.nominated_by, k.signatures, c.residents, k.registered_on)) > 0")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
