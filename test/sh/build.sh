#!/usr/bin/env bash
# Builds as packagers and users do, from a clean copy of the sources:
#   - out of tree, as Debian's pg_buildext does: from an empty folder,
#     make -f SRC/Makefile VPATH=SRC USE_PGXS=1 builds maslihat.so there,
#     writes nothing into SRC, and make install (DESTDIR) installs the
#     library, the control file and every install script;
#   - -Werror is in the compile commands only with WERROR=1;
#   - a missing or wrong PG_CONFIG stops make with an error naming it.
# Uses PG_CONFIG (scripts/test sets it to its private copy of PostgreSQL);
# needs no cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/sh/helpers.bash
PG_CONFIG=${PG_CONFIG:-pg_config}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SRC=$WORK/src
mkdir -p "$SRC" "$WORK/build"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$SRC"
else
	cp -a . "$SRC"
	make -s -C "$SRC" clean PG_CONFIG="$PG_CONFIG" >/dev/null
fi
# (the copy holds no build products; ls-files lists deleted files too)
find "$SRC" \( -name '*.o' -o -name '*.so' -o -name '*.bc' \) -delete

log=$WORK/build.log
check_true "out of tree: make -f SRC/Makefile VPATH=SRC USE_PGXS=1 WERROR=1 succeeds" \
	bash -c "cd '$WORK/build' && nice make -s -j2 -f '$SRC/Makefile' VPATH='$SRC' USE_PGXS=1 PG_CONFIG='$PG_CONFIG' WERROR=1 >'$log' 2>&1" ||
	cat "$log"
check "out of tree: maslihat.so is in the build folder" yes "$([ -f "$WORK/build/maslihat.so" ] && echo yes || echo no)"
check "out of tree: nothing was built in the source folder" "" \
	"$(find "$SRC" \( -name '*.o' -o -name '*.so' -o -name '*.bc' \) | head -3)"
(cd "$WORK/build" && make -s -f "$SRC/Makefile" VPATH="$SRC" USE_PGXS=1 PG_CONFIG="$PG_CONFIG" install DESTDIR="$WORK/dest" >"$log" 2>&1) || cat "$log"
want=$( (echo maslihat.so; echo maslihat.control; cd "$SRC" && ls maslihat--*.sql) | sort)
got=$(find "$WORK/dest" -type f \( -name 'maslihat.so' -o -name 'maslihat.control' -o -name 'maslihat--*.sql' \) -printf '%f\n' | sort)
check "out of tree: make install puts the library, the control file and every install script" "$want" "$got"

compile_lines() { (cd "$WORK/build" && make -n -B -f "$SRC/Makefile" VPATH="$SRC" USE_PGXS=1 PG_CONFIG="$PG_CONFIG" "$@" 2>&1 | grep -E -- ' -c -o src/core/tally\.o ' | head -1); }
# (PostgreSQL's own flags have -Werror=vla and the like: the bare -Werror is ours)
check "the compile command of a user's build is there to read" yes "$(compile_lines | grep -q -- ' -c -o ' && echo yes || echo no)"
check "a user's build has no -Werror" no "$(compile_lines | grep -qE -- ' -Werror( |$)' && echo yes || echo no)"
check "WERROR=1 adds -Werror" yes "$(compile_lines WERROR=1 | grep -qE -- ' -Werror( |$)' && echo yes || echo no)"

for bad in /nonexistent/pg_config /bin/false; do
	rm -rf "$WORK/bad" && mkdir "$WORK/bad"
	status=0
	out=$(cd "$WORK/bad" && make -f "$SRC/Makefile" VPATH="$SRC" USE_PGXS=1 PG_CONFIG="$bad" 2>&1) || status=$?
	check "PG_CONFIG=$bad: make fails" yes "$([ "$status" -ne 0 ] && echo yes || echo no)"
	check "PG_CONFIG=$bad: the error names it" yes "$(grep -qF -- "$bad --pgxs failed" <<<"$out" && echo yes || echo "no: $out")"
	check "PG_CONFIG=$bad: no maslihat.so" no "$([ -e "$WORK/bad/maslihat.so" ] && echo yes || echo no)"
done
finish
