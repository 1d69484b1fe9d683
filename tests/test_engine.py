"""The engine (SPEC §7): fingerprints, approvals, waivers, verdicts, ``builtin:`` tuning,
and the exit code computed next to the result."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from dealcheck.checks import REGISTRY
from dealcheck.engine import Engine
from dealcheck.errors import Location, Problem
from dealcheck.findings import DealResult, Finding, exit_code

CheckDeal = Callable[..., DealResult]
REPO = Path(__file__).resolve().parent.parent

HEAD = """\
kind: Deal
id: T-1
customer: {name: Test Co, country: US}
currency: USD
start_date: 2027-01-01
term_months: 12
"""


def deal(body: str, head: str = HEAD) -> str:
    return head + textwrap.dedent(body)


def only(result: DealResult, rule: str) -> Finding:
    found = [f for f in result.findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.message) for f in result.findings]
    return found[0]


def rules(result: DealResult) -> set[str]:
    return {f.rule for f in result.findings}


DISCOUNT_25 = deal("lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.25}]\n")


# -- fingerprints --------------------------------------------------------------------------


def test_fingerprints_are_short_hex_and_stable_across_runs_and_engines(
    check_deal: CheckDeal, sample_engine: Engine
) -> None:
    text = (REPO / "examples/deals/wallaby-logistics.yaml").read_text(encoding="utf-8")
    first = [f.fingerprint for f in check_deal(text).findings]
    again = [f.fingerprint for f in check_deal(text).findings]
    fresh = Engine(sample_engine.catalog, sample_engine.today)
    other = [f.fingerprint for f in check_deal(text, engine=fresh).findings]
    assert first == again == other
    assert len(first) >= 2
    assert all(re.fullmatch(r"[0-9a-f]{8}", fp) for fp in first)
    assert len(set(first)) == len(first)


def test_fingerprint_is_pinned_to_its_value(check_deal: CheckDeal) -> None:
    """Approvals recorded in deals pin this exact value: it must not drift between releases."""
    assert only(check_deal(DISCOUNT_25), "discount-needs-manager").fingerprint == "4add94c7"


def test_fingerprint_changes_when_the_triggering_value_changes(check_deal: CheckDeal) -> None:
    at_25 = only(check_deal(DISCOUNT_25), "discount-needs-manager").fingerprint
    at_28 = only(
        check_deal(deal("lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.28}]\n")),
        "discount-needs-manager",
    ).fingerprint
    assert at_25 != at_28


def test_fingerprint_ignores_values_that_did_not_trigger(check_deal: CheckDeal) -> None:
    """Selling more seats at the same discount is the deal the approver saw."""
    more_seats = deal("lines: [{sku: AA-ENT-USER-Y, quantity: 500, discount: 0.25}]\n")
    same_discount = deal("lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 450}]\n")
    expected = only(check_deal(DISCOUNT_25), "discount-needs-manager").fingerprint
    assert only(check_deal(more_seats), "discount-needs-manager").fingerprint == expected
    assert only(check_deal(same_discount), "discount-needs-manager").fingerprint == expected


@pytest.mark.parametrize(
    ("rule", "before", "after"),
    [
        (
            "price-below-floor",
            "lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 329.99}]\n",
            "lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 300}]\n",
        ),
        (
            "feature-roadmap-commitment",
            "lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0}]\n"
            "commitments: [{feature: anomaly-detection, due: 2027-06-30}]\n",
            "lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0}]\n"
            "commitments: [{feature: anomaly-detection, due: 2027-09-30}]\n",
        ),
    ],
)
def test_builtin_fingerprints_change_with_their_trigger(
    check_deal: CheckDeal, rule: str, before: str, after: str
) -> None:
    assert (
        only(check_deal(deal(before)), rule).fingerprint
        != only(check_deal(deal(after)), rule).fingerprint
    )


# -- approvals -----------------------------------------------------------------------------


def test_approval_matches_rule_and_approver(check_deal: CheckDeal) -> None:
    result = check_deal(
        DISCOUNT_25
        + "approvals: [{rule: discount-needs-manager, approver: Sales Manager, by: Dana}]\n"
    )
    finding = only(result, "discount-needs-manager")
    assert finding.status == "approved"
    assert result.verdict == "pass"
    assert result.approvals_required == []


@pytest.mark.parametrize(
    "approval",
    [
        "{rule: discount-needs-manager, approver: VP Sales}",  # someone else approved
        "{rule: discount-needs-vp, approver: Sales Manager}",  # another rule
    ],
)
def test_approval_for_another_approver_or_rule_does_not_count(
    check_deal: CheckDeal, approval: str
) -> None:
    result = check_deal(DISCOUNT_25 + f"approvals: [{approval}]\n")
    assert only(result, "discount-needs-manager").status == "open"
    assert result.verdict == "needs-approval"
    assert result.approvals_required == ["Sales Manager"]


def test_approval_cannot_clear_a_blocker(check_deal: CheckDeal) -> None:
    result = check_deal(
        deal(
            "lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 329.99}]\n"
            "approvals: [{rule: price-below-floor, approver: CFO}]\n"
        )
    )
    assert only(result, "price-below-floor").status == "open"
    assert result.verdict == "blocked"


def test_pinned_approval_with_the_current_fingerprint_counts(check_deal: CheckDeal) -> None:
    fp = only(check_deal(DISCOUNT_25), "discount-needs-manager").fingerprint
    pinned = DISCOUNT_25 + (
        f'approvals: [{{rule: discount-needs-manager, approver: Sales Manager, fingerprint: "{fp}"}}]\n'
    )
    result = check_deal(pinned)
    assert only(result, "discount-needs-manager").status == "approved"
    assert "approval-stale" not in rules(result)
    assert result.verdict == "pass"


def test_stale_pinned_approval_is_reported_and_the_finding_stays_open(
    check_deal: CheckDeal,
) -> None:
    """The rep raised the discount from 25 % to 28 % after the approval: approve again."""
    fp_at_25 = only(check_deal(DISCOUNT_25), "discount-needs-manager").fingerprint
    text = deal(
        f"""\
        lines: [{{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.28}}]
        approvals:
          - rule: discount-needs-manager
            approver: Sales Manager
            fingerprint: "{fp_at_25}"
        """
    )
    result = check_deal(text)
    assert only(result, "discount-needs-manager").status == "open"
    stale = only(result, "approval-stale")
    assert stale.severity == "warning"
    assert fp_at_25 in stale.message
    assert (stale.location.line, stale.location.column) == (11, 18)  # the fingerprint value
    assert result.verdict == "needs-approval"
    assert result.approvals_required == ["Sales Manager"]


# -- waivers -------------------------------------------------------------------------------

AUSTRALIA = """\
kind: Deal
id: T-2
customer: {name: Wallaby Logistics Pty Ltd, country: AU}
currency: AUD
start_date: 2027-01-01
term_months: 12
lines: [{sku: AA-STD-USER-Y, quantity: 10, discount: 0}]
"""


@pytest.mark.parametrize("expires", ["expires: 2027-03-31", "expires: 2026-11-22", ""])
def test_active_waiver_waives_the_finding(check_deal: CheckDeal, expires: str) -> None:
    result = check_deal(
        AUSTRALIA
        + "waivers:\n  - {rule: region-restricted, reason: Legal cleared this customer, "
        + f"approved_by: General Counsel{', ' + expires if expires else ''}}}\n"
    )
    finding = only(result, "region-restricted")  # still reported, with its status
    assert finding.status == "waived"
    assert "General Counsel" in (finding.status_note or "")
    assert "waiver-expired" not in rules(result)
    assert result.verdict == "pass"


def test_expired_waiver_is_reported_and_ignored(check_deal: CheckDeal) -> None:
    result = check_deal(
        AUSTRALIA
        + "waivers:\n"
        + "  - rule: region-restricted\n"
        + "    reason: Legal cleared this customer\n"
        + "    approved_by: General Counsel\n"
        + "    expires: 2026-11-21\n"
    )
    assert only(result, "region-restricted").status == "open"
    expired = only(result, "waiver-expired")
    assert expired.severity == "warning"
    assert "2026-11-21" in expired.message
    assert (expired.location.line, expired.location.column) == (12, 14)
    assert result.verdict == "blocked"


def test_waiver_for_another_rule_waives_nothing(check_deal: CheckDeal) -> None:
    result = check_deal(
        AUSTRALIA + "waivers: [{rule: region-not-sellable, reason: x, approved_by: Legal}]\n"
    )
    assert only(result, "region-restricted").status == "open"


# -- verdict and approvers -----------------------------------------------------------------


def test_verdict_blocked_beats_needs_approval(check_deal: CheckDeal) -> None:
    result = check_deal(deal("lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 329.99}]\n"))
    assert {f.severity for f in result.findings} >= {"blocker", "approval"}
    assert result.verdict == "blocked"


def test_verdict_pass_allows_warnings(check_deal: CheckDeal) -> None:
    result = check_deal(deal("lines: [{sku: AA-API-Y, quantity: 1, discount: 0}]\n"))
    assert [f.severity for f in result.findings] == ["warning"]
    assert result.verdict == "pass"


def test_approvals_required_lists_each_approver_once_sorted(check_deal: CheckDeal) -> None:
    """35 % off (VP Sales), 60 months (CFO), 6 free months (VP Sales), net 75 (Finance)."""
    result = check_deal(
        """\
        kind: Deal
        id: T-3
        customer: {name: Test Co, country: US}
        currency: USD
        start_date: 2027-01-01
        term_months: 60
        free_months: 6
        payment_terms_days: 75
        lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.35}]
        """
    )
    approvers = [f.approver for f in result.findings if f.severity == "approval"]
    assert approvers.count("VP Sales") == 2
    assert result.verdict == "needs-approval"
    assert result.approvals_required == ["CFO", "Finance", "VP Sales"]


def test_approved_findings_leave_the_approvers_list(check_deal: CheckDeal) -> None:
    result = check_deal(
        """\
        kind: Deal
        id: T-4
        customer: {name: Test Co, country: US}
        currency: USD
        start_date: 2027-01-01
        term_months: 12
        payment_terms_days: 75
        lines: [{sku: AA-ENT-USER-Y, quantity: 10, discount: 0.35}]
        approvals: [{rule: discount-needs-vp, approver: VP Sales}]
        """
    )
    assert result.approvals_required == ["Finance"]


# -- builtin: overrides in a RuleSet -------------------------------------------------------

OVERRIDES = """\
kind: RuleSet
id: strict-desk
builtin:
  price-below-floor: {severity: approval, approver: CFO}
  region-restricted: {enabled: false}
  margin-below-floor: {approver: VP Finance}
  feature-retiring: {severity: warning}
  deal-margin-below-floor: {severity: blocker}
min_deal_margin: 0.55
"""


@pytest.fixture(scope="module")
def tuned_engine(tmp_path_factory: pytest.TempPathFactory, sample_engine: Engine) -> Engine:
    from dealcheck.catalog import load_catalog
    from dealcheck.checks import BUILTIN_IDS

    policy = tmp_path_factory.mktemp("catalog") / "policy.yaml"
    policy.write_text(OVERRIDES, encoding="utf-8")
    catalog = load_catalog([REPO / "products", policy], sample_engine.today, BUILTIN_IDS)
    engine = Engine(catalog, sample_engine.today)
    assert engine.ok, [str(p) for p in engine.problems]
    return engine


def test_builtin_override_changes_severity_and_approver(
    check_deal: CheckDeal, tuned_engine: Engine
) -> None:
    text = deal("lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 329.99}]\n")
    default = only(check_deal(text), "price-below-floor")
    assert (default.severity, default.approver) == ("blocker", None)
    result = check_deal(text, engine=tuned_engine)
    tuned = only(result, "price-below-floor")
    assert (tuned.severity, tuned.approver) == ("approval", "CFO")
    assert result.verdict == "needs-approval"
    assert "CFO" in result.approvals_required


def test_builtin_override_changes_only_the_approver(
    check_deal: CheckDeal, tuned_engine: Engine
) -> None:
    text = deal("lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 349.99}]\n")
    assert REGISTRY["margin-below-floor"].approver == "Finance"  # the built-in default
    assert only(check_deal(text), "margin-below-floor").approver == "CFO"  # deal-desk-policy
    tuned = only(check_deal(text, engine=tuned_engine), "margin-below-floor")
    assert (tuned.severity, tuned.approver) == ("approval", "VP Finance")


def test_builtin_override_to_blocker_drops_the_approver(
    tuned_engine: Engine, check_deal: CheckDeal
) -> None:
    result = check_deal(
        deal("lines: [{sku: AC-AGENT-Y, quantity: 10, unit_price: 1999.99}]\n"), engine=tuned_engine
    )
    tuned = only(result, "deal-margin-below-floor")
    assert (tuned.severity, tuned.approver) == ("blocker", None)
    assert result.verdict == "blocked"


def test_builtin_override_applies_to_committed_findings_too(
    check_deal: CheckDeal, tuned_engine: Engine
) -> None:
    text = deal(
        "lines: [{sku: AC-LEGACY-PACK-Y, quantity: 1, discount: 0}]\n"
        "commitments: [{feature: soap-connector}]\n"
    ).replace("term_months: 12", "term_months: 36")
    assert only(check_deal(text), "feature-retiring").severity == "approval"
    assert only(check_deal(text, engine=tuned_engine), "feature-retiring").severity == "warning"


def test_builtin_override_disables_a_check(check_deal: CheckDeal, tuned_engine: Engine) -> None:
    assert "region-restricted" in rules(check_deal(AUSTRALIA))
    result = check_deal(AUSTRALIA, engine=tuned_engine)
    assert "region-restricted" not in rules(result)
    assert result.verdict == "pass"


def test_builtin_overrides_from_two_rule_sets_combine(
    tmp_path: Path, check_deal: CheckDeal, sample_engine: Engine
) -> None:
    """One rule set sets the severity, another the approver: both apply."""
    from dealcheck.catalog import load_catalog
    from dealcheck.checks import BUILTIN_IDS

    (tmp_path / "a.yaml").write_text(
        "kind: RuleSet\nid: a-policy\nbuiltin:\n  price-below-floor: {severity: approval}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yaml").write_text(
        "kind: RuleSet\nid: b-policy\nbuiltin:\n  price-below-floor: {approver: CFO}\n",
        encoding="utf-8",
    )
    catalog = load_catalog([REPO / "products", tmp_path], sample_engine.today, BUILTIN_IDS)
    engine = Engine(catalog, sample_engine.today)
    assert engine.ok, [str(p) for p in engine.problems]
    text = deal("lines: [{sku: AA-ENT-USER-Y, quantity: 10, unit_price: 329.99}]\n")
    tuned = only(check_deal(text, engine=engine), "price-below-floor")
    assert (tuned.severity, tuned.approver) == ("approval", "CFO")


# -- exit codes (SPEC §7), computed next to the result -------------------------------------


def _result(*severities: str, status: str = "open") -> DealResult:
    findings = [
        Finding(
            rule=f"rule-{i}",
            category="test",
            severity=severity,
            message="m",
            location=Location("deal.yaml", i + 1, 1),
            subject="deal",
            fingerprint="0000000" + str(i),
            approver="CFO" if severity == "approval" else None,
            status=status,
        )
        for i, severity in enumerate(severities)
    ]
    return DealResult("T", "deal.yaml", Location("deal.yaml", 1, 1), findings=findings)


PASS = _result()
WARNING = _result("warning", "info")
APPROVAL = _result("approval", "warning")
BLOCKED = _result("blocker", "approval")
ERROR = DealResult.failed("bad.yaml", Problem(Location("bad.yaml", 3, 7), "invalid YAML"))


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([], 0),
        ([PASS], 0),
        ([WARNING], 0),
        ([PASS, APPROVAL], 3),
        ([APPROVAL, BLOCKED], 1),
        ([BLOCKED, ERROR], 2),
        ([PASS, ERROR], 2),
        ([_result("blocker", status="waived"), _result("approval", status="approved")], 0),
    ],
)
def test_exit_code_by_verdict(results: list[DealResult], expected: int) -> None:
    assert exit_code(results) == expected


@pytest.mark.parametrize(
    ("fail_on", "results", "expected"),
    [
        ("approval", [APPROVAL], 1),  # tightened: an approval fails
        ("approval", [WARNING], 0),
        ("approval", [BLOCKED], 1),
        ("warning", [WARNING], 1),  # tightened further: an open warning fails
        ("warning", [PASS], 0),
        ("warning", [_result("info")], 0),  # info never fails
        ("warning", [_result("warning", status="waived")], 0),
        ("blocker", [APPROVAL], 0),  # loosened: approvals do not fail
        ("blocker", [BLOCKED], 1),
        ("blocker", [ERROR, PASS], 2),  # unreadable input is never loosened away
    ],
)
def test_exit_code_with_fail_on(fail_on: str, results: list[DealResult], expected: int) -> None:
    assert exit_code(results, fail_on) == expected  # type: ignore[arg-type]


def test_verdicts_of_the_exit_code_fixtures() -> None:
    assert [r.verdict for r in (PASS, WARNING, APPROVAL, BLOCKED, ERROR)] == [
        "pass",
        "pass",
        "needs-approval",
        "blocked",
        "error",
    ]
