#!/usr/bin/env python3
"""Writes the binary COPY files that sql/malformed.sql loads with \\copy.

Each file is a complete PostgreSQL binary COPY stream (the PGCOPY
signature, flags, header extension, tuples, trailer) for a table of one
tally column.  All but two hold one tuple whose field is a malformed
binary tally; valid.bin holds good values (to show the session is still
usable and that good values still load), and bad_third_row.bin has two
good rows before a bad one (to show COPY loads nothing then).

The tally's binary form (README, "Type tally"), big-endian:

    uint8 version (1)  uint8 flags (bit 0: registered known)
    int64 registered  int64 cast  int64 invalid  uint32 ncandidates
    (int64 candidate, int64 votes) x ncandidates, ascending candidates

Usage:
    python3 test/data/make_binary.py          rewrite test/data/binary/
    python3 test/data/make_binary.py --check  fail if the files differ

The output is deterministic, so --check proves the committed files are
what this script writes.
"""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "binary")

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
MAX_CANDIDATES = 1 << 25

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def tally(registered=None, cast=0, invalid=0, votes=(), version=1, flags=None,
          ncandidates=None, registered_raw=None):
    """The binary form of a tally; every field can be forced to any value."""
    if flags is None:
        flags = 1 if registered is not None else 0
    if registered_raw is None:
        registered_raw = registered if registered is not None else 0
    if ncandidates is None:
        ncandidates = len(votes)
    out = struct.pack(">BBqqqI", version, flags, registered_raw, cast, invalid,
                      ncandidates)
    for candidate, v in votes:
        out += struct.pack(">qq", candidate, v)
    return out


def copy_file(*values):
    """A binary COPY stream with one tally column; None is SQL NULL."""
    out = SIGNATURE + struct.pack(">ii", 0, 0)
    for value in values:
        out += struct.pack(">h", 1)
        if value is None:
            out += struct.pack(">i", -1)
        else:
            out += struct.pack(">i", len(value)) + value
    return out + struct.pack(">h", -1)


GOOD = tally(1000, 620, 3, [(17, 300), (42, 317)])
HEADER = tally(None, 0, 0)          # the 30-byte header of an empty tally

# name -> (the value, what is wrong with it); order is the order of the test.
CASES = [
    # truncated data
    ("trunc_empty", b"", "zero bytes"),
    ("trunc_version_only", b"\x01", "only the version byte"),
    ("trunc_header", HEADER[:29], "header one byte short of 30"),
    ("trunc_half_pair", tally(None, 1, 0, [(1, 1)])[:30 + 8],
     "one candidate announced, only its number present"),
    ("trunc_pair_minus_one", tally(None, 1, 0, [(1, 1)])[:-1],
     "last byte of the only pair missing"),
    # counts larger than the bytes that follow
    ("count_exceeds_bytes", tally(None, 3, 0, [(1, 1)], ncandidates=3),
     "3 candidates announced, 1 present"),
    ("count_max_no_bytes", tally(None, 0, 0, [], ncandidates=MAX_CANDIDATES),
     "2^25 candidates announced (the limit), none present"),
    ("count_over_limit", tally(None, 0, 0, [], ncandidates=MAX_CANDIDATES + 1),
     "2^25 + 1 candidates announced"),
    ("count_sign_bit", tally(None, 0, 0, [], ncandidates=0x80000000),
     "2^31 candidates announced (negative as int32)"),
    ("count_uint32_max", tally(None, 0, 0, [], ncandidates=0xFFFFFFFF),
     "2^32 - 1 candidates announced"),
    # trailing bytes
    ("trailing_byte", GOOD + b"\x00", "a good value and one more byte"),
    ("trailing_pair", tally(None, 2, 0, [(1, 1), (2, 1)], ncandidates=1),
     "1 candidate announced, 2 present"),
    ("trailing_after_empty", tally(None, 1, 0, [(1, 1)], ncandidates=0),
     "no candidate announced, 1 present"),
    # unknown format version
    ("version_0", tally(None, 1, 1, version=0), "version 0"),
    ("version_2", tally(None, 1, 1, version=2), "version 2"),
    ("version_255", tally(None, 1, 1, version=255), "version 255"),
    ("version_2_short", b"\x02", "version 2, and nothing else"),
    # unknown flags
    ("flags_0x03", tally(10, 1, 1, flags=0x03), "flag bit 1 set, besides registered known"),
    ("flags_0x80", tally(None, 1, 1, flags=0x80), "flag bit 7 set"),
    ("flags_0xff", tally(10, 1, 1, flags=0xFF), "every flag bit set"),
    # registered unknown, yet a number
    ("unknown_registered_nonzero", tally(None, 1, 1, registered_raw=5),
     "registered marked unknown but 5"),
    ("unknown_registered_negative", tally(None, 1, 1, registered_raw=-1),
     "registered marked unknown but -1"),
    # negative counts
    ("negative_registered", tally(-1, 0, 0), "registered -1"),
    ("negative_cast", tally(None, -1, 0), "cast -1"),
    ("negative_invalid", tally(None, 5, -1), "invalid -1"),
    ("negative_votes", tally(None, 5, 0, [(1, -1)]), "a candidate with -1 votes"),
    ("int64_min_cast", tally(None, INT64_MIN, 0), "cast -2^63"),
    # int64 overflow in sums
    ("overflow_votes", tally(None, INT64_MAX, 0, [(1, INT64_MAX), (2, INT64_MAX)]),
     "two candidates with 2^63 - 1 votes each"),
    ("overflow_votes_invalid", tally(None, INT64_MAX, 1, [(1, INT64_MAX)]),
     "2^63 - 1 votes plus 1 invalid ballot"),
    ("overflow_many_votes",
     tally(None, INT64_MAX, 0, [(c, 2**62) for c in range(1, 5)]),
     "four candidates with 2^62 votes each"),
    # duplicate and unsorted candidates
    ("duplicate_candidates", tally(None, 2, 0, [(7, 1), (7, 1)]), "candidate 7 twice"),
    ("duplicate_after_sorted", tally(None, 3, 0, [(1, 1), (2, 1), (2, 1)]),
     "1, 2, 2"),
    ("duplicate_zero_votes", tally(None, 0, 0, [(5, 0), (5, 0)]),
     "candidate 5 twice, both with 0 votes"),
    ("unsorted_candidates", tally(None, 2, 0, [(2, 1), (1, 1)]), "2 before 1"),
    ("unsorted_extremes", tally(None, 2, 0, [(INT64_MAX, 1), (INT64_MIN, 1)]),
     "2^63 - 1 before -2^63"),
    ("unsorted_late", tally(None, 4, 0, [(1, 1), (2, 1), (4, 1), (3, 1)]),
     "1, 2, 4, 3"),
    # inconsistent counts
    ("votes_exceed_cast", tally(None, 5, 0, [(1, 6)]), "6 votes, 5 ballots cast"),
    ("invalid_exceeds_cast", tally(None, 5, 6), "6 invalid, 5 ballots cast"),
    ("cast_exceeds_registered", tally(4, 5, 0), "5 ballots cast, 4 registered"),
]

# name -> (the COPY stream, what it holds)
FILES = {name: (copy_file(value), what) for name, value, what in CASES}
FILES["bad_third_row"] = (
    copy_file(GOOD, None, tally(None, 5, 0, [(2, 1), (1, 1)])),
    "two good rows (one NULL), then an unsorted tally")
FILES["valid"] = (
    copy_file(GOOD, None, tally(None, 0, 0), tally(0, 0, 0),
              tally(INT64_MAX, INT64_MAX, 0, [(INT64_MIN, INT64_MAX)]),
              tally(None, INT64_MAX, INT64_MAX),
              tally(None, 10, 2, [(1, 4), (2, 4), (3, 0)])),
    "seven good values: NULL, empty, extremes")


def main():
    check = "--check" in sys.argv[1:]
    os.makedirs(OUT, exist_ok=True)
    differ = []
    for name, (data, _what) in sorted(FILES.items()):
        path = os.path.join(OUT, name + ".bin")
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        differ.append(name)
            except FileNotFoundError:
                differ.append(name)
        else:
            with open(path, "wb") as f:
                f.write(data)
    if check:
        known = {name + ".bin" for name in FILES}
        extra = sorted(set(os.listdir(OUT)) - known)
        if differ or extra:
            print("test/data/binary differs from make_binary.py: %s"
                  % ", ".join(differ + extra), file=sys.stderr)
            return 1
        print("test/data/binary: %d files as make_binary.py writes them" % len(FILES))
        return 0
    print("wrote %d files to %s (%d malformed values)" % (len(FILES), OUT, len(CASES) + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
