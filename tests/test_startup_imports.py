"""A one-deal check imports only what it uses (the start-up diet of the speed issue).

Every module below costs milliseconds at start-up, and a rep or a pre-commit hook pays
them on every run: a check of a YAML deal without a quote file, a Word contract or a PDF,
writing JSON, must not import any of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PROGRAM = """
import contextlib, io, json, sys
sys.argv = ["dealcheck", "check", sys.argv[1], "--today", "2026-11-22", "-f", sys.argv[2]]
from dealcheck.cli import main
try:
    with contextlib.redirect_stdout(io.StringIO()):
        main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""

#: never needed for a deal whose lines and clauses are in its YAML
NOT_FOR_A_PLAIN_DEAL = (
    "dealcheck.quotes",  # quote files (CSV, XLSX)
    "dealcheck.clauses.word",  # .docx contracts
    "lxml",
    "docx",
    "pypdf",
    "jsonschema",  # dealcheck schema
    "dealcheck.views",  # impact, promises
    "dealcheck.lint",
    "dealcheck.salessheet",
    "multiprocessing",  # --jobs: one deal starts no workers
    "concurrent.futures",
    "dealcheck.report.direct",
)


def _imported(deal: str, fmt: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, deal, fmt],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_plain_deal_imports_no_reader_view_or_tool_it_does_not_use(fmt: str) -> None:
    loaded = _imported("examples/deals/wallaby-logistics.yaml", fmt)
    assert "dealcheck.engine" in loaded  # the check really ran in this process
    assert sorted(m for m in loaded for name in NOT_FOR_A_PLAIN_DEAL
                  if m == name or m.startswith(name + ".")) == []  # fmt: skip


def test_json_output_does_not_import_rich() -> None:
    loaded = _imported("examples/deals/wallaby-logistics.yaml", "json")
    assert "dealcheck.report.json_report" in loaded
    assert not [m for m in loaded if m == "rich" or m.startswith("rich.")]
