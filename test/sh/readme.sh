#!/usr/bin/env bash
# The README's examples are the test: every ```sql block of README.md runs,
# in order, in a fresh database, and what psql prints must be the output
# block shown after it (test/readme_check.py has the convention).  Needs a
# running cluster with maslihat installed (PGHOST, PGPORT, PGUSER, as
# scripts/test sets them); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${PG_BIN:-}" ]; then PATH=$PG_BIN:$PATH; fi

DB=maslihat_readme_$$
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT
createdb "$DB"
python3 test/readme_check.py -- -d "$DB"
