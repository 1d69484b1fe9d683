"""``dealcheck check`` end to end: real files, the real CLI (typer's CliRunner, plus true
subprocess runs of the console script), exit codes and output asserted separately."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dealcheck import __version__
from dealcheck.catalog import Catalog
from dealcheck.cli import app

REPO = Path(__file__).resolve().parent.parent
FIXTURES = "tests/fixtures/deals"
TODAY = ["--today", "2026-11-22"]


pytestmark = pytest.mark.usefixtures("as_a_user")


def run(*args: str, input: str | None = None) -> Any:
    # one process unless a test asks for workers (the default is one per core)
    jobs = [] if "--jobs" in args else ["--jobs", "1"]
    return CliRunner().invoke(app, ["check", *args, *TODAY, *jobs], input=input)


def no_floats(text: str) -> dict[str, Any]:
    """Parse JSON, failing on any number with a fraction: decimals must be strings."""

    def reject(token: str) -> None:
        raise AssertionError(f"float in the JSON report: {token}")

    data: dict[str, Any] = json.loads(text, parse_float=reject)
    return data


def expected_outcomes() -> dict[str, Any]:
    from dealcheck.yamlio import load_file

    (doc,) = load_file(REPO / "tests" / "examples_expected.yaml")
    return dict(doc.data)


# -- exit codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deal", "code"),
    [
        ("examples/deals/lakeshore-credit-union.yaml", 0),  # pass
        ("examples/deals/harbor-point-insurance.yaml", 0),  # pass: its approval is recorded
        (f"{FIXTURES}/included-warning.yaml", 0),  # pass with an open warning
        ("examples/deals/wallaby-logistics.yaml", 1),  # blocked
        ("examples/deals/kea-energy.yaml", 3),  # needs approval
        (f"{FIXTURES}/bad-syntax.yaml", 2),  # unreadable
        ("examples/deals/no-such-deal.yaml", 2),
    ],
)
def test_exit_code(deal: str, code: int) -> None:
    result = run(deal)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_blocked_and_needs_approval_together_exit_1() -> None:
    result = run("examples/deals/kea-energy.yaml", "examples/deals/wallaby-logistics.yaml")
    assert result.exit_code == 1


def test_unreadable_deal_wins_over_blocked() -> None:
    result = run("examples/deals/wallaby-logistics.yaml", f"{FIXTURES}/bad-syntax.yaml")
    assert result.exit_code == 2
    assert "BLOCKED" in result.stdout  # the readable deal is still checked and reported


@pytest.mark.parametrize(
    ("fail_on", "deal", "code"),
    [
        ("approval", "examples/deals/kea-energy.yaml", 1),
        ("approval", f"{FIXTURES}/included-warning.yaml", 0),
        ("warning", f"{FIXTURES}/included-warning.yaml", 1),
        ("warning", "examples/deals/lakeshore-credit-union.yaml", 0),
        ("warning", "examples/deals/cobalt-manufacturing.yaml", 0),  # its finding is waived
        ("blocker", "examples/deals/kea-energy.yaml", 0),
        ("blocker", "examples/deals/wallaby-logistics.yaml", 1),
        ("blocker", f"{FIXTURES}/bad-syntax.yaml", 2),
    ],
)
def test_fail_on(fail_on: str, deal: str, code: int) -> None:
    result = run(deal, "--fail-on", fail_on)
    assert result.exit_code == code, result.output


def test_fail_on_rejects_an_unknown_level() -> None:
    result = run("examples/deals/kea-energy.yaml", "--fail-on", "info")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# -- the JSON report (SPEC §8) -------------------------------------------------------------


def test_json_report_matches_the_spec_field_for_field(sample_catalog: Catalog) -> None:
    result = run("examples/deals/wallaby-logistics.yaml", "--format", "json")
    assert result.exit_code == 1
    report = no_floats(result.stdout)

    assert report["schema_version"] == 1
    assert report["dealcheck_version"] == __version__
    assert report["today"] == "2026-11-22"
    assert report["catalog"] == {
        "fingerprint": sample_catalog.fingerprint,
        "paths": ["products", "rules"],
    }
    assert report["catalog"]["fingerprint"].startswith("sha256:")
    assert len(report["catalog"]["fingerprint"]) == len("sha256:") + 64
    assert (
        report["summary"].items()
        >= {"deals": 1, "pass": 0, "needs-approval": 0, "blocked": 1}.items()
    )

    (deal,) = report["deals"]
    assert deal["id"] == "Q-2026-0142"
    assert deal["file"] == "examples/deals/wallaby-logistics.yaml"
    assert deal["verdict"] == "blocked"
    assert deal["approvals_required"] == []
    # 760.00 AUD × 250 users × 36/12; margin (400 − 140) / 400
    assert deal["totals"] == {"currency": "AUD", "total": "570000.00", "margin": "0.6500"}

    by_rule = {f["rule"]: f for f in deal["findings"]}
    assert set(by_rule) >= {"region-restricted", "feature-late"}
    region = by_rule["region-restricted"]
    assert region == {
        **region,
        "rule": "region-restricted",
        "category": "region",
        "severity": "blocker",
        "status": "open",
        "approver": None,
        "location": {"file": "examples/deals/wallaby-logistics.yaml", "line": 10, "column": 12},
    }
    assert "may not be sold in AU" in region["message"]
    assert region["fix"]
    assert region["evidence"]["country"] == "AU"
    assert region["evidence"]["product"] == "acme-analytics"
    for finding in deal["findings"]:
        assert set(finding) >= {
            "rule",
            "category",
            "severity",
            "status",
            "fingerprint",
            "message",
            "fix",
            "approver",
            "location",
            "evidence",
        }
        assert finding["status"] in ("open", "approved", "waived")
        assert len(finding["fingerprint"]) == 8
        assert set(finding["location"]) == {"file", "line", "column"}
        assert isinstance(finding["evidence"], dict)


def test_json_report_approvals_statuses_and_decimal_strings() -> None:
    result = run(
        "examples/deals/harbor-point-insurance.yaml",
        "examples/deals/kea-energy.yaml",
        "examples/deals/cobalt-manufacturing.yaml",
        "--format",
        "json",
    )
    assert result.exit_code == 3
    harbor, kea, cobalt = no_floats(result.stdout)["deals"]

    assert harbor["verdict"] == "pass"
    (approved,) = harbor["findings"]
    assert (approved["rule"], approved["status"], approved["approver"]) == (
        "discount-needs-manager",
        "approved",
        "Sales Manager",
    )
    assert approved["evidence"] == {"line.discount": "0.25"}

    assert kea["verdict"] == "needs-approval"
    assert kea["approvals_required"] == ["CFO"]
    assert kea["totals"] == {"currency": "NZD", "total": "165312.00", "margin": "0.5861"}
    (margin,) = kea["findings"]
    assert margin["severity"] == "approval"
    assert margin["approver"] == "CFO"
    assert margin["evidence"]["net_unit"] == "338.25"
    assert margin["evidence"]["min_margin"] == "0.60"

    assert cobalt["verdict"] == "pass"
    assert [f["status"] for f in cobalt["findings"]] == ["waived"]


def test_json_decimals_are_plain_strings_never_scientific(tmp_path: Path) -> None:
    """`quantity: 1e3` is the number 1000: it is reported as "1000", not "1E+3"."""
    deal = tmp_path / "deal.yaml"
    deal.write_text(
        "kind: Deal\nid: T-1\ncustomer: {name: T, country: US}\ncurrency: USD\n"
        "start_date: 2027-01-01\nterm_months: 12\n"
        "lines: [{sku: AA-ENT-USER-Y, quantity: 1e3, unit_price: 5.5e2}]\n",
        encoding="utf-8",
    )
    result = run(str(deal), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "E+" not in result.stdout
    (deal_out,) = no_floats(result.stdout)["deals"]
    assert deal_out["totals"]["total"] == "550000.00"


def test_output_is_byte_identical_across_runs_and_worker_counts() -> None:
    serial = run("examples/deals", "--format", "json", "--jobs", "1")
    first = run("examples/deals", "--format", "json", "--jobs", "3")
    second = run("examples/deals", "--format", "json", "--jobs", "3")
    assert serial.exit_code == first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout == serial.stdout
    text_serial = run("examples/deals", "--jobs", "1")
    text_parallel = run("examples/deals", "--jobs", "3")
    assert text_serial.stdout == text_parallel.stdout


# -- inputs --------------------------------------------------------------------------------


def test_directory_checks_every_example_with_its_expected_verdict() -> None:
    result = run("examples/deals", "--format", "json", "--jobs", "2")
    assert result.exit_code == 1
    report = no_floats(result.stdout)
    expected = expected_outcomes()
    verdicts = {Path(d["file"]).name: d["verdict"] for d in report["deals"]}
    assert verdicts == {name: e["verdict"] for name, e in expected.items()}
    files = [d["file"] for d in report["deals"]]
    assert files == sorted(files)  # deterministic order
    summary = report["summary"]
    assert summary["deals"] == len(expected)
    for verdict in ("pass", "needs-approval", "blocked"):
        assert summary[verdict] == sum(e["verdict"] == verdict for e in expected.values())


def test_jsonl_bad_line_is_an_error_the_other_lines_are_checked() -> None:
    result = run(f"{FIXTURES}/batch.jsonl", "--format", "json", "--jobs", "2")
    assert result.exit_code == 2
    first, bad, third = no_floats(result.stdout)["deals"]
    assert (first["id"], first["verdict"]) == ("FX-JSONL-1", "pass")
    assert (third["id"], third["verdict"]) == ("FX-JSONL-3", "needs-approval")
    assert bad["verdict"] == "error"
    (error,) = bad["errors"]
    assert error["location"]["file"] == f"{FIXTURES}/batch.jsonl"
    assert error["location"]["line"] == 2
    assert error["location"]["column"] > 1  # where the line breaks off, not its start
    assert "invalid JSON" in error["message"]
    assert third["findings"][0]["location"]["line"] == 3  # JSON Lines findings name their line


def test_jsonl_bad_line_in_text_output() -> None:
    result = run(f"{FIXTURES}/batch.jsonl")
    assert result.exit_code == 2
    assert f"{FIXTURES}/batch.jsonl:2:" in result.stdout
    assert "NOT CHECKED" in result.stdout
    assert "Traceback" not in result.output


def test_stdin() -> None:
    text = (REPO / "examples/deals/kea-energy.yaml").read_text(encoding="utf-8")
    result = run("-", "--format", "json", input=text)
    assert result.exit_code == 3, result.output
    (deal,) = no_floats(result.stdout)["deals"]
    assert deal["id"] == "Q-2026-0192"
    assert deal["verdict"] == "needs-approval"
    assert deal["findings"][0]["location"]["file"] == "<stdin>"


def test_empty_input_is_an_error_not_a_pass(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing here yet\n", encoding="utf-8")
    assert run(str(empty)).exit_code == 2
    assert run("-", input="").exit_code == 2


def test_yaml_syntax_error_names_file_line_column() -> None:
    result = run(f"{FIXTURES}/bad-syntax.yaml")
    assert result.exit_code == 2
    assert f"{FIXTURES}/bad-syntax.yaml:4:9" in result.output
    assert "invalid YAML" in result.output
    assert "Traceback" not in result.output


def test_catalog_error_exits_2_with_its_location(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(REPO / "products", catalog / "products")
    product = catalog / "products" / "acme-analytics.yaml"
    product.write_text(
        product.read_text(encoding="utf-8").replace("list_price: 600.00", "list_prise: 600.00"),
        encoding="utf-8",
    )
    result = run("examples/deals/kea-energy.yaml", "--catalog", str(catalog))
    assert result.exit_code == 2
    assert result.stdout == ""  # no report from a catalog that cannot be trusted
    assert "acme-analytics.yaml:" in result.stderr
    assert "unknown key 'list_prise' (did you mean 'list_price'?)" in result.stderr
    assert "Traceback" not in result.output


# -- the text report -----------------------------------------------------------------------


def test_text_report_has_banner_fix_and_waterfall() -> None:
    result = run("examples/deals/thames-valley-logistics.yaml")
    assert result.exit_code == 1
    out = result.stdout
    assert "Q-2026-0190" in out
    assert "BLOCKED" in out
    assert "price-below-floor" in out
    assert "fix: Reduce the discount, the partner margin or the free months" in out
    assert "Price waterfall" in out
    assert "net to the company" in out
    assert "19360.00 USD" in out  # 26,400 × 0.80 × 22/24
    assert "below floor" in out
    assert "\x1b[" not in out  # no colour codes when not on a terminal


def test_text_report_names_the_approvers() -> None:
    result = run("examples/deals/ridgeway-retail.yaml")
    assert result.exit_code == 3
    assert "NEEDS APPROVAL" in result.stdout
    assert "approval needed from: Finance, VP Sales" in result.stdout


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run("examples/deals/kea-energy.yaml", "--format", "json", "--output", str(target))
    assert result.exit_code == 3
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert written == run("examples/deals/kea-energy.yaml", "--format", "json").stdout
    assert no_floats(written)["deals"][0]["verdict"] == "needs-approval"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary left behind


# -- the installed console script, in a real process ----------------------------------------


def _console_script() -> str:
    script = Path(sys.executable).with_name("dealcheck")
    found = str(script) if script.exists() else shutil.which("dealcheck")
    assert found, "the dealcheck console script is not installed"
    return found


def _subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEALCHECK_CATALOG", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [_console_script(), "check", *args, *TODAY],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_console_script_checks_the_examples() -> None:
    proc = _subprocess("examples/deals", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = no_floats(proc.stdout)
    assert report["summary"]["deals"] == len(expected_outcomes())
    assert proc.stdout == run("examples/deals", "--format", "json").stdout


def test_console_script_reports_bad_input_without_a_traceback() -> None:
    proc = _subprocess(f"{FIXTURES}/bad-syntax.yaml", "examples/deals/kea-energy.yaml")
    assert proc.returncode == 2
    assert f"{FIXTURES}/bad-syntax.yaml:4:9" in proc.stdout
    assert "NEEDS APPROVAL" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
