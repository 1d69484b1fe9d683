"""Precision, recall, due-date accuracy and uptime precision/recall of clause analysis
on the real-contract corpus (``tests/clauses/real/``).

Run: ``python benchmarks/clauses_real.py`` (``--misses`` lists every miss,
``--only contracts`` or ``--only synthetic`` scores one half).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--only", choices=("contracts", "synthetic"), default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(
        "real_corpus", ROOT / "tests" / "clauses" / "real_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["real_corpus"] = module
    spec.loader.exec_module(module)
    files = (f"{args.only}.yaml",) if args.only else module.FILES
    scores = module.score(files)
    print(scores.summary())
    if args.misses:
        for miss in scores.misses:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
