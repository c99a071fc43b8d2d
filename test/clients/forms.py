"""For test/sh/clients_forms.sh: the tally's text and binary forms, as the
server reads them and as clients/python does.

    forms.py corpus text|binary     the texts or byte strings to read, on stdout
    forms.py server text|binary     the server's reading of each, stdin to stdout
    forms.py python text|binary     clients/python's reading of each

A corpus is the specification's forms (for the binary form, the server's
tally_send of them) and mutations of them: characters or bytes deleted,
inserted or replaced a few times each, the same on every run.  It has a
line per value, "x" and the value's bytes in hex, so that no line is
empty.  A reading has a line per value: "x" and the hex of the text form
read, "-" for a refusal, or "!" and what else was raised (a defect).
The server is PGHOST, PGPORT, PGUSER and PGDATABASE's (psycopg2).
"""

import io
import os
import random
import struct
import sys

TEXTS = (
    'registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1',
    'cast=620 votes={"Jones":317,"Smith \\"Jr\\"":300}',
    'cast=0',
    'registered=5 cast=5 invalid=0 votes={-3:1,9223372036854775807:4}',
    'cast=3 invalid=1 blank=0 votes={"":1,"é":1}',
    'cast=9223372036854775807 votes={1:9223372036854775807}',
    ' registered = 10\tcast=4\ninvalid=1 votes = { "a\\\\b" : 1 , "Жасыл" : 2 } ',
    'cast=2 votes={"{,}":1,"10":1} parts=3 provisional=0',
    'registered=9 issued=9 cast=7 invalid=2 votes={-9223372036854775808:1,0:1,7:3}',
)

# what a text mutation inserts: the form's own characters, field names,
# numbers at and beyond the 64-bit range, escapes the form does not have,
# white space of every kind and letters it does not know
PIECES = list(' \t\n=:{},"\\-+0123456789abcdefghijklmnopqrstuvwxyz') + [
    "registered", "cast", "invalid", "blank", "issued", "parts", "provisional", "votes",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "é", "\u00a0",
    "NaN", "1e3", "0x10", '\\"', "\\\\", "\\n", "\\u0041", "CAST", "\r", "\f", "\v"]

COUNT = 6000
# the server's refusals of bad input: data exceptions, 42804 (keys of both
# kinds), 54000 (more candidates than a tally holds), 08P01 (COPY's framing)
REFUSALS = ("22", "42804", "54000", "08P01")


def mutate_text(rng, text):
    s = list(text)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        op, i = rng.random(), rng.randint(0, len(s))
        if op < 0.4 and s:
            del s[min(i, len(s) - 1)]
        elif op < 0.8:
            s.insert(i, rng.choice(PIECES))
        elif s:
            s[min(i, len(s) - 1)] = rng.choice(PIECES)
    return "".join(s).encode("utf-8")


def mutate_bytes(rng, data):
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        op, i = rng.random(), rng.randrange(len(b) + 1)
        if op < 0.25 and b:
            b[min(i, len(b) - 1)] = rng.randrange(256)
        elif op < 0.4 and b:
            b[min(i, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op < 0.55:
            del b[i:i + rng.choice((1, 4, 8))]
        elif op < 0.7:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.choice((1, 4, 8))))
        elif op < 0.8 and len(b) > 1:  # the flags
            b[1] = rng.choice((0, 1, 2, 3, 4, 5, 8, 0x10, 0x1d, 0x1f, 0x20, 0x80))
        elif op < 0.9 and len(b) >= 30:  # the number of candidates
            b[26:30] = struct.pack(">I", rng.choice((0, 1, 2, 3, 0x7FFFFFFF, 0xFFFFFFFF)))
        else:
            del b[rng.randrange(len(b) + 1):]
    return bytes(b)


def connect():
    import psycopg2
    conn = psycopg2.connect("")
    conn.autocommit = True
    return conn


def corpus(form):
    rng = random.Random(1994)
    if form == "text":
        bases = [t.encode("utf-8") for t in TEXTS]
        values = bases + [b""] + [mutate_text(rng, rng.choice(TEXTS)) for _ in range(COUNT)]
    else:
        with connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT tally_send(t::tally) FROM unnest(%s) t", (list(TEXTS),))
            bases = [bytes(r[0]) for r in cur.fetchall()]
        values = bases + [b""] + [mutate_bytes(rng, rng.choice(bases)) for _ in range(COUNT)]
    for v in values:
        print("x" + v.hex())


def values():
    return [bytes.fromhex(line.strip()[1:]) for line in sys.stdin if line.strip()]


def copy_stream(value):
    """A binary COPY stream of one row holding value as its one field."""
    return (b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0) + struct.pack(">h", 1)
            + struct.pack(">i", len(value)) + value + struct.pack(">h", -1))


def server(form):
    import psycopg2
    conn = connect()
    cur = conn.cursor()
    cur.execute("CREATE TEMP TABLE read (t tally)")
    for v in values():
        try:
            if form == "text":
                cur.execute("SELECT %s::tally::text", (v.decode("utf-8"),))
            else:
                cur.execute("TRUNCATE read")
                cur.copy_expert("COPY read FROM STDIN (FORMAT binary)", io.BytesIO(copy_stream(v)))
                cur.execute("SELECT t::text FROM read")
            print("x" + cur.fetchone()[0].encode("utf-8").hex())
        except psycopg2.Error as e:
            print("-" if (e.pgcode or "").startswith(REFUSALS) else f"!{e.pgcode}")


def python(form):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "clients", "python"))
    from maslihat import Tally
    for v in values():
        try:
            t = Tally.from_text(v.decode("utf-8")) if form == "text" else Tally.from_binary(v)
            print("x" + t.to_text().encode("utf-8").hex())
        except (ValueError, TypeError):
            print("-")
        except Exception as e:  # a defect: compared, so shown
            print("!" + type(e).__name__)


if __name__ == "__main__":
    command, form = sys.argv[1], sys.argv[2]
    assert form in ("text", "binary"), form
    {"corpus": corpus, "server": server, "python": python}[command](form)
