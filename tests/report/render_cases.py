"""Reports for the renderer tests: the example deals' report is built in ``conftest.py``;
here, helpers and a report whose every string is hostile."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from dealcheck.errors import Location, Problem
from dealcheck.findings import DealResult, Finding
from dealcheck.pricing import LinePrice
from dealcheck.report.results import CheckReport, RuleDoc

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = date(2026, 11, 22)
REGEN = os.environ.get("DEALCHECK_REGEN_GOLDEN") == "1"

HOSTILE = "Acme <script>alert(1)</script> & \"Quotes\" 'x' \n newline ünïcödé"
HOSTILE_CLAUSE = (
    "100% off :: a,b | `rm -rf` %0A ::error::x <b>bold</b> \r\n# heading [link](http://x)"
)


def subset(report: CheckReport, deals: list[DealResult]) -> CheckReport:
    return CheckReport(
        report.today,
        report.catalog_fingerprint,
        report.catalog_paths,
        deals,
        report.rules,
        report.fail_on,
    )


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
        approvals_recorded=[
            {"rule": rule, "approver": HOSTILE, "on": TODAY, HOSTILE: HOSTILE_CLAUSE}
        ],
    )
    broken = DealResult.failed(
        f"deals/{HOSTILE}.yaml",
        Problem(
            Location(f"deals/{HOSTILE}.yaml", 2, 5), f"bad {HOSTILE_CLAUSE}", code="unreadable"
        ),
    )
    rules = {
        rule: RuleDoc(rule, HOSTILE, f"{HOSTILE}\n{HOSTILE_CLAUSE}", "blocker", HOSTILE, False),
        "approval-stale": RuleDoc("approval-stale", "stale", "stale", "warning", "data", True),
    }
    return CheckReport(TODAY, f"sha256:{HOSTILE}", [HOSTILE], [deal, broken], rules)
