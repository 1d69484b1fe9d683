"""Pricing at its edges, with literal expected values (worked out by hand in the comments):
SKUs without a floor or a minimum margin, a list price of 0, a net unit price between 0
and 1, contracts starting in October to December over 33 to 36 months, rules reading
``line.product`` and ``line.edition``; and feature gating at its edges."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from dealcheck.engine import Engine
from dealcheck.findings import DealResult
from dealcheck.models import DealBody, validate_model
from dealcheck.pricing import CatalogPrices, add_months, price_line
from dealcheck.yamlio import SourceMap
from tests.conftest import REPO, build_engine

TODAY = "2026-11-22"


def _price(
    list_price: str = "420.00",
    cost: str = "100.00",
    floor: str | None = None,
    min_margin: str | None = None,
    **changes: Any,
) -> tuple[Any, ...]:
    args: dict[str, Any] = {
        "index": 1,
        "sku": "S",
        "quantity": D(10),
        "unit_price": None,
        "discount": None,
        "term_months": 12,
        "free_months": 0,
        "partner_margin": D(0),
        "deal_rate": D(1),
        "product_rate": D(1),
        "catalog_sku": CatalogPrices(
            "p", "e", "USD", D(list_price), D(cost), D(floor) if floor else None,
            D(min_margin) if min_margin else None,
        ),
    }  # fmt: skip
    args.update(changes)
    line = price_line(**args)
    return (
        line.unit_price,
        line.discount,
        line.net_unit,
        line.effective_discount,
        line.margin,
        line.total,
        line.floor_price,
        line.min_margin,
    )


# (what, price_line arguments, (unit_price, discount, net_unit, effective_discount, margin,
#  total, floor_price, min_margin))
EDGES = [
    # list 0: a discount prices at 0; nothing divides by the list price or a net of 0
    ("list-0-discount", {"list_price": "0", "cost": "0", "discount": D("0.1")},
     (D("0.0"), D("0.1"), D("0.0"), None, None, D("0.0"), None, None)),
    # list 0, a price of 5: no discount can be derived; margin (5 - 0) / 5 = 1
    ("list-0-price", {"list_price": "0", "cost": "0", "unit_price": D(5)},
     (D(5), None, D(5), None, D(1), D(50), None, None)),
    # a net between 0 and 1: 1.00 at 50% off is 0.50; margin (0.50 - 0.20) / 0.50 = 0.6
    ("net-between-0-and-1", {"list_price": "1.00", "cost": "0.20", "discount": D("0.5")},
     (D("0.500"), D("0.5"), D("0.500"), D("0.5"), D("0.6"), D("5.000"), None, None)),
    # a price of 0: discount 1 - 0/420 = 1, margin undefined (no net to divide by)
    ("price-0", {"unit_price": D(0)}, (D(0), D(1), D(0), D(1), None, D(0), None, None)),
    # unit_price <-> discount: 378 on 420 is exactly 10% off
    ("price-to-discount", {"unit_price": D("378.00")},
     (D("378.00"), D("0.1"), D("378.00"), D("0.1"),
      D("0.7354497354497354497354497354"), D("3780.00"), None, None)),
    # 420 x 0.9 = 378, x 0.75 (partner) = 283.5, x 33/36 (3 free months) = 259.875;
    # effective discount 1 - 259.875/420 = 0.38125; total 378 x 10 x 36/12 = 11340
    ("partner-and-free-months",
     {"discount": D("0.1"), "partner_margin": D("0.25"), "term_months": 36, "free_months": 3},
     (D("378.000"), D("0.1"), D("259.87500"), D("0.38125"),
      D("0.6151996151996151996151996152"), D("11340.000"), None, None)),
    # with a floor and a minimum margin they are carried through unchanged
    ("floor-and-min-margin", {"floor": "240.00", "min_margin": "0.58", "discount": D("0.1")},
     (D("378.000"), D("0.1"), D("378.000"), D("0.1"),
      D("0.7354497354497354497354497354"), D("3780.000"), D("240.00"), D("0.58"))),
]  # fmt: skip


@pytest.mark.parametrize(("what", "changes", "expected"), EDGES, ids=[e[0] for e in EDGES])
def test_price_line_edges(what: str, changes: dict[str, Any], expected: tuple[Any, ...]) -> None:
    got = _price(**changes)
    assert got == expected
    # equal Decimals are not enough: the exponent is what a report prints
    assert [str(v) for v in got] == [str(v) for v in expected]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 10, 31), 33, date(2030, 7, 31)),
        (date(2027, 10, 1), 36, date(2030, 10, 1)),
        (date(2027, 11, 30), 34, date(2030, 9, 30)),
        (date(2027, 12, 31), 35, date(2030, 11, 30)),  # clamped to November's last day
        (date(2027, 12, 31), 36, date(2030, 12, 31)),
        (date(2027, 12, 31), 38, date(2031, 2, 28)),
        (date(2026, 12, 31), 38, date(2030, 2, 28)),
        (date(2027, 11, 30), 27, date(2030, 2, 28)),
        (date(2025, 12, 31), 26, date(2028, 2, 29)),  # leap year
    ],
)
def test_contract_end_across_year_ends(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end


# -- through the engine -----------------------------------------------------------------


def _deal(**changes: Any) -> dict[str, Any]:
    deal: dict[str, Any] = {
        "customer": {"name": "T", "country": "US", "segment": "enterprise"},
        "currency": "USD",
        "start_date": date(2027, 1, 1),
        "term_months": 12,
        "payment_terms_days": 30,
        "lines": [{"sku": "AA-PRO-USER-Y", "quantity": 10, "discount": D("0.10")}],
    }
    deal.update(copy.deepcopy(changes))
    return deal


def check(engine: Engine, data: dict[str, Any]) -> DealResult:
    deal, problems = validate_model(DealBody, data, SourceMap("t.yaml"))
    assert not problems, [str(p) for p in problems]
    assert isinstance(deal, DealBody)
    return engine.check(deal, SourceMap("t.yaml"))


def _edited_catalog(root: Path, edits: list[tuple[str, str]], rules: str = "") -> Path:
    shutil.copytree(REPO / "products", root / "products")
    shutil.copytree(REPO / "rules", root / "rules")
    path = root / "products" / "acme-analytics.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    if rules:
        (root / "rules" / "extra.yaml").write_text(rules, encoding="utf-8")
    return root


PRO = """    list_price: 420.00
    unit_cost: 100.00
    floor_price: 240.00
    min_margin: 0.58
"""


def test_a_sku_without_floor_or_minimum_margin(tmp_path: Path) -> None:
    root = _edited_catalog(tmp_path, [(PRO, "    list_price: 420.00\n    unit_cost: 100.00\n")])
    engine = build_engine(root / "products", root / "rules")
    # 85% off: 63.00, below the old floor (240) and a margin of 37% (below the old 58%)
    result = check(
        engine, _deal(lines=[{"sku": "AA-PRO-USER-Y", "quantity": 10, "discount": D("0.85")}])
    )
    rules = sorted(f.rule for f in result.findings)
    # no line floor or minimum to fall below; the deal minimum (55%) still applies:
    # (63 - 100) / 63 is negative
    assert rules == ["deal-margin-below-floor", "discount-needs-cfo"]
    assert result.lines[0].floor_price is None and result.lines[0].min_margin is None
    assert result.lines[0].net_unit == D("63.000")


def test_a_list_price_of_0_in_every_format(tmp_path: Path) -> None:
    root = _edited_catalog(tmp_path, [(PRO, "    list_price: 0\n    unit_cost: 0\n")])
    deals = root / "deals"
    deals.mkdir()
    base = (REPO / "examples/deals/ridgeway-retail.yaml").read_text(encoding="utf-8")
    (deals / "discount.yaml").write_text(base, encoding="utf-8")
    (deals / "price.yaml").write_text(
        base.replace("Q-2026-0155", "Q-2026-0156").replace("discount: 0.35", "unit_price: 5"),
        encoding="utf-8",
    )
    (deals / "zero.yaml").write_text(
        base.replace("Q-2026-0155", "Q-2026-0157").replace("discount: 0.35", "unit_price: 0"),
        encoding="utf-8",
    )
    script = Path(sys.executable).with_name("dealcheck")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "dealcheck"]
    for fmt in ("text", "json", "html", "markdown", "sarif", "junit", "github"):
        done = subprocess.run(
            [*command, "check", "deals", "--format", fmt, "--today", TODAY, "--jobs", "1"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode in (0, 3), (fmt, done.returncode, done.stderr)


def test_rules_read_line_product_and_edition(tmp_path: Path) -> None:
    rules = (
        "kind: RuleSet\nid: editions\nrules:\n"
        "  - id: enterprise-analytics-note\n    scope: line\n"
        "    when: line.product == 'acme-analytics' and line.edition == 'enterprise'\n"
        "    severity: warning\n    message: 'Enterprise analytics on line {line.index}'\n"
    )
    root = _edited_catalog(tmp_path, [], rules)
    engine = build_engine(root / "products", root / "rules")
    lines = [
        {"sku": "AA-PRO-USER-Y", "quantity": 10, "discount": D("0.10")},
        {"sku": "AA-ENT-USER-Y", "quantity": 10, "discount": D("0.10")},
        {"sku": "NO-SUCH-SKU", "quantity": 10, "unit_price": D("1.00")},
    ]
    result = check(engine, _deal(lines=lines))
    notes = [f for f in result.findings if f.rule == "enterprise-analytics-note"]
    assert [(f.subject, f.message) for f in notes] == [
        ("line:2:AA-ENT-USER-Y", "Enterprise analytics on line 2")
    ]
    assert [(line.product, line.edition) for line in result.lines] == [
        ("acme-analytics", "professional"),
        ("acme-analytics", "enterprise"),
        (None, None),
    ]


# -- feature gating -------------------------------------------------------------------------

SSO = "    aliases: [SSO, single sign-on, SAML SSO]\n    status: ga\n"
SCIM = "    aliases: [SCIM, automated user provisioning]\n    status: ga\n"
AI_EU = (
    "        reason: Not yet assessed under the EU AI Act; Legal has not cleared it for EU users.\n"
)


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = _edited_catalog(
        tmp_path_factory.mktemp("gated"),
        [
            (SSO, SSO + "    target: 2027-09-30\n"),  # GA, with a leftover target
            (
                AI_EU,
                AI_EU + "        severity: warning\n      - where: [CA]\n"
                "        reason: Needs Legal review in Canada.\n"
                "        severity: approval\n        approver: Legal\n",
            ),
        ],
    )
    return build_engine(root / "products", root / "rules")


@pytest.fixture(scope="module")
def ending(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """SCIM stays GA but has an end of life: a date the PM set without deprecating it."""
    root = _edited_catalog(
        tmp_path_factory.mktemp("ending"), [(SCIM, SCIM + "    end_of_life: 2027-06-30\n")]
    )
    return build_engine(root / "products", root / "rules")


def _commit(engine: Engine, feature: str, country: str = "US", term: int = 12) -> DealResult:
    return check(
        engine,
        _deal(
            customer={"name": "T", "country": country, "segment": "enterprise"},
            term_months=term,
            lines=[{"sku": "AA-ENT-USER-Y", "quantity": 10, "discount": D("0.10")}],
            commitments=[{"feature": feature, "due": date(2027, 3, 1)}],
        ),
    )


def test_a_ga_feature_with_a_leftover_target_is_simply_available(gated: Engine) -> None:
    result = _commit(gated, "sso-saml")
    assert (result.verdict, result.findings) == ("pass", [])


def test_restriction_severities_warning_and_approval(gated: Engine) -> None:
    eu = _commit(gated, "ai-assistant", "DE")
    assert [(f.rule, f.severity, f.approver) for f in eu.findings] == [
        ("feature-restricted", "warning", None)
    ]
    assert eu.verdict == "pass"
    ca = _commit(gated, "ai-assistant", "CA")
    assert [(f.rule, f.severity, f.approver) for f in ca.findings] == [
        ("feature-restricted", "approval", "Legal")
    ]
    assert ca.verdict == "needs-approval"
    assert _commit(gated, "ai-assistant", "US").findings == []


def test_a_non_deprecated_feature_with_an_end_of_life_is_not_promised_past_it(
    ending: Engine,
) -> None:
    # SCIM ends on 2027-06-30; a 36-month contract from 2027-01-01 promises it to 2030
    result = _commit(ending, "scim-provisioning", term=36)
    (retiring,) = [f for f in result.findings if f.rule == "feature-retiring"]
    assert (retiring.severity, retiring.approver) == ("approval", "Product")
    assert retiring.evidence["end_of_life"] == date(2027, 6, 30)
    assert retiring.evidence["contract_end"] == date(2030, 1, 1)
    # a shorter contract that ends before the date is fine
    shorter = _commit(ending, "scim-provisioning", term=5).findings
    assert not [f for f in shorter if f.rule == "feature-retiring"]
