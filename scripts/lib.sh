# shellcheck shell=bash
# Shared by scripts/demo and scripts/test: installing what is missing,
# building, and a throwaway PostgreSQL cluster in a temporary folder.

PG_MAJOR=${PG_MAJOR:-15}
# Another PostgreSQL (a private copy of the install, say) through PG_BIN.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
PG_CONFIG=$PG_BIN/pg_config
export PG_CONFIG

say() { printf '\n== %s\n' "$*"; }

# Installs the Debian packages the project needs; extra packages as arguments.
install_packages() {
	local wanted=(postgresql-"$PG_MAJOR" postgresql-server-dev-"$PG_MAJOR" make gcc libc6-dev "$@")
	local missing=()
	local p
	for p in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		say "installing ${missing[*]}"
		local sudo=
		[ "$(id -u)" -eq 0 ] || sudo=sudo
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
}

build_and_install() {
	say "building and installing maslihat"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	make -s PG_CONFIG="$PG_CONFIG" >/dev/null
	$sudo make -s install PG_CONFIG="$PG_CONFIG" >/dev/null
}

# Runs a command as the cluster's owner: postgres when we are root.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# start_cluster: a new cluster in a temporary folder, listening on a Unix
# socket only.  Sets PGHOST, PGPORT, PGUSER, PGDATABASE and CLUSTER_DIR.
start_cluster() {
	CLUSTER_DIR=$(mktemp -d /tmp/maslihat-pg.XXXXXX)
	chmod 755 "$CLUSTER_DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER_DIR"
	PGPORT=${PGPORT_BASE:-54329}
	while [ -e "/tmp/.s.PGSQL.$PGPORT" ] || [ -e "$CLUSTER_DIR/.s.PGSQL.$PGPORT" ]; do PGPORT=$((PGPORT + 1)); done
	as_owner "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1 ||
		{ cat "$CLUSTER_DIR/initdb.log"; return 1; }
	as_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w \
		-o "-p $PGPORT -k $CLUSTER_DIR -c listen_addresses='' -c max_worker_processes=8 ${CLUSTER_OPTIONS:-}" start >/dev/null ||
		{ cat "$CLUSTER_DIR/server.log"; return 1; }
	export PGHOST=$CLUSTER_DIR PGPORT PGUSER=postgres PGDATABASE=postgres CLUSTER_DIR
	trap stop_cluster EXIT
}

stop_cluster() {
	if [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR/data" ]; then
		as_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
		if [ -z "${KEEP_CLUSTER:-}" ]; then rm -rf "$CLUSTER_DIR"; fi
	fi
}

# Whether the server log shows a backend killed by a signal.
server_crashed() {
	grep -E "terminated by signal|server process .* was terminated" "$CLUSTER_DIR/server.log" >/dev/null 2>&1
}
