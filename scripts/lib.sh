# shellcheck shell=bash
# Shared by scripts/demo, scripts/test, bench/ and test/sh/: installing what
# is missing, building, a private copy of PostgreSQL to install into, and a
# throwaway PostgreSQL cluster in a temporary folder.
#
# PG_MAJOR chooses the PostgreSQL major version; unset, it is the one this
# machine's Debian ships (its `postgresql` package: 15 on bookworm, 17 on
# trixie, 18 on sid).  PG_BIN and PG_CONFIG, when set by the caller (as
# scripts/test does for its private copy), are kept.

say() { printf '\n== %s\n' "$*"; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The PostgreSQL major version the `postgresql` package of this machine's
# Debian depends on.
debian_pg_major() {
	local v
	v=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -1)
	if [ -z "$v" ]; then
		as_root apt-get update -qq >&2
		v=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -1)
	fi
	[ -n "$v" ] || { echo "could not tell which PostgreSQL this Debian ships; set PG_MAJOR" >&2; return 1; }
	echo "$v"
}

if [ -z "${PG_MAJOR:-}" ]; then
	PG_MAJOR=$(debian_pg_major)
fi
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
PG_CONFIG=${PG_CONFIG:-$PG_BIN/pg_config}
export PG_MAJOR PG_BIN PG_CONFIG

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
		as_root apt-get update -qq
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
}

# private_postgresql DIR: copies this machine's PostgreSQL $PG_MAJOR (server,
# client programs, share and server headers) into DIR and points PG_BIN and
# PG_CONFIG at the copy.  Debian's PostgreSQL finds its files relative to
# its binaries, so an extension installed into the copy is seen by the
# copy's server only, and the system's PostgreSQL is left as it was.
private_postgresql() {
	local dir=$1 d
	for d in lib/postgresql share/postgresql include/postgresql; do
		mkdir -p "$dir/usr/$d"
		cp -a "/usr/$d/$PG_MAJOR" "$dir/usr/$d/"
	done
	# whatever maslihat the system has is not the one under test
	rm -rf "$dir/usr/share/postgresql/$PG_MAJOR/extension/maslihat"* \
		"$dir/usr/lib/postgresql/$PG_MAJOR/lib/maslihat.so" "$dir/usr/lib/postgresql/$PG_MAJOR/lib/bitcode/maslihat"*
	chmod 755 "$dir"
	PG_BIN=$dir/usr/lib/postgresql/$PG_MAJOR/bin
	PG_CONFIG=$PG_BIN/pg_config
	export PG_BIN PG_CONFIG
}

# build_and_install [make variables...]: builds maslihat and installs it
# into the PostgreSQL of PG_CONFIG (as root when that is the system's).
build_and_install() {
	say "building and installing maslihat into $("$PG_CONFIG" --pkglibdir)"
	make -s PG_CONFIG="$PG_CONFIG" "$@" >/dev/null
	if [ -w "$("$PG_CONFIG" --pkglibdir)" ]; then
		make -s install PG_CONFIG="$PG_CONFIG" "$@" >/dev/null
	else
		as_root make -s install PG_CONFIG="$PG_CONFIG" "$@" >/dev/null
	fi
}

# Runs a command as the cluster's owner: postgres when we are root.  From
# /, since postgres may not be allowed into the current folder (every path
# given must then be absolute).
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# start_cluster: a new cluster in a temporary folder, listening on a Unix
# socket only.  Sets PGHOST, PGPORT, PGUSER, PGDATABASE and CLUSTER_DIR.
# The folder is removed when the shell exits, unless KEEP_CLUSTER=1 (then
# the server keeps running too, and the way to stop it is printed).
start_cluster() {
	CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/maslihat-pg.XXXXXX")
	chmod 755 "$CLUSTER_DIR"
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$CLUSTER_DIR"; fi
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
		if [ -n "${KEEP_CLUSTER:-}" ]; then
			echo "the cluster keeps running in $CLUSTER_DIR: psql -h $CLUSTER_DIR -p $PGPORT -U postgres -d ${PGDATABASE:-postgres}"
			echo "stop and remove it with: runuser -u postgres -- $PG_BIN/pg_ctl -D $CLUSTER_DIR/data stop && rm -rf $CLUSTER_DIR"
		else
			as_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
			rm -rf "$CLUSTER_DIR"
		fi
	fi
}

# Whether the server log shows a backend killed by a signal.
server_crashed() {
	grep -E "terminated by signal|server process .* was terminated" "$CLUSTER_DIR/server.log" >/dev/null 2>&1
}

# regress LABEL: pg_regress on sql/ against the running cluster (make
# installcheck), results in test/results/LABEL; prints the diffs on failure.
regress() {
	local label=$1
	mkdir -p "test/results/$label"
	if make -s installcheck PG_CONFIG="$PG_CONFIG" REGRESS_OPTS="--inputdir=. --load-extension=maslihat --outputdir=test/results/$label"; then
		return 0
	fi
	head -200 "test/results/$label/regression.diffs" 2>/dev/null
	return 1
}

# The same files with parallel plans forced (debug_parallel_query from
# PostgreSQL 16, force_parallel_mode before): identical output expected.
parallel_regress() {
	local force=force_parallel_mode
	[ "$PG_MAJOR" -lt 16 ] || force=debug_parallel_query
	PGOPTIONS="-c $force=regress -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c max_parallel_workers_per_gather=2" regress parallel
}
