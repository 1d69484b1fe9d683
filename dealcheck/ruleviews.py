"""What a catalog rule sees of a deal, and running rules over it (SPEC §5).

A rule's condition, message and fix are compiled functions of its scope's names
(``deal``, ``customer``, ``partner``, ``today``, then ``line``/``sku``/``product``,
``commitment``/``feature``/``product`` or ``clause``). The views here are what those names
hold: plain, slotted records built once per catalog (SKUs, products; features on first
use) or once per deal (the deal). :func:`fired` is the engine's hot loop; :func:`follow`
reads a condition's field back for a finding's evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck.catalog import FeatureEntry
from dealcheck.checks.base import ClauseRef, CommitmentRef
from dealcheck.models import Product
from dealcheck.pricing import LinePrice

if TYPE_CHECKING:
    from dealcheck.rules import CompiledRule

__all__ = [
    "DealView",
    "FeatureView",
    "ProductView",
    "SkuView",
    "feature_view",
    "fired",
    "follow",
    "product_view",
    "scope_names",
]


@dataclass(slots=True)
class DealView:
    id: str
    currency: str
    start_date: date
    end_date: date
    term_months: int
    payment_terms_days: int | None
    free_months: int
    date_format: str
    sla_uptime: Decimal | None
    total: Decimal | None
    margin: Decimal | None
    countries: list[str]
    deployment_countries: list[str]
    customer: Any
    partner: Any
    lines: list[LinePrice]
    commitments: list[CommitmentRef]
    clauses: list[ClauseRef]


@dataclass(frozen=True, slots=True)
class SkuView:
    sku: str
    name: str
    product: str
    edition: str | None
    features: list[str]
    list_price: Decimal
    unit_cost: Decimal
    floor_price: Decimal | None
    min_margin: Decimal | None
    available_from: date | None


@dataclass(frozen=True, slots=True)
class ProductView:
    id: str
    name: str
    currency: str
    sla_uptime: Decimal | None


@dataclass(frozen=True, slots=True)
class FeatureView:
    id: str
    name: str
    status: str
    target: date | None
    end_of_life: date | None
    committable: bool
    product: str


def product_view(p: Product) -> ProductView:
    return ProductView(p.id, p.name, p.currency, p.sla.uptime if p.sla else None)


def feature_view(e: FeatureEntry) -> FeatureView:
    f = e.feature
    return FeatureView(
        f.id, f.name, f.status, f.target, f.end_of_life, f.is_committable, e.product.id
    )


# -- running rules ---------------------------------------------------------------------------


def fired(rules: list[CompiledRule], args: tuple[Any, ...]) -> list[CompiledRule]:
    """The rules whose condition is true for ``args``: the hot loop of the engine."""
    try:
        return [rule for rule in rules if rule.condition.fn(*args) is True]
    except ArithmeticError:
        # Numbers are bounded at load, so this is not expected; if absurd input still
        # overflows, that rule is false (like a comparison with null) and the rest run.
        out = []
        for rule in rules:
            try:
                if rule.condition.fn(*args) is True:
                    out.append(rule)
            except ArithmeticError:
                continue
        return out


def scope_names(scope: str) -> tuple[str, ...]:
    from dealcheck.expr import SCOPES

    return SCOPES[scope]  # the import is a dictionary look-up once the module is loaded


def follow(value: Any, attrs: Sequence[str]) -> Any:
    """The value at ``attrs`` below ``value`` (``None`` along a missing link); a list as
    rules' evidence shows it: its length, or text items joined with commas."""
    for part in attrs:
        if value is None:
            return None
        value = getattr(value, part, None)
    if isinstance(value, list):
        return len(value) if value and not isinstance(value[0], str) else ",".join(value)
    return value
