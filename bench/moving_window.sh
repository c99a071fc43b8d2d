#!/usr/bin/env bash
# bench/moving_window.sh: the cost of live running counts.
#
# tally(candidate) and fptp_winner(candidate) have a moving-aggregate mode
# (MSFUNC/MINVFUNC): over a frame such as ROWS BETWEEN 999 PRECEDING AND
# CURRENT ROW, each new row adds one ballot and takes back the one that left
# the frame, so a window over N rows costs O(N) whatever the frame's length,
# not O(N x frame).  This script shows it, in a throwaway cluster:
#
#   1. rows: 50k, 100k and 200k ballots per window partition (constituency),
#      frames of 1000 rows; the time per row must stay flat as the rows
#      double (linear, not quadratic).  count(candidate) OVER the same window
#      (built in, also with an inverse) is the cost of the sort and the
#      window machinery alone.
#   2. frames: 10 to 10000 rows at 100k rows per partition; the moving
#      tally's time per row must not grow with the frame, while the same
#      count without an inverse transition (tally(candidate, 1): the
#      candidate-totals form, which has none) recounts every frame and grows
#      with it.
#
#   bash bench/moving_window.sh                 (about a minute)
#   bash bench/moving_window.sh --runs 5 --sizes "100000 200000 400000" --frame 1000
#
# Options: --sizes "N ...", rows per partition for table 1; --frame F, the
# frame of table 1; --partitions P, window partitions (default 2); --runs R,
# timed runs per query, the fastest reported (default 5); --no-build, use
# the maslihat already installed.  Not part of scripts/test: timings do not
# belong in tests.  The cluster listens on a Unix socket in a temporary
# folder (socket port from PGPORT_BASE, default 55650) and is removed at
# the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

sizes="50000 100000 200000"
frame=1000
partitions=2
runs=5
build=yes
while [ $# -gt 0 ]; do
	case "$1" in
		--sizes) sizes=$2; shift ;;
		--frame) frame=$2; shift ;;
		--partitions) partitions=$2; shift ;;
		--runs) runs=$2; shift ;;
		--no-build) build=no ;;
		-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
		*) echo "bench/moving_window.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
	shift
done

if [ "$build" = yes ]; then
	# shellcheck disable=SC2119 # no extra packages
	install_packages
	build_and_install
fi

PGPORT_BASE=${PGPORT_BASE:-55650}
CLUSTER_OPTIONS="-c shared_buffers=256MB -c work_mem=512MB -c jit=off -c max_parallel_workers_per_gather=0
 -c fsync=off -c synchronous_commit=off -c autovacuum=off"
CLUSTER_OPTIONS=${CLUSTER_OPTIONS//$'\n'/}
start_cluster
export PGDATABASE=bench_moving_window
createdb "$PGDATABASE"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q <<-'EOF'
	CREATE EXTENSION maslihat;
	-- the fastest of RUNS executions of QUERY, in milliseconds
	CREATE FUNCTION best_ms(query text, runs int) RETURNS float8 LANGUAGE plpgsql AS $$
	DECLARE
		t0 timestamptz;
		best float8;
		ms float8;
	BEGIN
		FOR i IN 1..runs LOOP
			t0 := clock_timestamp();
			EXECUTE query;
			ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
			best := least(best, ms);
		END LOOP;
		RETURN best;
	END
	$$;
	-- ballots of PARTITIONS constituencies, ROWS each, counted one after
	-- another: eight candidates, about 3 % blank or invalid
	CREATE FUNCTION make_ballots(name text, partitions int, rows_each int) RETURNS void LANGUAGE plpgsql AS $$
	BEGIN
		EXECUTE format('DROP TABLE IF EXISTS %I', name);
		EXECUTE format($q$
			CREATE TABLE %I AS
			SELECT c AS constituency, i AS counted_at,
				   CASE WHEN h < 3 THEN NULL ELSE 1 + (h * h) %% 8 END::bigint AS candidate
			FROM generate_series(1, %s) c, generate_series(1, %s) i,
				 LATERAL (SELECT ((i::bigint * 2654435761 + c * 40503) %% 1000003) %% 100 AS h) x
			ORDER BY c, i$q$, name, partitions, rows_each);
	END
	$$;
EOF

# make TABLE ROWS: a fresh table of ballots, ROWS per partition
make() {
	q -c "SET client_min_messages = warning" -c "SELECT make_ballots('$1', $partitions, $2)" >/dev/null
	q -c "VACUUM ANALYZE $1"
}

# window_query TABLE EXPR FRAME: EXPR over a moving frame of FRAME rows
window_query() {
	echo "SELECT count(x) FROM (SELECT $2 AS x FROM $1
		WINDOW w AS (PARTITION BY constituency ORDER BY counted_at ROWS BETWEEN $(($3 - 1)) PRECEDING AND CURRENT ROW)) s"
}
# time_query TABLE EXPR FRAME: its best time in milliseconds
time_query() { q -c "SELECT round(best_ms(\$q\$$(window_query "$@")\$q\$, $runs)::numeric, 1)"; }
ns_per_row() { awk -v ms="$1" -v n="$2" 'BEGIN { printf "%.0f", ms * 1e6 / n }'; }

echo "$(q -c "SELECT version()"); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

say "1. rows: frames of $frame rows, $partitions partitions, fastest of $runs runs"
printf '%14s %12s | %14s %14s %14s %14s | %s\n' "rows/partition" "total rows" \
	"count() ns/row" "tally ns/row" "winner ns/row" "outcome ns/row" "tally ms"
first_ms=
first_n=
for n in $sizes; do
	make b "$n"
	total=$((n * partitions))
	c_ms=$(time_query b "count(candidate) OVER w" "$frame")
	t_ms=$(time_query b "tally(candidate) OVER w" "$frame")
	w_ms=$(time_query b "fptp_winner(candidate) OVER w" "$frame")
	o_ms=$(time_query b "(outcome(tally(candidate) OVER w, 2 * $frame, 'kz1994')).winner" "$frame")
	printf '%14s %12s | %14s %14s %14s %14s | %s\n' "$n" "$total" \
		"$(ns_per_row "$c_ms" "$total")" "$(ns_per_row "$t_ms" "$total")" \
		"$(ns_per_row "$w_ms" "$total")" "$(ns_per_row "$o_ms" "$total")" "$t_ms"
	if [ -z "$first_ms" ]; then
		first_ms=$t_ms
		first_n=$n
	fi
	last_ms=$t_ms
	last_n=$n
done
awk -v a="$first_ms" -v b="$last_ms" -v na="$first_n" -v nb="$last_n" 'BEGIN {
	printf "tally: %gx the rows took %.2fx the time (linear: %g, quadratic: %g)\n", nb / na, b / a, nb / na, (nb / na) ^ 2 }'

fixed=100000
small=20000
say "2. frames: $fixed rows per partition (recounting: $small), $partitions partitions, fastest of $runs runs"
make b "$fixed"
make b_small "$small"
printf '%8s | %22s | %30s\n' "frame" "moving tally ns/row" "recount per frame ns/row"
for f in 10 100 1000 10000; do
	t_ms=$(time_query b "tally(candidate) OVER w" "$f")
	if [ "$f" -le 1000 ]; then
		r_ms=$(time_query b_small "tally(candidate, 1) OVER w" "$f")
		r=$(ns_per_row "$r_ms" $((small * partitions)))
	else
		r="(skipped: too slow)"
	fi
	printf '%8s | %22s | %30s\n' "$f" "$(ns_per_row "$t_ms" $((fixed * partitions)))" "$r"
done
