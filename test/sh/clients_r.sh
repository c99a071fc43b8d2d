#!/usr/bin/env bash
# maslihat through R's RPostgreSQL (Debian's r-cran-rpostgresql and
# r-cran-bit64): test/clients/client_r.R, then every R example of the
# README's "Using maslihat from reporting tools", with its shown output.
# Needs a running cluster with maslihat installed (PGHOST, PGPORT and PGUSER
# set, as scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/clients/lib.sh

install_packages r-cran-rpostgresql r-cran-bit64 python3

WORK=$(mktemp -d /tmp/maslihat-r.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	clients_drop_db
	rm -rf "$WORK"
}
trap cleanup EXIT

t0=$SECONDS
clients_check "create the database and load the fixture" clients_create_db "maslihat_r_$$"
clients_run_client Rscript "$CLIENTS_DIR/client_r.R"
clients_run_examples r Rscript "$WORK"
echo "R client test took $((SECONDS - t0))s"

clients_summary
