"""maslihat's types for psycopg 3, in text and binary mode.

    import psycopg, maslihat.psycopg
    conn = psycopg.connect("")
    maslihat.psycopg.register_types(conn)

Afterwards, on that connection (or cursor, or globally with context=None
left out and a connection given only for the catalog look-up):
- tally (and tally[]) loads as maslihat.Tally in text and binary results;
  a Tally parameter is sent as a tally (binary with %b or by default,
  text with %t), also through binary COPY (copy.set_types(["tally"]));
- fptp_outcome and election_summary load as named tuples whose fields are
  read from the catalog (pg_attribute) when registering, so columns added
  by a newer maslihat appear without a new client; bigint as int, numeric
  as decimal.Decimal, boolean as bool, text as str;
- maslihat_level loads as maslihat.Level, and a Level is sent as one.
"""

from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format
from psycopg.types import TypeInfo
from psycopg.types.composite import CompositeInfo, register_composite
from psycopg.types.enum import EnumInfo, register_enum

from .level import Level
from .tally import Tally

COMPOSITES = ("fptp_outcome", "election_summary")


class TallyLoader(Loader):
    def load(self, data):
        return Tally.from_text(bytes(data).decode("utf-8"))


class TallyBinaryLoader(Loader):
    format = Format.BINARY

    def load(self, data):
        return Tally.from_binary(data)


class TallyDumper(Dumper):
    def dump(self, obj):
        return obj.to_text().encode("utf-8")


class TallyBinaryDumper(Dumper):
    format = Format.BINARY

    def dump(self, obj):
        return obj.to_binary()


def _qualified(schema, name):
    return f'"{schema}"."{name}"' if schema else name


def register_types(conn, context=None, schema=None):
    """Registers maslihat's types on context (conn if None).

    conn is used to read the types' OIDs and the composites' attributes
    from the catalog; schema names the extension's schema if it is not on
    the search_path.  Raises LookupError if maslihat is not installed.
    """
    ctx = conn if context is None else context
    info = TypeInfo.fetch(conn, _qualified(schema, "tally"))
    if info is None:
        raise LookupError("type tally not found: is the maslihat extension installed?")
    info.register(ctx)  # also tally[]
    adapters = ctx.adapters
    adapters.register_loader(info.oid, TallyLoader)
    adapters.register_loader(info.oid, TallyBinaryLoader)
    adapters.register_dumper(Tally, type("TallyDumper", (TallyDumper,), {"oid": info.oid}))
    # registered last: the default for a %s placeholder
    adapters.register_dumper(Tally, type("TallyBinaryDumper", (TallyBinaryDumper,), {"oid": info.oid}))
    for name in COMPOSITES:
        cinfo = CompositeInfo.fetch(conn, _qualified(schema, name))
        if cinfo is None:
            raise LookupError(f"type {name} not found: is the maslihat extension installed?")
        register_composite(cinfo, ctx)
    einfo = EnumInfo.fetch(conn, _qualified(schema, "maslihat_level"))
    if einfo is None:
        raise LookupError("type maslihat_level not found: is the maslihat extension installed?")
    register_enum(einfo, ctx, Level, mapping={m: m.value for m in Level})
    return info
