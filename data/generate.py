#!/usr/bin/env python3
"""The synthetic sample of the 1994 mäslihat elections in Kazakhstan.

The Central Election Commission published totals only (see
shared/seed/1994-kazakh-local-elections.txt).  This generator invents
constituencies and candidates that add up to every published figure
exactly, with a plausible spread around them.  Nothing in the output is a
real person, place-level result or count: every row says "synthetic".

    python3 data/generate.py            writes data/constituencies.csv and
                                        data/candidates.csv
    python3 data/generate.py --check    regenerates them in memory and exits
                                        non-zero if the files differ
    python3 data/generate.py --out DIR  writes them into DIR instead

Deterministic: a fixed seed drives a SplitMix64 generator written out
below, and only integer arithmetic decides any number, so every Python 3
on every platform writes the same bytes.

Published figures it reproduces exactly:
    5,935 constituencies (one seat each), 13,744 candidates (9,710 district,
    2,322 city, 1,712 regional), 9,561,534 registered voters, 7,030,050
    ballots cast (73.52 %), 12,593 blank or invalid, 38 constituencies at or
    below 50 % turnout (by-elections), 5,897 seats filled.

Shape, by construction:
    - every constituency has a candidate, every candidate at least one
      vote, and every valid constituency a single leader (no ties);
    - no constituency has more ballots than registered voters;
    - two by-election constituencies sit at exactly 50 % (not valid), one
      at half a ballot below it, three valid ones at 50 % plus one ballot;
    - a few candidates are planted to break each candidate rule, and a few
      sit exactly on a boundary and pass; their note column says which.
"""

import argparse
import csv
import datetime
import io
import os
import sys

SEED = 19940307

ELECTION_DAY = datetime.date(1994, 3, 7)
REGISTRATION_OPENS = datetime.date(1994, 1, 26)
REGISTRATION_CLOSES = datetime.date(1994, 2, 8)

# The published figures.
SEATS = 5935
CANDIDATES = {"district": 9710, "city": 2322, "regional": 1712}
REGISTERED = 9561534
CAST = 7030050
INVALID = 12593
BY_ELECTIONS = 38

LEVELS = ("district", "city", "regional")

# Constituencies per level (synthetic: the seed gives only the total).
CONSTITUENCIES = {"district": 4155, "city": 1020, "regional": 760}

# Where the by-elections fall (synthetic: towns turned out least).
BY_ELECTIONS_PER_LEVEL = {"district": 14, "city": 18, "regional": 6}

# Mean registered voters per constituency, before scaling to the total.
MEAN_REGISTERED = {"district": 1350, "city": 1600, "regional": 3000}

# Mean turnout per level in basis points, before the total is matched.
MEAN_TURNOUT = {"district": 7560, "city": 6880, "regional": 7350}

# The 19 regions of 1994 and the city of Almaty, with a weight roughly
# proportional to population (thousands).  Almaty elects no regional
# mäslihat.
REGIONS = [
    ("Akmola", 880), ("Aktobe", 750), ("Almaty city", 1150),
    ("Almaty region", 1000), ("Atyrau", 450), ("East Kazakhstan", 940),
    ("Jambyl", 1050), ("Jezkazgan", 500), ("Karaganda", 1350),
    ("Kokshetau", 660), ("Kostanay", 1050), ("Kyzylorda", 650),
    ("Mangystau", 320), ("North Kazakhstan", 600), ("Pavlodar", 940),
    ("Semey", 840), ("South Kazakhstan", 1950), ("Taldykorgan", 720),
    ("Torgay", 300), ("West Kazakhstan", 670),
]

# How many candidates a constituency has, as weights for 1, 2, 3, ...
CANDIDATE_SPREAD = [22, 38, 22, 11, 5, 2]
MAX_CANDIDATES = 8

MASK = (1 << 64) - 1


class Rng:
    """SplitMix64: small, well mixed, and the same everywhere."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def between(self, lo, hi):
        """A whole number in [lo, hi]."""
        return lo + self.next64() % (hi - lo + 1)

    def weighted(self, weights):
        """An index drawn with the given whole-number weights."""
        r = self.next64() % sum(weights)
        for i, w in enumerate(weights):
            if r < w:
                return i
            r -= w
        raise AssertionError("unreachable")

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.next64() % (i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def bell(self, spread):
        """Roughly normal around 0, within +-2*spread (sum of 4 uniforms)."""
        return sum(self.between(-spread, spread) for _ in range(4)) // 2


def apportion(total, weights):
    """total split in proportion to weights, largest remainder, exact."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    rest = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[:rest]:
        shares[i] += 1
    return shares


def nudge(rng, values, target, lo, hi, keys):
    """Moves values one unit at a time, within [lo(i), hi(i)], until
    sum(values[i] for i in keys) == target."""
    keys = list(keys)
    delta = target - sum(values[i] for i in keys)
    step = 1 if delta > 0 else -1
    while delta != 0:
        i = keys[rng.next64() % len(keys)]
        v = values[i] + step
        if lo(i) <= v <= hi(i):
            values[i] = v
            delta -= step


def make_constituencies(rng):
    rows = []
    for level in ("regional", "city", "district"):
        units = [(name, w * (3 if name == "Almaty city" and level == "city" else 1))
                 for name, w in REGIONS
                 if not (level == "regional" and name == "Almaty city")]
        counts = apportion(CONSTITUENCIES[level], [w for _, w in units])
        for (region, _), n in zip(units, counts):
            for k in range(1, n + 1):
                rows.append({"level": level, "region": region, "number": k})
    # ids by region, then level from regional down, then number
    rank = {"regional": 0, "city": 1, "district": 2}
    rows.sort(key=lambda r: (r["region"], rank[r["level"]], r["number"]))
    for i, r in enumerate(rows, start=1):
        r["id"] = i
        r["name"] = "%s, %s constituency No. %d" % (r["region"], r["level"], r["number"])
    assert len(rows) == SEATS
    return rows


def assign_registered(rng, cons):
    raw = [MEAN_REGISTERED[c["level"]] * rng.between(55, 145) // 100 for c in cons]
    for c, reg in zip(cons, apportion(REGISTERED, raw)):
        c["registered"] = reg
        # residents: voters plus children, 55-65 % of people are voters
        c["residents"] = reg * 100 // rng.between(55, 65)


def assign_candidate_counts(rng, cons):
    for level in LEVELS:
        mine = [c for c in cons if c["level"] == level]
        for c in mine:
            c["ncand"] = 1 + rng.weighted(CANDIDATE_SPREAD)
        values = {c["id"]: c["ncand"] for c in mine}
        nudge(rng, values, CANDIDATES[level], lambda i: 1, lambda i: MAX_CANDIDATES,
              sorted(values))
        for c in mine:
            c["ncand"] = values[c["id"]]


def assign_turnout(rng, cons):
    by_id = {c["id"]: c for c in cons}
    special = set()

    # the by-elections: turnout at or below 50 %
    chosen = []
    for level in LEVELS:
        ids = rng.shuffle([c["id"] for c in cons if c["level"] == level])
        chosen += ids[:BY_ELECTIONS_PER_LEVEL[level]]
    chosen.sort()
    exact = [i for i in chosen if by_id[i]["registered"] % 2 == 0][:2]
    short = [i for i in chosen if by_id[i]["registered"] % 2 == 1][:1]
    for i in chosen:
        c = by_id[i]
        reg = c["registered"]
        if i in exact:
            c["cast"] = reg // 2             # exactly 50 %: not valid
            c["kind"] = "exactly 50 %"
        elif i in short:
            c["cast"] = reg // 2             # half a ballot below 50 %
            c["kind"] = "half a ballot below 50 %"
        else:
            c["cast"] = reg * rng.between(3600, 4980) // 10000
            c["kind"] = "low turnout"
        c["by_election"] = True
        special.add(i)

    # three valid constituencies at the fewest ballots that make them valid
    rest = rng.shuffle([c["id"] for c in cons if c["id"] not in special])
    for i in rest[:3]:
        c = by_id[i]
        c["cast"] = c["registered"] // 2 + 1
        c["kind"] = "50 % plus one ballot"
        c["by_election"] = False
        special.add(i)

    # everyone else: a bell around the level's mean
    normal = [c["id"] for c in cons if c["id"] not in special]
    lo = lambda i: by_id[i]["registered"] * 505 // 1000 + 1
    hi = lambda i: by_id[i]["registered"] * 985 // 1000
    for i in normal:
        c = by_id[i]
        bp = MEAN_TURNOUT[c["level"]] + rng.bell(1150)
        c["cast"] = min(max(c["registered"] * bp // 10000, lo(i)), hi(i))
        c["kind"] = ""
        c["by_election"] = False

    # match the published total: first in proportion, then ballot by ballot
    casts = {i: by_id[i]["cast"] for i in by_id}
    delta = CAST - sum(casts.values())
    weight = sum(by_id[i]["registered"] for i in normal)
    for i in normal:
        v = casts[i] + delta * by_id[i]["registered"] // weight
        casts[i] = min(max(v, lo(i)), hi(i))
    nudge(rng, casts, CAST - sum(casts[i] for i in special), lo, hi, normal)
    for i in normal:
        by_id[i]["cast"] = casts[i]


def assign_invalid(rng, cons):
    values = {}
    for c in cons:
        values[c["id"]] = c["cast"] * rng.between(0, 3600) // 1000000
    by_id = {c["id"]: c for c in cons}
    nudge(rng, values, INVALID, lambda i: 0,
          lambda i: by_id[i]["cast"] - by_id[i]["ncand"], sorted(values))
    for c in cons:
        c["invalid"] = values[c["id"]]


def split_votes(rng, valid, n):
    """valid votes among n candidates, each at least one, a single leader."""
    weights = [rng.between(10, 100) ** 2 for _ in range(n)]
    votes = [1 + s for s in apportion(valid - n, weights)]
    top = max(votes)
    leaders = [j for j, v in enumerate(votes) if v == top]
    if len(leaders) > 1:
        # move one vote from a tied leader to another
        votes[leaders[1]] -= 1
        votes[leaders[0]] += 1
    return votes


def birth_date(rng):
    # age on election day: 21 to 70 years, most often 35 to 55
    days = (rng.between(21 * 366, 70 * 365) + rng.between(21 * 366, 70 * 365)) // 2
    return ELECTION_DAY - datetime.timedelta(days=days)


def signatures_needed(residents):
    """3 % of residents, rounded up, in whole numbers."""
    return (3 * residents + 99) // 100


def make_candidates(rng, cons):
    cands = []
    next_id = 1
    for c in cons:
        valid = c["cast"] - c["invalid"]
        for votes in split_votes(rng, valid, c["ncand"]):
            association = rng.between(1, 100) <= 42
            need = signatures_needed(c["residents"])
            cands.append({
                "id": next_id,
                "constituency": c["id"],
                "level": c["level"],
                "name": "Synthetic Candidate %05d" % next_id,
                "birth_date": birth_date(rng),
                "nominated_by": "association" if association else "self",
                "signatures": need + rng.between(0, max(5, need // 2)) if association else None,
                "registered_on": REGISTRATION_OPENS + datetime.timedelta(days=rng.between(0, 13)),
                "votes": votes,
                "note": "synthetic",
            })
            next_id += 1
    return cands


def plant_rule_cases(rng, cons, cands):
    """Candidates that break each rule, and some that sit on a boundary."""
    residents = {c["id"]: c["residents"] for c in cons}
    d = datetime.date
    cases = [
        ("planted: min_age (one day short of 20)", {"birth_date": d(1974, 3, 8)}),
        ("planted: min_age", {"birth_date": d(1975, 11, 2)}),
        ("planted: min_age", {"birth_date": d(1976, 5, 19)}),
        ("planted: signatures (one short of 3 %)", {"nominated_by": "association", "signatures": -1}),
        ("planted: signatures", {"nominated_by": "association", "signatures": "half"}),
        ("planted: signatures (none recorded)", {"nominated_by": "association", "signatures": None}),
        ("planted: registration_period (one day early)", {"registered_on": d(1994, 1, 25)}),
        ("planted: registration_period (one day late)", {"registered_on": d(1994, 2, 9)}),
        ("planted: registration_period", {"registered_on": d(1994, 2, 15)}),
        ("planted: nomination", {"nominated_by": "labour collective", "signatures": None}),
        ("planted: min_age, registration_period",
         {"birth_date": d(1975, 1, 10), "registered_on": d(1994, 2, 10)}),
        ("boundary, passes: exactly 20 on election day", {"birth_date": d(1974, 3, 7)}),
        ("boundary, passes: exactly 20 on election day", {"birth_date": d(1974, 3, 7)}),
        ("boundary, passes: signatures exactly 3 %", {"nominated_by": "association", "signatures": 0}),
        ("boundary, passes: signatures exactly 3 %", {"nominated_by": "association", "signatures": 0}),
        ("boundary, passes: registered on the first day", {"registered_on": d(1994, 1, 26)}),
        ("boundary, passes: registered on the last day", {"registered_on": d(1994, 2, 8)}),
    ]
    picks = rng.shuffle(list(range(len(cands))))[:len(cases)]
    for k, (note, change) in zip(sorted(picks), cases):
        cand = cands[k]
        need = signatures_needed(residents[cand["constituency"]])
        for field, value in change.items():
            if field == "signatures" and isinstance(value, int):
                value = need + value          # relative to what 3 % needs
            elif field == "signatures" and value == "half":
                value = need // 2
            cand[field] = value
        cand["note"] = "synthetic; " + note


def check(cons, cands):
    """Every published figure and every promise of the docstring."""
    assert len(cons) == SEATS
    for level in LEVELS:
        assert sum(1 for x in cands if x["level"] == level) == CANDIDATES[level], level
    assert sum(c["registered"] for c in cons) == REGISTERED
    assert sum(c["cast"] for c in cons) == CAST
    assert sum(c["invalid"] for c in cons) == INVALID
    by_elections = [c for c in cons if 2 * c["cast"] <= c["registered"]]
    assert len(by_elections) == BY_ELECTIONS
    assert all(c["by_election"] for c in by_elections)
    assert any(2 * c["cast"] == c["registered"] for c in by_elections)
    votes = {}
    for x in cands:
        assert x["votes"] >= 1
        votes.setdefault(x["constituency"], []).append(x["votes"])
    for c in cons:
        v = sorted(votes[c["id"]], reverse=True)
        assert 0 < c["cast"] <= c["registered"]
        assert sum(v) + c["invalid"] == c["cast"]
        assert len(v) == 1 or v[0] > v[1], c["id"]
    assert SEATS - len(by_elections) == 5897
    assert round(CAST * 10000 / REGISTERED) == 7352


def write_csv(rows, columns):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if r[k] is None else r[k] for k in columns])
    return out.getvalue()


CONSTITUENCY_COLUMNS = ["id", "level", "region", "name", "residents", "registered",
                        "ballots_cast", "invalid", "note"]
CANDIDATE_COLUMNS = ["id", "constituency", "level", "name", "birth_date", "nominated_by",
                     "signatures", "registered_on", "votes", "note"]


def generate():
    rng = Rng(SEED)
    cons = make_constituencies(rng)
    assign_registered(rng, cons)
    assign_candidate_counts(rng, cons)
    assign_turnout(rng, cons)
    assign_invalid(rng, cons)
    cands = make_candidates(rng, cons)
    plant_rule_cases(rng, cons, cands)
    check(cons, cands)
    for c in cons:
        c["ballots_cast"] = c["cast"]
        c["note"] = "synthetic" + ("; " + c["kind"] if c["kind"] else "")
    return {
        "constituencies.csv": write_csv(cons, CONSTITUENCY_COLUMNS),
        "candidates.csv": write_csv(cands, CANDIDATE_COLUMNS),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=here, help="folder to write into (default: data/)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in --out instead of writing them")
    args = parser.parse_args()
    files = generate()
    status = 0
    for name, text in files.items():
        path = os.path.join(args.out, name)
        if args.check:
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    same = f.read() == text
            except FileNotFoundError:
                same = False
            print("%s: %s" % (path, "reproduced" if same else "DIFFERS from the generator"))
            status |= not same
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            print("wrote %s (%d rows)" % (path, text.count("\n") - 1))
    return status


if __name__ == "__main__":
    sys.exit(main())
