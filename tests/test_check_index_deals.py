"""The checks over a catalog with nested region groups, end to end: what the catalog
index (dealcheck.checks.index) expands shows in the findings exactly as the checks
reported it when they asked the catalog per deal."""

from __future__ import annotations

import textwrap

import pytest

from dealcheck.engine import Engine
from dealcheck.findings import DealResult
from dealcheck.models import DealBody, parse_document
from dealcheck.yamlio import load_string
from tests.check_index_catalog import nested_engine


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return nested_engine(tmp_path_factory.mktemp("nested"))


def _check(engine: Engine, text: str) -> DealResult:
    (doc,) = load_string(textwrap.dedent(text), "deal.yaml")
    model, problems = parse_document(doc, ("Deal",))
    assert not problems, [str(p) for p in problems]
    assert isinstance(model, DealBody)
    return engine.check(model, doc.source)


DEAL = """\
kind: Deal
id: Q-1
customer: {{name: Acme, country: {customer}}}
currency: USD
start_date: 2027-01-01
term_months: 36
lines:
{lines}
{extra}
"""


def _found(result: DealResult, *rules: str) -> list[tuple[str, str, str, str]]:
    return [(f.rule, f.subject, f.severity, f.message) for f in result.findings if f.rule in rules]


def _lines(*skus: str) -> str:
    return "\n".join(f"  - {{sku: {s}, quantity: 1, discount: 0}}" for s in skus)


def test_region_checks_expand_nested_groups(nested: Engine) -> None:
    # NO is in EMEA (through EEA) but not in EU: the Standard SKU may not be sold there,
    # the product may; NO is also NORDICS (restricted for the product) and EEA (the add-on)
    deal = DEAL.format(customer="NO", lines=_lines("GZ-STD", "GZ-AI", "GZ-STD"), extra="")
    found = _found(_check(nested, deal), "region-not-sellable", "region-restricted")
    assert sorted(found) == sorted(
        [
            (
                "region-not-sellable",
                "SKU:GZ-STD:NO",
                "blocker",
                "GZ-STD may not be sold in NO (customer): it is sellable in EU, CH only",
            ),
            (
                "region-restricted",
                "product:gizmo:NO",
                "approval",
                "Gizmo Cloud may not be sold in NO (customer): No Nordic reseller agreement.",
            ),
            (
                "region-restricted",
                "SKU:GZ-AI:NO",
                "blocker",
                "GZ-AI may not be sold in NO (customer): Add-on not sold in the EEA yet.",
            ),
        ]
    )
    fine = DEAL.format(customer="DE", lines=_lines("GZ-STD"), extra="")
    assert _found(_check(nested, fine), "region-not-sellable", "region-restricted") == []
    # a deployment country two groups down (SE in SCANDI in NORDICS)
    deployed = DEAL.format(
        customer="DE", lines=_lines("GZ-PRO"), extra="deployment_countries: [DE, SE]"
    )
    assert [f[1] for f in _found(_check(nested, deployed), "region-restricted")] == [
        "product:gizmo:SE"
    ]
    sold = _found(_check(nested, deployed), "region-not-sellable")
    assert [f[1] for f in sold] == ["product:gizmo:SE"]  # EMEA has no SE


def test_included_features_are_reported_once_for_the_first_line_that_brings_them(
    nested: Engine,
) -> None:
    # ai comes with the add-on (line 1) and with Pro (line 2): the add-on is named; its
    # EU restriction and its GB/SCANDI one each match one deal country
    deal = DEAL.format(
        customer="GB",
        lines=_lines("GZ-AI", "GZ-PRO"),
        extra="partner: {name: Reseller, country: FR, margin: 0.1}",
    )
    result = _check(nested, deal)
    restricted = _found(result, "feature-restricted")
    assert [(f[1], f[2]) for f in restricted] == [
        ("included:ai:GB", "warning"),  # the customer's country comes first in the file
        ("included:ai:FR", "warning"),
    ]
    assert all("included in GZ-AI" in f[3] for f in restricted)
    # old-api (deprecated) and sunset (ga with an end of life) end before 2029-12-31; gone
    # is retired (not retiring) and later ends after the contract
    retiring = _found(result, "feature-retiring")
    assert [(f[1], f[2]) for f in retiring] == [
        ("included:old-api", "warning"),
        ("included:sunset", "warning"),
    ]
    assert all("included in GZ-PRO" in f[3] for f in retiring)
    located = {f.location.line for f in result.findings if f.rule == "feature-retiring"}
    assert located == {9}  # the GZ-PRO line's sku


def test_a_retiring_feature_two_lines_bring_is_reported_for_the_first(nested: Engine) -> None:
    deal = DEAL.format(customer="DE", lines=_lines("GZ-STD", "GZ-PRO", "GZ-STD"), extra="")
    result = _check(nested, deal)
    retiring = [f for f in result.findings if f.rule == "feature-retiring"]
    assert [(f.subject, f.location.line, f.evidence["sku"]) for f in retiring] == [
        ("included:old-api", 8, "GZ-STD"),
        ("included:sunset", 9, "GZ-PRO"),
    ]


def test_a_committed_retiring_feature_is_not_reported_again_as_included(nested: Engine) -> None:
    deal = DEAL.format(
        customer="DE",
        lines=_lines("GZ-PRO"),
        extra="commitments: [{feature: sunset, due: 2027-01-01}]",
    )
    retiring = _found(_check(nested, deal), "feature-retiring")
    assert [(f[1], f[2]) for f in retiring] == [
        ("feature:sunset:0", "approval"),
        ("included:old-api", "warning"),
    ]
    short = DEAL.replace("term_months: 36", "term_months: 2").format(
        customer="DE", lines=_lines("GZ-PRO"), extra=""
    )
    assert _found(_check(nested, short), "feature-retiring") == []  # ends 2027-03-01


def test_floor_and_margin_messages_read_the_index(nested: Engine) -> None:
    deal = DEAL.format(
        customer="DE",
        lines="  - {sku: GZ-PRO, quantity: 1, discount: 0.5}\n"
        "  - {sku: GZ-AI, quantity: 1, unit_price: 22.5}",
        extra="",
    )
    result = _check(nested, deal)
    # the floor 330.005 shows half-even to the cent
    assert [f[3] for f in _found(result, "price-below-floor")] == [
        "Line 1 (GZ-PRO): net price 300.00 USD per unit is below the floor 330.00 USD"
    ]
    assert [f[3] for f in _found(result, "margin-below-floor")] == [
        "Line 1 (GZ-PRO): gross margin 53.3% is below the minimum 60.0%",
    ]
    # 54.9989 % against 54.999 %: the same to three places, told apart at four
    thin = DEAL.format(
        customer="DE", lines="  - {sku: GZ-AI, quantity: 1, unit_price: 22.2217}", extra=""
    )
    assert [f[3] for f in _found(_check(nested, thin), "margin-below-floor")] == [
        "Line 1 (GZ-AI): gross margin 54.9989% is below the minimum 54.9990%"
    ]
