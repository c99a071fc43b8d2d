#!/bin/sh
# Builds maslihat.jar from src/ with javac, against Debian's pgjdbc
# (libpostgresql-jdbc-java) or the jar named by PGJDBC_JAR; JAVAC_FLAGS are
# added (the tests pass -Xlint:all -Werror).
#   sh clients/java/build.sh [OUTPUT_DIR]      (default: clients/java/build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
jdbc=${PGJDBC_JAR:-/usr/share/java/postgresql.jar}
rm -rf "$out/classes"
mkdir -p "$out/classes"
# shellcheck disable=SC2086 # JAVAC_FLAGS are words
javac -encoding UTF-8 --release 11 ${JAVAC_FLAGS:-} -cp "$jdbc" -d "$out/classes" "$here"/src/maslihat/*.java
jar cf "$out/maslihat.jar" -C "$out/classes" .
echo "$out/maslihat.jar"
