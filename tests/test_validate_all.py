"""``validate`` reports every catalog problem in one run (SPEC §1.1, §9): a field error in a
Product hides neither the cross-references of the rest of it nor a broken rule elsewhere,
and one problem is reported once, not again wherever its id is referenced."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.cli import app
from dealcheck.engine import Engine
from dealcheck.errors import Location
from dealcheck.rules import catalog_checks
from dealcheck.validate import ValidationReport, validate

TODAY = date(2026, 11, 22)

REGIONS = """\
kind: Regions
groups:
  EU: [DE, FR]
  EMEA: [EU, GB]
"""

FX = """\
kind: FxRates
base: USD
as_of: 2026-11-01
rates: {EUR: 0.92}
"""

# Line numbers matter: the tests assert positions in these texts.
GADGETS = """\
kind: Product
id: gadgets
name: Gadgets
currency: USD
sellable_in: [EMEA]
features:
  - id: alpha
    name: Alpha
    status: ga
  - id: beta
    name: Beta
    status: ga
editions:
  - id: standard
    name: Standard
    features: [alpha]
  - id: pro
    name: Pro
    includes: [standrd]
    features: [beta]
skus:
  - sku: G-STD
    name: Gadgets Standard
    edition: standard
    list_price: 100
    unit_cost: twenty
  - sku: G-PRO
    name: Gadgets Pro
    edition: enterprize
    list_price: 200
    unit_cost: 40
"""

POLICY = """\
kind: RuleSet
id: desk
rules:
  - id: long-terms
    when: deal.payment_terms_days >
    severity: warning
    message: Long payment terms
"""

# The four problems, each where it is written: the field error (line 26) in the first SKU,
# the edition's bad include (19:16), the second SKU's bad edition (29:14) — located in
# the file even though the SKU before it could not be read — and the broken rule.
EXPECTED = [
    ("cat/gadgets.yaml:19:16", "edition 'standrd' is not an edition of gadgets"),
    ("cat/gadgets.yaml:26:16", "'unit_cost': expected a number, got 'twenty'"),
    ("cat/gadgets.yaml:29:14", "SKU G-PRO: edition 'enterprize' is not an edition of gadgets"),
    ("cat/policy.yaml:5:36", "rule long-terms: "),
]


@pytest.fixture
def cat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)
    write(tmp_path, regions=REGIONS, fx=FX, gadgets=GADGETS, policy=POLICY)
    return Path("cat")


def write(root: Path, **files: str) -> None:
    (root / "cat").mkdir(exist_ok=True)
    for name, text in files.items():
        (root / "cat" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def run_validate(*paths: Path) -> ValidationReport:
    return validate(list(paths), (), TODAY, BUILTIN_IDS, catalog_checks())


def invoke(*args: str) -> Result:
    result = CliRunner(env={"NO_COLOR": "1"}).invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def located(report: ValidationReport) -> list[tuple[str, str]]:
    return [(str(p.location), p.message) for p in report.problems]


def test_the_library_reports_all_four_problems_at_their_places(cat: Path) -> None:
    report = run_validate(cat)
    problems = located(report)
    assert len(problems) == len(EXPECTED), problems
    for (where, message), (want_where, want_message) in zip(problems, EXPECTED, strict=True):
        assert where == want_where
        assert message.startswith(want_message), message
    assert report.exit_code == 1
    assert {p.code for p in report.problems} == {"invalid-value", "reference", "expression"}


def test_the_cli_reports_all_four_problems_in_a_deterministic_order(cat: Path) -> None:
    first = invoke("validate", "--catalog", "cat", "--today", "2026-11-22")
    assert first.exit_code == 1, first.output
    lines = [line for line in first.stdout.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in lines] == [w for w, _ in EXPECTED]
    for line, (_, message) in zip(lines, EXPECTED, strict=True):
        assert line.split(": error: ")[1].startswith(message), line
    assert first.stdout.splitlines()[-1] == "4 errors, 0 warnings in 4 files"
    again = invoke("validate", "--catalog", "cat", "--today", "2026-11-22")
    assert again.stdout == first.stdout


def test_a_bad_top_level_field_still_lets_the_rest_of_the_product_be_checked(
    tmp_path: Path, cat: Path
) -> None:
    write(tmp_path, gadgets=GADGETS.replace("currency: USD", "currency: EURO"))
    problems = located(run_validate(cat))
    assert [where for where, _ in problems] == [
        "cat/gadgets.yaml:4:11",  # the currency …
        "cat/gadgets.yaml:19:16",
        "cat/gadgets.yaml:26:16",
        "cat/gadgets.yaml:29:14",
        "cat/policy.yaml:5:36",
    ]
    # … reported once: not again as a currency without an FX rate
    assert not any("FX rate" in message for _, message in problems)


def test_an_entity_that_fails_is_not_reported_again_where_it_is_referenced(
    tmp_path: Path, cat: Path
) -> None:
    broken = (
        GADGETS.replace("    name: Beta\n    status: ga\n", "    name: Beta\n    status: gaa\n")
        .replace("includes: [standrd]", "includes: [standard]")
        .replace("edition: enterprize", "edition: pro")
        .replace("unit_cost: twenty", "unit_cost: 20")
    )
    regions = REGIONS.replace("EMEA: [EU, GB]", "EMEA: [EU, GB, " + "X" * 65 + "]")
    policy = """\
        kind: RuleSet
        id: desk
        rules:
          - id: needs-approver
            when: deal.term_months > 36
            severity: approval
          - id: outside-emea
            when: not in_region(deal.customer.country, "EMEA")
        tests:
          - name: emea
            deal: {customer: {name: X, country: DE}, currency: USD, start_date: 2026-01-01, term_months: 12}
            expect: [needs-approver, outside-emea]
    """
    write(tmp_path, gadgets=broken, regions=regions, policy=policy)
    problems = located(run_validate(cat))
    # Three definitions fail: the feature's status, the group's member, the rule's missing
    # approver. The edition naming beta, the product sold in EMEA, the rule testing EMEA
    # and the test expecting needs-approver are no further errors.
    assert [where for where, _ in problems] == [
        "cat/gadgets.yaml:12:13",
        "cat/policy.yaml:4:5",
        "cat/regions.yaml:4:18",
    ], problems


def test_a_document_that_cannot_be_read_at_all_hides_nothing_else(
    tmp_path: Path, cat: Path
) -> None:
    other = """\
        kind: Product
        id: Not An Id
        name: Other
        currency: USD
        features:
          - id: gamma
            name: Gamma
            status: ga
    """
    gadgets = (
        GADGETS.replace("features: [beta]", "features: [beta, gamma]")
        .replace("unit_cost: twenty", "unit_cost: 20")
        .replace("edition: enterprize", "edition: pro")
    )
    write(tmp_path, gadgets=gadgets, other=other)
    problems = located(run_validate(cat))
    assert [where for where, _ in problems] == [
        "cat/gadgets.yaml:19:16",  # still checked
        "cat/other.yaml:2:5",  # the bad id: gamma, defined in it, is not reported as unknown
        "cat/policy.yaml:5:36",  # still compiled
    ], problems


def test_a_rule_with_a_field_error_does_not_hide_its_neighbour_s_broken_condition(
    tmp_path: Path, cat: Path
) -> None:
    policy = """\
        kind: RuleSet
        id: desk
        rules:
          - id: needs-approver
            when: deal.term_months > 36
            severity: approval
          - id: broken
            when: deal.term_months >
    """
    write(tmp_path, policy=policy, gadgets=GADGETS.replace("edition: enterprize", "edition: pro"))
    report = run_validate(cat)
    rule_problems = [(str(p.location), p.code) for p in report.problems if "policy" in str(p)]
    assert rule_problems == [
        ("cat/policy.yaml:4:5", "invalid-value"),
        ("cat/policy.yaml:8:29", "expression"),
    ]


def test_unreadable_input_still_exits_2_and_the_rest_is_still_reported(
    tmp_path: Path, cat: Path
) -> None:
    (tmp_path / "cat" / "broken.yaml").write_text("kind: Product\nid: [unclosed\n", "utf-8")
    report = run_validate(cat)
    assert report.exit_code == 2
    where = [str(p.location) for p in report.problems]
    assert where[0].startswith("cat/broken.yaml:")
    assert where[1:] == [w for w, _ in EXPECTED]

    result = invoke("validate", "--catalog", "cat", "--today", "2026-11-22")
    assert result.exit_code == 2
    assert "cat/policy.yaml:5:36: error: rule long-terms" in result.stdout


def test_what_is_salvaged_is_checked_but_never_used(cat: Path) -> None:
    catalog = load_catalog([cat], TODAY, BUILTIN_IDS)
    # the product with the field error is cross-checked (its SKU G-PRO was) …
    assert "G-PRO" in catalog.skus
    assert catalog.locate("sku", "G-PRO", "edition") == Location("cat/gadgets.yaml", 29, 14)
    # … but it is no document of the catalog: not fingerprinted, and no deal is checked
    assert [type(m).__name__ for m, _ in catalog.documents] == ["FxRates", "RuleSet", "Regions"]
    engine = Engine(catalog, TODAY)
    assert not engine.ok
