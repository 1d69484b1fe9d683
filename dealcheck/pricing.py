"""Derived quantities of SPEC §3, exact: ``Decimal`` only, nothing rounded until display.

Sales margin (what the customer is discounted, what the partner keeps, the free months)
and product margin (what the company keeps minus what a unit costs) are different
numbers; a :class:`LinePrice` carries both, and the price waterfall from list to net.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import lru_cache

ONE = Decimal(1)
TWELVE = Decimal(12)
CENT = Decimal("0.01")
TENTH_PERCENT = Decimal("0.001")


@lru_cache(maxsize=4096)
def add_months(start: date, months: int) -> date:
    """``start`` plus a number of calendar months (the day is clamped to the month's end).

    Remembered: every deal asks for its end date several times (rules, checks, the
    packet), and a batch holds few distinct start dates and terms."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def convert(amount: Decimal, rate_from: Decimal, rate_to: Decimal) -> Decimal:
    """``amount`` in currency X to currency Y: ``amount / rate(X) * rate(Y)`` (SPEC §2.2)."""
    if rate_from == rate_to:
        return amount
    return amount / rate_from * rate_to


# Contexts by precision, made once: a report rounds dozens of numbers per deal.
_CONTEXTS: dict[int, Context] = {}


def rounded(value: Decimal, step: Decimal) -> Decimal:
    """``value`` rounded half-even to ``step`` (display only), whatever its size: the default
    context's 28 digits cannot hold ``unit_price: 1e99`` to the cent."""
    digits = max(value.adjusted(), 0) - int(step.as_tuple().exponent) + 2
    prec = max(28, digits)
    context = _CONTEXTS.get(prec)
    if context is None:
        context = _CONTEXTS[prec] = Context(prec=prec)
    return value.quantize(step, rounding=ROUND_HALF_EVEN, context=context)


def money(value: Decimal) -> str:
    """Display money: two places, half-even (display only; checks never round)."""
    return str(rounded(value, CENT))


def percent(value: Decimal, places: int = 1) -> str:
    """Display a fraction as a percentage to 0.1 % (or ``places``), half-even."""
    step = Decimal(1).scaleb(-places)
    return f"{rounded(value * 100, step)}%"


def percents(value: Decimal, limit: Decimal) -> tuple[str, str]:
    """Two percentages shown with enough places to tell them apart (54.99 % vs 55.0 %)."""
    for places in (1, 2, 3, 4):
        shown = percent(value, places), percent(limit, places)
        if value == limit or shown[0] != shown[1]:
            return shown
    return shown


@dataclass(slots=True)
class LinePrice:
    """One quote line with every derived quantity; the names are those rules see as ``line.*``.

    Deal-currency amounts: ``unit_price``, ``list_price``, ``total``. Product-currency
    amounts: ``net_unit``, ``floor_price``, ``unit_cost`` and the waterfall steps.
    Fields are ``None`` when they cannot be derived (unknown SKU, no FX rate).
    """

    index: int
    sku: str
    quantity: Decimal
    unit_price: Decimal | None
    list_price: Decimal | None
    discount: Decimal | None
    net_unit: Decimal | None
    effective_discount: Decimal | None
    margin: Decimal | None
    total: Decimal | None
    floor_price: Decimal | None
    unit_cost: Decimal | None
    min_margin: Decimal | None
    product: str | None
    edition: str | None
    product_currency: str | None = None
    # The waterfall, per unit per year in the product currency.
    list_product: Decimal | None = None
    after_discount: Decimal | None = None
    after_partner: Decimal | None = None


def price_line(
    *,
    index: int,
    sku: str,
    quantity: Decimal,
    unit_price: Decimal | None,
    discount: Decimal | None,
    term_months: int,
    free_months: int,
    partner_margin: Decimal,
    deal_rate: Decimal | None,
    product_rate: Decimal | None,
    catalog_sku: CatalogPrices | None,
) -> LinePrice:
    """Derive a line's prices. ``*_rate`` are FX rates per base unit (``None``: no rate).

    Every quantity is worked out into a local first and the line is built in one call:
    a batch prices millions of lines, and setting slots one by one costs more than the
    arithmetic."""
    list_price = net_unit = effective_discount = margin = total = None
    after_discount = after_partner = None
    if catalog_sku is None:
        if unit_price is not None:
            total = unit_price * quantity * Decimal(term_months) / TWELVE
        return LinePrice(
            index, sku, quantity, unit_price, None, discount, None, None, None, total,
            None, None, None, None, None,
        )  # fmt: skip
    if deal_rate is not None and product_rate is not None:
        list_price = convert(catalog_sku.list_price, product_rate, deal_rate)
        if unit_price is None and discount is not None:
            unit_price = list_price * (ONE - discount)
        elif unit_price is not None:
            discount = ONE - unit_price / list_price if list_price else None
        if unit_price is not None:
            term = Decimal(term_months)
            total = unit_price * quantity * term / TWELVE
            after_discount = convert(unit_price, deal_rate, product_rate)
            after_partner = after_discount * (ONE - partner_margin)
            net_unit = after_partner * (term - free_months) / term
            if catalog_sku.list_price:
                effective_discount = ONE - net_unit / catalog_sku.list_price
            if net_unit > 0:
                margin = (net_unit - catalog_sku.unit_cost) / net_unit
    elif unit_price is not None:
        total = unit_price * quantity * Decimal(term_months) / TWELVE
    return LinePrice(
        index, sku, quantity, unit_price, list_price, discount, net_unit, effective_discount,
        margin, total, catalog_sku.floor_price, catalog_sku.unit_cost, catalog_sku.min_margin,
        catalog_sku.product, catalog_sku.edition, catalog_sku.currency, catalog_sku.list_price,
        after_discount, after_partner,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class CatalogPrices:
    """What pricing needs of a catalog SKU (product currency)."""

    product: str
    edition: str | None
    currency: str
    list_price: Decimal
    unit_cost: Decimal
    floor_price: Decimal | None
    min_margin: Decimal | None


def deal_margin(lines: list[LinePrice]) -> Decimal | None:
    """Blended product margin: ``Σ q·(net − cost) / Σ q·net`` over lines with known SKUs."""
    revenue = Decimal(0)
    profit = Decimal(0)
    for line in lines:
        if line.net_unit is None or line.unit_cost is None:
            continue
        revenue += line.quantity * line.net_unit
        profit += line.quantity * (line.net_unit - line.unit_cost)
    return profit / revenue if revenue > 0 else None


def deal_total(lines: list[LinePrice]) -> Decimal | None:
    """``Σ line.total`` in the deal currency; ``None`` when a line's total cannot be derived
    (a discount on an unknown SKU, no FX rate): a partial sum would understate the deal."""
    if any(line.total is None for line in lines):
        return None
    return sum((line.total for line in lines if line.total is not None), Decimal(0))
