"""End-to-end workflows a new team and the deal desk rely on, through the real CLI:
``init`` → ``validate`` → ``test`` → ``check``; ``config``; ``--output`` never partial."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcheck.cli import app

REPO = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-22"]


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)
    return CliRunner()


def test_init_then_validate_test_and_check(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme"
    result = runner.invoke(app, ["init", str(target), *TODAY])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(target)
    assert runner.invoke(app, ["validate", *TODAY]).exit_code == 0
    tested = runner.invoke(app, ["test", *TODAY])
    assert tested.exit_code == 0, tested.output
    assert " 0 failed" in tested.output
    checked = runner.invoke(app, ["check", "deals/", *TODAY])
    assert checked.exit_code == 0, checked.output
    assert "PASS" in checked.output
    # every YAML file carries the editor modeline, and the schema it names exists
    for file in target.rglob("*.yaml"):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        if file.name == "dealcheck.yaml":
            continue
        assert first.startswith("# yaml-language-server: $schema="), file
        assert (file.parent / first.split("=", 1)[1]).resolve().is_file(), first


def test_init_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path), *TODAY]).exit_code == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = runner.invoke(app, ["init", str(tmp_path), *TODAY])
    assert again.exit_code == 2
    assert "never overwrites" in again.output
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_config_shows_values_and_their_origin(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("products", "rules"):  # a config file names catalog paths in its repository
        shutil.copytree(REPO / name, tmp_path / name)
    (tmp_path / "dealcheck.yaml").write_text(
        "catalog: [products, rules]\nfail_on: approval\n"
        "today: 2026-11-22\nformat: json\ncolumns: {sku: Item Code}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    shown = runner.invoke(app, ["config"])
    assert shown.exit_code == 0
    lines = {line.split()[0]: line for line in shown.output.splitlines()}
    assert "approval" in lines["fail_on"] and "(dealcheck.yaml)" in lines["fail_on"]
    assert "2026-11-22" in lines["today"] and "(dealcheck.yaml)" in lines["today"]
    assert "sku=Item Code" in lines["columns"]
    # the configured defaults are used by check: JSON output, and approvals fail (exit 1)
    deal = REPO / "examples" / "deals" / "ridgeway-retail.yaml"
    checked = runner.invoke(app, ["check", str(deal)])
    assert checked.exit_code == 1  # needs-approval fails with fail_on: approval
    assert json.loads(checked.output)["today"] == "2026-11-22"
    # an option beats the configuration
    assert runner.invoke(app, ["check", str(deal), "--fail-on", "blocker"]).exit_code == 0


def test_broken_config_is_a_located_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dealcheck.yaml").write_text("catalog: [p]\nfail_on: sometimes\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 2
    assert "dealcheck.yaml" in result.output and "fail_on" in result.output


def test_unwritable_output_exits_2_and_leaves_nothing(runner: CliRunner, tmp_path: Path) -> None:
    missing_dir = tmp_path / "no" / "such" / "dir" / "report.json"
    result = runner.invoke(
        app,
        [
            "check",
            str(REPO / "examples" / "deals" / "ridgeway-retail.yaml"),
            "-f",
            "json",
            "-o",
            str(missing_dir),
            "--catalog",
            str(REPO / "products"),
            "--catalog",
            str(REPO / "rules"),
            *TODAY,
        ],
    )
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert not missing_dir.exists()


def test_output_replaces_a_file_only_when_complete(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")
    args = [
        "check",
        str(REPO / "examples" / "deals" / "ridgeway-retail.yaml"),
        "-f",
        "json",
        "-o",
        str(out),
        "--catalog",
        str(REPO / "products"),
        "--catalog",
        str(REPO / "rules"),
        *TODAY,
    ]
    assert runner.invoke(app, args).exit_code == 3
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["deals"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left
    if os.geteuid() != 0:  # root ignores directory permissions
        tmp_path.chmod(0o500)
        try:
            failed = runner.invoke(app, args)
            assert failed.exit_code == 2
            assert json.loads(out.read_text(encoding="utf-8"))["summary"]["deals"] == 1
        finally:
            tmp_path.chmod(0o700)


def test_disclaimer_naming_a_planned_feature_is_no_finding(
    runner: CliRunner, tmp_path: Path
) -> None:
    deal = tmp_path / "d.yaml"
    deal.write_text(
        "kind: Deal\nid: Q-T-2\ncustomer: {name: Test GmbH, country: DE}\ncurrency: EUR\n"
        "start_date: 2027-01-01\nterm_months: 12\n"
        "lines: [{sku: AA-PRO-USER-Y, quantity: 10, discount: 0.1}]\n"
        "clauses:\n  - id: '12.4'\n    text: >-\n      EU data residency is on Provider's roadmap. "
        "Roadmap items are not commitments, and nothing in this Agreement obliges Provider "
        "to deliver them by any date.\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "check",
            str(deal),
            "-f",
            "json",
            "--catalog",
            str(REPO / "products"),
            "--catalog",
            str(REPO / "rules"),
            *TODAY,
        ],
    )
    findings = json.loads(result.output)["deals"][0]["findings"]
    assert [f for f in findings if f["evidence"].get("feature") == "eu-data-residency"] == []
    assert result.exit_code == 0
