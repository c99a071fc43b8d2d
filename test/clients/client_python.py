"""The maslihat Python package (clients/python) against a running server.

Run by test/sh/clients_python.sh as

    /usr/bin/python3 test/clients/client_python.py

with PGHOST, PGPORT, PGUSER and PGDATABASE naming a database that holds
test/clients/fixture.sql and edge.sql (and edge_text.sql when the server
has text keys: TEXT_KEYS=1, and edge_trailer.sql, rows 201..207, when its
tallies have the 0.2.0 trailer), PSQL_BIN naming psql, and the package
installed.
For psycopg 3 (text and binary results), psycopg2, asyncpg (binary and
text codecs) and SQLAlchemy: every tally, tally[], fptp_outcome,
election_summary and maslihat_level arrives as the package's value and
equals psql's answer; every tally goes back as a parameter and through
binary COPY and the server finds it equal to its own.  Then what each
driver does without the package (the README's table), the codecs
against byte strings built from the wire format's specification, and the
trailer's fields (blank, issued, parts, provisional): their values, the
canonical rule and the errors, against the server's accessors and its
binary COPY FROM.
Ends with "N passed, M failed".
"""

import asyncio
import io
import os
import struct
import subprocess
from decimal import Decimal

import maslihat
from maslihat import Level, Tally
from maslihat.copy import read_binary_copy, write_binary_copy

passed = 0
failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}" + (f": {detail}" if detail else ""))


def psql(sql):
    """psql's unaligned rows, fields split at |, NULL as None."""
    out = subprocess.run([os.environ.get("PSQL_BIN", "psql"), "-X", "-q", "-A", "-t",
                          "-v", "ON_ERROR_STOP=1", "-P", "null=\\N", "-F", "\x1f", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [[None if f == "\\N" else f for f in line.split("\x1f")]
            for line in out.splitlines()]


def as_psql(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


EDGE_SQL = "SELECT id, t FROM edge ORDER BY id"
EDGE = psql(EDGE_SQL)  # [[id, text or None]]
EDGE_TALLIES = [None if t is None else Tally.from_text(t) for _, t in EDGE]
OUTCOME_SQL = "SELECT id, outcome(t, registered, 'kz1994') AS o FROM constituency_tally ORDER BY id"
OUTCOME_PSQL = psql("SELECT id, (outcome(t, registered, 'kz1994')).* FROM constituency_tally ORDER BY id")
SUMMARY_SQL = "SELECT election_summary(t, registered, 'kz1994') AS s FROM constituency_tally"
SUMMARY_PSQL = psql("SELECT (election_summary(t, registered, 'kz1994')).* FROM constituency_tally")


def attributes(typename):
    return [r[0] for r in psql(
        "SELECT attname FROM pg_attribute WHERE attrelid = "
        f"(SELECT typrelid FROM pg_type WHERE oid = '{typename}'::regtype) "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")]


OUTCOME_FIELDS = attributes("fptp_outcome")
# every edge tally's outcome under no rule: number keys, text keys, 64-bit counts
EDGE_OUTCOME_SQL = "SELECT id, outcome(t, 'none') AS o FROM edge WHERE t IS NOT NULL ORDER BY id"
EDGE_OUTCOME_PSQL = psql("SELECT id, (outcome(t, 'none')).* FROM edge WHERE t IS NOT NULL ORDER BY id")
SUMMARY_FIELDS = attributes("election_summary")
# constituency 1's outcome as a record literal with one more field, for the
# column-added test (outcome() itself is never called with the type altered)
OUTCOME_PLUS = psql("SELECT outcome(t, registered, 'kz1994')::text FROM constituency_tally WHERE id = 1")[0][0][:-1] + ",60.5)"


def check_edge(label, rows):
    """rows: (id, value) the driver gave for EDGE_SQL."""
    bad = [(i, v, t) for (i, v), (_, t) in zip(rows, EDGE)
           if not ((v is None and t is None) or (isinstance(v, Tally) and v.to_text() == t))]
    check(f"{label}: {len(EDGE)} edge tallies arrive as Tally equal to psql's",
          len(rows) == len(EDGE) and not bad, f"{bad[:3]}")


def check_composites(label, outcome_rows, summary):
    bad = 0
    for (i, o), want in zip(outcome_rows, OUTCOME_PSQL):
        fields = list(o._fields) if hasattr(o, "_fields") else list(o.keys())
        values = list(o) if hasattr(o, "_fields") else list(o.values())
        got = [str(i)] + [as_psql(v) for v in values]
        if fields != OUTCOME_FIELDS or got != want or not all(
                v is None or type(v) in (int, bool, str, Decimal) for v in values):
            bad += 1
            print(f"  {label} outcome {i}: {o!r}, psql {want}")
    check(f"{label}: fptp_outcome arrives with the catalog's {len(OUTCOME_FIELDS)} fields, "
          "each equal to psql's", bad == 0 and len(outcome_rows) == len(OUTCOME_PSQL))
    s = summary
    fields = list(s._fields) if hasattr(s, "_fields") else list(s.keys())
    values = list(s) if hasattr(s, "_fields") else list(s.values())
    check(f"{label}: election_summary arrives with its fields equal to psql's",
          fields == SUMMARY_FIELDS and [as_psql(v) for v in values] == SUMMARY_PSQL[0],
          f"{s!r} vs {SUMMARY_PSQL[0]}")
    # the counts beyond 2^53 stay exact ints, the turnout a Decimal
    six = dict(zip(OUTCOME_FIELDS, list(outcome_rows[5][1])))
    check(f"{label}: constituency 6's registered voters exact (9007199254740993) "
          "and turnout a Decimal",
          six["registered"] == 9007199254740993 and type(six["registered"]) is int
          and isinstance(six["turnout"], Decimal), f"{six}")


def check_edge_outcomes(label, rows):
    """rows: (id, fptp_outcome) the driver gave for EDGE_OUTCOME_SQL."""
    bad = []
    for (i, o), want in zip(rows, EDGE_OUTCOME_PSQL):
        values = list(o) if hasattr(o, "_fields") else list(o.values())
        if [str(i)] + [as_psql(v) for v in values] != want:
            bad.append((i, o))
    check(f"{label}: the edge tallies' outcomes (text keys too) equal psql's",
          len(rows) == len(EDGE_OUTCOME_PSQL) and not bad, f"{bad[:2]}")


def text_keys():
    return os.environ.get("TEXT_KEYS") == "1"


def trailers():
    """Whether the edge table holds edge_trailer.sql's rows."""
    return any(i == "201" for i, _ in EDGE)


def refused(make, errors=(ValueError,)):
    try:
        make()
    except errors:
        return True
    return False


# -- psycopg 3 ------------------------------------------------------------

def test_psycopg():
    import psycopg
    import maslihat.psycopg

    plain = psycopg.connect("", autocommit=True)
    cur = plain.cursor(binary=True)
    cur.execute("SELECT t, outcome(t, 'kz1994'), ARRAY[t], 'city'::maslihat_level FROM edge WHERE id = 1")
    row = cur.fetchone()
    print("psycopg 3 binary without the package:", [type(v).__name__ for v in row])
    check("psycopg 3 binary without the package: tally, fptp_outcome, tally[], "
          "maslihat_level are bytes", all(isinstance(v, bytes) for v in row), f"{row}")
    cur = plain.cursor()
    cur.execute("SELECT t, outcome(t, 'kz1994'), 'city'::maslihat_level FROM edge WHERE id = 1")
    row = cur.fetchone()
    check("psycopg 3 text without the package: tally, fptp_outcome and maslihat_level are str",
          [type(v) for v in row] == [str, str, str], f"{row}")
    plain.close()

    conn = psycopg.connect("", autocommit=True)
    maslihat.psycopg.register_types(conn)
    for binary in (False, True):
        label = f"psycopg 3 {'binary' if binary else 'text'}"
        cur = conn.cursor(binary=binary)
        cur.execute(EDGE_SQL)
        check_edge(label, cur.fetchall())
        cur.execute("SELECT array_agg(t ORDER BY id) FROM edge")
        check(f"{label}: tally[] arrives as a list of Tally and None",
              cur.fetchone()[0] == EDGE_TALLIES)
        cur.execute(OUTCOME_SQL)
        outcomes = cur.fetchall()
        cur.execute(SUMMARY_SQL)
        check_composites(label, outcomes, cur.fetchone()[0])
        cur.execute(EDGE_OUTCOME_SQL)
        check_edge_outcomes(label, cur.fetchall())
        cur.execute("SELECT 'city'::maslihat_level, enum_range(NULL::maslihat_level)")
        check(f"{label}: maslihat_level arrives as maslihat.Level",
              cur.fetchone() == (Level.CITY, [Level.DISTRICT, Level.CITY, Level.REGIONAL]))
        # back as parameters: %s (binary dumper), %t (text), %b (binary)
        for ph in ("%s", "%t", "%b"):
            bad = 0
            for (i, _), t in zip(EDGE, EDGE_TALLIES):
                cur.execute(f"SELECT {ph}::text, e.t IS NOT DISTINCT FROM {ph} FROM edge e WHERE id = %s",
                            (t, t, int(i)))
                text, same = cur.fetchone()
                if not same or text != (None if t is None else t.to_text()):
                    bad += 1
            check(f"{label}: every edge tally sent back as {ph} equals the server's", bad == 0)
        cur.execute("SELECT %s = 'district' AND %s::maslihat_level < 'regional'", (Level.DISTRICT, Level.CITY))
        check(f"{label}: a Level is sent as maslihat_level", cur.fetchone()[0] is True)

    # binary COPY out and in
    cur = conn.cursor()
    with cur.copy("COPY (SELECT id, t FROM edge ORDER BY id) TO STDOUT (FORMAT binary)") as cp:
        cp.set_types(["int4", "tally"])
        got = [row for row in cp.rows()]
    check("psycopg 3: binary COPY TO gives Tally values equal to psql's",
          [t for _, t in got] == EDGE_TALLIES)
    cur.execute("CREATE TEMP TABLE sent (id int, t tally)")
    for fmt in ("binary", "text"):
        cur.execute("TRUNCATE sent")
        with cur.copy(f"COPY sent (id, t) FROM STDIN (FORMAT {fmt})") as cp:
            cp.set_types(["int4", "tally"])
            for (i, _), t in zip(EDGE, EDGE_TALLIES):
                cp.write_row((int(i), t))
        cur.execute("SELECT count(*) FROM sent s JOIN edge e USING (id) WHERE s.t IS NOT DISTINCT FROM e.t")
        check(f"psycopg 3: edge tallies sent with {fmt} COPY FROM equal the server's",
              cur.fetchone()[0] == len(EDGE))

    # a column added to fptp_outcome (as 0.2.0 adds some) appears without a
    # new client: the fields come from pg_attribute when registering
    conn.autocommit = False
    cur = conn.cursor(binary=True)
    cur.execute("ALTER TYPE fptp_outcome ADD ATTRIBUTE extra_share numeric")
    maslihat.psycopg.register_types(conn, context=cur)
    cur.execute("SELECT %s::text::fptp_outcome", [OUTCOME_PLUS])
    o = cur.fetchone()[0]
    check("psycopg 3: a column added to fptp_outcome arrives by its name",
          o._fields[-1] == "extra_share" and o.extra_share == Decimal("60.5"), f"{o!r}")
    conn.rollback()
    conn.close()


# -- psycopg2 ---------------------------------------------------------------

def test_psycopg2():
    import psycopg2
    import maslihat.psycopg2

    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT t, outcome(t, 'kz1994'), 'city'::maslihat_level FROM edge WHERE id = 1")
    row = cur.fetchone()
    check("psycopg2 without the package: tally, fptp_outcome, maslihat_level are str",
          all(type(v) is str for v in row), f"{row}")

    maslihat.psycopg2.register_types(conn)
    cur.execute(EDGE_SQL)
    check_edge("psycopg2", cur.fetchall())
    cur.execute("SELECT array_agg(t ORDER BY id) FROM edge")
    check("psycopg2: tally[] arrives as a list of Tally and None", cur.fetchone()[0] == EDGE_TALLIES)
    cur.execute(OUTCOME_SQL)
    outcomes = cur.fetchall()
    cur.execute(SUMMARY_SQL)
    check_composites("psycopg2", outcomes, cur.fetchone()[0])
    cur.execute(EDGE_OUTCOME_SQL)
    check_edge_outcomes("psycopg2", cur.fetchall())
    cur.execute("SELECT 'city'::maslihat_level, enum_range(NULL::maslihat_level)")
    check("psycopg2: maslihat_level arrives as maslihat.Level",
          cur.fetchone() == (Level.CITY, [Level.DISTRICT, Level.CITY, Level.REGIONAL]))
    bad = 0
    for (i, _), t in zip(EDGE, EDGE_TALLIES):
        cur.execute("SELECT %s::text, e.t IS NOT DISTINCT FROM %s FROM edge e WHERE id = %s", (t, t, int(i)))
        text, same = cur.fetchone()
        if not same or text != (None if t is None else t.to_text()):
            bad += 1
    check("psycopg2: every edge tally sent back as a parameter equals the server's", bad == 0)
    cur.execute("SELECT %s::maslihat_level < 'regional'", (Level.CITY,))
    check("psycopg2: a Level is sent as its label", cur.fetchone()[0] is True)

    buf = io.BytesIO()
    cur.copy_expert("COPY (SELECT id, t FROM edge ORDER BY id) TO STDOUT (FORMAT binary)", buf)
    rows = read_binary_copy(buf.getvalue())
    check("psycopg2: binary COPY TO, decoded with Tally.from_binary, equals psql's",
          [None if t is None else Tally.from_binary(t) for _, t in rows] == EDGE_TALLIES)
    cur.execute("CREATE TEMP TABLE sent (id int, t tally)")
    stream = write_binary_copy([(struct.pack(">i", int(i)), None if t is None else t.to_binary())
                                for (i, _), t in zip(EDGE, EDGE_TALLIES)])
    cur.copy_expert("COPY sent FROM STDIN (FORMAT binary)", io.BytesIO(stream))
    cur.execute("SELECT count(*) FROM sent s JOIN edge e USING (id) WHERE s.t IS NOT DISTINCT FROM e.t")
    check("psycopg2: edge tallies sent with binary COPY FROM equal the server's",
          cur.fetchone()[0] == len(EDGE))

    conn.autocommit = False
    cur = conn.cursor()
    cur.execute("ALTER TYPE fptp_outcome ADD ATTRIBUTE extra_share numeric")
    maslihat.psycopg2.register_types(conn)
    cur.execute("SELECT %s::text::fptp_outcome", [OUTCOME_PLUS])
    o = cur.fetchone()[0]
    check("psycopg2: a column added to fptp_outcome arrives by its name",
          o._fields[-1] == "extra_share" and o.extra_share == Decimal("60.5"), f"{o!r}")
    conn.rollback()

    # pandas through psycopg2: a nullable bigint column becomes float64
    try:
        import warnings
        import pandas
    except ImportError:
        print("pandas not installed: its behaviour not checked")
    else:
        conn.autocommit = True
        import sqlalchemy as sa
        engine = sa.create_engine("postgresql+psycopg2://")
        sql = ("SELECT registered, 4503599627370497::int8 AS not_null, turnout(t) AS turnout"
               " FROM constituency_tally ORDER BY id")
        plain = psycopg2.connect("")  # without the package's typecasters
        plain.autocommit = True
        for via, source in (("SQLAlchemy", engine), ("psycopg2", plain)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pandas prefers SQLAlchemy to a DBAPI connection
                df = pandas.read_sql(sql, source)
                kept = pandas.read_sql(sql, source, coerce_float=False)
                text = pandas.read_sql("SELECT registered::text FROM constituency_tally ORDER BY id", source)
                kinds = pandas.read_sql("SELECT t, outcome(t, 'kz1994') AS o, 'city'::maslihat_level AS l"
                                        " FROM constituency_tally WHERE id = 1", source)
            print(f"pandas {pandas.__version__} via {via}: dtypes {dict(df.dtypes.astype(str))}, "
                  f"constituency 6: {df['registered'][5]!r} {df['turnout'][5]!r}")
            check(f"pandas via {via}: a nullable bigint column is float64, 9007199254740993 becomes 9007199254740992",
                  str(df["registered"].dtype) == "float64" and df["registered"][5] == 9007199254740992.0)
            check(f"pandas via {via}: a bigint column without NULLs is int64, exact",
                  str(df["not_null"].dtype) == "int64" and df["not_null"][5] == 4503599627370497)
            check(f"pandas via {via}: numeric is float64 unless coerce_float=False (then Decimal)",
                  str(df["turnout"].dtype) == "float64"
                  and kept["turnout"][5] == Decimal("50.0000000000000056"))
            check(f"pandas via {via}: tally, fptp_outcome and maslihat_level are str",
                  [type(kinds[c][0]) for c in ("t", "o", "l")] == [str, str, str])
            exact = text["registered"].astype("Int64")
            check(f"pandas via {via}: bigint cast to text, then astype('Int64'), is exact",
                  exact[5] == 9007199254740993 and exact[4] is pandas.NA, f"{list(exact)}")
        plain.close()
    conn.close()


# -- asyncpg ------------------------------------------------------------------

async def asyncpg_main():
    import asyncpg
    import maslihat.asyncpg

    plain = await asyncpg.connect()
    await plain.execute("CREATE TEMP TABLE sent (id int, t tally)")
    try:
        await plain.copy_records_to_table("sent", records=[(1, "cast=0")])
        err = None
    except Exception as e:  # noqa: BLE001 - the driver's own error classes
        err = e
    print("asyncpg without the package, copy_records_to_table:", type(err).__name__, err)
    check("asyncpg without the package: copy_records_to_table into a tally column fails",
          err is not None and "no binary format encoder" in str(err))
    await plain.execute("CREATE TYPE pg_temp.with_tally AS (id int, t tally)")
    try:
        await plain.fetchval("SELECT ROW(1, t)::pg_temp.with_tally FROM edge WHERE id = 1")
        err = None
    except Exception as e:  # noqa: BLE001
        err = e
    print("asyncpg without the package, a composite holding a tally:", type(err).__name__, err)
    check("asyncpg without the package: a composite holding a tally fails",
          err is not None and type(err).__name__ == "UnsupportedClientFeatureError")
    fresh = await asyncpg.connect()
    try:
        await fresh.fetchval("SELECT ROW(1, t) FROM edge WHERE id = 1")
        err = None
    except Exception as e:  # noqa: BLE001
        err = e
    print("asyncpg without the package, ROW(1, t) first on a connection:", type(err).__name__, err)
    check("asyncpg without the package: ROW(1, t) first on a connection fails",
          err is not None and "no decoder for composite type element" in str(err))
    await fresh.fetchval("SELECT t FROM edge WHERE id = 1")  # asyncpg now reads tally as text
    r = await fresh.fetchval("SELECT ROW(1, 'cast=0'::tally)")
    print("asyncpg without the package, ROW(1, 'cast=0'::tally) after a tally column:", repr(r))
    check("asyncpg without the package: after a tally column, ROW(1, t) silently gives t's binary form as a str",
          r is not None and r[1] == Tally(cast=0).to_binary().decode(), repr(r))
    try:
        await fresh.fetchval("SELECT ROW(1, t) FROM edge WHERE id = 1")
        err = None
    except Exception as e:  # noqa: BLE001
        err = e
    check("asyncpg without the package: ... or fails when that binary form is not UTF-8",
          isinstance(err, UnicodeDecodeError), repr(err))
    await fresh.close()
    o = await plain.fetchval("SELECT outcome(t, 'kz1994') FROM edge WHERE id = 1")
    check("asyncpg without the package: fptp_outcome is a Record (asyncpg reads the catalog)",
          type(o).__name__ == "Record" and o["cast"] == 9223372036854775807, repr(o))
    lv = await plain.fetchval("SELECT 'city'::maslihat_level")
    check("asyncpg without the package: maslihat_level is a str", lv == "city" and type(lv) is str, repr(lv))
    v = await plain.fetchval("SELECT t FROM edge WHERE id = 1")
    check("asyncpg without the package: a tally column is its text form (str)",
          v == EDGE[0][1], f"{v!r}")
    await plain.close()

    for fmt in ("binary", "text"):
        label = f"asyncpg {fmt}"
        conn = await asyncpg.connect()
        await maslihat.asyncpg.register_types(conn, format=fmt)
        rows = await conn.fetch(EDGE_SQL)
        check_edge(label, [(r["id"], r["t"]) for r in rows])
        check(f"{label}: tally[] arrives as a list of Tally and None",
              await conn.fetchval("SELECT array_agg(t ORDER BY id) FROM edge") == EDGE_TALLIES)
        outcomes = [(r["id"], r["o"]) for r in await conn.fetch(OUTCOME_SQL)]
        check_composites(label, outcomes, await conn.fetchval(SUMMARY_SQL))
        check_edge_outcomes(label, [(r["id"], r["o"]) for r in await conn.fetch(EDGE_OUTCOME_SQL)])
        row = await conn.fetchrow("SELECT 'city'::maslihat_level, enum_range(NULL::maslihat_level)")
        check(f"{label}: maslihat_level arrives as maslihat.Level",
              tuple(row) == (Level.CITY, [Level.DISTRICT, Level.CITY, Level.REGIONAL]), f"{row}")
        bad = 0
        for (i, _), t in zip(EDGE, EDGE_TALLIES):
            text, same = await conn.fetchrow(
                "SELECT $1::tally::text, e.t IS NOT DISTINCT FROM $1 FROM edge e WHERE id = $2", t, int(i))
            if not same or text != (None if t is None else t.to_text()):
                bad += 1
        check(f"{label}: every edge tally sent back as a parameter equals the server's", bad == 0)
        if fmt == "binary":
            r = await conn.fetchval("SELECT ROW(7, t) FROM edge WHERE id = 2")
            check(f"{label}: ROW(7, t) arrives as a record holding a Tally",
                  tuple(r) == (7, EDGE_TALLIES[1]), f"{r!r}")
            await conn.execute("CREATE TEMP TABLE sent (id int, t tally)")
            await conn.copy_records_to_table(
                "sent", records=[(int(i), t) for (i, _), t in zip(EDGE, EDGE_TALLIES)])
            n = await conn.fetchval(
                "SELECT count(*) FROM sent s JOIN edge e USING (id) WHERE s.t IS NOT DISTINCT FROM e.t")
            check(f"{label}: edge tallies sent with copy_records_to_table equal the server's",
                  n == len(EDGE))
        await conn.close()


# -- SQLAlchemy -------------------------------------------------------------------

def test_sqlalchemy():
    try:
        import sqlalchemy as sa
    except ImportError:
        print("SQLAlchemy not installed: not checked")
        return
    from maslihat.sqlalchemy import LEVEL, TALLY

    engine = sa.create_engine("postgresql+psycopg2://")
    md = sa.MetaData()
    edge = sa.Table("edge", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("t", TALLY))
    sent = sa.Table("sa_sent", md, sa.Column("id", sa.Integer), sa.Column("t", TALLY),
                    sa.Column("level", LEVEL))
    with engine.begin() as c:
        rows = c.execute(sa.select(edge.c.id, edge.c.t).order_by(edge.c.id)).all()
        check_edge("SQLAlchemy (psycopg2, no adapter registered)", [tuple(r) for r in rows])
        sent.create(c)
        c.execute(sent.insert(), [{"id": int(i), "t": t, "level": Level.CITY}
                                  for (i, _), t in zip(EDGE, EDGE_TALLIES)])
        n = c.execute(sa.text("SELECT count(*) FROM sa_sent s JOIN edge e USING (id)"
                              " WHERE s.t IS NOT DISTINCT FROM e.t AND s.level = 'city'")).scalar()
        check("SQLAlchemy: TALLY and LEVEL columns written equal the server's", n == len(EDGE))
        back = c.execute(sa.select(sent.c.level).limit(1)).scalar()
        check("SQLAlchemy: a LEVEL column reads as maslihat.Level", back is Level.CITY)
        sent.drop(c)


# -- the codecs against the specification ---------------------------------------

def test_codecs():
    # bigint keys, from the spec's example
    t = Tally.from_text("registered=1000 cast=620 invalid=3 votes={17:300,42:317}")
    check("text form: the specification's example reads",
          (t.registered, t.cast, t.invalid, t.votes) == (1000, 620, 3, {17: 300, 42: 317}))
    spec = (bytes([1, 1]) + struct.pack(">qqqI", 1000, 620, 3, 2)
            + struct.pack(">qq", 17, 300) + struct.pack(">qq", 42, 317))
    check("binary form: bigint keys byte for byte", t.to_binary() == spec and Tally.from_binary(spec) == t)
    # text keys: the spec's example, bytes built by hand
    t = Tally.from_text('cast=620 votes={"Jones":317,"Smith \\"Jr\\"":300}')
    check("text keys: the specification's example reads",
          t.votes == {"Jones": 317, 'Smith "Jr"': 300} and t.registered is None and t.key_kind == "text")
    check("text keys: written back as the specification shows",
          t.to_text() == 'cast=620 invalid=0 votes={"Jones":317,"Smith \\"Jr\\"":300}', t.to_text())
    spec = bytes([1, 2]) + struct.pack(">qqqI", 0, 620, 0, 2)
    for k, v in ((b"Jones", 317), (b'Smith "Jr"', 300)):
        spec += struct.pack(">I", len(k)) + k + struct.pack(">q", v)
    check("text keys: binary form byte for byte", t.to_binary() == spec, t.to_binary().hex())
    check("text keys: binary form reads back", Tally.from_binary(spec) == t)
    awkward = {"": 1, '"': 2, "\\": 3, "{}": 4, ",": 5, ":": 6, "10": 7, "9": 8,
               "Жасыл": 9, "Әділет": 10, "a b": 11, "z": 12}
    a = Tally(awkward, registered=9223372036854775807)
    order = sorted(awkward, key=lambda k: k.encode("utf-8"))
    check("text keys: ascending bytewise (UTF-8, shorter prefix first)",
          list(a.votes) == order and order[:3] == ["", '"', ","] and order.index("10") < order.index("9")
          and order[-2:] == ["Жасыл", "Әділет"], f"{list(a.votes)}")
    check("text keys: awkward keys survive text and binary",
          Tally.from_text(a.to_text()) == a and Tally.from_binary(a.to_binary()) == a, a.to_text())
    check("text keys: only \" and \\ are escaped",
          a.to_text().startswith('registered=9223372036854775807 cast=78 invalid=0 votes={"":1,"\\"":2,",":5,'),
          a.to_text())
    empty = Tally.from_text("cast=0")
    check("no candidates: no key kind, votes={}",
          empty.key_kind is None and empty.to_text() == "cast=0 invalid=0 votes={}"
          and empty.to_binary() == bytes([1, 0]) + struct.pack(">qqqI", 0, 0, 0, 0))
    good = Tally({1: 2}, registered=5).to_binary()
    for what, blob in (("unknown flag 0x20", good[:1] + bytes([good[1] | 0x20]) + good[2:]),
                       ("version 2", b"\x02" + good[1:]),
                       ("a trailing byte", good + b"\x00"),
                       ("one byte short", good[:-1]),
                       ("a short header", good[:20]),
                       ("a text key cut short", spec[:-9]),
                       ("a text key longer than the data", spec[:30] + struct.pack(">I", 999) + spec[34:])):
        try:
            Tally.from_binary(blob)
            refused = False
        except ValueError:
            refused = True
        check(f"binary form with {what} is refused", refused)
    for text in ("cast=1 votes={1:1,1:2}", 'votes={"a":1,2:3}', "cast=x", "", 'votes={"a:1}',
                 # as the server, only \" and \\ are escapes: "a\n" is not the key "an"
                 'cast=1 votes={"a\\n":1}', 'cast=1 votes={"a\\u0041":1}', 'cast=1 votes={"\\b":1}'):
        try:
            Tally.from_text(text)
            refused = False
        except (ValueError, TypeError):
            refused = True
        check(f"text form {text!r} is refused", refused)
    check("the package's version is the extension's (maslihat.control), and pyproject.toml's",
          maslihat.__version__ == _extension_version() == _pyproject_version(),
          f"{maslihat.__version__}, {_extension_version()}, {_pyproject_version()}")


_REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def _extension_version():
    with open(os.path.join(_REPO, "maslihat.control")) as f:
        return next(line.split("=", 1)[1].strip().strip("'") for line in f
                    if line.startswith("default_version"))


def _pyproject_version():
    with open(os.path.join(_REPO, "clients", "python", "pyproject.toml")) as f:
        return next(line.split("=", 1)[1].strip().strip('"') for line in f
                    if line.startswith("version"))


# -- the trailer (0.2.0): blank, issued, parts, provisional ----------------------

def trailer_blob(flags, registered, cast, invalid, pairs, *trailer):
    """A binary tally of number keys built from the specification."""
    return (bytes([1, flags]) + struct.pack(">qqqI", registered, cast, invalid, len(pairs))
            + b"".join(struct.pack(">qq", k, v) for k, v in pairs)
            + b"".join(struct.pack(">q", v) for v in trailer))


def test_trailer_codecs():
    # the specification's examples, exactly as the server prints them
    examples = (
        "registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1",
        "cast=620 invalid=3 blank=3 votes={17:300,42:317}",
        "issued=9223372036854775807 cast=9007199254740993 invalid=0 votes={1:9007199254740993}",
        "cast=0 invalid=0 votes={} parts=2 provisional=0",
        'registered=900 issued=452 cast=450 invalid=12 blank=0 votes={"Smith \\"Jr\\"":198,"Жасыл":240} '
        "parts=3 provisional=2",
    )
    for text in examples:
        t = Tally.from_text(text)
        check(f"trailer: {text!r} reads and is written back as is, through binary too",
              t.to_text() == text and Tally.from_binary(t.to_binary()) == t
              and Tally.from_text(str(t)) == t, t.to_text())
    t = Tally.from_text(examples[0])
    check("trailer: the fields of the first example",
          (t.registered, t.issued, t.cast, t.invalid, t.blank, t.parts, t.provisional)
          == (1000, 625, 620, 3, 1, 1, 1), repr(t))
    spec = trailer_blob(0x01 | 0x04 | 0x08 | 0x10, 1000, 620, 3, [(17, 300), (42, 317)], 1, 625, 1, 1)
    check("trailer: binary form byte for byte (blank, issued, parts, provisional after the votes)",
          t.to_binary() == spec and Tally.from_binary(spec) == t, t.to_binary().hex())
    made = Tally({42: 317, 17: 300}, 620, 3, 1000, blank=1, issued=625, parts=1, provisional=1)
    check("trailer: a Tally built with the keyword arguments equals the one read",
          made == t and hash(made) == hash(t) and eval(repr(t)) == t, repr(made))
    check("trailer: repr shows only the fields written",
          repr(Tally.from_text(examples[1]))
          == "Tally(votes={17: 300, 42: 317}, cast=620, invalid=3, registered=None, blank=3)"
          and repr(Tally({11: 3, 12: 2}, invalid=1, registered=10))
          == "Tally(votes={11: 3, 12: 2}, cast=6, invalid=1, registered=10)",
          repr(Tally.from_text(examples[1])))
    t = Tally.from_text("cast=620 invalid=3 votes={17:300,42:317}")
    check("trailer: defaults without one: blank and issued unknown, no parts mark",
          (t.blank, t.issued, t.parts, t.provisional) == (None, None, 0, 0), repr(t))
    # text keys with a trailer, byte for byte
    t = Tally.from_text(examples[4])
    spec = bytes([1, 0x01 | 0x02 | 0x04 | 0x08 | 0x10]) + struct.pack(">qqqI", 900, 450, 12, 2)
    for k, v in ((b'Smith "Jr"', 198), ("Жасыл".encode(), 240)):
        spec += struct.pack(">I", len(k)) + k + struct.pack(">q", v)
    spec += struct.pack(">qqqq", 0, 452, 3, 2)
    check("trailer: text keys' binary form byte for byte, blank 0 known kept",
          t.to_binary() == spec and Tally.from_binary(spec) == t and t.blank == 0, t.to_binary().hex())
    # the canonical rule: with invalid 0, blank is 0, known, and not written
    plain = Tally({1: 2})
    for label, t in (("blank unknown", Tally({1: 2}, blank=None)), ("blank=0", Tally({1: 2}, blank=0)),
                     ("read with blank=0", Tally.from_text("cast=2 invalid=0 blank=0 votes={1:2}"))):
        check(f"trailer: invalid 0 and {label}: blank 0, no blank written, the 0.1.0 bytes",
              t.blank == 0 and t == plain and hash(t) == hash(plain)
              and t.to_text() == "cast=2 invalid=0 votes={1:2}"
              and t.to_binary() == trailer_blob(0, 0, 2, 0, [(1, 2)]), f"{t!r} {t.to_binary().hex()}")
    known, unknown = Tally({1: 2}, invalid=3, blank=0), Tally({1: 2}, invalid=3)
    check("trailer: invalid 3 and blank 0 writes blank=0 (flag 0x04); blank unknown writes none",
          known.to_text() == "cast=5 invalid=3 blank=0 votes={1:2}"
          and known.to_binary()[1] == 0x04 and unknown.to_text() == "cast=5 invalid=3 votes={1:2}"
          and unknown.to_binary()[1] == 0 and unknown.blank is None and known != unknown,
          f"{known} / {unknown}")
    t = Tally.from_text("cast=0 parts=0 provisional=0")
    check("trailer: parts=0 provisional=0 is no parts mark, not written",
          t.parts == 0 and t.to_text() == "cast=0 invalid=0 votes={}"
          and t.to_binary() == trailer_blob(0, 0, 0, 0, []))
    t = Tally.from_text("provisional=1 parts=2 votes={1:1} blank=0 invalid=1 cast=2 issued=2 registered=3")
    check("trailer: fields in any order read, written in the server's order",
          t.to_text() == "registered=3 issued=2 cast=2 invalid=1 blank=0 votes={1:1} parts=2 provisional=1",
          t.to_text())
    t = Tally({}, cast=9223372036854775807, invalid=9223372036854775807, registered=9223372036854775807,
              blank=9007199254740993, issued=9223372036854775807, parts=9223372036854775807,
              provisional=9223372036854775807)
    check("trailer: 64-bit counts exact beyond 2^53",
          Tally.from_binary(t.to_binary()) == t and Tally.from_text(t.to_text()) == t
          and Tally.from_text(t.to_text()).blank == 9007199254740993, t.to_text())
    t = Tally({1: 2}, parts=1)
    check("trailer: parts=1 alone is final (provisional 0), both written",
          t.to_text() == "cast=2 invalid=0 votes={1:2} parts=1 provisional=0"
          and t.to_binary() == trailer_blob(0x10, 0, 2, 0, [(1, 2)], 1, 0))
    # errors: the value object
    for what, make in (("blank above invalid", lambda: Tally({1: 2}, invalid=1, blank=2)),
                       ("blank with invalid 0", lambda: Tally({1: 2}, blank=1)),
                       ("provisional above parts", lambda: Tally({1: 2}, parts=1, provisional=2)),
                       ("provisional without parts", lambda: Tally({1: 2}, provisional=1)),
                       ("issued above registered", lambda: Tally({1: 2}, registered=5, issued=6)),
                       ("negative blank", lambda: Tally({1: 2}, invalid=3, blank=-1)),
                       ("negative issued", lambda: Tally({1: 2}, issued=-1)),
                       ("negative parts", lambda: Tally({1: 2}, parts=-1)),
                       ("parts beyond int64", lambda: Tally({1: 2}, parts=9223372036854775808)),
                       ("issued beyond int64", lambda: Tally({1: 2}, issued=9223372036854775808))):
        check(f"trailer: a Tally with {what} is refused", refused(make))
    check("trailer: a bool or float count is refused",
          refused(lambda: Tally({1: 2}, issued=True), TypeError)
          and refused(lambda: Tally({1: 2}, parts=1.0), TypeError))
    check("trailer: issued without registered is allowed (then unbounded)",
          Tally({1: 2}, issued=9).issued == 9)
    # errors: the counts' bounds and text keys, as the server's
    for what, make in (("votes plus invalid above cast", lambda: Tally({1: 2}, cast=2, invalid=1)),
                       ("cast above registered", lambda: Tally({1: 2}, registered=1)),
                       ("a key with an unpaired surrogate", lambda: Tally({"a\ud800": 1})),
                       ("the text form's votes above cast",
                        lambda: Tally.from_text("cast=2 invalid=1 votes={1:2}")),
                       ("the binary form's cast above registered",
                        lambda: Tally.from_binary(trailer_blob(0x01, 1, 2, 0, [(1, 2)])))):
        check(f"counts: a Tally with {what} is refused", refused(make))
    check("counts: the error names the counts",
          "candidate votes (2) plus blank or invalid ballots (1) exceed ballots cast (2)" in _message(
              lambda: Tally({1: 2}, cast=2, invalid=1)))
    pair = Tally({"a\U0001F600": 1}, registered=1)
    check("text keys: a character beyond the BMP round-trips",
          Tally.from_binary(pair.to_binary()) == pair and Tally.from_text(pair.to_text()) == pair)
    check("trailer: the error names the counts",
          "blank ballots (2) exceed blank or invalid ballots (1)" in _message(
              lambda: Tally({1: 2}, invalid=1, blank=2)))
    # errors: the text form, as the server's tally_in
    for text in ("cast=0 blank=1", "cast=3 invalid=3 blank=4", "cast=0 provisional=1",
                 "cast=0 parts=1 provisional=2", "registered=5 issued=6 cast=0",
                 "cast=0 blank=0 blank=0", "cast=0 issued=1 issued=1", "parts=1 parts=1 cast=0",
                 "cast=0 issued=-1", "cast=0 parts=9223372036854775808", "cast=0 issued=",
                 "cast=0 blanks=0"):
        check(f"trailer: text form {text!r} is refused", refused(lambda: Tally.from_text(text)))
    # errors: the binary form, as the server's tally_recv
    good = trailer_blob(0x01 | 0x04 | 0x08 | 0x10, 1000, 620, 3, [(17, 300), (42, 317)], 1, 625, 1, 1)
    for what, blob in (("unknown flag 0x20", good[:1] + bytes([good[1] | 0x20]) + good[2:]),
                       ("unknown flag 0x80", good[:1] + bytes([good[1] | 0x80]) + good[2:]),
                       ("flag 0x04 with invalid 0", trailer_blob(0x04, 0, 2, 0, [(1, 2)], 0)),
                       ("flag 0x10 with parts 0", trailer_blob(0x10, 0, 2, 0, [(1, 2)], 0, 0)),
                       ("blank above invalid", trailer_blob(0x04, 0, 3, 1, [(1, 2)], 2)),
                       ("negative blank", trailer_blob(0x04, 0, 3, 1, [(1, 2)], -1)),
                       ("provisional above parts", trailer_blob(0x10, 0, 2, 0, [(1, 2)], 1, 2)),
                       ("issued above registered", trailer_blob(0x09, 5, 2, 0, [(1, 2)], 6)),
                       ("negative issued", trailer_blob(0x08, 0, 2, 0, [(1, 2)], -1)),
                       ("a trailer one byte short", good[:-1]),
                       ("a trailer flag without its bytes", trailer_blob(0x08, 0, 2, 0, [(1, 2)])),
                       ("a byte after the trailer", good + b"\x00"),
                       ("parts without provisional", trailer_blob(0x10, 0, 2, 0, [(1, 2)], 1))):
        check(f"trailer: binary form with {what} is refused", refused(lambda: Tally.from_binary(blob)))
    return good


def _message(make):
    try:
        make()
    except ValueError as e:
        return str(e)
    return ""


def test_trailer_server():
    """The edge rows 201..207 (edge_trailer.sql) as the package reads them."""
    by_id = {int(i): t for (i, _), t in zip(EDGE, EDGE_TALLIES)}
    t = by_id[201]
    check("trailer: row 201 has blank 1, issued 625, parts 1, provisional 1",
          (t.blank, t.issued, t.parts, t.provisional) == (1, 625, 1, 1), repr(t))
    t = by_id[202]
    check("trailer: row 202 has blank 3, issued unknown, parts 0, provisional 0",
          (t.blank, t.issued, t.parts, t.provisional) == (3, None, 0, 0), repr(t))
    t = by_id[203]
    check("trailer: row 203 has issued 9223372036854775807 and blank 0 (invalid 0), not written",
          (t.issued, t.invalid, t.blank) == (9223372036854775807, 0, 0) and "blank" not in t.to_text(),
          repr(t))
    t = by_id[204]
    check("trailer: row 204 has blank 9007199254740993 exact",
          t.blank == 9007199254740993 and t.issued == 9223372036854775807, repr(t))
    t = by_id[205]
    check("trailer: row 205 has parts and provisional 9223372036854775807",
          (t.parts, t.provisional) == (9223372036854775807,) * 2, repr(t))
    t = by_id[206]
    check("trailer: row 206 has parts 2, provisional 0 (final)", (t.parts, t.provisional) == (2, 0), repr(t))
    t = by_id[207]
    check("trailer: row 207 has blank 0 known (invalid 12), text keys, parts 3, provisional 2",
          (t.blank, t.invalid, t.issued, t.parts, t.provisional, t.key_kind) == (0, 12, 452, 3, 2, "text")
          and "blank=0" in t.to_text(), repr(t))
    # every edge tally's trailer equals the server's accessors
    want = psql("SELECT id, blank(t), ballots_issued(t), parts(t), provisional_parts(t)"
                " FROM edge WHERE t IS NOT NULL ORDER BY id")
    got = [[str(i)] + [None if v is None else str(v) for v in (t.blank, t.issued, t.parts, t.provisional)]
           for i, t in sorted(by_id.items()) if t is not None]
    check(f"trailer: blank, issued, parts, provisional of the {len(got)} edge tallies equal "
          "blank(), ballots_issued(), parts(), provisional_parts()", got == want,
          f"{[(g, w) for g, w in zip(got, want) if g != w][:3]}")


def test_trailer_refused_by_server(good):
    """What the package's decoder refuses, the server's tally_recv refuses too."""
    import psycopg2
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE TEMP TABLE recv (t tally)")
    for what, blob, ok in (("a trailer the package reads", good, True),
                           ("flag 0x04 with invalid 0", trailer_blob(0x04, 0, 2, 0, [(1, 2)], 0), False),
                           ("flag 0x10 with parts 0", trailer_blob(0x10, 0, 2, 0, [(1, 2)], 0, 0), False),
                           ("blank above invalid", trailer_blob(0x04, 0, 3, 1, [(1, 2)], 2), False),
                           ("provisional above parts", trailer_blob(0x10, 0, 2, 0, [(1, 2)], 1, 2), False),
                           ("issued above registered", trailer_blob(0x09, 5, 2, 0, [(1, 2)], 6), False),
                           ("unknown flag 0x20", trailer_blob(0x20, 0, 2, 0, [(1, 2)]), False),
                           ("registered without flag 0x01", trailer_blob(0x00, 5, 2, 0, [(1, 2)]), False),
                           ("the text-key flag without candidates", trailer_blob(0x02, 0, 0, 0, []), False),
                           ("a trailer one byte short", good[:-1], False)):
        try:
            cur.copy_expert("COPY recv FROM STDIN (FORMAT binary)",
                            io.BytesIO(write_binary_copy([(blob,)])))
            code = None
        except psycopg2.Error as e:
            code = e.pgcode
        mine = not refused(lambda: Tally.from_binary(blob))
        check(f"trailer: binary COPY FROM with {what}: the server "
              f"{'reads' if ok else 'refuses'} it (22P03) as the package does",
              mine == ok and code == (None if ok else "22P03"), f"server {code}, package reads: {mine}")
    cur.execute("SELECT t::text FROM recv")
    check("trailer: the tally sent by hand reads back as the package writes it",
          [r[0] for r in cur.fetchall()] == [Tally.from_binary(good).to_text()])
    conn.close()


def main():
    test_codecs()
    good = test_trailer_codecs()
    if trailers():
        test_trailer_server()
        test_trailer_refused_by_server(good)
    else:
        print("no edge tallies with a trailer (edge_trailer.sql not loaded): the server's side not checked")
    test_psycopg()
    test_psycopg2()
    asyncio.run(asyncpg_main())
    test_sqlalchemy()
    print("text keys on the server:", "yes, in the edge tallies" if text_keys() else "not yet")
    print("trailers on the server:", "yes, in the edge tallies" if trailers() else "not yet")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
