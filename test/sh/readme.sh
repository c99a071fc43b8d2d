#!/usr/bin/env bash
# Every SQL example in README.md is run by sql/readme.sql, with the output shown.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 test/readme_check.py
