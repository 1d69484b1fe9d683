"""Rule cases, sqlfluff-style: every ``cases/<family>.yaml`` holds named deals with the
findings they must and must not produce; one parametrized test runs them all against
the sample catalog. Adding a case is adding data, not code.

A case::

    - name: price-exactly-at-floor-is-not-below      # unique across all files
      deal: {customer: ..., currency: USD, ...}      # the Deal format; kind and id optional
      expect:                                        # each must match some finding
        - {rule: margin-below-floor, severity: approval, approver: CFO, status: open,
           message: "substring of the message"}      # status/approver/message optional
      expect_not: [price-below-floor]                # none of these may be reported
      verdict: needs-approval                        # optional
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dealcheck.checks import REGISTRY
from dealcheck.engine import Engine
from dealcheck.findings import Finding
from dealcheck.models import Deal, DealBody, validate_model
from dealcheck.yamlio import SourceMap, load_file

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "deal", "expect", "expect_not", "verdict"}
EXPECT_KEYS = {"rule", "severity", "status", "approver", "message"}


@dataclass(frozen=True)
class Case:
    family: str
    name: str
    data: dict[str, Any]
    source: SourceMap

    @property
    def expect(self) -> list[dict[str, Any]]:
        return list(self.data.get("expect") or [])

    @property
    def expect_not(self) -> list[str]:
        return list(self.data.get("expect_not") or [])


def load_cases() -> list[Case]:
    """Every case of every case file, read with dealcheck's own strict YAML loader (so
    prices are exact decimals and a duplicate key is an error, as in a real deal)."""
    cases: list[Case] = []
    for file in sorted(CASES_DIR.glob("*.yaml")):
        (doc,) = load_file(file, f"cases/{file.name}")
        assert set(doc.data) == {"cases"}, f"{file.name}: expected a single 'cases:' key"
        for i, data in enumerate(doc.data["cases"]):
            unknown = set(data) - CASE_KEYS
            assert not unknown, f"{file.name}: case {i}: unknown keys {sorted(unknown)}"
            for entry in data.get("expect") or []:
                bad = set(entry) - EXPECT_KEYS
                assert not bad, f"{file.name}: {data['name']}: unknown expect keys {sorted(bad)}"
                assert {"rule", "severity"} <= set(entry), f"{data['name']}: rule and severity"
            cases.append(Case(file.stem, data["name"], data, doc.source.sub(("cases", i, "deal"))))
    return cases


CASES = load_cases()


def _matches(finding: Finding, expected: dict[str, Any]) -> bool:
    return (
        finding.rule == expected["rule"]
        and finding.severity == expected["severity"]
        and finding.status == expected.get("status", finding.status)
        and finding.approver == expected.get("approver", finding.approver)
        and expected.get("message", "") in finding.message
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{c.family}/{c.name}" for c in CASES])
def test_case(case: Case, sample_engine: Engine) -> None:
    # a full Deal document (kind, id) or just its body, as in a RuleSet's tests
    model = Deal if "kind" in case.data["deal"] else DealBody
    deal, problems = validate_model(model, case.data["deal"], case.source)
    assert not problems, [str(p) for p in problems]
    result = sample_engine.check(deal, case.source)
    reported = [
        f"{f.rule} {f.severity} {f.status} approver={f.approver}: {f.message}"
        for f in result.findings
    ]
    for expected in case.expect:
        assert any(_matches(f, expected) for f in result.findings), (
            f"expected {expected}, got {reported}"
        )
    fired = {f.rule for f in result.findings}
    assert not fired & set(case.expect_not), f"must not fire, got {reported}"
    if "verdict" in case.data:
        assert result.verdict == case.data["verdict"], reported


def test_case_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_case_files_are_named_after_check_families() -> None:
    from dealcheck.checks import FAMILIES

    families = {module.__name__.rsplit(".", 1)[-1] for module in FAMILIES}
    assert {c.family for c in CASES} == families


def test_every_registered_check_has_a_positive_case() -> None:
    """A new check without a case that makes it fire fails here."""
    positive = {e["rule"] for c in CASES for e in c.expect}
    missing = sorted(set(REGISTRY) - positive)
    assert not missing, f"checks with no case that makes them fire: {missing}"


def test_every_registered_check_has_a_case_where_it_must_not_fire() -> None:
    """Each check also needs a boundary case: the nearest deal that must not trip it."""
    negative = {rule for c in CASES for rule in c.expect_not}
    missing = sorted(set(REGISTRY) - negative)
    assert not missing, f"checks with no must-not-fire case: {missing}"


def test_expectations_name_real_rules(sample_engine: Engine) -> None:
    """A typo in a case (``price-below-flor``) must not make ``expect_not`` vacuous."""
    known = set(REGISTRY) | set(sample_engine.catalog.rules)
    named = {e["rule"] for c in CASES for e in c.expect} | {
        rule for c in CASES for rule in c.expect_not
    }
    assert named <= known, sorted(named - known)
