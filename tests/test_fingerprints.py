"""The approval contract, with literal fingerprints.

An approval pinned to a finding's fingerprint covers exactly the values the approver saw:
when a trigger value changes, the fingerprint changes, the pinned approval matches nothing
and goes stale (``approval-stale``), and the finding is open again. The fingerprints are
literal values: they are stored in deal files, so a dealcheck release that changed one
would silently turn approvals stale (or, worse, keep approvals for changed deals).
"""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dealcheck.engine import Engine
from dealcheck.findings import DealResult, Finding, fingerprint
from dealcheck.models import DealBody, validate_model
from dealcheck.yamlio import SourceMap
from tests.conftest import REPO, build_engine

BASE: dict[str, Any] = {
    "customer": {"name": "T", "country": "US", "segment": "enterprise"},
    "currency": "USD",
    "start_date": date(2027, 1, 1),
    "term_months": 12,
    "payment_terms_days": 30,
    "lines": [{"sku": "AA-ENT-USER-Y", "quantity": 80, "discount": Decimal("0.10")}],
}
PARTNER = {"name": "P", "country": "US"}


def _deal(**changes: Any) -> dict[str, Any]:
    deal = copy.deepcopy(BASE)
    deal.update(changes)
    return deal


def _line(sku: str, discount: str) -> list[dict[str, Any]]:
    return [{"sku": sku, "quantity": 80, "discount": Decimal(discount)}]


def check(engine: Engine, data: dict[str, Any]) -> DealResult:
    deal, problems = validate_model(DealBody, data, SourceMap("t.yaml"))
    assert not problems, [str(p) for p in problems]
    assert isinstance(deal, DealBody)
    return engine.check(deal, SourceMap("t.yaml"))


def only(result: DealResult, rule: str) -> Finding:
    (found,) = [f for f in result.findings if f.rule == rule]
    return found


# rule, approver, the deal as approved, its fingerprint, the deal with one trigger value
# changed, the new fingerprint
APPROVALS = [
    ("discount-needs-manager", "Sales Manager",
     _deal(lines=_line("AA-ENT-USER-Y", "0.25")), "4add94c7",
     _deal(lines=_line("AA-ENT-USER-Y", "0.26")), "6c6ddf1e"),
    ("discount-needs-vp", "VP Sales",
     _deal(lines=_line("AA-PRO-USER-Y", "0.40")), "34577ff5",
     _deal(lines=_line("AA-PRO-USER-Y", "0.39")), "6d3f10d3"),
    ("discount-needs-cfo", "CFO",
     _deal(lines=_line("AA-ENT-USER-Y", "0.45")), "70616bf5",
     _deal(lines=_line("AA-ENT-USER-Y", "0.46")), "db63f611"),
    ("margin-below-floor", "CFO",
     _deal(lines=_line("AA-ENT-USER-Y", "0.45")), "b24eb83f",
     _deal(lines=_line("AA-ENT-USER-Y", "0.46")), "a69be2f3"),
    ("payment-terms-need-finance", "Finance",
     _deal(payment_terms_days=75), "068eaa72",
     _deal(payment_terms_days=76), "982d14be"),
    ("long-term-needs-approval", "CFO",
     _deal(term_months=48), "eb8236aa",
     _deal(term_months=60), "d614a656"),
    ("partner-margin-needs-channel-chief", "Channel Chief",
     _deal(partner={**PARTNER, "margin": Decimal("0.30")}), "d62de534",
     _deal(partner={**PARTNER, "margin": Decimal("0.31")}), "04a86031"),
    ("free-months-need-vp", "VP Sales",
     _deal(free_months=2), "feceb02c",
     _deal(free_months=3), "dc0d8c45"),
    ("feature-retiring", "Product",
     _deal(term_months=24, lines=_line("AA-PRO-USER-Y", "0.10"),
           commitments=[{"feature": "legacy-reports-api", "due": date(2027, 1, 1)}]), "5e6df477",
     _deal(term_months=36, lines=_line("AA-PRO-USER-Y", "0.10"),
           commitments=[{"feature": "legacy-reports-api", "due": date(2027, 1, 1)}]), "d02acbb9"),
    ("feature-roadmap-commitment", "Product",
     _deal(commitments=[{"feature": "anomaly-detection", "due": date(2027, 6, 1)}]), "2422f4d1",
     _deal(commitments=[{"feature": "anomaly-detection", "due": date(2027, 7, 1)}]), "ed093e45"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "approver", "before", "pin", "after", "changed"),
    APPROVALS,
    ids=[a[0] for a in APPROVALS],
)
def test_a_changed_trigger_makes_a_pinned_approval_stale(
    sample_engine: Engine,
    rule: str,
    approver: str,
    before: dict[str, Any],
    pin: str,
    after: dict[str, Any],
    changed: str,
) -> None:
    assert only(check(sample_engine, before), rule).fingerprint == pin
    approval = {"rule": rule, "approver": approver, "fingerprint": pin}
    approved = check(sample_engine, {**before, "approvals": [approval]})
    assert only(approved, rule).status == "approved"
    assert not [f for f in approved.findings if f.rule == "approval-stale"]

    moved = check(sample_engine, {**after, "approvals": [approval]})
    finding = only(moved, rule)
    assert finding.fingerprint == changed
    assert finding.status == "open"
    stale = only(moved, "approval-stale")
    assert f"pinned to {pin}" in stale.message
    assert moved.verdict in ("needs-approval", "blocked")
    # without a pin the same approval still covers the changed deal
    unpinned = check(sample_engine, {**after, "approvals": [{"rule": rule, "approver": approver}]})
    assert only(unpinned, rule).status == "approved"


def test_every_check_that_can_need_approval_is_covered(sample_engine: Engine) -> None:
    from dealcheck.checks import REGISTRY

    rules = {
        r for r, entry in sample_engine.catalog.rules.items() if _severity(entry) == "approval"
    }
    checks = {name for name, spec in REGISTRY.items() if _severity(spec) == "approval"}
    covered = {a[0] for a in APPROVALS}
    # deal-margin-below-floor: in test_min_deal_margin_from_two_rulesets_is_the_stricter;
    # clause rules: test_clause_rule_fingerprint_follows_the_clause_text
    others = {"deal-margin-below-floor"} | {r for r in rules if r.startswith("clause-")}
    assert (rules | checks) - others <= covered, sorted((rules | checks) - others - covered)


def _severity(entry: Any) -> str | None:
    for name in ("severity", "default_severity"):
        value = getattr(entry, name, None)
        if isinstance(value, str):
            return value
    rule = getattr(entry, "rule", None)
    return _severity(rule) if rule is not None else None


def test_the_fingerprint_is_the_documented_hash() -> None:
    """sha256 of rule, subject and the canonical trigger values joined by U+001F, first 8
    hex digits; Decimals normalised (0.250 and 0.25 are one value), dates ISO."""
    expected = hashlib.sha256(b"r\x1fline:1:X\x1f0.25\x1f2027-01-01\x1f").hexdigest()[:8]
    assert fingerprint("r", "line:1:X", (Decimal("0.250"), date(2027, 1, 1), None)) == expected
    assert expected == "ffa00176"
    assert fingerprint("r", "line:1:X", (Decimal("25E-2"),)) == fingerprint(
        "r", "line:1:X", (Decimal("0.25"),)
    )


def test_clause_rule_fingerprint_follows_the_clause_text(sample_engine: Engine) -> None:
    text = "The Customer may terminate this Agreement for convenience."
    data = _deal(clauses=[{"id": "9.1", "text": text}])
    finding = only(check(sample_engine, data), "clause-termination-for-convenience")
    pin = finding.fingerprint
    assert pin == "392951e8"
    approval = {"rule": finding.rule, "approver": "CFO", "fingerprint": pin}
    changed = _deal(
        clauses=[
            {"id": "9.1", "text": text.replace("convenience", "convenience or without cause")}
        ],
        approvals=[approval],
    )
    result = check(sample_engine, changed)
    assert only(result, "clause-termination-for-convenience").status == "open"
    assert only(result, "approval-stale").message.count(pin) == 1


# -- approvals, waivers and blockers -------------------------------------------------------


def test_a_waiver_wins_over_an_approval(sample_engine: Engine) -> None:
    data = _deal(
        lines=_line("AA-ENT-USER-Y", "0.25"),
        approvals=[{"rule": "discount-needs-manager", "approver": "Sales Manager"}],
        waivers=[{"rule": "discount-needs-manager", "reason": "Pilot", "approved_by": "Head"}],
    )
    result = check(sample_engine, data)
    finding = only(result, "discount-needs-manager")
    assert (finding.status, finding.status_note) == ("waived", "waived by Head: Pilot")
    assert result.verdict == "pass"


def test_an_expired_waiver_leaves_the_approval_to_count(sample_engine: Engine) -> None:
    data = _deal(
        lines=_line("AA-ENT-USER-Y", "0.25"),
        approvals=[{"rule": "discount-needs-manager", "approver": "Sales Manager"}],
        waivers=[
            {
                "rule": "discount-needs-manager",
                "reason": "Pilot",
                "approved_by": "Head",
                "expires": date(2026, 11, 1),
            }
        ],
    )
    result = check(sample_engine, data)
    assert only(result, "discount-needs-manager").status == "approved"
    assert only(result, "waiver-expired").severity == "warning"


def test_the_wrong_approver_approves_nothing(sample_engine: Engine) -> None:
    data = _deal(
        lines=_line("AA-ENT-USER-Y", "0.25"),
        approvals=[{"rule": "discount-needs-manager", "approver": "VP Sales"}],
    )
    assert only(check(sample_engine, data), "discount-needs-manager").status == "open"


@pytest.fixture(scope="module")
def custom_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rules = tmp_path_factory.mktemp("rules")
    for file in (REPO / "rules").glob("*.yaml"):
        (rules / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "strict.yaml").write_text(
        "kind: RuleSet\nid: strict-margins\nmin_deal_margin: 0.75\nrules:\n"
        "  - id: huge-deal-blocked\n    scope: line\n    when: line.quantity > 5000\n    severity: blocker\n"
        "    approver: CEO\n    message: A deal this size is never signed here\n",
        encoding="utf-8",
    )
    return rules


@pytest.fixture(scope="module")
def custom_engine(custom_rules: Path) -> Engine:
    return build_engine(REPO / "products", custom_rules)


def test_a_blocker_rule_naming_an_approver_cannot_be_approved(custom_engine: Engine) -> None:
    data = _deal(
        lines=[{"sku": "AA-ENT-USER-Y", "quantity": 6000, "discount": Decimal("0.10")}],
        approvals=[{"rule": "huge-deal-blocked", "approver": "CEO"}],
    )
    result = check(custom_engine, data)
    finding = only(result, "huge-deal-blocked")
    assert (finding.severity, finding.approver, finding.status) == (
        "blocker",
        None,
        "open",
    )  # a blocker has no approver
    assert finding.fingerprint == "19744f4a"
    assert result.verdict == "blocked"


def test_min_deal_margin_from_two_rulesets_is_the_stricter(
    custom_engine: Engine, sample_engine: Engine
) -> None:
    assert sample_engine.min_deal_margin == Decimal("0.55")
    assert custom_engine.min_deal_margin == Decimal("0.75")
    # AA-ENT-USER-Y at 20% off: net 480, cost 140, margin 70.8%: above the line minimum
    # (60%) and the sample policy (55%), below the stricter RuleSet's 75%
    data = _deal(lines=_line("AA-ENT-USER-Y", "0.20"))
    assert not [f for f in check(sample_engine, data).findings if f.rule.startswith("deal-margin")]
    finding = only(check(custom_engine, data), "deal-margin-below-floor")
    assert (finding.severity, finding.approver) == ("approval", "Finance")
    assert finding.fingerprint == "15c1bfb5"
    pinned = {"rule": "deal-margin-below-floor", "approver": "Finance", "fingerprint": "15c1bfb5"}
    assert only(check(custom_engine, {**data, "approvals": [pinned]}), finding.rule).status == (
        "approved"
    )
    moved = check(
        custom_engine, {**_deal(lines=_line("AA-ENT-USER-Y", "0.21")), "approvals": [pinned]}
    )
    assert only(moved, "deal-margin-below-floor").status == "open"
    assert only(moved, "approval-stale")
