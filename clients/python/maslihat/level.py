"""maslihat_level, the level of a mäslihat, as a Python enum."""

import enum
import functools


@functools.total_ordering
class Level(str, enum.Enum):
    """'district' < 'city' < 'regional', as the SQL enum orders them.

    A str: Level.CITY == "city", and it is sent as its label.
    """

    DISTRICT = "district"
    CITY = "city"
    REGIONAL = "regional"

    def __lt__(self, other):
        if not isinstance(other, Level):
            return NotImplemented
        order = list(Level)
        return order.index(self) < order.index(other)

    __hash__ = str.__hash__

    def __str__(self):
        return self.value
