"""maslihat's PostgreSQL types as Python values.

    from maslihat import Tally, Level
    import maslihat.psycopg      # psycopg 3: maslihat.psycopg.register_types(conn)
    import maslihat.psycopg2     # psycopg2:  maslihat.psycopg2.register_types(conn)
    import maslihat.asyncpg      # asyncpg:   await maslihat.asyncpg.register_types(conn)
    import maslihat.sqlalchemy   # SQLAlchemy column types TALLY, LEVEL

The driver modules import their driver only when imported themselves.
"""

from .level import Level
from .tally import Tally

__all__ = ["Level", "Tally"]
__version__ = "0.2.0"
