"""What catalog rules of every scope see of a deal, its lines, its commitments, their SKUs,
products and features, as the evidence and location of the findings they produce.

A probe RuleSet (one rule per scope, each reading many fields) over the sample products:
a field the engine forgot to pass would make its rule stop firing or change its evidence.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dealcheck.engine import Engine
from dealcheck.errors import Location
from dealcheck.findings import DealResult, Finding
from tests.conftest import REPO, CheckDeal, build_engine

PROBE = """\
kind: RuleSet
id: probe
approvers: [Probe Desk]
rules:
  - id: probe-deal
    scope: deal
    when: >-
      deal.id != null and deal.currency != null and deal.start_date != null
      and deal.end_date != null and deal.date_format != null and deal.sla_uptime != null
      and deal.margin != null and len(deal.countries) == 2
      and len(deal.deployment_countries) == 2 and deal.customer.name != null
      and deal.partner.name != null and len(deal.lines) == 2
      and len(deal.commitments) == 3 and len(deal.clauses) == 0
    severity: info
    category: terms
    message: "deal {deal.id}"
  - id: probe-line
    scope: line
    when: >-
      sku.sku != null and sku.name != null and sku.product != null and sku.edition != null
      and len(sku.features) > 0 and sku.list_price != null and sku.unit_cost != null
      and sku.floor_price != null and sku.min_margin != null and sku.available_from != null
      and product.id != null and product.name != null and product.currency != null
      and product.sla_uptime != null
    severity: info
    category: margin
    message: "line {line.index}"
  - id: probe-commitment
    scope: commitment
    when: >-
      feature.id != null and feature.name != null and feature.status != null
      and (feature.target != null or feature.end_of_life != null)
      and feature.committable != null and feature.product != null
      and product.id != null and product.name != null and commitment.source != null
    severity: info
    category: feature
    message: "commitment {commitment.feature}"
  - id: probe-customer
    scope: deal
    when: customer.country == "US"
    severity: info
    category: terms
    message: "customer in {customer.country}"
  - id: probe-today
    scope: deal
    when: today > date("2020-01-01")
    severity: info
    category: terms
    message: "checked on {today}"
"""

DEAL = """\
kind: Deal
id: P-1
customer: {name: Probe Co, country: US}
partner: {name: Reseller Ltd, country: CA, margin: 0.10}
deployment_countries: [US, CA]
currency: USD
start_date: 2027-01-01
term_months: 12
sla_uptime: 99.5
lines:
  - {sku: AA-ENT-USER-Y, quantity: 10, discount: 0.10}
  - {sku: AA-API-Y, quantity: 1, unit_price: 6000}
commitments:
  - {feature: anomaly-detection, due: 2027-06-30}
  - {feature: legacy-reports-api, due: 2027-03-01}
  - {feature: no-such-feature}
"""


@pytest.fixture
def probe_engine(tmp_path: Path) -> Engine:
    """Built per test, like the result below: a mutation tool attributes the work a
    fixture shared across tests does to none of them."""
    (tmp_path / "probe.yaml").write_text(PROBE, encoding="utf-8")
    return build_engine(REPO / "products", tmp_path / "probe.yaml")


@pytest.fixture
def probed(probe_engine: Engine, check_deal: CheckDeal) -> DealResult:
    return check_deal(DEAL, engine=probe_engine)


def findings_of(result: DealResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def at(line: int, column: int) -> Location:
    return Location("deal.yaml", line, column)


def test_a_deal_rule_sees_every_deal_field(probed: DealResult) -> None:
    (finding,) = findings_of(probed, "probe-deal")
    assert finding.message == "deal P-1"
    assert finding.subject == "deal"
    assert finding.evidence == {
        "deal.clauses": "",
        "deal.commitments": 3,
        "deal.countries": "US,CA",
        "deal.currency": "USD",
        "deal.customer.name": "Probe Co",
        "deal.date_format": "dmy",
        "deal.deployment_countries": "US,CA",
        "deal.end_date": date(2028, 1, 1),
        "deal.id": "P-1",
        "deal.lines": 2,
        "deal.margin": Decimal("0.7758284600389863547758284600"),
        "deal.partner.name": "Reseller Ltd",
        "deal.sla_uptime": Decimal("99.5"),
        "deal.start_date": date(2027, 1, 1),
    }
    # deal.clauses is not written in the deal: the finding points at the next field read,
    # the commitments list
    assert finding.location == at(14, 3)
    assert finding.fingerprint == "eaa8f764"


def test_a_line_rule_sees_the_sku_and_its_product(probed: DealResult) -> None:
    # line 2's SKU has no edition, so only line 1 matches
    (finding,) = findings_of(probed, "probe-line")
    assert (finding.subject, finding.message, finding.location) == (
        "line:1:AA-ENT-USER-Y",
        "line 1",
        at(11, 5),
    )
    assert finding.evidence == {
        "product.currency": "USD",
        "product.id": "acme-analytics",
        "product.name": "Acme Analytics",
        "product.sla_uptime": Decimal("99.9"),
        "sku.available_from": date(2024, 1, 1),
        "sku.edition": "enterprise",
        "sku.features": "ai-assistant,anomaly-detection,audit-log,csv-export,dashboards,"
        "eu-data-residency,pdf-export,reports-api,row-level-security,scheduled-reports,"
        "scim-provisioning,sso-saml",
        "sku.floor_price": Decimal("330.00"),
        "sku.list_price": Decimal("600.00"),
        "sku.min_margin": Decimal("0.60"),
        "sku.name": "Acme Analytics Enterprise, per user per year",
        "sku.product": "acme-analytics",
        "sku.sku": "AA-ENT-USER-Y",
        "sku.unit_cost": Decimal("140.00"),
    }


def test_a_commitment_rule_sees_the_feature_and_its_product(probed: DealResult) -> None:
    """The unknown feature matches nothing (its ``feature`` and ``product`` are null)."""
    found = findings_of(probed, "probe-commitment")
    assert [(f.subject, f.message, f.location, f.fingerprint) for f in found] == [
        ("feature:anomaly-detection:0", "commitment anomaly-detection", at(14, 15), "c1ad4b0d"),
        ("feature:legacy-reports-api:1", "commitment legacy-reports-api", at(15, 15), "95cccc41"),
    ]
    common = {
        "commitment.source": "structured",
        "feature.product": "acme-analytics",
        "product.id": "acme-analytics",
        "product.name": "Acme Analytics",
    }
    assert found[0].evidence == {
        **common,
        "feature.committable": True,
        "feature.end_of_life": None,
        "feature.id": "anomaly-detection",
        "feature.name": "Anomaly detection",
        "feature.status": "planned",
        "feature.target": date(2027, 3, 31),
    }
    assert found[1].evidence == {
        **common,
        "feature.committable": True,
        "feature.end_of_life": date(2027, 6, 30),
        "feature.id": "legacy-reports-api",
        "feature.name": "Legacy reports API",
        "feature.status": "deprecated",
        "feature.target": None,
    }


def test_the_unknown_feature_is_still_reported(probed: DealResult) -> None:
    (finding,) = findings_of(probed, "feature-unknown")
    assert finding.location == at(16, 15)


def test_a_customer_rule_points_at_the_customer_field(probed: DealResult) -> None:
    (finding,) = findings_of(probed, "probe-customer")
    assert (finding.message, finding.location) == ("customer in US", at(3, 37))


def test_a_rule_reading_no_deal_field_points_at_the_deal(probed: DealResult) -> None:
    (finding,) = findings_of(probed, "probe-today")
    assert (finding.message, finding.location, finding.evidence) == (
        "checked on 2026-11-22",
        at(1, 1),
        {},
    )


def test_a_commitment_from_a_clause_is_named_by_its_clause(
    probe_engine: Engine, check_deal: CheckDeal
) -> None:
    text = DEAL.replace(
        "  - {feature: legacy-reports-api, due: 2027-03-01}\n",
        "  - {feature: legacy-reports-api, due: 2027-03-01, clause: '4.2'}\n",
    )
    found = findings_of(check_deal(text, engine=probe_engine), "probe-commitment")
    assert [f.subject for f in found] == [
        "feature:anomaly-detection:0",
        "feature:legacy-reports-api:4.2",
    ]


def test_the_probe_rules_sit_beside_the_built_in_checks(probed: DealResult) -> None:
    assert sorted({f.rule for f in probed.findings}) == [
        "feature-retiring",
        "feature-roadmap-commitment",
        "feature-unknown",
        "probe-commitment",
        "probe-customer",
        "probe-deal",
        "probe-line",
        "probe-today",
    ]
