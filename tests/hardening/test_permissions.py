"""Permission denied, for real: ``chmod 000`` inputs and a read-only output directory.

CI runs the tests as root, which ignores file permissions; these runs drop root's
file-permission capabilities (:func:`hardening_support.without_file_privileges`) so that
the condition is real there too, instead of being skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening_support import (
    REPO,
    TODAY,
    copy_sample_catalog,
    run_unprivileged,
    without_file_privileges,
)

SAMPLE = REPO / "examples/deals/ridgeway-retail.yaml"


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Path]:
    copy_sample_catalog(tmp_path)
    deals = tmp_path / "deals"
    deals.mkdir()
    shutil.copyfile(SAMPLE, deals / "ok.yaml")
    yield tmp_path
    for path in tmp_path.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)  # so that pytest can clean up


def test_the_condition_is_real(tmp_path: Path) -> None:
    """Under the dropped privileges a chmod 000 file cannot be read, as root too, while
    the child still starts and reads everything else."""
    probe = "import sys; open(sys.argv[1]).read()"
    locked = tmp_path / "locked.txt"
    locked.write_text("secret\n", encoding="utf-8")
    locked.chmod(0)

    def read(path: Path) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-c", probe, str(path)],
            preexec_fn=without_file_privileges,
            capture_output=True,
            timeout=30,
            check=False,
        )

    assert read(Path(__file__)).returncode == 0
    denied = read(locked)
    locked.chmod(0o644)
    assert denied.returncode == 1
    assert b"PermissionError: [Errno 13] Permission denied" in denied.stderr


def test_an_unreadable_deal(scene: Path) -> None:
    locked = scene / "deals" / "locked.yaml"
    shutil.copyfile(SAMPLE, locked)
    locked.chmod(0)
    run = run_unprivileged(["check", "deals", "--format", "json", "--today", TODAY], scene)
    assert run.returncode == 2, run.output
    assert "deals/locked.yaml: error: cannot read: Permission denied" in run.stderr
    verdicts = {d["file"]: d["verdict"] for d in json.loads(run.stdout)["deals"]}
    assert verdicts == {"deals/locked.yaml": "error", "deals/ok.yaml": "needs-approval"}


def test_an_unreadable_catalog_file(scene: Path) -> None:
    (scene / "products" / "fx.yaml").chmod(0)
    run = run_unprivileged(["check", "deals/ok.yaml", "--today", TODAY], scene)
    assert run.returncode == 2, run.output
    assert "products/fx.yaml: error: cannot read: Permission denied" in run.stderr
    assert "Traceback" not in run.output


def test_an_unreadable_contract_and_quote_file(scene: Path) -> None:
    deal = SAMPLE.read_text(encoding="utf-8")
    (scene / "deals" / "ok.yaml").write_text(deal + "clauses_file: terms.md\n", "utf-8")
    (scene / "deals" / "terms.md").write_text("1. Fees are due in 30 days.\n", "utf-8")
    (scene / "deals" / "terms.md").chmod(0)
    head = deal.split("\nlines:", 1)[0]
    (scene / "deals" / "csv.yaml").write_text(
        head.replace("Q-2026-0155", "Q-2026-0156") + "\nlines_file: q.csv\n", "utf-8"
    )
    (scene / "deals" / "q.csv").write_text("SKU,Quantity,Price\nAA-PRO-USER-Y,1,400\n", "utf-8")
    (scene / "deals" / "q.csv").chmod(0)
    run = run_unprivileged(["check", "deals", "--today", TODAY], scene)
    assert run.returncode == 2, run.output
    assert "deals/terms.md: error: cannot read" in run.stderr, run.stderr
    assert "deals/q.csv: error: cannot read: Permission denied" in run.stderr, run.stderr
    assert "Traceback" not in run.output


def test_a_read_only_output_directory_keeps_the_old_report(scene: Path) -> None:
    out = scene / "reports"
    out.mkdir()
    args = ["check", "deals/ok.yaml", "--format", "json", "-o", "reports/r.json", "--today", TODAY]
    first = run_unprivileged(args, scene)
    assert first.returncode == 3, first.output
    before = (out / "r.json").read_bytes()
    out.chmod(0o500)
    failed = run_unprivileged(args, scene)
    assert failed.returncode == 2, failed.output
    assert "dealcheck: error: cannot write reports/r.json: Permission denied" in failed.stderr
    assert (out / "r.json").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["r.json"]  # no temporary file left
