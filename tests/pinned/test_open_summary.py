"""A deal's verdict, approvers and ``--fail-on`` levels count every open finding, whatever
findings that are approved or waived sort before it (``DealResult.open_summary``)."""

from __future__ import annotations

from dealcheck.errors import Location
from dealcheck.findings import DealResult, DealStats, Finding


def _finding(rule: str, severity: str, status: str, approver: str | None = None) -> Finding:
    return Finding(
        rule, "margin", severity, f"{rule} fired", Location("d.yaml", 3, 1), rule, rule,
        approver=approver, status=status,
    )  # fmt: skip


def _deal(*findings: Finding) -> DealResult:
    return DealResult("D-1", "d.yaml", Location("d.yaml", 1, 1), findings=list(findings))


def test_open_findings_after_settled_ones_still_count() -> None:
    deal = _deal(
        _finding("approved-one", "approval", "approved", "CFO"),
        _finding("waived-one", "blocker", "waived"),
        _finding("still-open", "approval", "open", "VP Sales"),
        _finding("open-warning", "warning", "open"),
    )
    assert deal.open_summary() == (1, 2, ["VP Sales"])
    assert deal.verdict == "needs-approval"
    assert deal.approvals_required == ["VP Sales"]
    assert [deal.fails(level) for level in ("blocker", "approval", "warning")] == [
        False,
        True,
        True,
    ]
    stats = DealStats.of(deal)
    assert (stats.verdict, stats.approvers, stats.open, stats.failing) == (
        "needs-approval",
        "VP Sales",
        2,
        ("approval", "warning"),
    )


def test_a_deal_with_only_settled_findings_passes() -> None:
    deal = _deal(
        _finding("approved-one", "approval", "approved", "CFO"),
        _finding("waived-one", "blocker", "waived"),
    )
    assert deal.open_summary() == (9, 0, [])
    assert deal.verdict == "pass"
    assert not any(deal.fails(level) for level in ("blocker", "approval", "warning"))
