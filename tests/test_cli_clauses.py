"""``dealcheck clauses`` and the contract options of ``dealcheck check`` (--clauses,
clauses_file, --allow-outside), run through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcheck.cli import app

REPO = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-22"]
CATALOG = ["--catalog", str(REPO / "products"), "--catalog", str(REPO / "rules")]

DEAL = """kind: Deal
id: Q-T-1
customer: {name: Test Ltd, country: GB}
currency: USD
start_date: 2027-01-01
term_months: 12
lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.1}]
"""


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_clauses_explains_each_decision(runner: CliRunner, tmp_path: Path) -> None:
    contract = tmp_path / "c.txt"
    contract.write_text(
        "7.2 Provider shall make EU data residency available no later than 31 March 2027.\n\n"
        "7.3 Nothing in this Agreement commits Provider to deliver the AI assistant.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["clauses", str(contract), *CATALOG, *TODAY])
    assert result.exit_code == 0, result.output
    assert "commits to eu-data-residency due 2027-03-31" in result.output
    assert "'31 March 2027'" in result.output  # the words that gave the date
    assert "mentions ai-assistant, not a commitment" in result.output
    assert "disclaimed by" in result.output


def test_clauses_json_is_the_documented_interface(runner: CliRunner, tmp_path: Path) -> None:
    contract = tmp_path / "c.md"
    contract.write_text(
        "## 9. Service levels\n\n9.1 Provider guarantees 99.99% monthly uptime.\n\n"
        "9.2 Provider will deliver SCIM provisioning within ninety (90) days of the "
        "Effective Date.\n",
        encoding="utf-8",
    )
    deal = tmp_path / "d.yaml"
    deal.write_text(DEAL.replace("date_format", "x"), encoding="utf-8")
    result = runner.invoke(
        app, ["clauses", str(contract), "--deal", str(deal), "--format", "json", *CATALOG]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_id = {c["id"]: c for c in data["clauses"]}
    assert by_id["9.1"]["uptimes"] == ["99.99"]
    (commitment,) = by_id["9.2"]["commitments"]
    assert commitment["feature"] == "scim-provisioning"
    assert commitment["due"] == "2027-04-01"  # 90 days after the deal's start_date
    assert commitment["evidence"]
    assert set(by_id["9.2"]["location"]) >= {"file", "line"}
    assert by_id["9.2"]["mentions"] == ["scim-provisioning"]


def test_check_with_clauses_option_finds_the_promise(runner: CliRunner, tmp_path: Path) -> None:
    deal = tmp_path / "d.yaml"
    deal.write_text(DEAL, encoding="utf-8")
    contract = tmp_path / "extra.txt"
    contract.write_text(
        "3.1 Provider shall make EU data residency available by 31 March 2027.\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["check", str(deal), "--clauses", str(contract), "-f", "json", *CATALOG, *TODAY]
    )
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["deals"][0]["findings"]
    rules = {f["rule"] for f in findings}
    assert {"feature-not-built", "feature-late"} <= rules
    late = next(f for f in findings if f["rule"] == "feature-late")
    assert late["location"]["file"].endswith("extra.txt")
    assert late["evidence"]["clause"] == "3.1"


def test_sla_in_clause_text_is_checked(runner: CliRunner, tmp_path: Path) -> None:
    deal = tmp_path / "d.yaml"
    deal.write_text(
        DEAL + "sla_uptime: 99.9\nclauses:\n  - id: '9.1'\n"
        "    text: Provider guarantees 99.99% monthly uptime.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(deal), "-f", "json", *CATALOG, *TODAY])
    rules = {f["rule"] for f in json.loads(result.output)["deals"][0]["findings"]}
    assert {"sla-above-catalog", "sla-mismatch"} <= rules


def test_clauses_file_outside_the_deal_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("1.1 Provider shall deliver SSO.\n", encoding="utf-8")
    folder = tmp_path / "deals"
    folder.mkdir()
    deal = folder / "d.yaml"
    deal.write_text(DEAL + "clauses_file: ../secret.txt\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(deal), *CATALOG, *TODAY])
    assert result.exit_code == 2
    assert "outside the deal's folder" in result.output
    assert "d.yaml:8:" in result.output  # the clauses_file line
    assert "Traceback" not in result.output
    allowed = runner.invoke(app, ["check", str(deal), "--allow-outside", *CATALOG, *TODAY])
    assert allowed.exit_code in (0, 1, 3), allowed.output


def test_lines_file_outside_the_deal_folder_is_refused_unless_allowed(
    runner: CliRunner, tmp_path: Path
) -> None:
    # the quote lines come from a CRM export one level up (what --allow-outside is for)
    (tmp_path / "export.csv").write_bytes(
        (REPO / "examples/deals/northwind-crm-export.csv").read_bytes()
    )
    folder = tmp_path / "deals"
    folder.mkdir()
    text = (REPO / "examples/deals/crm-import.yaml").read_text(encoding="utf-8")
    (folder / "d.yaml").write_text(
        text.replace("lines_file: northwind-crm-export.csv", "lines_file: ../export.csv"),
        encoding="utf-8",
    )
    args = ["check", str(folder / "d.yaml"), "-f", "json", *CATALOG, *TODAY]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "outside the deal's folder" in refused.output
    allowed = runner.invoke(app, [*args, "--allow-outside"])
    assert allowed.exit_code in (0, 1, 3), allowed.output
    (deal,) = json.loads(allowed.stdout)["deals"]
    assert [line["sku"] for line in deal["lines"]][:2] == ["AA-ENT-USER-Y", "AA-FORECAST-USER-Y"]
    # (one deal is checked in-process either way; --jobs 1 takes the other path there)
    assert runner.invoke(app, [*args, "--allow-outside", "--jobs", "1"]).stdout == allowed.stdout


def test_missing_clauses_file_is_a_located_error(runner: CliRunner, tmp_path: Path) -> None:
    deal = tmp_path / "d.yaml"
    deal.write_text(DEAL + "clauses_file: nowhere.docx\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(deal), *CATALOG, *TODAY])
    assert result.exit_code == 2
    assert "nowhere.docx" in result.output and "not found" in result.output
    # the report names the deal whose contract could not be read, and where
    report = runner.invoke(app, ["check", str(deal), "-f", "json", *CATALOG, *TODAY])
    (shown,) = json.loads(report.stdout)["deals"]
    assert (shown["file"], shown["verdict"]) == (str(deal), "error")
    assert shown["errors"][0]["location"]["line"] == DEAL.count("\n") + 1


def test_clauses_on_a_missing_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["clauses", str(tmp_path / "none.txt"), *CATALOG, *TODAY])
    assert result.exit_code == 2
    assert "none.txt" in result.output


def test_clauses_json_shows_no_raw_control_character(runner: CliRunner, tmp_path: Path) -> None:
    """Clause text with a C1 control (CSI) never reaches the terminal raw."""
    contract = tmp_path / "c.txt"
    contract.write_text("7.2 Provider shall provide SSO \x9b31m now.\n", encoding="utf-8")
    result = runner.invoke(app, ["clauses", str(contract), "-f", "json", *CATALOG, *TODAY])
    assert result.exit_code == 0, result.output
    assert "\x9b" not in result.stdout
    clauses = json.loads(result.stdout)["clauses"]
    assert "SSO \ufffd31m now." in clauses[0]["text"]
