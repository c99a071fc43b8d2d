"""Binary COPY streams for drivers that hand them over as bytes (psycopg2).

    rows = read_binary_copy(data)        # list of rows, each a list of bytes or None
    data = write_binary_copy(rows)       # the stream COPY ... FROM STDIN (FORMAT binary) reads

A tally field is Tally.from_binary(field) / Tally.to_binary(); other
fields are the server's binary forms (int4: struct.pack(">i", n)).
"""

import struct

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def read_binary_copy(data):
    data = bytes(data)
    if data[:11] != SIGNATURE:
        raise ValueError("not a binary COPY stream")
    _flags, ext = struct.unpack_from(">iI", data, 11)
    pos = 19 + ext
    rows = []
    while True:
        (nfields,) = struct.unpack_from(">h", data, pos)
        pos += 2
        if nfields == -1:
            break
        row = []
        for _ in range(nfields):
            (length,) = struct.unpack_from(">i", data, pos)
            pos += 4
            if length == -1:
                row.append(None)
            else:
                if pos + length > len(data):
                    raise ValueError("binary COPY stream ends inside a field")
                row.append(data[pos:pos + length])
                pos += length
        rows.append(row)
    if pos != len(data):
        raise ValueError("bytes after the binary COPY trailer")
    return rows


def write_binary_copy(rows):
    out = [SIGNATURE, struct.pack(">iI", 0, 0)]
    for row in rows:
        out.append(struct.pack(">h", len(row)))
        for field in row:
            if field is None:
                out.append(struct.pack(">i", -1))
            else:
                out.append(struct.pack(">i", len(field)))
                out.append(bytes(field))
    out.append(struct.pack(">h", -1))
    return b"".join(out)
