"""Texts for test/sh/clients_text_form.sh: the tally text forms of the
specification, the empty text and mutations of them (characters deleted,
inserted or replaced, a few times each), the same on every run.  One text
a line, as "x" and the hex of its UTF-8 bytes, so that any character
survives and no line is empty.

    python3 test/clients/text_form_corpus.py [COUNT]
"""

import random
import sys

BASES = (
    'registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=1 provisional=1',
    'cast=620 votes={"Jones":317,"Smith \\"Jr\\"":300}',
    'cast=0',
    'registered=5 cast=5 invalid=0 votes={-3:1,9223372036854775807:4}',
    'cast=3 invalid=1 blank=0 votes={"":1,"é":1}',
    'cast=9223372036854775807 votes={1:9223372036854775807}',
    ' registered = 10\tcast=4\ninvalid=1 votes = { "a\\\\b" : 1 , "Жасыл" : 2 } ',
    'cast=2 votes={"{,}":1,"10":1} parts=3 provisional=0',
)

# what a mutation inserts: the form's own characters, field names, numbers
# at and beyond the 64-bit range, escapes and letters the form does not know
PIECES = list(' \t\n=:{},"\\-+0123456789abcdefghijklmnopqrstuvwxyz') + [
    "registered", "cast", "invalid", "blank", "issued", "parts", "provisional", "votes",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "é", "\u00a0",
    "NaN", "1e3", "0x10", '\\"', "\\\\", "\\n", "\\u0041", "CAST", "\r", "\f", "\v"]


def mutate(rng, text):
    s = list(text)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        op = rng.random()
        i = rng.randint(0, len(s))
        if op < 0.4 and s:
            del s[min(i, len(s) - 1)]
        elif op < 0.8:
            s.insert(i, rng.choice(PIECES))
        elif s:
            s[min(i, len(s) - 1)] = rng.choice(PIECES)
    return "".join(s)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    rng = random.Random(1994)
    texts = list(BASES) + [""] + [mutate(rng, rng.choice(BASES)) for _ in range(count)]
    for t in texts:
        print("x" + t.encode("utf-8").hex())


if __name__ == "__main__":
    main()
