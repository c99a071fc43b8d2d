"""The tally as a Python value, and its text and binary wire forms.

Text form (what tally_out writes and tally_in reads)::

    registered=1000 cast=620 invalid=3 votes={17:300,42:317}
    cast=620 votes={"Jones":317,"Smith \\"Jr\\"":300}
    registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1

(since 0.2.0 the trailer's fields: issued after registered, blank after
invalid, parts and provisional after the votes, each only when written:
see Tally).

Binary form (tally_send and tally_recv, binary COPY), big-endian::

    uint8 version (1)  uint8 flags  int64 registered  int64 cast
    int64 invalid  uint32 ncandidates, then per candidate either
    int64 candidate, int64 votes            (flags without 0x02)
    uint32 length, UTF-8 bytes, int64 votes (flags with 0x02: text keys)
    then the trailer (0.2.0), each field only when its flag is set:
    int64 blank (0x04), int64 issued (0x08), int64 parts, int64 provisional (0x10)

flags 0x01: registered voters known (registered is 0 when unknown);
0x04: blank known, only when invalid > 0; 0x08: issued known; 0x10:
parts > 0.  Any other bit is refused.
"""

import struct

INT64_MAX = 9223372036854775807
INT64_MIN = -9223372036854775808

FLAG_REGISTERED = 0x01
FLAG_TEXT_KEYS = 0x02
FLAG_BLANK = 0x04
FLAG_ISSUED = 0x08
FLAG_PARTS = 0x10
FLAGS_ALL = FLAG_REGISTERED | FLAG_TEXT_KEYS | FLAG_BLANK | FLAG_ISSUED | FLAG_PARTS
_HEAD = struct.Struct(">BBqqqI")
_PAIR = struct.Struct(">qq")
_LEN = struct.Struct(">I")
_VOTES = struct.Struct(">q")


def _check_utf8(key):
    # a lone surrogate ("\ud800") has no UTF-8 form: the server could never hold it
    try:
        key.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"a candidate key must be valid Unicode: {key!r} ({e.reason})") from None


_SPACE = " \t\n\r\f\v"  # the server's white space (tally_text.c)


def _sort_key(key):
    # bigint keys in numeric order; text keys bytewise (memcmp) on UTF-8
    return key.encode("utf-8") if isinstance(key, str) else key


class Tally:
    """The exact count of one constituency.

    registered: registered voters, or None when unknown
    cast:       ballots cast
    invalid:    blank or invalid ballots
    votes:      dict of candidate key (all int, or all str) -> votes, in
                the server's order (ascending)

    and the trailer's fields (maslihat 0.2.0), keyword arguments:

    blank:       blank ballots among invalid, or None when unknown; 0 (and
                 known) whenever invalid is 0, as the server reads it
    issued:      ballots issued (voters admitted), or None when unknown
    parts:       how many parts (station protocols) the tally holds; 0 is
                 no parts mark
    provisional: how many of those parts are provisional (0 with parts > 0:
                 final)

    Counts are Python ints, exact at any size the server allows
    (0 .. 9223372036854775807), with the server's bounds: votes plus
    invalid within cast, cast and issued within registered (when known),
    blank <= invalid, provisional <= parts; text keys are valid Unicode
    without NUL.  A Tally that breaks one is refused here, not when sent.
    """

    __slots__ = ("registered", "cast", "invalid", "votes",
                 "blank", "issued", "parts", "provisional")

    def __init__(self, votes=None, cast=None, invalid=0, registered=None, *,
                 blank=None, issued=None, parts=0, provisional=0):
        items = dict(votes or {}).items()
        kinds = {type(k) for k, _ in items}
        if kinds - {int, str} or len(kinds) > 1 or any(type(k) is bool for k, _ in items):
            raise TypeError("candidate keys must be all int or all str")
        for k, v in items:
            _check_int(f"votes for {k!r}", v, 0)
            if isinstance(k, int):
                _check_int("a candidate", k, INT64_MIN)
            elif "\0" in k:
                raise ValueError("a candidate key cannot contain NUL")
            else:
                _check_utf8(k)
        _check_int("invalid", invalid, 0)
        valid = sum(v for _, v in items)
        if cast is None:
            cast = valid + invalid
        _check_int("cast", cast, 0)
        if registered is not None:
            _check_int("registered", registered, 0)
        if valid + invalid > cast:
            raise ValueError(f"candidate votes ({valid}) plus blank or invalid ballots ({invalid})"
                             f" exceed ballots cast ({cast})")
        if registered is not None and cast > registered:
            raise ValueError(f"ballots cast ({cast}) exceed registered voters ({registered})")
        if invalid == 0 and blank is None:
            blank = 0  # none invalid, so none blank: known (mh_tally_get_extra)
        if blank is not None:
            _check_int("blank", blank, 0)
            if blank > invalid:
                raise ValueError(f"blank ballots ({blank}) exceed blank or invalid ballots ({invalid})")
        if issued is not None:
            _check_int("issued", issued, 0)
            if registered is not None and issued > registered:
                raise ValueError(f"ballots issued ({issued}) exceed registered voters ({registered})")
        _check_int("parts", parts, 0)
        _check_int("provisional", provisional, 0)
        if provisional > parts:
            raise ValueError(f"provisional parts ({provisional}) exceed the parts of the tally ({parts})")
        self.votes = dict(sorted(items, key=lambda kv: _sort_key(kv[0])))
        self.cast = cast
        self.invalid = invalid
        self.registered = registered
        self.blank = blank
        self.issued = issued
        self.parts = parts
        self.provisional = provisional

    @property
    def key_kind(self):
        """'bigint', 'text', or None for a tally without candidates."""
        for k in self.votes:
            return "text" if isinstance(k, str) else "bigint"
        return None

    @property
    def valid_votes(self):
        return sum(self.votes.values())

    def _trailer(self):
        # the trailer's fields as written: blank only when invalid > 0
        return (self.blank if self.invalid > 0 else None, self.issued,
                self.parts, self.provisional)

    def __eq__(self, other):
        if not isinstance(other, Tally):
            return NotImplemented
        return (self.registered, self.cast, self.invalid, list(self.votes.items()),
                self._trailer()) == (
            other.registered, other.cast, other.invalid, list(other.votes.items()),
            other._trailer())

    def __hash__(self):
        return hash((self.registered, self.cast, self.invalid, tuple(self.votes.items()),
                     self._trailer()))

    def __repr__(self):
        # the trailer's fields only when written, as the text form has them
        extra = ""
        if self.invalid > 0 and self.blank is not None:
            extra += f", blank={self.blank!r}"
        if self.issued is not None:
            extra += f", issued={self.issued!r}"
        if self.parts > 0:
            extra += f", parts={self.parts!r}, provisional={self.provisional!r}"
        return (f"Tally(votes={self.votes!r}, cast={self.cast!r}, "
                f"invalid={self.invalid!r}, registered={self.registered!r}{extra})")

    def __str__(self):
        return self.to_text()

    # -- text form -------------------------------------------------------

    def to_text(self):
        """The canonical text form, as the server writes it."""
        fields = []
        if self.registered is not None:
            fields.append(f"registered={self.registered}")
        if self.issued is not None:
            fields.append(f"issued={self.issued}")
        fields.append(f"cast={self.cast}")
        fields.append(f"invalid={self.invalid}")
        if self.invalid > 0 and self.blank is not None:
            fields.append(f"blank={self.blank}")
        pairs = ",".join(f"{_format_key(k)}:{v}" for k, v in self.votes.items())
        fields.append("votes={" + pairs + "}")
        if self.parts > 0:
            fields.append(f"parts={self.parts}")
            fields.append(f"provisional={self.provisional}")
        return " ".join(fields)

    @classmethod
    def from_text(cls, text):
        """Reads the text form (the server's, or any the server accepts)."""
        return _TextParser(text).parse()

    # -- binary form -----------------------------------------------------

    def to_binary(self):
        flags = 0 if self.registered is None else FLAG_REGISTERED
        text_keys = self.key_kind == "text"
        if text_keys:
            flags |= FLAG_TEXT_KEYS
        if self.invalid > 0 and self.blank is not None:
            flags |= FLAG_BLANK
        if self.issued is not None:
            flags |= FLAG_ISSUED
        if self.parts > 0:
            flags |= FLAG_PARTS
        out = [_HEAD.pack(1, flags, self.registered or 0, self.cast, self.invalid,
                          len(self.votes))]
        for k, v in self.votes.items():
            if text_keys:
                b = k.encode("utf-8")
                out.append(_LEN.pack(len(b)))
                out.append(b)
                out.append(_VOTES.pack(v))
            else:
                out.append(_PAIR.pack(k, v))
        if flags & FLAG_BLANK:
            out.append(_VOTES.pack(self.blank))
        if flags & FLAG_ISSUED:
            out.append(_VOTES.pack(self.issued))
        if flags & FLAG_PARTS:
            out.append(_VOTES.pack(self.parts))
            out.append(_VOTES.pack(self.provisional))
        return b"".join(out)

    @classmethod
    def from_binary(cls, data):
        data = bytes(data)
        if len(data) < _HEAD.size:
            raise ValueError(f"binary tally too short: {len(data)} bytes")
        version, flags, registered, cast, invalid, n = _HEAD.unpack_from(data, 0)
        if version != 1:
            raise ValueError(f"unknown binary tally version {version}")
        if flags & ~FLAGS_ALL:
            raise ValueError(f"unknown binary tally flags {flags:#04x}")
        if not flags & FLAG_REGISTERED and registered != 0:
            raise ValueError(f"binary tally with registered {registered} but no flag 0x01 (unknown is 0)")
        if flags & FLAG_TEXT_KEYS and n == 0:
            raise ValueError("binary tally with the text-key flag 0x02 and no candidates")
        pos = _HEAD.size
        votes = {}
        if flags & FLAG_TEXT_KEYS:
            for _ in range(n):
                if pos + 4 > len(data):
                    raise ValueError("binary tally ends inside a candidate")
                (length,) = _LEN.unpack_from(data, pos)
                pos += 4
                if pos + length + 8 > len(data):
                    raise ValueError("binary tally ends inside a candidate")
                key = data[pos:pos + length].decode("utf-8")
                pos += length
                (votes[key],) = _VOTES.unpack_from(data, pos)
                pos += 8
        else:
            if len(data) - pos < n * _PAIR.size:
                raise ValueError("binary tally ends inside a candidate")
            for _ in range(n):
                k, v = _PAIR.unpack_from(data, pos)
                votes[k] = v
                pos += _PAIR.size
        trailer = {}
        for flag, names in ((FLAG_BLANK, ("blank",)), (FLAG_ISSUED, ("issued",)),
                            (FLAG_PARTS, ("parts", "provisional"))):
            if flags & flag:
                for name in names:
                    if pos + 8 > len(data):
                        raise ValueError("binary tally ends inside its trailer")
                    (trailer[name],) = _VOTES.unpack_from(data, pos)
                    pos += 8
        if pos != len(data):
            raise ValueError(f"{len(data) - pos} bytes after a binary tally")
        if len(votes) != n:
            raise ValueError("repeated candidate in a binary tally")
        keys = list(votes)  # in the order of the bytes
        for a, b in zip(keys, keys[1:]):
            # as the server: the candidates come in the canonical order, never sorted here
            if _sort_key(a) > _sort_key(b):
                raise ValueError(f"candidate {b!r} is out of ascending order in a binary tally")
        # canonical trailers only, as the server's mh_tally_check
        if flags & FLAG_BLANK and invalid == 0:
            raise ValueError("binary tally has a blank count (flag 0x04) without invalid ballots")
        if flags & FLAG_PARTS and trailer["parts"] == 0:
            raise ValueError("binary tally has a parts mark (flag 0x10) of 0 parts")
        return cls(votes, cast, invalid, registered if flags & FLAG_REGISTERED else None,
                   **trailer)


def _check_int(what, value, low):
    if type(value) is not int:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not low <= value <= INT64_MAX:
        raise ValueError(f"{what} out of range: {value}")


def _format_key(key):
    if isinstance(key, int):
        return str(key)
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


_FIELDS = ("registered", "issued", "cast", "invalid", "blank", "votes", "parts", "provisional")


class _TextParser:
    def __init__(self, text):
        self.s = text
        self.i = 0

    def fail(self, what):
        raise ValueError(f"invalid tally text at offset {self.i}: {what}: {self.s!r}")

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in _SPACE:
            self.i += 1

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, c):
        self.ws()
        if self.peek() != c:
            self.fail(f"expected {c!r}")
        self.i += 1

    def integer(self):
        self.ws()
        j = self.i
        if self.peek() in "+-":
            self.i += 1
        while self.peek().isdigit() and self.peek().isascii():
            self.i += 1
        if self.i == j or not self.s[j:self.i].lstrip("+-"):
            self.fail("expected a number")
        return int(self.s[j:self.i])

    def quoted(self):
        self.i += 1  # the opening quote
        out = []
        while True:
            c = self.peek()
            if c == "":
                self.fail("unterminated quoted key")
            self.i += 1
            if c == '"':
                return "".join(out)
            if c == "\\":
                c = self.peek()
                if c == "":
                    self.fail("unterminated quoted key")
                if c not in '"\\':  # as the server: no \n, \u0041 or other escapes
                    self.fail(f"only \\\" and \\\\ may be escaped in a key, not \\{c}")
                self.i += 1
            out.append(c)

    def parse(self):
        fields = {}
        while True:
            self.ws()
            if self.i == len(self.s):
                break
            j = self.i
            while self.peek().isalpha():
                self.i += 1
            name = self.s[j:self.i]
            if name not in _FIELDS or name in fields:
                self.fail(f"unknown or repeated field {name!r}")
            self.expect("=")
            if name == "votes":
                fields[name] = self.votes()
            else:
                fields[name] = self.integer()
            if self.i < len(self.s) and self.s[self.i] not in _SPACE:  # as the server
                self.fail("expected white space between fields")
        if not fields:
            self.fail("no fields")
        return Tally(fields.get("votes"), fields.get("cast"), fields.get("invalid", 0),
                     fields.get("registered"), blank=fields.get("blank"),
                     issued=fields.get("issued"), parts=fields.get("parts", 0),
                     provisional=fields.get("provisional", 0))

    def votes(self):
        self.expect("{")
        votes = {}
        self.ws()
        if self.peek() == "}":
            self.i += 1
            return votes
        while True:
            self.ws()
            key = self.quoted() if self.peek() == '"' else self.integer()
            self.expect(":")
            n = self.integer()
            if key in votes:
                self.fail(f"repeated candidate {key!r}")
            votes[key] = n
            self.ws()
            c = self.peek()
            self.i += 1
            if c == "}":
                return votes
            if c != ",":
                self.i -= 1
                self.fail("expected ',' or '}'")
