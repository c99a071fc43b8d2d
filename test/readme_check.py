#!/usr/bin/env python3
"""Checks that every SQL example in README.md is run by the regression
suite and that the output the README shows is the output it gets.

An example is a ```sql block; when a plain ``` block follows it, that is
its output.  The query must appear verbatim in sql/readme.sql, and the
query followed by its output verbatim in expected/readme.out (pg_regress
echoes each query just before its result)."""

import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text()
script = (root / "sql" / "readme.sql").read_text()
expected = (root / "expected" / "readme.out").read_text()

blocks = re.findall(r"^```(\w*)\n(.*?)^```\n", readme, re.S | re.M)
passed = failed = 0
for i, (lang, body) in enumerate(blocks):
    if lang != "sql":
        continue
    output = None
    if i + 1 < len(blocks) and blocks[i + 1][0] == "":
        output = blocks[i + 1][1]
    problem = None
    if body not in script:
        problem = "is not in sql/readme.sql"
    elif output is not None and body + output not in expected:
        problem = "shows an output that expected/readme.out does not have"
    if problem:
        failed += 1
        first = body.strip().splitlines()[0]
        print(f"README example {first!r} {problem}")
    else:
        passed += 1

# an example that fails would show no output at all: none may fail
for line in expected.splitlines():
    if line.startswith("ERROR:"):
        failed += 1
        print(f"expected/readme.out has an error: {line}")

if passed == 0:
    print("no SQL examples found in README.md")
    failed += 1
print(f"readme: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
