#!/usr/bin/env bash
# META.json is valid PGXN metadata (meta-spec 1.0.0, checked with Debian's
# python3-jsonschema against test/pgxn-meta-spec-1.0.0.schema.json), its
# version is maslihat.control's default_version, and it provides the
# install script of that version.  The schema is checked too: it must
# accept a document that uses every field of the spec and refuse documents
# that break it.  Needs no cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

# Debian's interpreter: python3 on PATH may be another one, without
# Debian's python3-jsonschema.
install_packages python3 python3-jsonschema
exec /usr/bin/python3 - <<'EOF'
import copy
import json
import re
from pathlib import Path

import jsonschema

passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}" + (f": {detail}" if detail else ""))


schema = json.loads(Path("test/pgxn-meta-spec-1.0.0.schema.json").read_text())
try:
    jsonschema.Draft202012Validator.check_schema(schema)
    check("the schema is a valid JSON Schema (2020-12)", True)
except jsonschema.SchemaError as e:
    check("the schema is a valid JSON Schema (2020-12)", False, e.message)
validator = jsonschema.Draft202012Validator(schema)


def errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(doc)]


meta = json.loads(Path("META.json").read_text())
problems = errors(meta)
check("META.json is valid PGXN meta-spec 1.0.0", not problems, "; ".join(problems))
check("META.json says meta-spec 1.0.0", meta.get("meta-spec", {}).get("version") == "1.0.0")
# the project has no public address yet: no resources rather than made-up ones
check("META.json names no repository without a url or web address",
      "repository" not in meta.get("resources", {}) or
      any(k in meta["resources"]["repository"] for k in ("url", "web")))

control = Path("maslihat.control").read_text()
m = re.search(r"^\s*default_version\s*=\s*'([^']*)'", control, re.M)
default_version = m.group(1) if m else None
check("META.json's version is maslihat.control's default_version",
      meta.get("version") == default_version, f"{meta.get('version')} vs {default_version}")
ext = meta.get("provides", {}).get("maslihat", {})
install_script = f"maslihat--{default_version}.sql"
check("provides.maslihat.file is the install script", ext.get("file") == install_script,
      f"{ext.get('file')} vs {install_script}")
check("the install script exists", Path(install_script).is_file())
check("provides.maslihat.version is the default_version", ext.get("version") == default_version)
check("provides.maslihat.docfile exists", Path(ext.get("docfile", "-")).is_file())
check("name is maslihat", meta.get("name") == "maslihat")
m = re.search(r"^\s*comment\s*=\s*'([^']*)'", control, re.M)
check("the control file has a comment", bool(m))

changelog = Path("CHANGELOG.md").read_text() if Path("CHANGELOG.md").is_file() else ""
check("CHANGELOG.md has an Unreleased section", re.search(r"^## \[?Unreleased\]?", changelog, re.M) is not None)
check("CHANGELOG.md has a section for the version",
      re.search(rf"^## \[?{re.escape(str(default_version))}\]?", changelog, re.M) is not None)
check("LICENSE is the PostgreSQL License",
      Path("LICENSE").is_file() and "PostgreSQL License" in Path("LICENSE").read_text())

# A document of our own that uses every field the spec describes.
full = {
    "name": "pair_demo",
    "abstract": "A demonstration distribution",
    "description": "Uses every field of the PGXN Meta Spec 1.0.0.",
    "version": "1.2.3-beta.1+build.5",
    "maintainer": ["Someone <someone@example.org>", "A list <list@example.org>"],
    "license": {"PostgreSQL": "https://www.postgresql.org/about/licence"},
    "provides": {
        "pair_demo": {"file": "sql/pair_demo.sql", "version": "1.2.3", "abstract": "pairs",
                      "docfile": "doc/pair_demo.md", "x_extra": 1},
        "pair_demo_extra": {"file": "sql/extra.sql", "version": "0.0.1"},
    },
    "meta-spec": {"version": "1.0.0", "url": "https://pgxn.org/meta/spec.txt"},
    "generated_by": "hand",
    "tags": ["pairs", "key value"],
    "no_index": {"file": ["src/private.sql"], "directory": "src/private"},
    "prereqs": {
        "configure": {"requires": {"prefix": 0}},
        "build": {"requires": {"prefix": "0"}},
        "test": {"recommends": {"pgTAP": ">= 0.25.0"}},
        "runtime": {"requires": {"PostgreSQL": "9.1.0", "plpgsql": 0},
                    "recommends": {"PostgreSQL": ">= 1.2.0, != 1.5.0, < 2.0.0"},
                    "suggests": {"hstore": "== 1.0.0"}, "conflicts": {"other": "> 2.0.0"}},
        "develop": {"suggests": {"pgxn_tools": 0}},
    },
    "release_status": "testing",
    "resources": {
        "homepage": "https://example.org/",
        "bugtracker": {"web": "https://example.org/issues", "mailto": "bugs@example.org"},
        "repository": {"url": "git://example.org/pair.git", "web": "https://example.org/pair", "type": "git"},
        "x_chat": "irc://example.org/pair",
    },
    "X_custom": {"anything": ["goes"]},
}
problems = errors(full)
check("the schema accepts a document using every field", not problems, "; ".join(problems))
for license in ("postgresql", ["mit", "postgresql"], "unknown"):
    check(f"the schema accepts license {license!r}", not errors(dict(full, license=license)))
check("the schema accepts a single maintainer string", not errors(dict(full, maintainer="me")))


def without(doc, *path):
    doc = copy.deepcopy(doc)
    d = doc
    for k in path[:-1]:
        d = d[k]
    del d[path[-1]]
    return doc


def replaced(doc, value, *path):
    doc = copy.deepcopy(doc)
    d = doc
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value
    return doc


bad = [(f"no {k}", without(meta, k))
       for k in ("name", "abstract", "maintainer", "license", "provides", "meta-spec", "version")]
bad += [
    ("version 0.1", replaced(meta, "0.1", "version")),
    ("version v0.1.0", replaced(meta, "v0.1.0", "version")),
    ("version 01.0.0", replaced(meta, "01.0.0", "version")),
    ("an empty abstract", replaced(meta, "", "abstract")),
    ("no maintainer in the list", replaced(meta, [], "maintainer")),
    ("license gpl", replaced(meta, "gpl", "license")),
    ("an empty license list", replaced(meta, [], "license")),
    ("a license map to something not a URI", replaced(meta, {"PostgreSQL": "the PostgreSQL one"}, "license")),
    ("no extension provided", replaced(meta, {}, "provides")),
    ("an extension without its file", without(meta, "provides", "maslihat", "file")),
    ("an extension without its version", without(meta, "provides", "maslihat", "version")),
    ("an extension version 1", replaced(meta, "1", "provides", "maslihat", "version")),
    ("an absolute extension file", replaced(meta, "/usr/share/maslihat.sql", "provides", "maslihat", "file")),
    ("an unknown extension key", replaced(meta, "x", "provides", "maslihat", "schema")),
    ("an extension named with a space", replaced(meta, {"a b": meta["provides"]["maslihat"]}, "provides")),
    ("a one-letter name", replaced(meta, "m", "name")),
    ("meta-spec 2.0.0", replaced(meta, {"version": "2.0.0"}, "meta-spec")),
    ("meta-spec without a version", replaced(meta, {"url": "https://pgxn.org/meta/spec.txt"}, "meta-spec")),
    ("release_status beta", replaced(meta, "beta", "release_status")),
    ("an unknown top-level key", replaced(meta, "https://example.org", "homepage")),
    ("a tag with a slash", replaced(meta, ["a/b"], "tags")),
    ("a 256-character tag", replaced(meta, ["t" * 256], "tags")),
    ("prereqs phase install", replaced(meta, {"install": {"requires": {"PostgreSQL": "14.0.0"}}}, "prereqs")),
    ("prereqs relation needs", replaced(meta, {"runtime": {"needs": {"PostgreSQL": "14.0.0"}}}, "prereqs")),
    ("prereqs range >> 1.0.0", replaced(meta, {"runtime": {"requires": {"PostgreSQL": ">> 1.0.0"}}}, "prereqs")),
    ("prereqs version 14", replaced(meta, {"runtime": {"requires": {"PostgreSQL": "14"}}}, "prereqs")),
    ("prereqs version 1 as a number", replaced(meta, {"runtime": {"requires": {"PostgreSQL": 1}}}, "prereqs")),
    ("resources with an unknown key", replaced(full, {"home": "https://example.org"}, "resources")),
    ("a repository type Git", replaced(full, {"url": "git://example.org/pair.git", "type": "Git"}, "resources", "repository")),
    ("a repository with neither url nor web", replaced(full, {"type": "git"}, "resources", "repository")),
    ("a repository url without its type", replaced(full, {"url": "git://example.org/pair.git"}, "resources", "repository")),
    ("a bugtracker mailto not an address", replaced(full, {"mailto": "nobody"}, "resources", "bugtracker")),
]
for what, doc in bad:
    check(f"the schema refuses {what}", bool(errors(doc)))

print(f"{passed} passed, {failed} failed")
raise SystemExit(0 if failed == 0 else 1)
EOF
