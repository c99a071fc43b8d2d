#!/usr/bin/env bash
# The UK general election of 2019 (and 2017 for holds and gains), from the
# House of Commons Library files in data/: every published figure of issue
# 11 from the plain-SQL reference queries (data/uk/plain/) and from
# maslihat (data/uk/maslihat/), the two equal in 650 of 650 constituencies,
# the 650 hold/gain labels equal to the 2019 file's own Result column, and
# maslihat's queries shorter than plain SQL.  Needs a running cluster with
# maslihat installed (PGHOST, PGPORT and PGUSER set, as scripts/test does);
# creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

DB=maslihat_uk_$$
export PGDATABASE=$DB
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# A query file as a view: comment lines and the final semicolon dropped.
view_of() {
	local name=$1 file=$2
	"${PSQL[@]}" -c "CREATE VIEW $name AS $(sed -e '/^[[:space:]]*--/d' -e 's/;[[:space:]]*$//' "$file")"
}

# Lines of SQL in files: neither blank nor comment.
sql_lines() {
	cat "$@" | grep -Ev '^[[:space:]]*(--.*)?$' | wc -l
}

createdb "$DB"
"${PSQL[@]}" -c "CREATE EXTENSION maslihat"
"${PSQL[@]}" -f data/uk/load.sql
check "candidate rows 2017, 2019" "3304 3320" \
	"$(query "SELECT string_agg(n::text, ' ' ORDER BY election) FROM (SELECT election, count(*) AS n FROM uk_candidate GROUP BY 1) x")"
check "candidate votes 2019 as published (Meon Valley mistyped)" 32014850 \
	"$(query "SELECT sum(votes) FROM uk_candidate WHERE election = 2019")"
PARTY_DIFFERENCES="SELECT string_agg(format('%s %s %s/%s', p.election, p.party, k.votes, p.votes), ', ' ORDER BY p.election, p.party)
	FROM uk_party_votes p JOIN (SELECT election, ons_id, party, sum(votes) AS votes FROM uk_candidate GROUP BY 1, 2, 3) k
	USING (election, ons_id, party) WHERE k.votes <> p.votes"
check "candidate file against the constituency file's party columns, as published: Meon Valley's two" \
	"2019 Green 2918/2198, 2019 Lab 5664/5644" "$(query "$PARTY_DIFFERENCES")"
check "constituencies whose party columns differ from the candidate file, as published" "E14000811" \
	"$(query "SELECT string_agg(DISTINCT p.ons_id, ' ') FROM uk_party_votes p JOIN (SELECT election, ons_id, party, sum(votes) AS votes FROM uk_candidate GROUP BY 1, 2, 3) k USING (election, ons_id, party) WHERE k.votes <> p.votes")"
"${PSQL[@]}" -f data/uk/correct.sql
check "candidate file against the party columns after the correction" "" "$(query "$PARTY_DIFFERENCES")"
check "candidate votes 2019 after the correction" 32014110 \
	"$(query "SELECT sum(votes) FROM uk_candidate WHERE election = 2019")"
check "constituencies whose candidate votes differ from their valid votes" 0 \
	"$(query "SELECT count(*) FROM uk_constituency c JOIN (SELECT election, ons_id, sum(votes) AS v FROM uk_candidate GROUP BY 1, 2) k USING (election, ons_id) WHERE k.v <> c.valid_votes")"

for f in results seats summary gains changes swing marginal indices; do
	view_of "plain_$f" "data/uk/plain/$f.sql"
done

# ---------------------------------------------------------------- plain SQL
check "plain: seats by party" \
	"Con 365, Lab 202, SNP 48, LD 11, DUP 8, SF 7, PC 4, SDLP 2, Green 1, APNI 1, Spk 1" \
	"$(query "SELECT string_agg(party || ' ' || seats, ', ' ORDER BY seats DESC, votes DESC) FROM plain_seats WHERE seats > 0")"
check "plain: national line" "650|650|0|326|Con|365|t|32014110|117919|47562702|67.3" \
	"$(query "SELECT seats, seats_filled, seats_empty, majority_needed, largest_party, largest_party_seats, overall_majority, valid_votes, invalid, electorate, round(turnout_valid, 1) FROM plain_summary")"
check "plain: winner's and runner-up's party, majority, valid equal the constituency file" 650 \
	"$(query "SELECT count(*) FROM plain_results r JOIN uk_constituency c ON c.election = 2019 AND c.ons_id = r.ons_id
			  WHERE r.party = c.first_party AND r.runner_up_party = c.second_party AND r.majority = c.majority AND r.valid = c.valid_votes")"
check "plain: hold/gain labels equal to the 2019 file's Result" 650 \
	"$(query "SELECT count(*) FROM plain_gains g JOIN uk_constituency c ON c.election = 2019 AND c.ons_id = g.ons_id WHERE g.result = c.result")"
check "plain: seats that changed hands, as many as the Result column's gains" \
	"$(query "SELECT count(*) FROM uk_constituency WHERE election = 2019 AND result LIKE '% gain from %'")" \
	"$(query "SELECT seats FROM plain_changes WHERE from_party IS NULL")"
check "plain: Con-Lab Butler swing" 4.6 "$(query "SELECT round(swing_lab_to_con, 1) FROM plain_swing")"
check "plain: most marginal seat" "Fermanagh and South Tyrone|SF|57|0.11" \
	"$(query "SELECT constituency, party, majority, majority_pct FROM plain_marginal LIMIT 1")"

# ---------------------------------------------------------------- maslihat
"${PSQL[@]}" -f data/uk/maslihat/count.sql
for f in results seats summary gains swing; do
	view_of "m_$f" "data/uk/maslihat/$f.sql"
done
check "maslihat: seats by party" \
	"Con 365, Lab 202, SNP 48, LD 11, DUP 8, SF 7, PC 4, SDLP 2, Green 1, APNI 1, Spk 1" \
	"$(query "SELECT string_agg(party || ' ' || seats, ', ' ORDER BY seats DESC, votes DESC) FROM m_seats WHERE seats > 0")"
check "maslihat: national line" "650|650|0|326|Con|365|t|32014110|117919|47562702|67.3|67.56" \
	"$(query "SELECT seats, seats_filled, seats_empty, majority_needed, largest_party, largest_party_seats, overall_majority, valid_votes, invalid, registered, round(turnout_valid, 1), round(turnout, 2) FROM m_summary")"
check "maslihat: party-system indices equal plain SQL's" t \
	"$(query "SELECT round(s.gallagher::numeric, 9) = round(p.gallagher::numeric, 9) AND round(s.loosemore_hanby::numeric, 9) = round(p.loosemore_hanby::numeric, 9)
				 AND round(s.enp_votes::numeric, 9) = round(p.enp_votes::numeric, 9) AND round(s.enp_seats::numeric, 9) = round(p.enp_seats::numeric, 9)
			  FROM m_summary s, plain_indices p")"
check "maslihat: results table equals plain SQL's, constituency by constituency" 650 \
	"$(query "SELECT count(*) FROM m_results m JOIN plain_results p USING (ons_id) WHERE (m.*)::text = (p.*)::text")"
check "maslihat: results table rows not in plain SQL's, and the other way" 0 \
	"$(query "SELECT count(*) FROM ((SELECT * FROM m_results EXCEPT SELECT * FROM plain_results) UNION ALL (SELECT * FROM plain_results EXCEPT SELECT * FROM m_results)) x")"
check "maslihat: seats by party equal plain SQL's, party by party" 0 \
	"$(query "SELECT count(*) FROM ((SELECT * FROM m_seats EXCEPT SELECT * FROM plain_seats) UNION ALL (SELECT * FROM plain_seats EXCEPT SELECT * FROM m_seats)) x")"
check "maslihat: seats by party in plain SQL's order" t \
	"$(query "SELECT (SELECT array_agg(party) FROM m_seats) = (SELECT array_agg(party) FROM plain_seats)")"
check "maslihat: hold/gain labels equal plain SQL's" 650 \
	"$(query "SELECT count(*) FROM m_gains m JOIN plain_gains p USING (ons_id) WHERE (m.*)::text = (p.*)::text")"
check "maslihat: hold/gain labels equal to the 2019 file's Result" 650 \
	"$(query "SELECT count(*) FROM m_gains g JOIN uk_constituency c ON c.election = 2019 AND c.ons_id = g.ons_id WHERE g.result = c.result")"
check "maslihat: Con-Lab Butler swing equals plain SQL's" t \
	"$(query "SELECT round(m.swing_lab_to_con, 12) = round(p.swing_lab_to_con, 12) FROM m_swing m, plain_swing p")"
check "maslihat: seats by country under ROLLUP add up to the national answer" "t|England 533, Northern Ireland 18, Scotland 59, Wales 40" \
	"$(query "SELECT bool_and(s = (SELECT seat_summary(t, parties) FROM uk_count WHERE election = 2019)) FILTER (WHERE country IS NULL),
				 string_agg(country || ' ' || (s).seats, ', ' ORDER BY country) FILTER (WHERE country IS NOT NULL)
			  FROM (SELECT c.country, seat_summary(u.t, u.parties) AS s FROM uk_count u JOIN uk_constituency c USING (election, ons_id)
					WHERE u.election = 2019 GROUP BY ROLLUP (c.country)) x")"
check "maslihat: seats by party with parallel workers equal the serial answer" t \
	"$(query "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
			  SET max_parallel_workers_per_gather = 2;
			  CREATE TEMP TABLE c AS SELECT * FROM uk_count;
			  CREATE TEMP TABLE p AS SELECT party_seats(t, parties) AS s, seat_summary(t, parties) AS m FROM c WHERE election = 2019;
			  SET max_parallel_workers_per_gather = 0;
			  SELECT p.s = (SELECT party_seats(t, parties) FROM c WHERE election = 2019)
				 AND p.m = (SELECT seat_summary(t, parties) FROM c WHERE election = 2019) FROM p" | tail -1)"

# ---------------------------------------------------------------- shorter
for f in results seats gains; do
	m=$(sql_lines data/uk/maslihat/count.sql "data/uk/maslihat/$f.sql")
	p=$(sql_lines "data/uk/plain/$f.sql")
	echo "$f: maslihat $m lines (with the uk_count view), plain SQL $p lines"
	check "maslihat's $f query is shorter than plain SQL's" yes "$([ "$m" -lt "$p" ] && echo yes || echo "no ($m >= $p)")"
done

finish
