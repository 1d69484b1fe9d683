"""The README's excerpts of real output stay true: they are compared with the real thing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from dealcheck.cli import app

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _block_after(prompt: str) -> list[str]:
    """The lines of the fenced block that starts with ``$ prompt``."""
    match = re.search(r"```\n\$ " + re.escape(prompt) + r"\n(.*?)```", README, re.S)
    assert match, f"README has no block for '$ {prompt}'"
    return match.group(1).rstrip("\n").splitlines()


def test_help_command_list_matches() -> None:
    # a real run, as a user sees it (click sizes help to the terminal; fix it at 100)
    env = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-c", "from dealcheck.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    shown = _block_after("dealcheck --help")
    commands = shown[shown.index("Commands:") :]
    real = result.stdout.splitlines()
    assert real[real.index("Commands:") : real.index("Commands:") + len(commands)] == commands


def test_check_output_example_matches() -> None:
    prompt = "dealcheck check examples/deals/ridgeway-retail.yaml --today 2026-11-22"
    shown = _block_after(prompt)
    result = CliRunner().invoke(
        app,
        ["check", "examples/deals/ridgeway-retail.yaml", "--today", "2026-11-22"],
        env={"NO_COLOR": "1"},
    )
    assert result.exit_code == 3
    real = result.output.splitlines()
    assert real[: len(shown)] == shown


def test_quick_start_commands_are_the_contract() -> None:
    assert "pip install -e '.[test]' && dealcheck check examples/deals" in README
    assert "pip install -e '.[test]' && pytest" in README
