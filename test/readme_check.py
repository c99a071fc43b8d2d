#!/usr/bin/env python3
"""The README's examples are the test: runs every ```sql block of README.md,
in order, in one psql session on the database given (a fresh one, made by
test/sh/readme.sh), and compares what psql prints for each block with the
block that follows it in the README.

The convention (also in the README's Contributing section):
  - a ```sql block is run; the next block must be a plain ``` block (no
    language) holding exactly what psql prints for it: result tables,
    command tags such as CREATE TABLE, and errors as psql shows them
    (ERROR/DETAIL/HINT lines; the "psql:file:line: " prefix psql adds when
    reading a file is not shown).  Trailing blanks on a line and blank
    lines at the ends of a block are ignored.
  - a ```psql block is shown, not run here: setups that need other servers
    or another test's data.  Each is listed in the report, and the README
    says which test in test/sh runs it.
A ```sql block without an output block after it, a different output, or a
README without ```sql blocks fails.

    python3 test/readme_check.py [--readme README.md] [psql options...]
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("--readme", default=str(root / "README.md"))
ap.add_argument("psql_args", nargs="*", help="extra psql arguments, e.g. -d DBNAME")
args = ap.parse_args()

text = Path(args.readme).read_text()
fence = re.compile(r"^```(\w*)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
blocks = []  # (language, body, line number of the opening fence)
for m in fence.finditer(text):
    blocks.append((m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1))

examples = []  # (line, sql, shown output or None)
not_run = []
for i, (lang, body, line) in enumerate(blocks):
    if lang == "psql":
        not_run.append((line, body.strip().splitlines()[0] if body.strip() else ""))
    if lang != "sql":
        continue
    shown = None
    if i + 1 < len(blocks) and blocks[i + 1][0] == "":
        shown = blocks[i + 1][1]
    examples.append((line, body, shown))

marker = "<<<readme-block-%d>>>"
script = []
for n, (line, sql, _) in enumerate(examples):
    script.append("\\echo '" + marker % n + "'\n")
    script.append(sql if sql.endswith("\n") else sql + "\n")
script.append("\\echo '" + marker % len(examples) + "'\n")

proc = subprocess.run(
    ["psql", "-X", "-v", "ON_ERROR_STOP=0", "-f", "-"] + args.psql_args,
    input="".join(script), capture_output=False, stdout=subprocess.PIPE,
    stderr=subprocess.STDOUT, text=True)
out = proc.stdout


def normal(s):
    lines = [re.sub(r"^psql:[^:\n]*:\d+: ", "", l).rstrip() for l in s.split("\n")]
    while lines and lines[0] == "":
        lines.pop(0)
    while lines and lines[-1] == "":
        lines.pop()
    return lines


printed = {}
parts = re.split(r"^<<<readme-block-(\d+)>>>\n", out, flags=re.M)
before = parts[0]
for k in range(1, len(parts) - 1, 2):
    printed[int(parts[k])] = parts[k + 1]

passed = failed = 0
if normal(before):
    failed += 1
    print("psql printed before the first example:\n" + before)
for n, (line, sql, shown) in enumerate(examples):
    first = sql.strip().splitlines()[0] if sql.strip() else "(empty)"
    got = normal(printed.get(n, ""))
    if n not in printed:
        failed += 1
        print(f"FAILED: README.md:{line} {first!r}: psql stopped before it ran")
    elif shown is None:
        failed += 1
        print(f"FAILED: README.md:{line} {first!r}: no output block follows it; psql prints:")
        print("\n".join("    " + l for l in got) or "    (nothing)")
    elif normal(shown) != got:
        failed += 1
        print(f"FAILED: README.md:{line} {first!r}: the README shows")
        print("\n".join("    " + l for l in normal(shown)) or "    (nothing)")
        print("  psql prints")
        print("\n".join("    " + l for l in got) or "    (nothing)")
    else:
        passed += 1
        print(f"ok: README.md:{line} {first}")

for line, first in not_run:
    print(f"not run here (```psql): README.md:{line} {first}")
if not examples:
    failed += 1
    print("FAILED: no ```sql blocks in the README")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
