"""Shared fixtures of the renderer tests: real reports built through the library, a report
of hostile strings, and golden-file comparison.

Golden files
------------
``tests/report/golden/`` holds every format's output for ``examples/deals`` checked on
2026-11-22 (and for ``validate`` of ``tests/fixtures/catalogs/valid``). When an output
changes on purpose, regenerate them and review the diff::

    DEALCHECK_REGEN_GOLDEN=1 pytest tests/report
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.engine import Engine
from dealcheck.errors import Location, Problem
from dealcheck.explain import rule_docs
from dealcheck.findings import DealResult, Finding
from dealcheck.pricing import LinePrice
from dealcheck.report.results import CheckReport, RuleDoc
from dealcheck.rules import catalog_checks
from dealcheck.run import check_targets
from dealcheck.validate import ValidationReport, validate

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = date(2026, 11, 22)
REGEN = os.environ.get("DEALCHECK_REGEN_GOLDEN") == "1"

HOSTILE = "Acme <script>alert(1)</script> & \"Quotes\" 'x' \n newline ünïcödé"
HOSTILE_CLAUSE = "100% off :: a,b | `rm -rf` %0A ::error::x <b>bold</b> \r\n# heading [link](http://x)"


@pytest.fixture(scope="session")
def examples_report() -> Iterator[CheckReport]:
    """``dealcheck check examples/deals --today 2026-11-22``, as a report."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)  # paths in the report are shown relative to the working directory
        catalog = load_catalog([Path("products"), Path("rules")], TODAY, BUILTIN_IDS)
        engine = Engine(catalog, TODAY)
        assert engine.ok, engine.problems
        report = CheckReport(TODAY, catalog.fingerprint, catalog.paths, rules=rule_docs(catalog))
        report.deals.extend(check_targets(engine, ["examples/deals"]))
    assert len(report.deals) > 1
    yield report


@pytest.fixture(scope="session")
def validation_report() -> Iterator[ValidationReport]:
    """``dealcheck validate tests/fixtures/catalogs/valid``: a run with problems."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        report = validate(
            [Path("products"), Path("rules")],
            [Path("tests/fixtures/catalogs/valid")],
            TODAY,
            BUILTIN_IDS,
            catalog_checks(),
        )
    assert report.problems
    yield report


def subset(report: CheckReport, deals: list[DealResult]) -> CheckReport:
    return CheckReport(
        report.today,
        report.catalog_fingerprint,
        report.catalog_paths,
        deals,
        report.rules,
        report.fail_on,
    )


@pytest.fixture(scope="session")
def sized_reports(examples_report: CheckReport) -> dict[str, CheckReport]:
    """Zero, one and many deals (the one: a deal with findings of several statuses)."""
    return {
        "zero": subset(examples_report, []),
        "one": subset(examples_report, [examples_report.deals[0]]),
        "many": examples_report,
    }


def _finding(rule: str, severity: str, status: str = "open", line: int = 7) -> Finding:
    return Finding(
        rule=rule,
        category="clause",
        severity=severity,
        message=f"{HOSTILE_CLAUSE} — {HOSTILE}",
        location=Location(f"deals/{HOSTILE_CLAUSE}.yaml", line, 3 if line else 0),
        subject=HOSTILE,
        fingerprint="0badc0de",
        fix=f"Fix {HOSTILE_CLAUSE}",
        approver=f"VP {HOSTILE}" if severity == "approval" else None,
        evidence={
            "clause": HOSTILE_CLAUSE,
            f"key {HOSTILE}": Decimal("0.123456"),
            "due": TODAY,
            "none": None,
        },
        status=status,
        status_note=None if status == "open" else f"{status} by {HOSTILE}",
    )


@pytest.fixture(scope="session")
def hostile_report() -> CheckReport:
    """A report whose every string is hostile: markup, quotes, newlines, ``%``, ``::``, …"""
    rule = f"clause-{HOSTILE_CLAUSE}"
    line = LinePrice(
        index=1,
        sku=f"SKU {HOSTILE}",
        quantity=Decimal(3),
        unit_price=Decimal("90"),
        list_price=Decimal("100"),
        discount=Decimal("0.1"),
        net_unit=Decimal("40"),
        effective_discount=Decimal("0.6"),
        margin=Decimal("-0.25"),
        total=Decimal("270"),
        floor_price=Decimal("60"),
        unit_cost=Decimal("50"),
        min_margin=Decimal("0.5"),
        product="p",
        edition=None,
        product_currency=f"U<S>D{HOSTILE_CLAUSE}",
        list_product=Decimal("100"),
        after_discount=Decimal("90"),
        after_partner=Decimal("60"),
    )
    deal = DealResult(
        deal_id=f"Q-{HOSTILE}",
        file=f"deals/{HOSTILE_CLAUSE}.yaml",
        location=Location("deals/x.yaml", 1, 1),
        findings=[
            _finding(rule, "blocker"),
            _finding(rule, "approval", line=0),
            _finding("approval-stale", "warning", "waived"),
            _finding("info-thing", "info", "approved"),
        ],
        lines=[line],
        currency=HOSTILE_CLAUSE,
        total=Decimal("270"),
        margin=Decimal("-0.25"),
        customer=HOSTILE,
        approvals_recorded=[{"rule": rule, "approver": HOSTILE, "on": TODAY, HOSTILE: HOSTILE_CLAUSE}],
    )
    broken = DealResult.failed(
        f"deals/{HOSTILE}.yaml",
        Problem(Location(f"deals/{HOSTILE}.yaml", 2, 5), f"bad {HOSTILE_CLAUSE}", code="unreadable"),
    )
    rules = {
        rule: RuleDoc(rule, HOSTILE, f"{HOSTILE}\n{HOSTILE_CLAUSE}", "blocker", HOSTILE, False),
        "approval-stale": RuleDoc("approval-stale", "stale", "stale", "warning", "data", True),
    }
    return CheckReport(TODAY, f"sha256:{HOSTILE}", [HOSTILE], [deal, broken], rules)


@pytest.fixture(scope="session")
def hostile_validation(validation_report: ValidationReport) -> ValidationReport:
    problems = [
        Problem(Location(f"x/{HOSTILE}.yaml", 3, 4), HOSTILE_CLAUSE, "error", f"code {HOSTILE}"),
        Problem(Location(f"x/{HOSTILE}.yaml", 0, 0), HOSTILE, "warning", "unknown-key"),
        Problem(Location("C:\\deals\\a b.yaml", 1, 1), HOSTILE, "error", "unreadable"),
    ]
    return ValidationReport(validation_report.catalog, problems, [f"x/{HOSTILE}.yaml"])


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare output with ``golden/<name>``; with ``DEALCHECK_REGEN_GOLDEN=1``, rewrite it."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if REGEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
        assert path.exists(), f"{path} is missing: run DEALCHECK_REGEN_GOLDEN=1 pytest tests/report"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (
            f"{name} differs from its golden file; if the change is intended, "
            "regenerate with DEALCHECK_REGEN_GOLDEN=1 pytest tests/report and review the diff"
        )

    return check
