#!/usr/bin/env bash
# Partitionwise aggregation: every maslihat aggregate over partitioned
# tables gives the single-node answer, value by value.
#
# The same election at four grains (ballots, candidate totals, station
# tallies, seats; test/scale/partitionwise.sql) is stored three times:
# unpartitioned, hash-partitioned by constituency into 4 partitions (_h) and
# list-partitioned by region into 3 partitions (_l).  With
# enable_partitionwise_aggregate on, each query runs
#   - grouped by the partition key: full aggregation in every partition
#     (Append over one aggregate per partition, nothing to combine), and
#   - grouped by something else, or not grouped: partial aggregation in
#     every partition, merged by the combine function (Finalize over Append
#     over one Partial aggregate per partition),
# and EXPLAIN (COSTS OFF) of the very statement that is run must show that
# shape.  Its answers must equal those of the unpartitioned table, compared
# per group and per aggregate in their text form.
#
# Needs a running cluster with maslihat installed (PGHOST, PGPORT and PGUSER
# set, as scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=maslihat_partitionwise_$$
export PGDATABASE=$DB
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
passed=0
failed=0
values=0

cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

ok() { passed=$((passed + 1)); }
indent() { sed 's/^/    /'; }
fail() {
	failed=$((failed + 1))
	echo "FAILED: $*"
}

createdb "$DB"
t0=$SECONDS
"${PSQL[@]}" -v constituencies=120 -c "CREATE EXTENSION maslihat" \
	-f test/scale/data.sql -f test/scale/partitionwise.sql
echo "loaded $("${PSQL[@]}" -At -c "SELECT count(*) FROM ballots") ballots of 120 constituencies, \
$("${PSQL[@]}" -At -c "SELECT count(*) FROM totals") candidate totals, \
$("${PSQL[@]}" -At -c "SELECT count(*) FROM stations") station tallies, \
$("${PSQL[@]}" -At -c "SELECT count(*) FROM seats") seats, each three times, in $((SECONDS - t0))s"

# The aggregates of each grain, and their column names.
declare -A aggs=(
	[ballots]="tally(candidate) AS tally, fptp_winner(candidate) AS winner"
	[totals]="tally(candidate, votes) AS tally, fptp_winner(candidate, votes) AS winner"
	[stations]="sum(t) AS total"
	[seats]="election_summary(t, 'kz1994') AS own_registered, election_summary(t, registered, 'kz1994') AS registered_beside, election_summary(t, registered, 0.6) AS sixty_percent"
)
declare -A cols=(
	[ballots]="tally winner"
	[totals]="tally winner"
	[stations]="total"
	[seats]="own_registered registered_beside sixty_percent"
)
declare -A parts=([h]=4 [l]=3)
declare -A scheme=([h]="hash partitions by constituency" [l]="list partitions by region")

# Prints the settings every query runs with.
settings() {
	cat <<-'EOF'
		SET enable_partitionwise_aggregate = on;
		SET max_parallel_workers_per_gather = 0;
	EOF
}

# check_query SCHEME GRAIN KIND GROUPING
#   KIND full: GROUPING contains the partition key; partial: it does not.
#   GROUPING is a GROUP BY list, or empty for no GROUP BY.
check_query() {
	local s=$1 g=$2 kind=$3 grouping=$4
	local key groupby label
	if [ -n "$grouping" ]; then
		key="concat_ws('/', $grouping)"
		groupby="GROUP BY $grouping"
		label="$g by $grouping on ${scheme[$s]}"
	else
		key="'all'"
		groupby=""
		label="$g, not grouped, on ${scheme[$s]}"
	fi
	local query="SELECT $key AS k, ${aggs[$g]} FROM ${g}_$s $groupby"
	local single="SELECT $key AS k, ${aggs[$g]} FROM $g $groupby"

	# value by value, in the text form; a group missing on either side
	# is a difference too
	local compare="SELECT 'MISSING', coalesce(w.k, g.k) FROM want w FULL JOIN got g ON g.k = w.k
		WHERE w.k IS NULL OR g.k IS NULL"
	local c
	for c in ${cols[$g]}; do
		compare="$compare UNION ALL SELECT 'DIFF', w.k || ' $c: ' || coalesce(w.$c::text, 'NULL')
			|| ' (single node) vs ' || coalesce(g.$c::text, 'NULL') || ' (partitioned)'
			FROM want w JOIN got g ON g.k = w.k WHERE w.$c::text IS DISTINCT FROM g.$c::text"
	done

	local out
	if ! out=$("${PSQL[@]}" -At 2>&1 <<-EOF
		$(settings)
		EXPLAIN (COSTS OFF) CREATE TEMP TABLE got AS $query;
		CREATE TEMP TABLE got AS $query;
		CREATE TEMP TABLE want AS $single;
		SELECT 'GROUPS', count(*) FROM want;
		$compare;
	EOF
	); then
		fail "$label: $out"
		fail "$label: plan not checked"
		return
	fi
	local plan n_part n_final n_agg n_scan n_append
	plan=$(grep -v -E '^(GROUPS|MISSING|DIFF)\|' <<<"$out")
	n_part=$(grep -c -E 'Partial (Hash|Group)?Aggregate' <<<"$plan" || true)
	n_final=$(grep -c -E 'Finalize (Hash|Group)?Aggregate' <<<"$plan" || true)
	n_agg=$(grep -c -E '(^|-> +)(Hash|Group)?Aggregate' <<<"$plan" || true)
	n_scan=$(grep -c -E "Scan on ${g}_$s" <<<"$plan" || true)
	n_append=$(grep -c -E '(^|-> +)Append' <<<"$plan" || true)

	local want_plan plan_ok=no np=${parts[$s]}
	if [ "$kind" = full ]; then
		want_plan="Append over one aggregate per partition, no Partial or Finalize"
		if [ "$n_append" -eq 1 ] && [ "$n_agg" -eq "$np" ] && [ "$n_part" -eq 0 ] &&
			[ "$n_final" -eq 0 ] && [ "$n_scan" -eq "$np" ]; then
			plan_ok=yes
		fi
	else
		want_plan="Finalize aggregate over Append over one Partial aggregate per partition"
		if [ "$n_append" -eq 1 ] && [ "$n_final" -eq 1 ] && [ "$n_part" -eq "$np" ] &&
			[ "$n_scan" -eq "$np" ]; then
			plan_ok=yes
		fi
	fi
	if [ "$plan_ok" = yes ]; then
		ok
	else
		fail "$label: expected a plan with $want_plan (${parts[$s]} partitions), got:"
		indent <<<"$plan"
	fi

	local groups ncols diffs
	groups=$(grep '^GROUPS|' <<<"$out" | cut -d'|' -f2)
	ncols=$(wc -w <<<"${cols[$g]}")
	diffs=$(grep -E '^(MISSING|DIFF)\|' <<<"$out" || true)
	if [ -z "$diffs" ] && [ "$groups" -gt 0 ]; then
		ok
		values=$((values + groups * ncols))
		printf 'ok: %-68s %-7s %4d groups x %d aggregates equal\n' "$label" "$kind" "$groups" "$ncols"
	else
		fail "$label: answers differ from the single-node answers ($groups groups):"
		head -20 <<<"$diffs" | cut -c1-400 | indent
	fi
}

for g in ballots totals stations seats; do
	check_query h "$g" full "constituency"
	check_query h "$g" full "region, constituency"
	check_query h "$g" partial "region"
	check_query h "$g" partial "level"
	check_query h "$g" partial ""

	check_query l "$g" full "region"
	check_query l "$g" full "region, constituency"
	# Station tallies and seats have one to five rows per constituency:
	# partial aggregation would not pay, and the planner rightly does not
	# choose it, so only ballots and candidate totals are checked here.
	case $g in ballots | totals) check_query l "$g" partial "constituency" ;; esac
	check_query l "$g" partial "level"
	check_query l "$g" partial ""
done

# The plans the README shows (docs/scaling-out.md), printed for the record.
show() {
	echo
	echo "$1"
	"${PSQL[@]}" -At -c "$(settings)" -c "EXPLAIN (COSTS OFF) $2" | indent
}
show "full partitionwise aggregation, grouped by the partition key:" \
	"SELECT constituency, tally(candidate), fptp_winner(candidate) FROM ballots_h GROUP BY constituency"
show "partial partitionwise aggregation, grouped by something else:" \
	"SELECT region, tally(candidate), fptp_winner(candidate) FROM ballots_h GROUP BY region"

echo
echo "$values answer values compared with the single-node answers"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
