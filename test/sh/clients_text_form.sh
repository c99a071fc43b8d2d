#!/usr/bin/env bash
# The client packages read the tally text form as the server does: every
# text of test/clients/text_form_corpus.py (the specification's forms and
# thousands of mutations of them) is given to the server's tally_in and to
# the parsers of clients/python, clients/node and clients/java; each must
# refuse what the server refuses and, where the server reads a text, print
# what the server prints.  A parser that raises anything but its refusal
# fails too.  Needs a running cluster with maslihat installed (PGHOST,
# PGPORT and PGUSER set, as scripts/test does); creates and drops its own
# database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/clients/lib.sh

PYTHON=/usr/bin/python3
install_packages python3 default-jdk-headless libpostgresql-jdbc-java
if ! command -v node >/dev/null; then
	install_packages nodejs
fi
JDBC_JAR=/usr/share/java/postgresql.jar

WORK=$(mktemp -d "${TMPDIR:-/tmp}"/maslihat-text-form.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	clients_drop_db
	rm -rf "$WORK"
}
trap cleanup EXIT

# Each reader takes the corpus ("x" and hex, a line per text) on stdin and
# writes a line per text: "x" and the hex of the text form it reads, "-"
# for a refusal, "!..." for anything else.
server_reads() {
	"${PSQL[@]}" -At <<-EOF
		CREATE TEMP TABLE corpus (n bigserial, hex text NOT NULL);
		\\copy corpus (hex) FROM '$WORK/corpus'
		CREATE FUNCTION pg_temp.reads(hex text) RETURNS text LANGUAGE plpgsql AS \$\$
		BEGIN
			RETURN 'x' || encode(convert_to(convert_from(decode(substr(hex, 2), 'hex'), 'UTF8')::tally::text,
											'UTF8'), 'hex');
		EXCEPTION
			-- 42804: a tally keyed by numbers and by text at once
			WHEN data_exception OR datatype_mismatch THEN RETURN '-';
			WHEN others THEN RETURN '!' || SQLSTATE;
		END \$\$;
		SELECT pg_temp.reads(hex) FROM corpus ORDER BY n;
	EOF
}

python_reads() {
	"$PYTHON" -c '
import sys
sys.path.insert(0, "clients/python")
from maslihat import Tally
for line in sys.stdin:
    try:
        print("x" + Tally.from_text(bytes.fromhex(line.strip()[1:]).decode("utf-8")).to_text().encode("utf-8").hex())
    except (ValueError, TypeError):
        print("-")
    except Exception as e:
        print("!" + type(e).__name__)
'
}

node_reads() {
	node -e '
const { Tally } = require("./clients/node/tally.js");
const out = [];
for (const line of require("fs").readFileSync(0, "ascii").split("\n").filter((l) => l !== "")) {
	try {
		out.push("x" + Buffer.from(Tally.fromText(Buffer.from(line.slice(1), "hex").toString("utf8")).toText(), "utf8").toString("hex"));
	} catch (e) {
		out.push(e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError ? "-" : "!" + e.constructor.name);
	}
}
console.log(out.join("\n"));
'
}

java_reads() {
	java -cp "$WORK/classes:$JDBC_JAR" TextFormParse
}

build_java() {
	mkdir -p "$WORK/classes" &&
		javac -encoding UTF-8 -Xlint:all -Werror -cp "$JDBC_JAR" -d "$WORK/classes" \
			clients/java/src/maslihat/*.java "$CLIENTS_DIR/TextFormParse.java"
}

# compare NAME: NAME's answers against the server's, line by line
compare() {
	local name=$1 differ
	differ=$(paste -d ' ' "$WORK/corpus" "$WORK/server" "$WORK/$name" |
		awk -v who="$name" '$2 != $3 { n++; if (n <= 5) print "  " $1 ": server " $2 ", " who " " $3 } END { print n + 0 }')
	if [ "$(printf '%s\n' "$differ" | tail -n 1)" != 0 ]; then
		printf '%s\n' "$differ" | sed '$d'
		echo "  ($(printf '%s\n' "$differ" | tail -n 1) texts read otherwise; each text is shown as hex)"
		return 1
	fi
}

clients_check "create the database" clients_create_db "maslihat_text_form_$$"
"$PYTHON" "$CLIENTS_DIR/text_form_corpus.py" >"$WORK/corpus"
texts=$(wc -l <"$WORK/corpus")
server_answers() { server_reads <"$WORK/corpus" >"$WORK/server"; }
raises_only_refusals() { ! grep -q '^!' "$WORK/server"; }
clients_check "the server reads the $texts texts" server_answers
read_by_server=$(grep -c '^x' "$WORK/server" || true)
echo "the server reads $read_by_server of $texts texts and refuses the rest"
clients_check "the corpus holds texts the server reads and texts it refuses" \
	test "$read_by_server" -gt 100 -a "$read_by_server" -lt "$((texts - 100))"
clients_check "the server raises nothing but data exceptions (22...) and 42804" raises_only_refusals

python_reads <"$WORK/corpus" >"$WORK/python"
clients_check "clients/python reads every text as the server does" compare python
node_reads <"$WORK/corpus" >"$WORK/node"
clients_check "clients/node reads every text as the server does" compare node
clients_check "build clients/java and TextFormParse" build_java
java_reads <"$WORK/corpus" >"$WORK/java"
clients_check "clients/java reads every text as the server does" compare java

clients_summary
