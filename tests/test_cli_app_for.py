"""The console script builds only the command it runs (``dealcheck.cli.app_for``): typer
turns every command's signature into options at each start, about 20 ms for the whole
app. Whatever a user types, the one-command app must behave exactly as the whole app."""

from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from dealcheck.cli import app, app_for
from dealcheck.cli.app import COMMAND_ORDER

DEAL = "examples/deals/wallaby-logistics.yaml"


pytestmark = pytest.mark.usefixtures("as_a_user")


def _both(args: list[str]) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    runner = CliRunner()
    whole = runner.invoke(app, args)
    one = runner.invoke(app_for(args), args)
    return (
        (whole.exit_code, whole.stdout, whole.stderr),
        (one.exit_code, one.stdout, one.stderr),
    )


def test_every_command_is_built_alone() -> None:
    for name in COMMAND_ORDER:
        group = get_command(app_for([name, "--help"]))
        assert list(group.commands) == [name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMAND_ORDER)
def test_each_commands_help_is_the_same(name: str) -> None:
    whole, one = _both([name, "--help"])
    assert one == whole
    assert whole[0] == 0 and f"dealcheck {name}" in whole[1]


@pytest.mark.parametrize(
    "args",
    [
        ["check"],  # a missing argument: usage and exit 2
        ["check", DEAL, "--bogus"],  # an unknown option
        ["check", DEAL, "--format", "yaml"],  # a bad choice
        ["check", DEAL, "--today", "2026-11-22", "--format", "json"],  # a run, exit 1
        ["validate", "--today", "2026-11-22"],
        ["explain", "feature-not-built"],
        ["quote", DEAL, "--today", "2026-11-22"],
    ],
)
def test_runs_and_errors_are_the_same(args: list[str]) -> None:
    whole, one = _both(args)
    assert one == whole


@pytest.mark.parametrize("args", [[], ["--version"], ["--help"], ["chek"], ["-x", "check"]])
def test_anything_but_a_command_first_gets_the_whole_app(args: list[str]) -> None:
    assert app_for(args) is app


def test_shell_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_DEALCHECK_COMPLETE", "complete_bash")
    assert app_for(["check"]) is app


def test_the_whole_app_keeps_every_command() -> None:
    app_for(["check"])
    assert sorted(get_command(app).commands) == sorted(COMMAND_ORDER)  # type: ignore[attr-defined]
