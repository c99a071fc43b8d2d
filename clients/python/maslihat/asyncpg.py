"""maslihat's types for asyncpg (binary by default, or text).

    import asyncpg, maslihat.asyncpg
    conn = await asyncpg.connect()
    await maslihat.asyncpg.register_types(conn)

Afterwards, on that connection (for a pool: pass register_types as init=):
- tally loads as maslihat.Tally, also inside arrays, composites and
  records (ROW(1, t)); a Tally is sent as a tally, also with
  copy_records_to_table;
- fptp_outcome and election_summary arrive as asyncpg Records, which
  asyncpg builds from the catalog's attribute list itself (bigint as int,
  numeric as decimal.Decimal); with the tally codec set, composites that
  hold tallies work too;
- maslihat_level arrives as maslihat.Level (asyncpg alone gives str).
format="text" sends and reads tallies in the text form instead.
"""

from .level import Level
from .tally import Tally


async def register_types(conn, schema=None, format="binary"):
    """Sets asyncpg codecs for tally and maslihat_level on conn."""
    if schema is None:
        schema = await conn.fetchval(
            "SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
            " WHERE t.oid = to_regtype('tally')")
        if schema is None:
            raise LookupError("type tally not found: is the maslihat extension installed?")
    if format == "binary":
        await conn.set_type_codec("tally", schema=schema, format="binary",
                                  encoder=_encode_binary, decoder=Tally.from_binary)
    elif format == "text":
        await conn.set_type_codec("tally", schema=schema, format="text",
                                  encoder=_encode_text, decoder=Tally.from_text)
    else:
        raise ValueError(f"format must be 'binary' or 'text', not {format!r}")
    await conn.set_type_codec("maslihat_level", schema=schema, format="text",
                              encoder=_encode_level, decoder=Level)


def _encode_binary(value):
    return _as_tally(value).to_binary()


def _encode_text(value):
    return _as_tally(value).to_text()


def _as_tally(value):
    if isinstance(value, Tally):
        return value
    if isinstance(value, str):
        return Tally.from_text(value)
    raise TypeError(f"expected a maslihat.Tally, not {type(value).__name__}")


def _encode_level(value):
    return Level(value).value
