"""``dealcheck explain`` (every check documents itself) and ``dealcheck test`` (a RuleSet's
own tests, SPEC §5.3)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dealcheck.checks import DOC_HEADINGS, REGISTRY
from dealcheck.cli import app

REPO = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-22"]


pytestmark = pytest.mark.usefixtures("as_a_user")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


# -- every check documents itself ---------------------------------------------------------


def test_doc_headings_are_the_four_the_docs_promise() -> None:
    assert DOC_HEADINGS == ("What it does", "Why it matters", "Example", "How to fix")


@pytest.mark.parametrize("check_id", sorted(REGISTRY))
def test_check_doc_has_every_heading_in_order(check_id: str) -> None:
    doc = REGISTRY[check_id].doc
    positions = []
    for heading in DOC_HEADINGS:
        match = re.search(rf"^\s*{heading}:\s*$", doc, re.MULTILINE)
        assert match, f"{check_id}: the docstring lacks the heading '{heading}:'"
        positions.append(match.start())
        body = doc[match.end() :].lstrip("\n")
        assert body.strip() and not body.lstrip().startswith(DOC_HEADINGS), (
            f"{check_id}: '{heading}:' has no text under it"
        )
    assert positions == sorted(positions), f"{check_id}: headings out of order"
    assert REGISTRY[check_id].summary.strip(), f"{check_id}: no summary line"


@pytest.mark.parametrize("check_id", sorted(REGISTRY))
def test_explain_prints_the_check_doc(check_id: str) -> None:
    result = invoke("explain", check_id)
    assert result.exit_code == 0, result.output
    check = REGISTRY[check_id]
    assert result.stdout.startswith(check_id)
    assert f"default severity: {check.severity}" in result.stdout
    assert check.summary in result.stdout
    for heading in DOC_HEADINGS:
        assert re.search(rf"^{heading}:$", result.stdout, re.MULTILINE), heading


def test_explain_price_below_floor_shows_its_example() -> None:
    result = invoke("explain", "price-below-floor")
    assert result.exit_code == 0
    assert "net_unit 306 < floor 330" in result.stdout


def test_explain_a_catalog_rule_from_its_definition() -> None:
    result = invoke("explain", "discount-needs-vp")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("discount-needs-vp (rule set deal-desk-policy")
    assert "approver: VP Sales" in out
    assert "rules/deal-desk.yaml:" in out  # where it is defined
    assert "line.discount > 0.30 and line.discount <= 0.40" in out  # when
    assert "Discounts above 30% and up to 40% off list need the VP Sales." in out  # description
    assert "{line.sku}: {line.discount:%} discount needs VP Sales approval" in out  # message
    assert "Reduce the discount to 30% or less (Sales Manager), or get VP Sales approval." in out
    for heading in ("What it does:", "Why it matters:", "How to fix:"):
        assert heading in out


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("price-below-flor", "price-below-floor"), ("discount-needs-vpp", "discount-needs-vp")],
)
def test_explain_unknown_id_suggests_the_nearest(typo: str, meant: str) -> None:
    result = invoke("explain", typo)
    assert result.exit_code == 2
    assert f"did you mean {meant}?" in result.stderr
    assert "Traceback" not in result.output


def test_explain_without_id_lists_checks_and_rules() -> None:
    result = invoke("explain")
    assert result.exit_code == 0
    for check_id in REGISTRY:
        assert check_id in result.stdout
    assert "clause-mfn" in result.stdout
    from dealcheck.lint.docs import LINT_DOCS

    lint_part = result.stdout.split("Findings of dealcheck lint:")[1]
    for lint_id in LINT_DOCS:  # each also has its own explain text
        assert f"  {lint_id} " in lint_part


# -- dealcheck test ------------------------------------------------------------------------


def test_shipped_rule_tests_pass() -> None:
    result = invoke("test", *TODAY)
    assert result.exit_code == 0, result.stdout
    assert "FAIL" not in result.stdout
    assert re.search(r"^\d+ passed, 0 failed$", result.stdout, re.MULTILINE)
    assert "PASS  deal-desk-policy/unit-price-420-is-exactly-30-percent" in result.stdout
    # every shipped rule is exercised by a test that expects it to fire
    assert "Rules no test expects to fire" not in result.stdout


FAILING_RULESET = """\
kind: RuleSet
id: team-policy
rules:
  - id: big-deal-needs-cro
    scope: deal
    when: deal.total > 1000000
    severity: approval
    approver: CRO
    message: "Deals over 1M need the CRO"
  - id: untested-rule
    scope: deal
    when: deal.term_months > 48
    severity: warning
tests:
  - name: small-deal-is-fine
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: 2027-01-01
      term_months: 12
      lines: [{sku: AA-STD-USER-Y, quantity: 10, discount: 0}]
    expect: []
    expect_not: [big-deal-needs-cro]
  - name: wrongly-expects-the-cro
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: 2027-01-01
      term_months: 12
      lines: [{sku: AA-STD-USER-Y, quantity: 10, discount: 0}]
    expect: [big-deal-needs-cro]
  - name: wrongly-expects-silence
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: 2027-01-01
      term_months: 12
      lines: [{sku: AA-STD-USER-Y, quantity: 10, unit_price: 1}]
    expect_not: [price-below-floor]
"""


@pytest.fixture
def tmp_catalog(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "products", tmp_path / "products")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "team.yaml").write_text(FAILING_RULESET, encoding="utf-8")
    return tmp_path


def test_failing_rule_test_exits_1_and_says_why(tmp_catalog: Path) -> None:
    result = invoke(
        "test",
        *TODAY,
        "--catalog",
        str(tmp_catalog / "products"),
        "--catalog",
        str(tmp_catalog / "rules"),
    )
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "PASS  team-policy/small-deal-is-fine" in out
    assert "FAIL  team-policy/wrongly-expects-the-cro" in out
    assert "expected to fire: big-deal-needs-cro" in out
    assert "FAIL  team-policy/wrongly-expects-silence" in out
    assert "must not fire: price-below-floor" in out
    assert re.search(r"team\.yaml:\d+:\d+: expected to fire", out)  # located at the test
    assert "1 passed, 2 failed" in out


def test_rules_no_test_exercises_are_reported(tmp_catalog: Path) -> None:
    result = invoke(
        "test",
        *TODAY,
        "--catalog",
        str(tmp_catalog / "products"),
        "--catalog",
        str(tmp_catalog / "rules"),
    )
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("Rules no test")]
    # a rule only named in expect_not, or in a failing expect, is not exercised
    assert "big-deal-needs-cro" in line
    assert "untested-rule" in line
