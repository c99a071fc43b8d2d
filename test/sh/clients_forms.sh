#!/usr/bin/env bash
# The client packages read the tally's text and binary forms as the server
# does.  Every value of test/clients/forms.py's two corpora (the
# specification's forms and thousands of mutations of them) is read by the
# server (tally_in; tally_recv through binary COPY) and by the readers of
# clients/python, clients/node and clients/java; each package must refuse
# what the server refuses and read every other value as the server prints
# it.  A reader that raises anything but its refusal fails too.  Needs a
# running cluster with maslihat installed (PGHOST, PGPORT and PGUSER set,
# as scripts/test does); creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/clients/lib.sh

# Debian's interpreter, with Debian's python3-psycopg2
PYTHON=/usr/bin/python3
install_packages python3 python3-psycopg2 default-jdk-headless libpostgresql-jdbc-java
if ! command -v node >/dev/null; then
	install_packages nodejs
fi
JDBC_JAR=/usr/share/java/postgresql.jar

WORK=$(mktemp -d "${TMPDIR:-/tmp}"/maslihat-forms.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	clients_drop_db
	rm -rf "$WORK"
}
trap cleanup EXIT

# read WHO FORM: WHO's reading of FORM's corpus into $WORK/FORM.WHO
read_corpus() {
	local who=$1 form=$2
	case $who in
		server | python) "$PYTHON" "$CLIENTS_DIR/forms.py" "$who" "$form" ;;
		node) node "$CLIENTS_DIR/forms_read.js" "$form" ;;
		java) java -cp "$WORK/classes:$JDBC_JAR" FormsRead "$form" ;;
	esac <"$WORK/$form.corpus" >"$WORK/$form.$who"
}

# same WHO FORM: WHO read every value of FORM's corpus as the server did
same() {
	local who=$1 form=$2 differ
	read_corpus "$who" "$form" || return 1
	differ=$(paste -d ' ' "$WORK/$form.corpus" "$WORK/$form.server" "$WORK/$form.$who" |
		awk -v who="$who" '$2 != $3 { if (++n <= 5) print "  " $1 ": server " $2 ", " who " " $3 } END { print n + 0 }')
	if [ "$(printf '%s\n' "$differ" | tail -n 1)" != 0 ]; then
		printf '%s\n' "$differ" | sed '$d'
		echo "  ($(printf '%s\n' "$differ" | tail -n 1) values read otherwise; each value is shown as hex)"
		return 1
	fi
}

# the server's reading, with refusals and readings both well represented
server_reads() {
	local form=$1 values read
	"$PYTHON" "$CLIENTS_DIR/forms.py" corpus "$form" >"$WORK/$form.corpus" &&
		read_corpus server "$form" || return 1
	values=$(wc -l <"$WORK/$form.corpus")
	read=$(grep -c '^x' "$WORK/$form.server" || true)
	echo "the server reads $read of the $values values of the $form form's corpus and refuses the rest"
	[ "$read" -gt 100 ] && [ "$read" -lt "$((values - 100))" ]
}

raises_only_refusals() { ! grep -q '^!' "$WORK/$1.server"; }

build_java() {
	mkdir -p "$WORK/classes" &&
		javac -encoding UTF-8 -Xlint:all -Werror -cp "$JDBC_JAR" -d "$WORK/classes" \
			clients/java/src/maslihat/*.java "$CLIENTS_DIR/FormsRead.java"
}

clients_check "create the database" clients_create_db "maslihat_forms_$$"
clients_check "build clients/java and FormsRead" build_java
for form in text binary; do
	clients_check "the server reads the $form form's corpus, accepting and refusing 100 or more" server_reads "$form"
	clients_check "the server raises nothing on the $form form but its refusals of bad input" raises_only_refusals "$form"
	for who in python node java; do
		clients_check "clients/$who reads every value of the $form form as the server does" same "$who" "$form"
	done
done

clients_summary
