"""``matches()`` on RE2 and on dealcheck's own linear engine, side by side (CPU time).

Run from the repository root, with google-re2 installed::

    python benchmarks/regex_engines.py

Over the sample catalog's clause patterns (``rules/clauses.yaml``): a 400-character and a
200,000-character clause of contract words; then the built-in engine alone on inputs
that would take a backtracking engine ages. Prints each figure and whether the two
engines agree. The built-in engine runs where google-re2 has no wheel (README, Quick
start); the figures are in ``benchmarks/README.md`` (sixth pass).
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from dealcheck.expr.linear import LinearRegex

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "the provider shall make available to customer all service levels liability fees",
    "renewal price term agreement data source code escrow exclusive right",
)

VOCABULARY = " ".join(WORDS).split()


def patterns() -> list[str]:
    rules = yaml.safe_load((ROOT / "rules" / "clauses.yaml").read_text(encoding="utf-8"))
    found: list[str] = []
    for rule in rules["rules"]:
        found += re.findall(r'matches\(clause\.text, "([^"]*)"\)', rule["when"])
    return found


def cpu(fn: Callable[[], Any], repeat: int = 1) -> float:
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - start) / repeat


def main() -> int:
    import re2  # type: ignore[import-untyped]

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    rng = random.Random(1)
    long = " ".join(rng.choice(VOCABULARY) for _ in range(40_000))[:200_000]
    short = " ".join(rng.choice(VOCABULARY) for _ in range(60))
    found = patterns()
    engines = {
        "RE2": [re2.compile(p, options).search for p in found],
        "built-in": [LinearRegex(p).search for p in found],
    }
    answers = {}
    for name, searches in engines.items():
        answers[name] = [s(long) is not None for s in searches]
        big = cpu(lambda searches=searches: [s(long) for s in searches])
        small = cpu(lambda searches=searches: [s(short) for s in searches], repeat=200)
        print(
            f"{name:<9} {len(found)} patterns: 200,000-character clause {big * 1000:.0f} ms, "
            f"{len(short)}-character clause {small * 1e6:.0f} µs"
        )
    print("the engines agree" if answers["RE2"] == answers["built-in"] else "ENGINES DIFFER")
    ab = "".join(rng.choice("ab") for _ in range(200_000))
    for pattern, text, what in [
        ("[ab]*a[ab]{12}c", ab, "200,000 random a/b"),
        (r"\s*\s*\s*\s*\s*x", " " * 200_000, "200,000 spaces"),
        ("(ab){500}", "ab" * 100_000, "'ab' x 100,000"),
        ("[ab]*a[ab]{997}c", ab[:20_000], "20,000 random a/b"),
    ]:
        search = LinearRegex(pattern).search
        took = cpu(lambda search=search, text=text: search(text))
        print(f"built-in  {pattern} over {what}: {took:.2f} s")
    return 0 if answers["RE2"] == answers["built-in"] else 1


if __name__ == "__main__":
    sys.exit(main())
