"""Writes the README's client examples of one language into a folder.

    python3 test/clients/readme_examples.py LANG DIR

An example is a code block right after a line <!-- example: LANG NAME -->;
the plain ``` block right after it, if any, is the output it prints.
Writes DIR/NAME.EXT (EXT: py, js, java as LANG says) and DIR/NAME.out,
and lists the names in DIR/names.  Exits 1 if the README has none.
"""

import re
import sys
from pathlib import Path

EXT = {"python": "py", "js": "js", "java": "java", "r": "R"}
lang, out = sys.argv[1], Path(sys.argv[2])
readme = (Path(__file__).resolve().parent.parent.parent / "README.md").read_text()
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
