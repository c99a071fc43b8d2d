"""Writes the README's client examples of one language into a folder.

    python3 test/clients/readme_examples.py LANG DIR

    python3 test/clients/readme_examples.py --check-all

An example is a code block right after a line <!-- example: LANG NAME -->;
the plain ``` block right after it, if any, is the output it prints.
Writes DIR/NAME.EXT (EXT: py, js, java as LANG says) and DIR/NAME.out,
and lists the names in DIR/names.  Exits 1 if the README has none.
--check-all exits 1 if a python, js, java or r block of the README has
no marker (and so would not be run).
"""

import re
import sys
from pathlib import Path

EXT = {"python": "py", "js": "js", "java": "java", "r": "R"}
readme = (Path(__file__).resolve().parent.parent.parent / "README.md").read_text()
if sys.argv[1] == "--check-all":
    # every python, js, java and r block of the README is a marked example
    blocks = re.findall(r"^(.*)\n```(python|js|java|r)\n", readme, re.M)
    bad = [(before, lang) for before, lang in blocks if not before.startswith(f"<!-- example: {lang} ")]
    for before, lang in bad:
        print(f"README has a {lang} block without an example marker, after: {before!r}")
    sys.exit(1 if bad else 0)
lang, out = sys.argv[1], Path(sys.argv[2])
pattern = re.compile(r"^<!-- example: (\w+) ([\w-]+) -->\n```(\w+)\n(.*?)^```\n(?:\n?```\n(.*?)^```\n)?",
                     re.S | re.M)
names = []
out.mkdir(parents=True, exist_ok=True)
for m in pattern.finditer(readme):
    if m.group(1) != lang:
        continue
    name = m.group(2)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.{EXT[lang]}").write_text(m.group(4))
    (out / f"{name}.out").write_text(m.group(5) or "")
    names.append(name)
(out / "names").write_text("".join(n + "\n" for n in names))
if not names:
    print(f"no {lang} examples in README.md")
    sys.exit(1)
