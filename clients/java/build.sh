#!/bin/sh
# Builds maslihat.jar from src/ with javac, against Debian's pgjdbc
# (libpostgresql-jdbc-java) or the jar named by PGJDBC_JAR.
#   sh clients/java/build.sh [OUTPUT_DIR]      (default: clients/java/build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
jdbc=${PGJDBC_JAR:-/usr/share/java/postgresql.jar}
rm -rf "$out/classes"
mkdir -p "$out/classes"
javac -encoding UTF-8 -Xlint:all -Werror --release 11 -cp "$jdbc" -d "$out/classes" "$here"/src/maslihat/*.java
jar cf "$out/maslihat.jar" -C "$out/classes" .
echo "$out/maslihat.jar"
