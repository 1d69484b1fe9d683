"""Deterministic generator of a large catalog and of synthetic deals for the benchmarks.

Run from the repository root::

    python benchmarks/generate.py --out benchmarks/out --deals 100000 --yaml-deals 5000

Writes (all under ``--out``, git-ignored):

* ``catalog/`` - a valid catalog: ``regions.yaml``, ``fx.yaml``, ``products/*.yaml``
  (default 100 products, 2,100 features in every status, 550 SKUs) and ``rules/*.yaml``
  (default 10 rule sets, 220 rules over the deal, line, commitment and clause scopes).
  ``dealcheck validate --catalog benchmarks/out/catalog --today 2026-11-22`` exits 0.
* ``deals.jsonl`` (``--jsonl``) - ``--deals`` deals, one per line, 5 lines each, some with
  commitments, clauses, partners, approvals and waivers.
* ``deals-yaml/`` (``--yaml-dir``) - ``--yaml-deals`` deals, one YAML file each.

The same ``--seed`` and sizes always give byte-identical files. Nothing here imports
``dealcheck``: the generator only writes files.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is much faster when present; output is the same
    from yaml import CSafeDumper as Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]

TODAY = date(2026, 11, 22)
CENT = Decimal("0.01")

# -- reference data --------------------------------------------------------------------------

REGION_GROUPS: dict[str, list[str]] = {
    "EU": [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ],  # fmt: skip
    "EEA": ["EU", "IS", "LI", "NO"],
    "EMEA": ["EEA", "GB", "CH", "AE", "SA", "QA", "IL", "TR", "ZA"],
    "DACH": ["DE", "AT", "CH"],
    "NORDICS": ["DK", "FI", "IS", "NO", "SE"],
    "BENELUX": ["BE", "NL", "LU"],
    "GCC": ["AE", "SA", "QA", "KW", "BH", "OM"],
    "NORAM": ["US", "CA"],
    "LATAM": ["MX", "BR", "AR", "CL", "CO", "PE"],
    "AMER": ["NORAM", "LATAM"],
    "ANZ": ["AU", "NZ"],
    "SEA": ["SG", "MY", "TH", "ID", "PH", "VN"],
    "APAC": ["ANZ", "SEA", "JP", "KR", "IN", "HK"],
    "PUBLIC-CLOUD-OK": ["NORAM", "EU", "GB", "ANZ", "JP", "SG"],
    "EMBARGOED": ["CU", "IR", "KP", "SY"],
}
REGION_NAMES = ["EU", "EEA", "EMEA", "DACH", "NORDICS", "GCC", "NORAM", "LATAM", "AMER", "ANZ"]
REGION_NAMES += ["SEA", "APAC"]

FX_RATES = {
    "EUR": "0.92", "GBP": "0.79", "AUD": "1.52", "NZD": "1.68", "CAD": "1.38", "CHF": "0.88",
    "SGD": "1.34", "JPY": "151.3", "SEK": "10.45", "NOK": "10.71", "DKK": "6.86",
    "BRL": "5.02", "MXN": "17.1", "INR": "83.2", "AED": "3.6725", "ZAR": "18.4",
}  # fmt: skip

# (country, currency, weight): where the generated customers are billed.
COUNTRIES: list[tuple[str, str, int]] = [
    ("US", "USD", 30), ("CA", "CAD", 4), ("GB", "GBP", 10), ("DE", "EUR", 8), ("FR", "EUR", 6),
    ("NL", "EUR", 4), ("IE", "EUR", 2), ("ES", "EUR", 2), ("IT", "EUR", 2), ("AT", "EUR", 1),
    ("CH", "CHF", 2), ("SE", "SEK", 2), ("NO", "NOK", 1), ("DK", "DKK", 1), ("AU", "AUD", 5),
    ("NZ", "NZD", 2), ("JP", "JPY", 4), ("SG", "SGD", 3), ("IN", "INR", 2), ("BR", "BRL", 2),
    ("MX", "MXN", 2), ("AE", "AED", 1), ("ZA", "ZAR", 1), ("KR", "USD", 1), ("CU", "USD", 0),
]  # fmt: skip
EMBARGOED = ["CU", "IR", "KP", "SY"]
SEGMENTS = ["enterprise", "mid-market", "smb", "public-sector", "education", "strategic"]

CODENAMES_A = "Orbit Nimbus Vertex Quartz Harbor Summit Cobalt Aurora Beacon Cascade Delta Ember"
CODENAMES_A += " Falcon Glacier Helix Ion Juniper Kestrel Lumen Meridian"
CODENAMES_B = "Analytics Connect Vault Flow Desk Insight Guard Pulse Sync Forge"
CUSTOMER_A = "Acorn Bluewater Crescent Dunmore Eastgate Fairview Greystone Highland Ironbark"
CUSTOMER_A += " Juniper Kingsley Larkspur Millbrook Northwind Oakridge Pinecrest Quayside"
CUSTOMER_B = "Logistics Bank Insurance Health Energy Retail Foods Pharma Capital Ports"
CUSTOMER_B += " Manufacturing Telecom University Credit-Union Airlines"
CUSTOMER_C = ["Ltd", "Inc.", "GmbH", "S.A.", "Pty Ltd", "plc", "B.V.", "AB", "K.K.", "LLC"]

# (slug, name, aliases): feature vocabulary, combined with a product codename for uniqueness.
FEATURES: list[tuple[str, str, list[str]]] = [
    ("dashboards", "dashboards", ["dashboard builder"]),
    ("csv-export", "CSV export", ["export to CSV"]),
    ("pdf-export", "PDF export", ["PDF reports"]),
    ("scheduled-reports", "scheduled reports", ["report scheduling"]),
    ("sso-saml", "SAML single sign-on", ["SAML SSO"]),
    ("scim", "SCIM provisioning", ["automated user provisioning"]),
    ("rbac", "role-based access control", ["RBAC"]),
    ("audit-log", "audit log", ["audit trail"]),
    ("api-v2", "REST API v2", ["public API"]),
    ("webhooks", "webhooks", ["event callbacks"]),
    ("mobile-app", "mobile app", ["iOS and Android apps"]),
    ("byok", "customer-managed keys", ["BYOK", "bring your own key"]),
    ("ip-allowlist", "IP allow-listing", ["IP allowlist"]),
    ("sandbox", "sandbox environments", ["test environment"]),
    ("ai-assistant", "AI assistant", ["AI copilot"]),
    ("data-residency", "EU data residency", ["EU hosting"]),
    ("private-link", "private networking", ["PrivateLink"]),
    ("anomaly-detection", "anomaly detection", ["anomaly alerts"]),
    ("forecasting", "predictive forecasting", ["ML forecasting"]),
    ("legacy-api", "legacy API v1", ["API v1"]),
    ("flash-ui", "Flash interface", ["Flash UI"]),
    ("offline-mode", "offline mode", ["offline sync"]),
    ("hipaa", "HIPAA workspace", ["HIPAA-compliant workspace"]),
    ("fedramp", "FedRAMP environment", ["FedRAMP"]),
    ("custom-domains", "custom domains", ["vanity domains"]),
]
# Status plan of one product's features (21 by default; repeated for more), in FEATURES order.
STATUS_PLAN = [
    "ga", "ga", "ga", "ga", "ga", "ga", "ga", "ga", "ga", "ga", "ga", "ga", "ga", "beta",
    "ga", "planned", "preview", "planned", "beta", "deprecated", "retired", "ga", "planned",
    "planned", "ga",
]  # fmt: skip

CLAUSES_RISKY = [
    "Provider shall grant Customer most-favoured-customer pricing for the term of this Agreement.",
    "Provider's prices to Customer shall be no less favorable prices than those offered to any other customer.",
    "Customer may terminate this Agreement for convenience on 30 days' written notice.",
    "Provider shall have unlimited liability for breaches of its data protection obligations.",
    "Upon each renewal, fees will not increase and Customer shall pay the same prices as in the initial term.",
    "Provider shall deposit the source code of the Service in escrow with an independent escrow agent.",
    "Provider shall build a custom integration with Customer's ERP system at no additional cost.",
    "Customer may run unlimited transactions across all of its environments.",
    "Provider shall pay liquidated damages of 2% of annual fees for each day of delay.",
    "Provider guarantees 99.99% uptime of the Service, measured monthly, with service credits.",
    "Customer has an exclusive right to the Service in the grocery sector for the term.",
    "Provider shall indemnify Customer against all third-party claims without limitation.",
]
CLAUSES_NEUTRAL = [
    "This Agreement is governed by the laws of the State of New York.",
    "Each party's total liability is capped at the fees paid in the twelve months preceding the claim.",
    "Either party may terminate this Agreement for material breach not cured within 30 days of written notice.",
    "Provider grants Customer a non-exclusive, non-transferable right to use the Service during the term.",
    "Pricing in this Order Form is confidential and specific to Customer.",
    "Invoices are issued annually in advance and payable within the agreed payment terms.",
    "Customer data remains the property of Customer and is returned on request at the end of the term.",
    "Provider shall maintain ISO 27001 certification for the duration of the Agreement.",
]
CLAUSE_FEATURE = [
    "Provider shall make {name} available to Customer no later than {due}.",
    "Provider will deliver {name} within 90 days of the Effective Date.",
    "Roadmap items such as {name} are not commitments and may change.",
    "Provider shall provide {name} to all Customer users from the Effective Date.",
]
# Regex patterns for clause rules: simple alternations, no nested quantifiers.
CLAUSE_PATTERNS = [
    "most[- ]favou?red",
    "no less favou?rable (price|prices|pricing|rates|fees)",
    "for (its )?convenience|without cause",
    "(unlimited|uncapped) liability",
    "liability[a-z ,]{0,60}(unlimited|uncapped)",
    "source[- ]code[a-z ,]{0,40}escrow",
    "custom (development|work|integration|report)",
    "free of charge|no (additional )?(charge|cost)",
    "exclusivity|exclusive (right|rights|supplier|basis|territory)",
    "unlimited (usage|use|users|seats|transactions|storage)",
    "liquidated damages|penalt(y|ies)",
    "service credits?",
    "indemnif(y|ies|ication)[a-z ,]{0,40}without limitation",
    "audit rights?|right to audit",
    "governed by the laws of",
    "benchmark(ing)? (test|tests|results)",
    "step[- ]in rights?",
    "(data|customer data) (shall|will) (remain|be stored) in",
    "price (lock|freeze)|frozen|will not increase",
    "assign(ment)? without (prior )?consent",
]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def num(value: Decimal) -> float | int:
    """A Decimal as a number JSON and YAML write exactly (the loaders read it back as Decimal).

    ``float`` is safe for the values used here: at most 2 decimal places and well below 1e15,
    so the shortest ``repr`` is the decimal text itself.
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# -- catalog ---------------------------------------------------------------------------------


@dataclass
class SkuInfo:
    sku: str
    product: str
    currency: str
    list_price: Decimal
    edition: str | None


@dataclass
class ProductInfo:
    id: str
    name: str
    codename: str
    currency: str
    features: list[dict[str, Any]] = field(default_factory=list)
    skus: list[SkuInfo] = field(default_factory=list)


def _codenames(n: int) -> list[tuple[str, str]]:
    out = []
    for b in CODENAMES_B.split():
        for a in CODENAMES_A.split():
            out.append((a, b))
    if n > len(out):
        raise SystemExit(f"at most {len(out)} products")
    return out[:n]


def _quarter(rng: random.Random, first_year: int = 2027) -> str:
    return f"{rng.choice([first_year, first_year, first_year + 1])}-Q{rng.randint(1, 4)}"


def make_product(
    rng: random.Random, index: int, codename: tuple[str, str], n_features: int
) -> tuple[dict[str, Any], ProductInfo]:
    a, b = codename
    pid = f"{a.lower()}-{b.lower()}"
    code = f"{a[:2]}{b[:2]}{index:03d}".upper()
    currency = rng.choices(["USD", "EUR", "GBP"], weights=[6, 3, 1])[0]
    info = ProductInfo(pid, f"{a} {b}", a, currency)

    features: list[dict[str, Any]] = []
    by_status: dict[str, list[str]] = {}
    for i in range(n_features):
        slug, base_name, aliases = FEATURES[i % len(FEATURES)]
        rnd = i // len(FEATURES)
        fid = f"{pid}-{slug}" + (f"-{rnd + 1}" if rnd else "")
        name = f"{a} {base_name}" + (f" {rnd + 1}" if rnd else "")
        status = STATUS_PLAN[i % len(STATUS_PLAN)]
        feat: dict[str, Any] = {
            "id": fid,
            "name": name,
            "aliases": [f"{a} {alias}" + (f" {rnd + 1}" if rnd else "") for alias in aliases],
            "status": status,
        }
        if status == "planned":
            if rng.random() < 0.5:
                feat["target"] = date(2027, rng.randint(1, 12), 28) + timedelta(
                    days=rng.randint(0, 3)
                )
                feat["committable"] = True
            else:
                feat["target"] = _quarter(rng)
                feat["committable"] = False
        elif status == "deprecated":
            feat["end_of_life"] = date(2027, rng.randint(1, 12), 1) + timedelta(
                days=rng.randint(0, 27)
            )
        elif status == "beta" and rng.random() < 0.3:
            feat["committable"] = True
        if slug == "ai-assistant" and rng.random() < 0.6:
            feat["restricted_in"] = [
                {"where": ["EU"], "reason": "Not yet assessed under the EU AI Act."}
            ]
        if slug == "fedramp":
            feat["restricted_in"] = [
                {
                    "where": ["EMEA", "APAC"],
                    "reason": "FedRAMP environment is for US public sector only.",
                    "severity": "warning",
                }
            ]
        features.append(feat)
        by_status.setdefault(status, []).append(fid)
        info.features.append(feat)

    ga = by_status.get("ga", [])
    std = ga[: max(1, len(ga) // 3)]
    pro = ga[len(std) : 2 * len(ga) // 3]
    ent = ga[2 * len(ga) // 3 :] + by_status.get("planned", [])[:2]
    editions = [
        {"id": "standard", "name": "Standard", "features": std},
        {"id": "professional", "name": "Professional", "includes": ["standard"], "features": pro},
        {"id": "enterprise", "name": "Enterprise", "includes": ["professional"], "features": ent},
    ]

    base = Decimal(rng.randrange(8, 120) * 10)
    skus: list[dict[str, Any]] = []

    def add_sku(suffix: str, name: str, list_price: Decimal, **kind: Any) -> None:
        cost = money(list_price * Decimal(rng.randint(18, 32)) / 100)
        sku: dict[str, Any] = {
            "sku": f"{code}-{suffix}",
            "name": f"{a} {b} {name}",
            **kind,
            "list_price": num(list_price),
            "unit_cost": num(cost),
            "floor_price": num(money(list_price * Decimal("0.55"))),
            "min_margin": num(Decimal(rng.choice([55, 58, 60, 62, 65])) / 100),
        }
        if rng.random() < 0.15:
            sku["available_from"] = date(
                rng.choice([2024, 2025, 2026, 2027]), rng.randint(1, 12), 1
            )
        if rng.random() < 0.1:
            sku["sellable_in"] = rng.sample(["AMER", "EMEA", "ANZ", "JP", "SEA"], 3)
        skus.append(sku)
        info.skus.append(SkuInfo(sku["sku"], pid, currency, list_price, kind.get("edition")))

    add_sku("STD-Y", "Standard, per user per year", base, edition="standard")
    add_sku(
        "PRO-Y",
        "Professional, per user per year",
        money(base * Decimal("1.75")),
        edition="professional",
    )
    add_sku("ENT-Y", "Enterprise, per user per year", base * 3, edition="enterprise")
    addons = (
        by_status.get("beta", []) + by_status.get("preview", []) + by_status.get("deprecated", [])
    )
    add_sku("ADD1-Y", "add-on pack, per organisation per year", base * 20, features=addons[:2])
    add_sku("ADD2-Y", "add-on, per user per year", money(base / 4), features=addons[2:4] or ga[-1:])
    if index % 2 == 0:
        add_sku("PS-DAY", "professional services day", Decimal(1800), features=ga[:1])

    doc: dict[str, Any] = {
        "kind": "Product",
        "id": pid,
        "name": f"{a} {b}",
        "labels": {"owner": f"{b.lower()}-pm", "generated": "benchmarks"},
        "currency": currency,
    }
    if rng.random() < 0.6:
        doc["sellable_in"] = rng.choice(
            [
                ["AMER", "EMEA", "APAC"],
                ["AMER", "EMEA"],
                ["NORAM", "EU", "GB", "ANZ"],
                ["PUBLIC-CLOUD-OK"],
            ]
        )
    restricted: list[dict[str, Any]] = [
        {
            "where": ["EMBARGOED"],
            "reason": "Export controls (EAR / OFAC sanctions).",
            "severity": "blocker",
        }
    ]
    if rng.random() < 0.2:
        restricted.append(
            {
                "where": [rng.choice(["AU", "IN", "BR", "TR"])],
                "reason": "Local certification pending; resale needs Legal.",
                "severity": "approval",
                "approver": "Legal",
            }
        )
    doc["restricted_in"] = restricted
    doc["sla"] = {"uptime": num(Decimal(rng.choice(["99.5", "99.9", "99.9", "99.95"])))}
    doc["features"] = features
    doc["editions"] = editions
    doc["skus"] = skus
    return doc, info


# -- rules -----------------------------------------------------------------------------------

# Each template: (scope, slug, when, message). ``{...}`` are filled by _fill.
# fmt: off
RULE_TEMPLATES: list[tuple[str, str, str, str]] = [
    # deal scope
    ("deal", "payment-terms", "deal.payment_terms_days > {days}", "Net {{deal.payment_terms_days}} payment terms exceed net {days}"),
    ("deal", "payment-band", "deal.payment_terms_days > {days} and deal.payment_terms_days <= {days2}", "Net {{deal.payment_terms_days}} payment terms"),
    ("deal", "long-term", "deal.term_months > {months}", "A {{deal.term_months}}-month term exceeds {months} months"),
    ("deal", "short-term", "deal.term_months < {short}", "A {{deal.term_months}}-month term is short"),
    ("deal", "big-deal", 'deal.currency in ["USD", "EUR", "GBP"] and deal.total > {bigtotal}', "Deal total {{deal.total}} {{deal.currency}} is large"),
    ("deal", "region-total", 'in_region(customer.country, "{region}") and deal.total > {total}', "Large deal in {region}"),
    ("deal", "region-terms", 'in_region(customer.country, "{region}") and deal.payment_terms_days > {days}', "Long terms in {region}"),
    ("deal", "deploy-region", 'any_in_region(deal.deployment_countries, "{region}") and deal.term_months >= {months}', "Deployment in {region}"),
    ("deal", "partner-margin", "partner != null and partner.margin > {pmargin}", "Partner {{partner.name}} keeps {{partner.margin:%}}"),
    ("deal", "partner-abroad", 'partner != null and not in_region(partner.country, "{region}")', "Partner {{partner.name}} is outside {region}"),
    ("deal", "free-months", "deal.free_months > deal.term_months / 12", "{{deal.free_months}} free months"),
    ("deal", "segment-terms", 'customer.segment == "{segment}" and deal.payment_terms_days > {days}', "{segment} deal with long terms"),
    ("deal", "public-long", 'customer.segment in ["public-sector", "education"] and deal.term_months > {months}', "Public-sector term"),
    ("deal", "deal-margin", "deal.margin < {margin}", "Blended margin {{deal.margin:%}} is low"),
    ("deal", "far-start", "days_between(today, deal.start_date) > {far}", "Start date {{deal.start_date}} is far out"),
    ("deal", "backdated", "days_between(today, deal.start_date) < 0", "Start date {{deal.start_date}} is in the past"),
    ("deal", "many-lines", "len(deal.lines) > {manylines}", "{{deal.id}} has many lines"),
    ("deal", "many-clauses", "len(deal.clauses) > {count}", "{{deal.id}} has many clauses"),
    ("deal", "fx-deal", 'deal.currency not in ["USD", "EUR", "GBP", "JPY", "INR"] and deal.total > {bigtotal}', "Large {{deal.currency}} deal"),
    ("deal", "high-sla", "deal.sla_uptime >= {uptime}", "Committed uptime {{deal.sla_uptime}}%"),
    ("deal", "late-end", 'deal.end_date > date("{end}")', "Contract ends {{deal.end_date}}"),
    ("deal", "bank-name", 'matches(customer.name, "bank|capital|credit") and deal.payment_terms_days > {days}', "Financial-services customer {{customer.name}}"),
    # line scope
    ("line", "discount-band", "line.discount > {lo} and line.discount <= {hi}", "{{line.sku}}: {{line.discount:%}} discount"),
    ("line", "discount-over", "line.discount > {top}", "{{line.sku}}: {{line.discount:%}} discount"),
    ("line", "effective-discount", "line.effective_discount > {effective}", "{{line.sku}}: effective discount {{line.effective_discount:%}}"),
    ("line", "line-margin", "line.margin < {margin}", "{{line.sku}}: margin {{line.margin:%}}"),
    ("line", "volume-discount", "line.quantity > {qty} and line.discount > {hi}", "{{line.sku}}: volume discount"),
    ("line", "line-total", 'line.total > {bigtotal} and deal.currency in ["USD", "EUR", "GBP"]', "{{line.sku}}: line total {{line.total}}"),
    ("line", "product-discount", 'line.product == "{product}" and line.discount > {lo}', "{{line.sku}}: discount on {product}"),
    ("line", "edition-discount", 'line.edition == "enterprise" and line.discount > {hi}', "{{line.sku}}: enterprise discount"),
    ("line", "new-sku", "days_between(sku.available_from, deal.start_date) >= 0 and days_between(sku.available_from, deal.start_date) < {soon}", "{{line.sku}} is new"),
    ("line", "sla-over-product", "deal.sla_uptime > product.sla_uptime and line.total > {total}", "{{line.sku}}: SLA above {{product.sla_uptime}}"),
    ("line", "near-floor", "line.net_unit < line.floor_price * {factor} and line.quantity >= {qty}", "{{line.sku}}: net {{line.net_unit}} is near the floor"),
    ("line", "region-discount", 'in_region(customer.country, "{region}") and line.discount > {hi}', "{{line.sku}}: discount in {region}"),
    ("line", "tiny-quantity", "line.quantity < {small} and line.discount > {lo}", "{{line.sku}}: only {{line.quantity}} units"),
    # commitment scope
    ("commitment", "close-to-target", 'feature.status == "planned" and days_between(feature.target, commitment.due) < {days}', "{{commitment.feature}} is due close to its target"),
    ("commitment", "not-ga", 'feature.status in ["beta", "preview"]', "{{commitment.feature}} is {{feature.status}}"),
    ("commitment", "product-early", 'feature != null and feature.product == "{product}" and commitment.due < date("{end}")', "{{commitment.feature}} due {{commitment.due}}"),
    ("commitment", "after-eol", "feature.end_of_life != null and commitment.due > feature.end_of_life", "{{commitment.feature}} ends {{feature.end_of_life}}"),
    ("commitment", "from-clause", 'commitment.source == "clause"', "Commitment inferred from clause {{commitment.clause}}"),
    ("commitment", "due-soon", "days_between(deal.start_date, commitment.due) < {soon}", "{{commitment.feature}} due {{commitment.due}}"),
    ("commitment", "not-committable", "feature.committable == false", "{{commitment.feature}} is not committable"),
    ("commitment", "unknown", "feature == null", "Unknown feature {{commitment.feature}}"),
    ("commitment", "unlinked", 'commitment.clause == null and feature.status != "ga"', "{{commitment.feature}} has no clause"),
    # clause scope
    ("clause", "pattern", 'matches(clause.text, "{pattern}")', "Clause {{clause.id}} needs review"),
    ("clause", "pattern-region", 'matches(clause.text, "{pattern}") and in_region(customer.country, "{region}")', "Clause {{clause.id}} in {region}"),
    ("clause", "pattern-total", 'matches(clause.text, "{pattern}") and deal.total > {total}', "Clause {{clause.id}} on a large deal"),
    ("clause", "long-clause", "len(clause.text) > {chars}", "Clause {{clause.id}} is long"),
    ("clause", "two-patterns", 'matches(clause.text, "{pattern}") and matches(clause.text, "{pattern2}")', "Clause {{clause.id}} combines risky terms"),
]
# fmt: on
SCOPE_WEIGHTS = {"deal": 30, "line": 35, "commitment": 15, "clause": 20}
APPROVERS = ["Sales Manager", "VP Sales", "CFO", "Finance", "Legal", "Product", "Channel Chief"]


def _fill(rng: random.Random, text: str, products: list[ProductInfo]) -> str:
    lo = Decimal(rng.choice([20, 25, 30, 35])) / 100
    values = {
        "days": rng.choice([60, 75, 90, 120]),
        "months": rng.choice([36, 48, 60]),
        "short": rng.choice([6, 12]),
        "total": rng.choice([250000, 500000, 1000000]),
        "bigtotal": rng.choice([5000000, 10000000, 20000000]),
        "region": rng.choice(REGION_NAMES),
        "pmargin": Decimal(rng.choice([25, 30, 35])) / 100,
        "margin": Decimal(rng.choice([35, 40, 45, 50])) / 100,
        "segment": rng.choice(SEGMENTS),
        "far": rng.choice([365, 450, 540]),
        "count": rng.choice([3, 4, 6]),
        "manylines": rng.choice([8, 10, 20]),
        "uptime": rng.choice(["99.95", "99.99"]),
        "end": f"{rng.choice([2031, 2032])}-{rng.choice(['03-31', '06-30', '12-31'])}",
        "lo": lo,
        "hi": lo + Decimal(rng.choice([5, 10, 15])) / 100,
        "top": Decimal(rng.choice([40, 45, 50])) / 100,
        "effective": Decimal(rng.choice([55, 60, 65])) / 100,
        "qty": rng.choice([500, 1000, 2000]),
        "small": rng.choice([2, 3]),
        "product": rng.choice(products).id,
        "factor": rng.choice(["1.02", "1.05"]),
        "pattern": rng.choice(CLAUSE_PATTERNS),
        "pattern2": rng.choice(CLAUSE_PATTERNS),
        "chars": rng.choice([200, 400, 800]),
        "soon": rng.choice([14, 30]),
    }
    values["days2"] = values["days"] + 30
    return text.format(**values)


def make_ruleset(
    rng: random.Random, index: int, n_rules: int, products: list[ProductInfo]
) -> dict[str, Any]:
    rsid = f"policy-{index:02d}"
    by_scope: dict[str, list[tuple[str, str, str, str]]] = {}
    for t in RULE_TEMPLATES:
        by_scope.setdefault(t[0], []).append(t)
    scopes = list(SCOPE_WEIGHTS)
    weights = list(SCOPE_WEIGHTS.values())
    rules = []
    for n in range(n_rules):
        # Cycle through the templates so every one is used, then pick at random.
        if index == 0 and n < len(RULE_TEMPLATES):
            scope, slug, when, message = RULE_TEMPLATES[n]
        else:
            scope = rng.choices(scopes, weights)[0]
            _, slug, when, message = rng.choice(by_scope[scope])
        seed_state = rng.getstate()
        when_text = _fill(rng, when, products)
        rng.setstate(seed_state)  # the message sees the same parameters as the condition
        message_text = _fill(rng, message, products)
        severity = rng.choices(["blocker", "approval", "warning", "info"], [1, 10, 6, 3])[0]
        rule: dict[str, Any] = {
            "id": f"{rsid}-{n:03d}-{slug}",
            "scope": scope,
            "when": when_text,
            "severity": severity,
        }
        if severity == "approval":
            rule["approver"] = rng.choice(APPROVERS)
        rule["category"] = {
            "deal": "terms",
            "line": "margin",
            "commitment": "feature",
            "clause": "clause",
        }[scope]
        rule["message"] = message_text
        rule["fix"] = "Change the deal, or get the approval this rule names."
        if rng.random() < 0.03:
            rule["enabled"] = False
        rules.append(rule)
    doc: dict[str, Any] = {
        "kind": "RuleSet",
        "id": rsid,
        "labels": {"owner": "deal-desk", "generated": "benchmarks"},
    }
    if index == 0:
        doc["min_deal_margin"] = 0.55
        doc["builtin"] = {"margin-below-floor": {"approver": "CFO"}}
    doc["rules"] = rules
    return doc


def write_yaml(path: Path, doc: Any, header: str = "") -> None:
    text = yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + text, encoding="utf-8")


def generate_catalog(
    out: Path, seed: int, n_products: int, n_features: int, n_rulesets: int, n_rules: int
) -> list[ProductInfo]:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "products").mkdir(parents=True)
    (out / "rules").mkdir()
    header = "# Generated by benchmarks/generate.py; do not edit.\n"
    write_yaml(out / "regions.yaml", {"kind": "Regions", "groups": REGION_GROUPS}, header)
    fx = {"kind": "FxRates", "base": "USD", "as_of": date(2026, 11, 2)}
    fx["rates"] = {k: num(Decimal(v)) for k, v in FX_RATES.items()}
    write_yaml(out / "fx.yaml", fx, header)
    products = []
    for i, codename in enumerate(_codenames(n_products)):
        doc, info = make_product(rng, i, codename, n_features)
        write_yaml(out / "products" / f"{info.id}.yaml", doc, header)
        products.append(info)
    for i in range(n_rulesets):
        doc = make_ruleset(rng, i, n_rules, products)
        write_yaml(out / "rules" / f"{doc['id']}.yaml", doc, header)
    return products


def load_product_infos(catalog: Path) -> list[ProductInfo]:
    """Re-read the SKUs and features a generated catalog holds (for ``--skip-catalog``)."""
    products = []
    for path in sorted((catalog / "products").glob("*.yaml")):
        doc = yaml.load(
            path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
        a = doc["name"].split()[0]
        info = ProductInfo(doc["id"], doc["name"], a, doc["currency"])
        info.features = doc["features"]
        info.skus = [
            SkuInfo(
                s["sku"],
                doc["id"],
                doc["currency"],
                Decimal(str(s["list_price"])),
                s.get("edition"),
            )
            for s in doc["skus"]
        ]
        products.append(info)
    return products


# -- deals -----------------------------------------------------------------------------------


def _dmy(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


class DealFactory:
    def __init__(self, products: list[ProductInfo], seed: int, lines: int) -> None:
        self.rng = random.Random(seed)
        self.products = products
        self.lines = lines
        self.countries = [c for c, _, _ in COUNTRIES]
        self.country_weights = [max(w, 0.02) for _, _, w in COUNTRIES]
        self.currency = {c: cur for c, cur, _ in COUNTRIES}
        self.rates = {k: Decimal(v) for k, v in FX_RATES.items()} | {"USD": Decimal(1)}
        self.rule_ids = [
            "policy-00-000-payment-terms",
            "discount-needs-manager",
            "feature-retiring",
        ]

    def deal(self, n: int) -> dict[str, Any]:
        rng = self.rng
        country = rng.choices(self.countries, self.country_weights)[0]
        currency = self.currency[country] if rng.random() < 0.8 else "USD"
        start = date(2026, 12, 1) + timedelta(days=rng.randrange(0, 400))
        term = rng.choices([12, 24, 36, 48, 60, 6], [30, 20, 30, 8, 5, 7])[0]
        name = " ".join(
            [rng.choice(CUSTOMER_A.split()), rng.choice(CUSTOMER_B.split()), rng.choice(CUSTOMER_C)]
        )
        deal: dict[str, Any] = {
            "kind": "Deal",
            "id": f"Q-{n:07d}",
            "customer": {"name": name, "country": country, "segment": rng.choice(SEGMENTS)},
        }
        if rng.random() < 0.15:
            other = rng.choice(self.countries[:20])
            deal["deployment_countries"] = sorted({country, other})
        deal["currency"] = currency
        deal["start_date"] = start.isoformat()
        deal["term_months"] = term
        deal["payment_terms_days"] = rng.choices([30, 45, 60, 90, 120], [50, 15, 25, 7, 3])[0]
        free = rng.choices([0, 1, 2, 3], [80, 10, 6, 4])[0]
        deal["free_months"] = min(free, term - 1)
        partner_margin = Decimal(0)
        if rng.random() < 0.3:
            partner_margin = Decimal(rng.choice([10, 15, 20, 25, 30, 35])) / 100
            deal["partner"] = {
                "name": f"{rng.choice(CUSTOMER_A.split())} IT Partners",
                "country": country,
                "margin": num(partner_margin),
            }

        bought = rng.sample(self.products, rng.choice([1, 1, 2]))
        skus = [s for p in bought for s in p.skus]
        lines = []
        for _ in range(self.lines):
            s = rng.choice(skus)
            discount = (
                Decimal(
                    rng.choices(
                        [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50],
                        [25, 15, 18, 14, 12, 6, 4, 2, 2, 1, 1],
                    )[0]
                )
                / 100
            )
            if s.sku.endswith("ADD1-Y"):  # per organisation
                quantity = rng.choice([1, 1, 1, 2, 3])
            elif s.sku.endswith("PS-DAY"):
                quantity = rng.choice([5, 10, 20, 40])
            else:
                quantity = rng.choice([5, 10, 20, 25, 50, 75, 100, 150, 250, 500, 1200, 1])
            line: dict[str, Any] = {"sku": s.sku, "quantity": quantity}
            if rng.random() < 0.005:
                line["sku"] = s.sku.replace("-Y", "-X")  # sku-unknown, with a suggestion
            if rng.random() < 0.5:
                line["discount"] = num(discount)
            else:
                in_deal = s.list_price / self.rates[s.currency] * self.rates[currency]
                line["unit_price"] = num(money(in_deal * (1 - discount)))
            lines.append(line)
        deal["lines"] = lines

        features = [f for p in bought for f in p.features]
        commitments = []
        clauses = []
        if rng.random() < 0.3:
            for _ in range(rng.choice([1, 1, 2, 3])):
                f = rng.choice(features)
                c: dict[str, Any] = {"feature": f["id"]}
                if rng.random() < 0.01:
                    c["feature"] = f["id"] + "-x"  # feature-unknown, with a suggestion
                if rng.random() < 0.8:
                    c["due"] = (start + timedelta(days=rng.randrange(0, 540))).isoformat()
                commitments.append(c)
        if rng.random() < 0.4:
            for k in range(rng.choice([1, 2, 3, 4])):
                roll = rng.random()
                if roll < 0.35:
                    text = rng.choice(CLAUSES_RISKY)
                elif roll < 0.8:
                    text = rng.choice(CLAUSES_NEUTRAL)
                else:
                    f = rng.choice(features)
                    due = start + timedelta(days=rng.randrange(30, 400))
                    text = rng.choice(CLAUSE_FEATURE).format(name=f["name"], due=_dmy(due))
                clauses.append({"id": f"{rng.randint(2, 14)}.{k + 1}", "text": text})
            if commitments and rng.random() < 0.5:
                commitments[0]["clause"] = clauses[0]["id"]
        if commitments:
            deal["commitments"] = commitments
        if rng.random() < 0.1:
            deal["sla_uptime"] = num(Decimal(rng.choice(["99.5", "99.9", "99.95", "99.99"])))
        if clauses:
            deal["clauses"] = clauses
        if rng.random() < 0.1:
            deal["approvals"] = [
                {
                    "rule": rng.choice(self.rule_ids),
                    "approver": rng.choice(APPROVERS),
                    "by": "Dana Whitfield",
                    "on": (TODAY - timedelta(days=rng.randrange(1, 30))).isoformat(),
                    "ref": f"DD-{rng.randint(1000, 9999)}",
                }
            ]
        if rng.random() < 0.05:
            deal["waivers"] = [
                {
                    "rule": rng.choice(self.rule_ids),
                    "reason": "Customer letter on file.",
                    "approved_by": "Head of Product",
                    "expires": (TODAY + timedelta(days=rng.randrange(-60, 300))).isoformat(),
                }
            ]
        return deal

    def deals(self, count: int) -> Iterator[dict[str, Any]]:
        for n in range(1, count + 1):
            yield self.deal(n)


def write_jsonl(path: Path, factory: DealFactory, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for deal in factory.deals(count):
            fh.write(json.dumps(deal, ensure_ascii=False, separators=(",", ":")))
            fh.write("\n")


def write_yaml_deals(directory: Path, factory: DealFactory, count: int) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for n, deal in enumerate(factory.deals(count), start=1):
        write_yaml(directory / f"deal-{n:06d}.yaml", deal)


# -- command line ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("benchmarks/out"), help="output directory")
    p.add_argument("--seed", type=int, default=20261122, help="random seed (default %(default)s)")
    p.add_argument("--products", type=int, default=100, help="products (default %(default)s)")
    p.add_argument("--features-per-product", type=int, default=21, help="default %(default)s")
    p.add_argument("--rulesets", type=int, default=10, help="rule sets (default %(default)s)")
    p.add_argument("--rules-per-set", type=int, default=22, help="default %(default)s")
    p.add_argument("--deals", type=int, default=100_000, help="JSONL deals (default %(default)s)")
    p.add_argument("--jsonl", type=Path, help="JSONL file (default OUT/deals.jsonl)")
    p.add_argument("--lines", type=int, default=5, help="lines per deal (default %(default)s)")
    p.add_argument(
        "--yaml-deals", type=int, default=5000, help="YAML deal files (default %(default)s)"
    )
    p.add_argument("--yaml-dir", type=Path, help="YAML deal directory (default OUT/deals-yaml)")
    p.add_argument("--skip-catalog", action="store_true", help="reuse OUT/catalog as it is")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out
    catalog = out / "catalog"
    started = time.perf_counter()
    if args.skip_catalog and catalog.exists():
        products = load_product_infos(catalog)
    else:
        products = generate_catalog(
            catalog,
            args.seed,
            args.products,
            args.features_per_product,
            args.rulesets,
            args.rules_per_set,
        )
    n_skus = sum(len(p.skus) for p in products)
    n_features = sum(len(p.features) for p in products)
    rules = "reused" if args.skip_catalog else f"{args.rulesets * args.rules_per_set} rules"
    print(
        f"catalog: {catalog} ({len(products)} products, {n_features} features, {n_skus} SKUs, "
        f"{rules})"
    )
    if args.deals:
        jsonl = args.jsonl or out / "deals.jsonl"
        write_jsonl(jsonl, DealFactory(products, args.seed + 1, args.lines), args.deals)
        print(f"deals:   {jsonl} ({args.deals} deals)")
    if args.yaml_deals:
        yaml_dir = args.yaml_dir or out / "deals-yaml"
        write_yaml_deals(
            yaml_dir, DealFactory(products, args.seed + 2, args.lines), args.yaml_deals
        )
        print(f"deals:   {yaml_dir}/ ({args.yaml_deals} files)")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
