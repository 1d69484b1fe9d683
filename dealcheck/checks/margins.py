"""Margin checks: what the company actually keeps must clear the floor and the margin minimum.

``net_unit`` is the price after the sales discount, the partner's margin and the free
months, in the product currency; ``margin`` is ``(net_unit - cost) / net_unit`` (see
docs/formats.md#derived-quantities).
"""

from __future__ import annotations

from decimal import Decimal

from dealcheck.checks.base import DealContext, check
from dealcheck.checks.index import PERCENT_PLACES, SkuFacts
from dealcheck.pricing import money, percent, percents


def _price_key(ctx: DealContext, index: int) -> str:
    """The key that set the line's price: ``unit_price`` or ``discount``."""
    return "unit_price" if ctx.deal.lines[index - 1].unit_price is not None else "discount"


def _floor_text(facts: SkuFacts | None, floor: Decimal) -> str:
    """``money(floor)``, read from the catalog index when it is the SKU's own floor."""
    if facts is not None and facts.floor_price is floor and facts.floor_text is not None:
        return facts.floor_text
    return money(floor)


def _percents(margin: Decimal, minimum: Decimal, facts: SkuFacts | None) -> tuple[str, str]:
    """``percents(margin, minimum)``, the minimum's side read from the catalog index when it
    is the SKU's own ``min_margin``."""
    if facts is None or facts.min_margin is not minimum:
        return percents(margin, minimum)
    for places, limit in zip(PERCENT_PLACES, facts.min_margin_texts, strict=True):
        shown = percent(margin, places)
        if margin == minimum or shown != limit:
            break
    return shown, limit


@check("price-below-floor", "margin", "blocker")
def price_below_floor(ctx: DealContext) -> None:
    """The net price the company keeps per unit is below the SKU's floor price.

    What it does:
        Computes ``net_unit`` = unit price (converted to the product currency) ×
        (1 − partner margin) × (term − free months) / term, and compares it with the
        SKU's ``floor_price``.

    Why it matters:
        A 15 % discount looks harmless; add a 20 % reseller margin and 3 free months in
        a 12-month term and the company keeps 51 % of list. The floor is the lowest
        price Finance accepts, whatever the route to market.

    Example:
        list 600, discount 15 %, partner margin 20 %, 3 of 12 months free:
        net_unit 306 < floor 330

    How to fix:
        Reduce the discount, the free months or the partner's margin until the net
        price is at or above the floor (the waterfall shows each step).
    """
    for line, facts in zip(ctx.lines, ctx.line_facts(), strict=True):
        net_unit, floor = line.net_unit, line.floor_price
        if net_unit is None or floor is None or not net_unit < floor:
            continue
        cur = line.product_currency or ""
        shown = _floor_text(facts, floor)
        ctx.emit(
            "price-below-floor",
            message=f"Line {line.index} ({line.sku}): net price {money(net_unit)} {cur} "
            f"per unit is below the floor {shown} {cur}",
            location=ctx.line_location(line.index, _price_key(ctx, line.index)),
            subject=f"line:{line.index}:{line.sku}",
            trigger=(net_unit, floor),
            evidence={
                "sku": line.sku,
                "net_unit": net_unit,
                "floor_price": floor,
                "currency": cur,
                "discount": line.discount,
                "effective_discount": line.effective_discount,
            },
            fix="Reduce the discount, the partner margin or the free months so the net "
            f"price reaches {shown} {cur}.",
        )


@check("margin-below-floor", "margin", "approval", "Finance")
def margin_below_floor(ctx: DealContext) -> None:
    """A line's product gross margin is below the SKU's minimum margin.

    What it does:
        Compares ``line.margin`` = (net_unit − unit_cost) / net_unit with the SKU's
        ``min_margin``. A line whose net price is zero or less always fails.

    Why it matters:
        Sales margin (the customer's discount) and product margin (what is left after
        cost) are different numbers; a deal can pass the floor yet lose money once
        hosting and support costs are counted.

    Example:
        net_unit 300, unit_cost 140: margin 53.3 % < min_margin 60 %

    How to fix:
        Raise the net price (less discount, fewer free months, a smaller partner
        margin), or get Finance's approval for the thinner margin.
    """
    for line, facts in zip(ctx.lines, ctx.line_facts(), strict=True):
        margin, minimum = line.margin, line.min_margin
        if minimum is None or line.net_unit is None:
            continue
        if margin is not None and not margin < minimum:
            continue
        if margin is not None:
            shown, limit = _percents(margin, minimum, facts)
        else:
            shown, limit = "none (no net revenue)", percent(minimum)
        ctx.emit(
            "margin-below-floor",
            message=f"Line {line.index} ({line.sku}): gross margin {shown} is below the "
            f"minimum {limit}",
            location=ctx.line_location(line.index, "sku"),
            subject=f"line:{line.index}:{line.sku}",
            trigger=(margin, minimum),
            evidence={
                "sku": line.sku,
                "margin": margin,
                "min_margin": minimum,
                "net_unit": line.net_unit,
                "unit_cost": line.unit_cost,
            },
            fix="Raise the net price or get the approver's sign-off for the margin.",
        )


@check("deal-margin-below-floor", "margin", "approval", "Finance")
def deal_margin_below_floor(ctx: DealContext) -> None:
    """The deal's blended gross margin is below the RuleSet's ``min_deal_margin``.

    What it does:
        Computes the blended margin Σ q·(net − cost) / Σ q·net over the lines with
        known SKUs and compares it with the highest ``min_deal_margin`` of the
        catalog's RuleSets.

    Why it matters:
        Each line can clear its own minimum while a large low-margin line drags the
        whole deal below what the business needs.

    Example:
        min_deal_margin: 0.55 and a blended margin of 48.2 %

    How to fix:
        Rebalance the lines (less discount on the largest ones), or get Finance's
        approval for the deal as a whole.
    """
    if ctx.min_deal_margin is None or ctx.deal_margin is None:
        return
    if ctx.deal_margin < ctx.min_deal_margin:
        shown, minimum = percents(ctx.deal_margin, ctx.min_deal_margin)
        ctx.emit(
            "deal-margin-below-floor",
            message=f"Blended deal margin {shown} is below the minimum {minimum}",
            location=ctx.locate("lines"),
            subject="deal",
            trigger=(ctx.deal_margin, ctx.min_deal_margin),
            evidence={"margin": ctx.deal_margin, "min_deal_margin": ctx.min_deal_margin},
            fix="Reduce discounts on the largest lines or get the approver's sign-off.",
        )
