"""maslihat through psycopg2 (Debian's python3-psycopg2), text mode.

Run by test/sh/clients_psycopg2.sh as

    /usr/bin/python3 test/clients/client_psycopg2.py ANSWERS_DIR

with PGHOST, PGPORT, PGUSER and PGDATABASE naming a database that holds
test/clients/fixture.sql.  ANSWERS_DIR holds each query of
test/clients/queries.sql as NAME.sql and psql's answer as NAME.out
(psql -X -A -t, NULL shown as \\N).  For every query, every value psycopg2
returns must print as psql prints it, and must have the Python type its
column's type maps to.  Then tallies are fetched with binary COPY, decoded
per the README's binary form and compared with their text form, encoded
back and sent with binary COPY FROM; so are, when the server has the
0.2.0 trailer (TRAILERS=1, test/clients/lib.sh's clients_trailers), a few
tallies with blank, issued, parts and provisional, written here as
literals (this test loads no edge tables).  Ends with "N passed, M failed".
"""

import io
import json
import os
import re
import struct
import sys
from decimal import Decimal
from pathlib import Path

import psycopg2

passed = 0
failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}" + (f": {detail}" if detail else ""))


# Built-in type OIDs, and the Python type psycopg2 gives each in text mode.
INT8, INT4, TEXT, BOOL, NUMERIC, JSONB = 20, 23, 25, 16, 1700, 3802
PY_TYPE = {INT8: int, INT4: int, TEXT: str, BOOL: bool, NUMERIC: Decimal, JSONB: dict}

# outcome()'s 17 columns and their types, in order (README, "The rules").
OUTCOME_COLUMNS = [
    ("winner", INT8), ("winner_votes", INT8), ("runner_up", INT8),
    ("runner_up_votes", INT8), ("margin", INT8), ("valid_votes", INT8),
    ("invalid", INT8), ("cast", INT8), ("registered", INT8),
    ("turnout", NUMERIC), ("valid", BOOL), ("tie", BOOL),
    ("by_election", BOOL), ("reason", TEXT), ("leader", INT8),
    ("candidates", INT4), ("drawn", BOOL),
]


def as_psql(value):
    """The text psql -A prints for a value psycopg2 returned."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, Decimal):
        return format(value, "f")  # never an exponent; keeps the scale
    return str(value)


TALLY_FIELD = re.compile(r"(registered|issued|cast|invalid|blank|votes|parts|provisional)"
                         r"=(\{[^}]*\}|\S+)")
# The trailer's fields (0.2.0), in the binary form's order, with their flags;
# each is in the text form (and in jsonb) only when the flag would be set.
TRAILER = (("blank", 0x04), ("issued", 0x08), ("parts", 0x10), ("provisional", 0x10))


def parse_tally_text(text):
    """The numbers of a tally's canonical text form (number keys)."""
    fields = dict(TALLY_FIELD.findall(text))
    votes = []
    inner = fields.get("votes", "{}")[1:-1]
    for pair in filter(None, inner.split(",")):
        candidate, n = pair.split(":")
        votes.append((int(candidate), int(n)))
    registered = fields.get("registered")
    t = {
        "registered": None if registered is None else int(registered),
        "cast": int(fields["cast"]),
        "invalid": int(fields.get("invalid", "0")),
        "votes": votes,
    }
    t.update((name, int(fields[name])) for name, _ in TRAILER if name in fields)
    return t


HEAD = struct.Struct(">BBqqqI")  # version, flags, registered, cast, invalid, n
PAIR = struct.Struct(">qq")      # candidate, votes
INT64 = struct.Struct(">q")      # a trailer field


def decode_tally(data):
    """A tally's binary wire form (README, "Type tally") as numbers."""
    version, flags, registered, cast, invalid, n = HEAD.unpack_from(data, 0)
    if version != 1:
        raise ValueError(f"format version {version}")
    if flags & ~(0x01 | 0x04 | 0x08 | 0x10):  # no text keys in the fixture
        raise ValueError(f"unknown flags {flags:#x}")
    present = [name for name, flag in TRAILER if flags & flag]
    if len(data) != HEAD.size + n * PAIR.size + len(present) * INT64.size:
        raise ValueError(f"{len(data)} bytes for {n} candidates and flags {flags:#x}")
    votes = [PAIR.unpack_from(data, HEAD.size + i * PAIR.size) for i in range(n)]
    t = {
        "registered": registered if flags & 1 else None,
        "cast": cast,
        "invalid": invalid,
        "votes": votes,
    }
    at = HEAD.size + n * PAIR.size
    for i, name in enumerate(present):
        (t[name],) = INT64.unpack_from(data, at + i * INT64.size)
    return t


def encode_tally(t):
    known = t["registered"] is not None
    flags = 1 if known else 0
    for name, flag in TRAILER:
        if name in t:
            flags |= flag
    out = HEAD.pack(1, flags, t["registered"] if known else 0,
                    t["cast"], t["invalid"], len(t["votes"]))
    return (out + b"".join(PAIR.pack(c, v) for c, v in t["votes"])
            + b"".join(INT64.pack(t[name]) for name, _ in TRAILER if name in t))


COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def read_binary_copy(data):
    """Rows of a COPY ... (FORMAT binary) stream, each a list of bytes or None."""
    assert data[:11] == COPY_SIGNATURE, "not a binary COPY stream"
    _flags, ext = struct.unpack_from(">iI", data, 11)
    pos = 19 + ext
    rows = []
    while True:
        (nfields,) = struct.unpack_from(">h", data, pos)
        pos += 2
        if nfields == -1:
            break
        row = []
        for _ in range(nfields):
            (length,) = struct.unpack_from(">i", data, pos)
            pos += 4
            if length == -1:
                row.append(None)
            else:
                row.append(data[pos:pos + length])
                pos += length
        rows.append(row)
    assert pos == len(data), "bytes after the COPY trailer"
    return rows


def write_binary_copy(rows):
    out = bytearray(COPY_SIGNATURE + struct.pack(">iI", 0, 0))
    for row in rows:
        out += struct.pack(">h", len(row))
        for field in row:
            out += struct.pack(">i", len(field)) + field
    out += struct.pack(">h", -1)
    return bytes(out)


def compare_with_psql(cur, answers, name, text_oids):
    sql = (answers / f"{name}.sql").read_text()
    expected = (answers / f"{name}.out").read_text().splitlines()
    cur.execute(sql)
    rows = cur.fetchall()
    columns = [(d.name, d.type_code) for d in cur.description]
    check(f"{name}: {len(expected)} rows as psql", len(rows) == len(expected),
          f"got {len(rows)}")
    bad = 0
    for r, (row, line) in enumerate(zip(rows, expected)):
        fields = line.split("|")
        if len(fields) != len(row):
            bad += 1
            print(f"  {name} row {r + 1}: {len(row)} columns, psql has {len(fields)}")
            continue
        for (col, oid), value, text in zip(columns, row, fields):
            if oid == JSONB and value is not None:
                same = value == json.loads(text)
            else:
                same = as_psql(value) == text
            want = str if oid in text_oids else PY_TYPE.get(oid)
            typed = value is None or (want is not None and type(value) is want)
            if not (same and typed):
                bad += 1
                print(f"  {name} row {r + 1} {col}: psycopg2 {value!r} "
                      f"({type(value).__name__}), psql {text!r}")
    check(f"{name}: every value equals psql's and has its column's Python type",
          bad == 0, f"{bad} values differ")
    return rows, columns


# Tallies with the 0.2.0 trailer, as literals: each field alone, all
# together, blank 0 kept where invalid > 0 and dropped where invalid is 0.
TRAILER_QUERY = (
    "SELECT id, t::tally FROM (VALUES"
    " (1, 'registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1'),"
    " (2, 'cast=620 invalid=3 blank=3 votes={17:300,42:317}'),"
    " (3, 'issued=9223372036854775807 cast=9007199254740993 votes={1:9007199254740993}'),"
    " (4, 'cast=5 votes={1:5} parts=9223372036854775807 provisional=9223372036854775807'),"
    " (5, 'cast=0 parts=2 provisional=0'),"
    " (6, 'registered=900 issued=452 cast=450 invalid=12 blank=0 votes={1:240,2:198} parts=3 provisional=2'),"
    " (7, 'cast=2 invalid=0 blank=0 votes={1:2}')) v (id, t) ORDER BY id")
TRAILERS = os.environ.get("TRAILERS") == "1"


def main():
    answers = Path(sys.argv[1])
    names = (answers / "names").read_text().split()
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    # The extension's types have no Python type in psycopg2: their text form
    # arrives as str.
    cur.execute("SELECT 'tally'::regtype::oid, 'fptp_outcome'::regtype::oid")
    text_oids = set(cur.fetchone())

    results = {}
    for name in names:
        results[name] = compare_with_psql(cur, answers, name, text_oids)

    # outcome()'s columns as psycopg2 describes them
    rows, columns = results["outcome_ballots"]
    check("outcome_ballots: the 17 columns of outcome() with their types",
          columns[2:] == OUTCOME_COLUMNS, f"got {columns[2:]}")
    print("columns of outcome_ballots as psycopg2 sees them (name, type OID, Python type of a value):")
    for i, (col, oid) in enumerate(columns):
        kinds = sorted({type(row[i]).__name__ for row in rows})
        print(f"  {col:16} {oid:5} {'/'.join(kinds)}")
    print("  first row:", rows[0])

    rows, columns = results["ranking"]
    print("ranking rows of constituencies 3 and 7:", [row for row in rows if row[0] in (3, 7)])

    rows, columns = results["tallies"]
    print("columns of tallies: " + ", ".join(
        f"{col} {oid} {type(rows[0][i]).__name__}" for i, (col, oid) in enumerate(columns)))
    print("  row 6:", rows[5])
    for row in rows:
        text, doc = row[2], row[3]
        t = parse_tally_text(text)
        want = dict(t, votes=[{"candidate": c, "votes": v} for c, v in t["votes"]])
        check(f"tally {row[0]}: jsonb has the text form's numbers", doc == want, f"{doc} vs {text}")

    # Binary COPY: the tally's wire form, decoded here, equals its text form.
    queries = ["SELECT id, t FROM constituency_tally ORDER BY id",
               "SELECT constituency * 100 + station, t FROM station ORDER BY 1",
               "SELECT constituency, tally(candidate) FROM ballot GROUP BY 1 ORDER BY 1"]
    if TRAILERS:
        queries.append(TRAILER_QUERY)
    for query in queries:
        buf = io.BytesIO()
        cur.copy_expert(f"COPY ({query}) TO STDOUT (FORMAT binary)", buf)
        binary_rows = read_binary_copy(buf.getvalue())
        cur.execute(query)
        text_rows = cur.fetchall()
        check(f"binary COPY of {query!r}: as many rows as text", len(binary_rows) == len(text_rows))
        bad = 0
        for (bkey, btally), (key, text) in zip(binary_rows, text_rows):
            try:
                decoded = decode_tally(btally)
            except (ValueError, struct.error) as e:
                decoded = f"undecodable: {e}"
            if struct.unpack(">i", bkey)[0] != key or decoded != parse_tally_text(text):
                bad += 1
                print(f"  {key}: binary {btally.hex()} decodes to {decoded}, text {text!r}")
        check(f"binary COPY of {query!r}: every tally decodes to its text form's numbers",
              bad == 0, f"{bad} differ")

    # The first tally of the big constituency, byte by byte as the README says.
    buf = io.BytesIO()
    cur.copy_expert("COPY (SELECT t FROM constituency_tally WHERE id = 6) TO STDOUT (FORMAT binary)", buf)
    wire = read_binary_copy(buf.getvalue())[0][0]
    print("binary form of constituency 6's tally:", wire.hex())
    check("binary form of constituency 6 byte by byte",
          wire.hex() == "01" "01" "0020000000000001" "0010000000000001" "0000000000000001"
                        "00000002" "000000000000003d" "000bffffffffff08"
                        "000000000000003e" "00040000000000f8",
          wire.hex())

    # The first tally with a trailer, byte by byte as the README says.
    if TRAILERS:
        buf = io.BytesIO()
        cur.copy_expert(f"COPY ({TRAILER_QUERY} LIMIT 1) TO STDOUT (FORMAT binary)", buf)
        wire = read_binary_copy(buf.getvalue())[0][1]
        check("binary form of a tally with a trailer byte by byte (blank, issued, parts, provisional)",
              wire.hex() == "01" "1d" "00000000000003e8" "000000000000026c" "0000000000000003"
                            "00000002" "0000000000000011" "000000000000012c"
                            "000000000000002a" "000000000000013d"
                            "0000000000000001" "0000000000000271" "0000000000000001" "0000000000000001",
              wire.hex())
    else:
        print("the server's tallies have no trailer yet: not checked")

    # Encoded here, sent with binary COPY FROM: the server reads the same tallies.
    cur.execute("SELECT id, t FROM constituency_tally ORDER BY id")
    mine = [(k, encode_tally(parse_tally_text(t))) for k, t in cur.fetchall()]
    cur.execute("CREATE TEMP TABLE sent (id int, t tally)")
    cur.copy_expert("COPY sent FROM STDIN (FORMAT binary)",
                    io.BytesIO(write_binary_copy([(struct.pack(">i", k), b) for k, b in mine])))
    cur.execute("SELECT count(*), count(*) FILTER (WHERE s.t = ct.t) FROM sent s JOIN constituency_tally ct USING (id)")
    total, same = cur.fetchone()
    check("tallies encoded in Python and sent with binary COPY FROM equal the server's",
          total == len(mine) == same, f"{same} of {total}")
    # ... the same with a trailer
    if TRAILERS:
        cur.execute(TRAILER_QUERY)
        theirs = [(k, encode_tally(parse_tally_text(t))) for k, t in cur.fetchall()]
        cur.execute("CREATE TEMP TABLE sent_trailer (id int, t tally)")
        cur.copy_expert("COPY sent_trailer FROM STDIN (FORMAT binary)",
                        io.BytesIO(write_binary_copy([(struct.pack(">i", k), b) for k, b in theirs])))
        cur.execute("SELECT count(*), count(*) FILTER (WHERE s.t = v.t)"
                    f" FROM sent_trailer s JOIN ({TRAILER_QUERY}) v USING (id)")
        total, same = cur.fetchone()
        check("tallies with a trailer encoded in Python and sent with binary COPY FROM equal the server's",
              total == len(theirs) == same, f"{same} of {total}")

    # ... and the server checks what it receives: an unknown version, and
    # votes above ballots cast, are errors (22P03).
    for what, blob in (("version 2", b"\x02" + mine[0][1][1:]),
                       ("votes above ballots cast",
                        encode_tally({"registered": None, "cast": 1, "invalid": 0, "votes": [(1, 2)]})),
                       ("a truncated tally", mine[0][1][:-1])):
        try:
            cur.copy_expert("COPY sent FROM STDIN (FORMAT binary)",
                            io.BytesIO(write_binary_copy([(struct.pack(">i", 0), blob)])))
            code = None
        except psycopg2.Error as e:
            code = e.pgcode
        check(f"binary COPY FROM with {what} is refused with 22P03", code == "22P03", f"got {code}")

    conn.close()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
