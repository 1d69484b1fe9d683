"""What a run leaves behind: why it failed on stderr, a summary when the report went to a
file, and report files any other tool could read (issue: "never silent")."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dealcheck.cli import app

REPO = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-22"]
BLOCKED_DEAL = "examples/deals/wallaby-logistics.yaml"


pytestmark = pytest.mark.usefixtures("as_a_user")


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process umask that a test sets."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(app, [*args, *TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


# -- exit 2 is never silent --------------------------------------------------------------------


@pytest.mark.parametrize("format", ["json", "html", "sarif", "junit", "markdown", "text"])
def test_a_missing_deal_with_output_says_why_on_stderr(tmp_path: Path, format: str) -> None:
    report = tmp_path / "r.out"
    result = invoke("check", str(tmp_path / "missing.yaml"), "-f", format, "-o", str(report))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{tmp_path / 'missing.yaml'}: error: no such file or directory"
    assert lines[-1].startswith("dealcheck: 1 deal checked: 0 pass, 0 need approval, 0 blocked")
    assert lines[-1].endswith(f"1 not checked (exit 2); report written to {report}")
    assert report.stat().st_size > 0  # the report records the failure too


def test_a_broken_deal_names_file_line_and_column_on_stderr(tmp_path: Path) -> None:
    deal = tmp_path / "draft.yaml"
    deal.write_text("kind: Deal\nid: D-1\ncustomer: {name: A, country: AU}\nterm: 12\n")
    result = invoke("check", str(deal), "-f", "json", "-o", str(tmp_path / "r.json"), "-q")
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors, "exit 2 with an empty stderr"
    assert all(line.startswith(f"{deal}:") and ": error: " in line for line in errors), errors
    assert any(line.startswith(f"{deal}:4:1: error: ") for line in errors), errors


def test_a_million_broken_deals_print_a_bounded_list(tmp_path: Path) -> None:
    lines = tmp_path / "deals.jsonl"
    lines.write_text('{"kind": "Deal"}\n' * 60, encoding="utf-8")
    result = invoke("check", str(lines), "-f", "json", "-o", str(tmp_path / "r.json"), "-q")
    assert result.exit_code == 2
    stderr = result.stderr.splitlines()
    assert len(stderr) == 21
    assert stderr[-1].startswith("... and ")


# -- a summary line with --output -----------------------------------------------------------------


def test_the_deal_desk_packet_reports_where_it_went(tmp_path: Path) -> None:
    packet = tmp_path / "packet.html"
    result = invoke("check", BLOCKED_DEAL, "--format", "html", "-o", str(packet))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "dealcheck: 1 deal checked: 0 pass, 0 need approval, 1 blocked (exit 1); "
        f"report written to {packet}\n"
    )
    assert packet.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_quiet_drops_the_summary(tmp_path: Path) -> None:
    result = invoke("check", BLOCKED_DEAL, "-f", "json", "-o", str(tmp_path / "r.json"), "-q")
    assert result.exit_code == 1
    assert result.stderr == ""


def test_no_summary_when_the_report_goes_to_stdout() -> None:
    result = invoke("check", BLOCKED_DEAL, "-f", "json")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert json.loads(result.stdout)["summary"]["blocked"] == 1


def test_validate_summarises_its_report_file(tmp_path: Path) -> None:
    out = tmp_path / "catalog.sarif"
    result = invoke("validate", "-f", "sarif", "-o", str(out))
    assert result.exit_code == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith("dealcheck: ")
    assert " validated: 0 errors, " in line
    assert line.endswith(f"(exit 0); report written to {out}")


def test_validate_unreadable_file_says_why_on_stderr_with_json(tmp_path: Path) -> None:
    broken = tmp_path / "cat" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("kind: Product\nid: [oops\n", encoding="utf-8")
    result = invoke("validate", "--catalog", str(broken.parent), "-f", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{broken}:3:1: error: invalid YAML")


def test_clauses_and_catalog_summarise_their_files(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.md"
    result = invoke("catalog", "-f", "markdown", "-o", str(sheet))
    assert result.exit_code == 0
    assert result.stderr == f"dealcheck: sales sheet (markdown); report written to {sheet}\n"
    found = tmp_path / "clauses.json"
    contract = "examples/deals/contracts/kestrel-order-form.md"
    result = invoke("clauses", contract, "-f", "json", "-o", str(found))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("dealcheck: ")
    assert f"read from {contract}, " in result.stderr
    assert result.stderr.endswith(f"; report written to {found}\n")


# -- output files are readable like any other tool's -----------------------------------------


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_report_gets_the_umask_mode(tmp_path: Path, mask: int, mode: int) -> None:
    os.umask(mask)
    report = tmp_path / "r.json"
    invoke("check", BLOCKED_DEAL, "-f", "json", "-o", str(report), "-q")
    assert stat.S_IMODE(report.stat().st_mode) == mode
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.usefixtures("umask")
def test_an_existing_report_keeps_its_mode(tmp_path: Path) -> None:
    os.umask(0o022)
    report = tmp_path / "r.json"
    report.write_text("old\n", encoding="utf-8")
    report.chmod(0o640)
    invoke("check", BLOCKED_DEAL, "-f", "json", "-o", str(report), "-q")
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["deals"] == 1


def test_the_real_console_script_is_not_silent(tmp_path: Path) -> None:
    """The README's deal-desk command, as a subprocess with the process's own umask."""
    packet = tmp_path / "packet.html"
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; os.umask(0o022); sys.argv[0] = 'dealcheck'; "
            "from dealcheck.cli import main; main()",
            "check",
            str(tmp_path / "missing.yaml"),
            "--format",
            "json",
            "-o",
            str(packet),
            *TODAY,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 2
    assert "missing.yaml: error: no such file or directory" in run.stderr
    assert stat.S_IMODE(packet.stat().st_mode) == 0o644


# -- a SARIF log GitHub would reject is never written ------------------------------------------


@pytest.mark.parametrize("command", ["check", "validate"])
def test_sarif_over_githubs_limits_is_exit_2_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from functools import partial

    from dealcheck.report import sarif

    tiny = sarif.Limits(results=1, rules=1, gzip_bytes=10)
    monkeypatch.setattr(sarif, "render", partial(sarif.render, limits=tiny))
    monkeypatch.setattr(sarif, "render_validation", partial(sarif.render_validation, limits=tiny))
    out = tmp_path / "x.sarif"
    args = ["examples/deals"] if command == "check" else []
    result = invoke(command, *args, "-f", "sarif", "-o", str(out))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("dealcheck: error: SARIF: ")
    assert "GitHub code scanning accepts" in line
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
