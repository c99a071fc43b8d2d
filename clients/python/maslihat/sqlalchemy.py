"""SQLAlchemy column types for maslihat (any PostgreSQL dialect).

    from maslihat.sqlalchemy import TALLY, LEVEL
    Column("t", TALLY), Column("level", LEVEL)

TALLY reads a tally as maslihat.Tally (from the text form, or as is if
the driver's adapter already made one) and binds a Tally as its text
form with a cast to tally.  LEVEL maps maslihat_level to maslihat.Level.
"""

from sqlalchemy import cast as sa_cast
from sqlalchemy.types import UserDefinedType

from .level import Level
from .tally import Tally


class TALLY(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw):
        return "tally"

    def bind_expression(self, bindvalue):
        return sa_cast(bindvalue, self)

    def bind_processor(self, dialect):
        def process(value):
            if value is None or isinstance(value, str):
                return value
            return value.to_text()
        return process

    def result_processor(self, dialect, coltype):
        def process(value):
            if value is None or isinstance(value, Tally):
                return value
            if isinstance(value, (bytes, bytearray, memoryview)):
                return Tally.from_binary(value)
            return Tally.from_text(value)
        return process


class LEVEL(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw):
        return "maslihat_level"

    def bind_processor(self, dialect):
        return lambda v: None if v is None else Level(v).value

    def result_processor(self, dialect, coltype):
        return lambda v: None if v is None else Level(v)
