#!/usr/bin/env bash
# bench/election_night.sh: election-night speed (issue 12, point 7).
#
# Writers (default 8) add the 22,638 station protocols of the synthetic
# 1994 sample (data/load/2-stations.sql; bench/generate.sql's electorate
# has 14,671) one by one, in a random order (as they would arrive), while
# 2 readers keep asking for the national total and the exact call of every
# constituency.  Two ways, in the same run on the same cluster:
#
#   maslihat   UPDATE live SET t = t + protocol: one tally per constituency
#              (5,935 rows); a read is sum(t) and can_change() over them,
#              proportional to the constituencies, not to the protocols.
#   plain SQL  each protocol inserted as rows (one per candidate, one for
#              the blank or invalid ballots); a read sums every row so far,
#              then ranks the candidates per constituency with a window and
#              makes the same call in plain SQL: it grows with the protocols.
#
# Prints, per way: protocols merged per second, and the readers' median
# and worst latency with the number of reads.  Both ways must end with the
# same national total (checked).  Not part of scripts/test: timings do not
# belong in tests.
#
#   bash bench/election_night.sh                     (about a minute)
#   bash bench/election_night.sh --writers 4 --no-build
#
# The cluster listens on a Unix socket in a temporary folder (socket port
# from PGPORT_BASE, default 55690) and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

writers=8
readers=2
build=yes
while [ $# -gt 0 ]; do
	case $1 in
		--writers) writers=$2; shift 2 ;;
		--readers) readers=$2; shift 2 ;;
		--no-build) build=no; shift ;;
		-h | --help) sed -n '2,27p' "$0"; exit 0 ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done

if [ "$build" = yes ]; then
	install_packages
	build_and_install
fi
export PGPORT_BASE=${PGPORT_BASE:-55690}
start_cluster
PATH=$PG_BIN:$PATH
WORK=$CLUSTER_DIR/work
mkdir -p "$WORK"
chmod 777 "$WORK"
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

say "loading the 1994 sample's candidate totals and station protocols"
createdb night
export PGDATABASE=night
"${PSQL[@]}" -c "CREATE EXTENSION maslihat"
"${PSQL[@]}" -f data/load/1-totals.sql >/dev/null
"${PSQL[@]}" -f data/load/2-stations.sql >/dev/null
nprotocols=$(psql -X -At -c "SELECT count(*) FROM station")

"${PSQL[@]}" >/dev/null <<'SQL'
-- maslihat: one tally per constituency, every candidate named with 0 votes
CREATE TABLE live (constituency int PRIMARY KEY, registered bigint NOT NULL, t tally NOT NULL);
INSERT INTO live
SELECT c.id, c.registered, make_tally(0, 0, 0, array_agg(k.id ORDER BY k.id), array_agg(0::bigint ORDER BY k.id))
FROM constituency c JOIN candidate k ON k.constituency = c.id GROUP BY c.id, c.registered;
CREATE SEQUENCE live_next;
-- the order the protocols arrive in, the same for both ways
SELECT setseed(0.1994);
CREATE TABLE arrival (n int PRIMARY KEY, station int NOT NULL);
INSERT INTO arrival SELECT row_number() OVER (ORDER BY random()), id FROM station;

-- plain SQL: protocol rows (candidate NULL: blank or invalid), summed on every read
CREATE TABLE plain_row (station int NOT NULL, constituency int NOT NULL, candidate bigint,
						votes bigint NOT NULL, registered bigint NOT NULL);
CREATE INDEX ON plain_row (constituency);
CREATE TABLE plain_station (station int PRIMARY KEY, constituency int, registered bigint,
							candidates bigint[], votes bigint[], invalid bigint);
INSERT INTO plain_station
SELECT s.id, s.constituency, registered(s.t),
	   array(SELECT r.key::bigint FROM ranking(s.t) r ORDER BY r.key::bigint),
	   array(SELECT r.votes FROM ranking(s.t) r ORDER BY r.key::bigint), invalid(s.t)
FROM station s;
CREATE SEQUENCE plain_next;
ANALYZE;
SQL

cat >"$WORK/live_writer.sql" <<'SQL'
SELECT nextval('live_next') AS id \gset
UPDATE live l SET t = l.t + s.t FROM arrival a JOIN station s ON s.id = a.station
WHERE a.n = :id AND l.constituency = s.constituency;
SQL
cat >"$WORK/live_reader.sql" <<'SQL'
SELECT sum(t) AS national,
	   count(*) FILTER (WHERE (can_change(t, registered, 'kz1994', registered - registered(t))).decided) AS decided
FROM live;
SQL
cat >"$WORK/plain_writer.sql" <<'SQL'
SELECT nextval('plain_next') AS id \gset
INSERT INTO plain_row
SELECT s.station, s.constituency, c.candidate, c.votes, CASE WHEN c.n = 1 THEN s.registered ELSE 0 END
FROM arrival a JOIN plain_station s ON s.station = a.station,
	 unnest(s.candidates || NULL::bigint, s.votes || s.invalid) WITH ORDINALITY c(candidate, votes, n)
WHERE a.n = :id;
SQL
cat >"$WORK/plain_reader.sql" <<'SQL'
WITH per AS (
	SELECT constituency, candidate, sum(votes) AS votes FROM plain_row GROUP BY 1, 2),
cons AS (
	SELECT constituency, sum(votes) AS cast_, sum(votes) FILTER (WHERE candidate IS NULL) AS invalid
	FROM per GROUP BY 1),
reported AS (
	SELECT constituency, sum(registered) AS registered FROM plain_row GROUP BY 1),
ranked AS (
	SELECT constituency, votes, row_number() OVER (PARTITION BY constituency ORDER BY votes DESC) AS r
	FROM per WHERE candidate IS NOT NULL),
top2 AS (
	SELECT constituency, max(votes) FILTER (WHERE r = 1) AS v1, coalesce(max(votes) FILTER (WHERE r = 2), 0) AS v2,
		   count(*) AS n
	FROM ranked GROUP BY 1)
SELECT (SELECT sum(cast_) FROM cons) AS national,
	   count(*) FILTER (WHERE
		   -- the leader cannot change, and validity neither
		   (k.registered - p.registered) < greatest(t.v1 - t.v2, 1)
		   AND (c.cast_ * 2 > k.registered OR (c.cast_ + k.registered - p.registered) * 2 <= k.registered)) AS decided
FROM constituency k JOIN reported p ON p.constituency = k.id JOIN cons c ON c.constituency = k.id
JOIN top2 t ON t.constituency = k.id;
SQL
chmod 644 "$WORK"/*.sql

# run WAY: the writers merge every protocol while the readers keep reading
run() {
	local way=$1 t0 t1 writer_pid per_client
	per_client=$(( (nprotocols + writers - 1) / writers ))
	rm -f "$WORK"/"$way"_log*
	t0=$(date +%s.%N)
	pgbench -n -c "$writers" -j "$writers" -t "$per_client" -f "$WORK/${way}_writer.sql" >"$WORK/$way.writers" 2>&1 &
	writer_pid=$!
	while kill -0 "$writer_pid" 2>/dev/null; do
		pgbench -n -c "$readers" -j "$readers" -t 2 -l --log-prefix="$WORK/${way}_log" \
			-f "$WORK/${way}_reader.sql" >>"$WORK/$way.readers" 2>&1 || { cat "$WORK/$way.readers"; break; }
	done
	wait "$writer_pid" || { cat "$WORK/$way.writers"; exit 1; }
	t1=$(date +%s.%N)
	# pgbench's log: the third field is the latency in microseconds
	awk '{ print $3 / 1000.0 }' "$WORK"/"$way"_log* | sort -n >"$WORK/$way.latencies"
	awk -v way="$way" -v n="$nprotocols" -v t0="$t0" -v t1="$t1" '
		{ lat[NR] = $1 }
		END { printf "| %s | %.0f | %.1f | %.1f | %d |\n", way, n / (t1 - t0), lat[int((NR + 1) / 2)], lat[NR], NR }' \
		"$WORK/$way.latencies" >>"$WORK/table"
}

say "$writers writers merge $nprotocols protocols while $readers readers read (maslihat, then plain SQL)"
run live
run plain

same=$(psql -X -At -c "SELECT (SELECT ballots_cast(sum(t)) FROM live) = (SELECT sum(votes) FROM plain_row)
	AND (SELECT sum(t) FROM live) = (SELECT sum(t) FROM station)")
[ "$same" = t ] || { echo "the two ways disagree on the national total" >&2; exit 1; }

echo
echo "| way | protocols merged per second | reader median (ms) | reader worst (ms) | reads |"
echo "|---|--:|--:|--:|--:|"
sed 's/^| live |/| maslihat: UPDATE ... SET t = t + protocol |/; s/^| plain |/| plain SQL: protocol rows, summed on every read |/' "$WORK/table"
echo
echo "(national read over $(psql -X -At -c 'SELECT count(*) FROM live') constituency tallies against $(psql -X -At -c 'SELECT count(*) FROM plain_row') protocol rows at the end)"
