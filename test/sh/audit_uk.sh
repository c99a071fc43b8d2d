#!/usr/bin/env bash
# The audit of the UK general election of 2019 (data/uk/audit.sql):
# maslihat's checks over the House of Commons Library's candidate file name
# Meon Valley, and only Meon Valley, with its two mistyped numbers (Labour
# 5,664 for 5,644, Green 2,918 for 2,198: data/uk-ge-2019/PROVENANCE.md),
# and nothing after the correction.  Loads the files with data/uk/load.sql
# and corrects them with data/uk/correct.sql; where those are not in this
# checkout, a minimal loader of its own reads the files from
# data/uk-ge-2019/ or the shared copy.  Needs a running cluster with
# maslihat installed (PGHOST, PGPORT and PGUSER set, as scripts/test does);
# creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash

DB=maslihat_audit_uk_$$
export PGDATABASE=$DB
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

createdb "$DB"
"${PSQL[@]}" -c "CREATE EXTENSION maslihat"

if [ -f data/uk/load.sql ] && [ -f data/uk/correct.sql ]; then
	"${PSQL[@]}" -f data/uk/load.sql
	correct() { "${PSQL[@]}" -f data/uk/correct.sql; }
else
	files=data/uk-ge-2019
	[ -d "$files" ] || files=/work/shared/data/uk-ge-2019
	[ -f "$files/HoC-GE2019-results-by-candidate.csv" ] || { echo "FAILED: no 2019 files in data/uk-ge-2019/"; exit 1; }
	"${PSQL[@]}" <<SQL
CREATE TEMP TABLE raw_constituency (
	ons_id text, ons_region_id text, constituency_name text, county_name text, region_name text,
	country_name text, constituency_type text, declaration_time text, member_first_name text,
	member_surname text, member_gender text, result text, first_party text, second_party text,
	electorate bigint, valid_votes bigint, invalid_votes bigint, majority bigint, con bigint, lab bigint,
	ld bigint, brx bigint, green bigint, snp bigint, pc bigint, dup bigint, sf bigint, sdlp bigint,
	uup bigint, apni bigint, other bigint, other_winner bigint);
\copy raw_constituency FROM '$files/HoC-GE2019-results-by-constituency.csv' (FORMAT csv, HEADER true)
CREATE TEMP TABLE raw_candidate (
	ons_id text, ons_region_id text, constituency_name text, county_name text, region_name text,
	country_name text, constituency_type text, party_name text, party_abbreviation text,
	firstname text, surname text, gender text, sitting_mp text, former_mp text, votes bigint,
	share numeric, change numeric);
\copy raw_candidate FROM '$files/HoC-GE2019-results-by-candidate.csv' (FORMAT csv, HEADER true)
CREATE TABLE uk_constituency AS
SELECT 2019 AS election, ons_id, constituency_name AS name, electorate, valid_votes, invalid_votes
FROM raw_constituency;
CREATE TABLE uk_candidate AS
SELECT 2019 AS election, ons_id, firstname || ' ' || surname AS name,
	   CASE party_abbreviation WHEN 'Alliance' THEN 'APNI' WHEN 'Brexit' THEN 'BRX'
		   ELSE party_abbreviation END AS party, votes
FROM raw_candidate;
CREATE TABLE uk_party_votes AS
SELECT 2019 AS election, r.ons_id, v.party, v.votes
FROM raw_constituency r,
	 LATERAL (VALUES ('Con', r.con), ('Lab', r.lab), ('LD', r.ld), ('BRX', r.brx), ('Green', r.green),
					 ('SNP', r.snp), ('PC', r.pc), ('DUP', r.dup), ('SF', r.sf), ('SDLP', r.sdlp),
					 ('UUP', r.uup), ('APNI', r.apni)) v(party, votes);
SQL
	correct() {
		"${PSQL[@]}" -c "UPDATE uk_candidate SET votes = 5644 WHERE ons_id = 'E14000811' AND party = 'Lab' AND votes = 5664" \
			-c "UPDATE uk_candidate SET votes = 2198 WHERE ons_id = 'E14000811' AND party = 'Green' AND votes = 2918"
	}
fi

audit() { "${PSQL[@]}" -At -F ' ' -f data/uk/audit.sql; }

check "the audit as published: Meon Valley only, its 740 votes too many and the two mistyped numbers" \
	"Meon Valley valid_mismatch error 55569 54829
Meon Valley votes_exceed_cast error 55780 55040
Meon Valley cast  54829 55569 740 f
Meon Valley votes Green 2198 2918 720 f
Meon Valley votes Lab 5644 5664 20 f" "$(audit)"
check "the problems are rows: every constituency checked, no statement aborted" 650 \
	"$(query "SELECT count(DISTINCT ons_id) FROM uk_candidate WHERE election = 2019")"
correct
check "the audit after the correction: no problem" "" "$(audit)"

# The opposite error, which a tally accepts: Chorley's runner-up (9,439
# votes) dropped from the file.
"${PSQL[@]}" -c "DELETE FROM uk_candidate WHERE election = 2019 AND ons_id = 'E14000637' AND votes = 9439"
check "the audit with Chorley's runner-up dropped: Chorley only, 9,439 votes short" \
	"Chorley valid_mismatch error 30431 39870
Chorley cast  39870 30431 -9439 f
Chorley votes Other 36270 26831 -9439 f" "$(audit)"

echo "audit_uk: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
