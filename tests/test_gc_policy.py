"""The collector settings are the console script's, never a host program's."""

from __future__ import annotations

import gc
import subprocess
import sys

from typer.testing import CliRunner

from dealcheck.cli import app
from dealcheck.cli.lifecycle import GC_THRESHOLDS

EXAMPLE = "examples/deals/wallaby-logistics.yaml"


def test_checking_in_process_leaves_the_host_collector_alone() -> None:
    """A test suite or an embedding program calls the commands in-process: its thresholds
    stay, and nothing it holds is frozen out of ``gc.get_referrers``' sight (hypothesis
    relies on that)."""
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    result = CliRunner().invoke(app, ["check", EXAMPLE, "--today", "2026-11-22"])
    assert result.exit_code == 1, result.output  # the example is blocked
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == frozen


def test_the_console_script_collects_less_often_and_freezes_the_catalog() -> None:
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_threshold(), gc.get_freeze_count() > 0))\n"
        f"sys.argv = ['dealcheck', 'check', {EXAMPLE!r}, '--today', '2026-11-22', '-q']\n"
        "from dealcheck.cli import main\n"
        "main()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[-1] == f"{GC_THRESHOLDS} True"
