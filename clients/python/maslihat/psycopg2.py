"""maslihat's types for psycopg2 (text mode; psycopg2 has no binary results).

    import psycopg2, maslihat.psycopg2
    conn = psycopg2.connect("")
    maslihat.psycopg2.register_types(conn)

Afterwards, on that connection (scope=None: globally):
- tally and tally[] load as maslihat.Tally, and a Tally parameter is sent
  as a tally literal ('...'::tally);
- fptp_outcome and election_summary load as named tuples whose fields are
  read from the catalog (pg_attribute) when registering; bigint as int,
  numeric as decimal.Decimal;
- maslihat_level loads as maslihat.Level; a Level is sent as its label.
Binary COPY: maslihat.copy reads and writes the stream, and
Tally.from_binary / Tally.to_binary the tally fields.
"""

import psycopg2
import psycopg2.extensions as ext
import psycopg2.extras

from .level import Level
from .tally import Tally

COMPOSITES = ("fptp_outcome", "election_summary")


class _TallyAdapter:
    def __init__(self, tally, typename):
        self.literal = ext.QuotedString(tally.to_text())
        self.typename = typename

    def prepare(self, conn):
        self.literal.prepare(conn)

    def getquoted(self):
        return self.literal.getquoted() + b"::" + self.typename.encode()


def _qualified(schema, name):
    return f'"{schema}"."{name}"' if schema else name


def register_types(conn, globally=False, schema=None):
    """Registers maslihat's types on conn, or for every connection."""
    scope = None if globally else conn
    started = conn.status != ext.STATUS_IN_TRANSACTION
    with conn.cursor() as cur:
        cur.execute("SELECT t.oid, t.typarray, format_type(t.oid, NULL) FROM pg_type t"
                    " WHERE t.oid = to_regtype(%s)", (_qualified(schema, "tally"),))
        row = cur.fetchone()
        if row is None:
            raise LookupError("type tally not found: is the maslihat extension installed?")
        oid, array_oid, typename = row
        cur.execute("SELECT t.oid, t.typarray FROM pg_type t WHERE t.oid = to_regtype(%s)",
                    (_qualified(schema, "maslihat_level"),))
        level = cur.fetchone()
        if level is None:
            raise LookupError("type maslihat_level not found: is the maslihat extension installed?")

    def cast_tally(value, cur):
        return None if value is None else Tally.from_text(value)

    tally_type = ext.new_type((oid,), "TALLY", cast_tally)
    ext.register_type(tally_type, scope)
    ext.register_type(ext.new_array_type((array_oid,), "TALLY[]", tally_type), scope)

    def cast_level(value, cur):
        return None if value is None else Level(value)

    level_type = ext.new_type((level[0],), "MASLIHAT_LEVEL", cast_level)
    ext.register_type(level_type, scope)
    ext.register_type(ext.new_array_type((level[1],), "MASLIHAT_LEVEL[]", level_type), scope)

    # adapters are global in psycopg2
    ext.register_adapter(Tally, lambda t: _TallyAdapter(t, typename))
    ext.register_adapter(Level, lambda v: ext.QuotedString(v.value))

    for name in COMPOSITES:
        psycopg2.extras.register_composite(f"{schema}.{name}" if schema else name, conn,
                                           globally=globally)
    if started and not conn.autocommit:
        conn.rollback()  # end the transaction the look-ups began
    return oid
