"""The unit prices at which each line of a deal changes who must approve it.

Every enabled line rule of the catalog that tests one pricing quantity of a line, and the
built-in floor and margin checks, become a set of unit prices (deal currency, per unit
per year) at which they fire:

* rules on ``line.discount`` (or ``line.unit_price``) partition the sales discount off
  list, whatever the partner and the free months: ``u = list × (1 − d)``;
* rules on ``line.effective_discount``, ``line.net_unit`` and ``line.margin``, and the
  floor and margin checks, read what the company keeps after the partner margin ``m`` and
  the free months ``f`` of a ``T``-month term: ``net = u × (1 − m) × (T − f) / T`` (in the
  product currency), so each band edge is converted into the unit price that lands on it.

The band analysis is the sales sheet's and ``dealcheck lint``'s
(:mod:`dealcheck.expr.logic`, :class:`dealcheck.expr.intervals.IntervalSet`): exact
``Decimal`` ends, open or closed. The price axis is then cut at every edge, and each piece
lists what fires there. Prices are shown to the cent: the lowest whole-cent price of a
band is the first price a rep can type that lands in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

from dealcheck.engine import Engine
from dealcheck.expr.intervals import Interval, IntervalSet
from dealcheck.expr.logic import analyse
from dealcheck.findings import DealResult
from dealcheck.models import DealBody
from dealcheck.pricing import CENT, LinePrice, convert
from dealcheck.rules import CompiledRule

ZERO = Decimal(0)
ONE = Decimal(1)
#: The line quantities a band of prices can be derived from, and whether a higher unit
#: price means a higher value of the quantity.
PRICE_FIELDS = {
    "line.discount": False,
    "line.unit_price": True,
    "line.effective_discount": False,
    "line.net_unit": True,
    "line.margin": True,
}
_FROM_ZERO = IntervalSet.of([Interval(ZERO, True, None, False)])


@dataclass(frozen=True, order=True)
class Need:
    """What fires: a rule or built-in check, its severity and approver."""

    rule: str
    severity: str
    approver: str | None
    reads: str  # the quantity it tests: line.discount, line.net_unit, floor, …

    @property
    def label(self) -> str:
        if self.severity == "blocker":
            return f"blocked ({self.rule})"
        if self.severity == "approval":
            return f"{self.approver or 'approval'} ({self.rule})"
        return f"{self.severity} ({self.rule})"


@dataclass(frozen=True)
class PriceBand:
    """Unit prices (deal currency) from ``low`` to ``high`` and what they need."""

    low: Decimal  # 0 at the bottom
    low_inc: bool
    high: Decimal | None  # None: no upper end
    high_inc: bool
    needs: tuple[Need, ...]

    @property
    def lowest_cent(self) -> Decimal | None:
        """The lowest whole-cent price in the band (None: none)."""
        price = _cent_up(self.low, self.low_inc)
        return price if self.contains(price) else None

    @property
    def highest_cent(self) -> Decimal | None:
        """The highest whole-cent price in the band (None: no upper end, or none)."""
        if self.high is None:
            return None
        price = _cent_down(self.high, self.high_inc)
        return price if self.contains(price) else None

    def contains(self, price: Decimal) -> bool:
        return Interval(self.low, self.low_inc, self.high, self.high_inc).contains(price)

    @property
    def approvers(self) -> tuple[str, ...]:
        return tuple(
            sorted({n.approver for n in self.needs if n.severity == "approval" and n.approver})
        )

    @property
    def blocked(self) -> bool:
        return any(n.severity == "blocker" for n in self.needs)

    @property
    def free(self) -> bool:
        """Nothing needs an approval or blocks (warnings may remain)."""
        return not any(n.severity in ("blocker", "approval") for n in self.needs)


def _to_cent(value: Decimal, rounding: str) -> Decimal:
    """``value`` to the cent, whatever its size (the default context holds 28 digits)."""
    context = Context(prec=max(28, value.adjusted() + 4))
    return value.quantize(CENT, rounding=rounding, context=context)


def _cent_up(value: Decimal, inclusive: bool) -> Decimal:
    price = _to_cent(value, ROUND_CEILING)
    return price + CENT if price == value and not inclusive else price


def _cent_down(value: Decimal, inclusive: bool) -> Decimal:
    price = _to_cent(value, ROUND_FLOOR)
    return price - CENT if price == value and not inclusive else price


@dataclass(frozen=True)
class LineHeadroom:
    index: int
    sku: str
    quantity: Decimal
    currency: str  # the deal's
    list_price: Decimal  # deal currency
    quoted: Decimal | None  # the unit price quoted now
    product_currency: str
    bands: tuple[PriceBand, ...]  # highest prices first
    floor: Decimal | None  # unit price at the floor (deal currency)
    floor_net: Decimal | None  # the floor itself (product currency)
    floor_need: Need | None
    min_margin: Decimal | None
    margin_price: Decimal | None  # unit price at the margin minimum
    margin_net: Decimal | None
    margin_need: Need | None
    other_rules: tuple[str, ...]  # line rules that read more than one price quantity

    @property
    def lowest_free(self) -> Decimal | None:
        """The lowest whole-cent unit price from list down that needs no approval."""
        lowest: Decimal | None = None
        for band in self.bands:
            if not band.free:
                break
            lowest = band.lowest_cent if band.lowest_cent is not None else lowest
        return lowest

    def discount_at(self, price: Decimal) -> Decimal:
        return ONE - price / self.list_price if self.list_price else ZERO

    def first_band(self, approver: str) -> PriceBand | None:
        """The highest band that needs ``approver``."""
        return next((b for b in self.bands if approver in b.approvers), None)


@dataclass(frozen=True)
class Headroom:
    deal_id: str
    customer: str
    currency: str
    term_months: int
    free_months: int
    partner: str | None
    partner_margin: Decimal
    lines: tuple[LineHeadroom, ...]
    deal_needs: tuple[Need, ...]  # deal rules that fire for these terms, whatever the prices
    deal_margin: Decimal | None  # min_deal_margin (a band only for a one-line deal)
    skipped: tuple[str, ...]  # lines without prices (unknown SKU, no FX rate)


def _price_map(
    field: str, line: LinePrice, k: Decimal, to_deal: Callable[[Decimal], Decimal]
) -> Callable[[Decimal], Decimal | None]:
    """The unit price (deal currency) at which ``field`` takes a value; None: no finite price."""
    assert line.list_price is not None
    list_price = line.list_price
    cost = line.unit_cost or ZERO

    def price(value: Decimal) -> Decimal | None:
        if field == "line.discount":
            return list_price * (ONE - value)
        if field == "line.unit_price":
            return value
        if field == "line.effective_discount":
            return list_price * (ONE - value) / k
        if field == "line.net_unit":
            return to_deal(value / k)
        # line.margin = (net − cost) / net: net = cost / (1 − margin)
        if value >= ONE:
            return None
        return to_deal(cost / (ONE - value) / k)

    return price


def _prices(
    values: IntervalSet, increasing: bool, price: Callable[[Decimal], Decimal | None]
) -> IntervalSet:
    """The unit prices at which a quantity lies in ``values`` (clipped at 0)."""
    parts = []
    for part in values.parts:
        low = price(part.low) if part.low is not None else None
        high = price(part.high) if part.high is not None else None
        if increasing:
            if part.low is not None and low is None:
                continue  # starts beyond any price
            parts.append(Interval(low, part.low_inc, high, part.high_inc))
        else:
            parts.append(Interval(high, part.high_inc, low, part.low_inc))
    return IntervalSet.of(parts).intersect(_FROM_ZERO)


def _rule_band(rule: CompiledRule) -> tuple[str, IntervalSet] | None:
    """The quantity a line rule tests and the values it fires for, if it tests one
    pricing quantity of the line and nothing else (never a missing one)."""
    fields = rule.condition.fields
    if len(fields) != 1:
        return None
    (field,) = fields
    if field not in PRICE_FIELDS:
        return None
    analysis = analyse(rule.condition.source, rule.scope)
    found = analysis.band(field, within_model=False) if analysis else None
    if found is None or found[1]:
        return None
    return field, found[0]


def headroom(engine: Engine, deal: DealBody, result: DealResult) -> Headroom:
    """The headroom of every priced line of ``deal`` (checked as ``result``)."""
    from dealcheck.salessheet.policy import check_policies

    catalog = engine.catalog
    policies = {p.id: p for p in check_policies(catalog, engine.overrides)}
    margin = deal.partner.margin if deal.partner else ZERO
    term = Decimal(deal.term_months)
    k = (ONE - margin) * (term - deal.free_months) / term
    line_rules = list(engine.rules_by_scope["line"])
    deal_rule_ids = {r.id for r in engine.rules_by_scope["deal"]}
    deal_needs = tuple(
        sorted(
            Need(f.rule, f.severity, f.approver, "deal")
            for f in result.findings
            if f.rule in deal_rule_ids and f.is_open
        )
    )
    lines: list[LineHeadroom] = []
    skipped: list[str] = []
    single = len(result.lines) == 1
    for line in result.lines:
        prices = engine.prices.get(line.sku)
        if prices is None or line.list_price is None or k <= 0:
            skipped.append(f"line {line.index} ({line.sku})")
            continue
        if prices.currency == deal.currency:
            pr = dr = ONE
        else:
            found_pr, found_dr = catalog.fx_rate(prices.currency), catalog.fx_rate(deal.currency)
            if found_pr is None or found_dr is None:
                skipped.append(f"line {line.index} ({line.sku})")
                continue
            pr, dr = found_pr, found_dr

        def to_deal(amount: Decimal, pr: Decimal = pr, dr: Decimal = dr) -> Decimal:
            return convert(amount, pr, dr)

        firing: list[tuple[Need, IntervalSet]] = []
        others: list[str] = []
        for rule in line_rules:
            spec = rule.entry.rule
            band = _rule_band(rule)
            if band is None:
                others.append(rule.id)
                continue
            field, values = band
            price = _price_map(field, line, k, to_deal)
            need = Need(rule.id, spec.severity, spec.approver, field)
            firing.append((need, _prices(values, PRICE_FIELDS[field], price)))
        floor_price = floor_need = None
        if prices.floor_price is not None and "price-below-floor" in policies:
            policy = policies["price-below-floor"]
            floor_price = to_deal(prices.floor_price / k)
            if policy.enabled:
                floor_need = Need(policy.id, policy.severity, policy.approver, "floor")
                firing.append((floor_need, IntervalSet.compare("<", floor_price)))
        margin_price = margin_net = margin_need = None
        if prices.min_margin is not None and prices.min_margin < ONE:
            margin_net = prices.unit_cost / (ONE - prices.min_margin)
            margin_price = to_deal(margin_net / k)
            margin_policy = policies.get("margin-below-floor")
            if margin_policy is not None and margin_policy.enabled:
                margin_need = Need(
                    margin_policy.id, margin_policy.severity, margin_policy.approver, "margin"
                )
                firing.append((margin_need, IntervalSet.compare("<", margin_price)))
        if single and engine.min_deal_margin is not None and engine.min_deal_margin < ONE:
            # one line: the deal's blended margin is this line's margin
            from dealcheck.checks import REGISTRY

            spec_check = REGISTRY.get("deal-margin-below-floor")
            override = engine.overrides.get("deal-margin-below-floor")
            if spec_check is not None and (override is None or override.enabled is not False):
                severity = (override.severity if override else None) or spec_check.severity
                approver = (override.approver if override else None) or spec_check.approver
                need = Need("deal-margin-below-floor", severity, approver, "deal margin")
                net = prices.unit_cost / (ONE - engine.min_deal_margin)
                # no net revenue, no blended margin: the deal check is silent at 0
                edge = to_deal(net / k)
                firing.append((need, IntervalSet.of([Interval(ZERO, False, edge, False)])))
        lines.append(
            LineHeadroom(
                index=line.index,
                sku=line.sku,
                quantity=line.quantity,
                currency=deal.currency,
                list_price=line.list_price,
                quoted=line.unit_price,
                product_currency=prices.currency,
                bands=_partition(firing),
                floor=floor_price,
                floor_net=prices.floor_price,
                floor_need=floor_need,
                min_margin=prices.min_margin,
                margin_price=margin_price,
                margin_net=margin_net,
                margin_need=margin_need,
                other_rules=tuple(sorted(others)),
            )
        )
    return Headroom(
        deal_id=deal.id,
        customer=deal.customer.name,
        currency=deal.currency,
        term_months=deal.term_months,
        free_months=deal.free_months,
        partner=deal.partner.name if deal.partner else None,
        partner_margin=margin,
        lines=tuple(lines),
        deal_needs=deal_needs,
        deal_margin=engine.min_deal_margin,
        skipped=tuple(skipped),
    )


def _partition(firing: list[tuple[Need, IntervalSet]]) -> tuple[PriceBand, ...]:
    """The price axis from 0 up cut at every edge of every set, as bands of the same
    needs, highest prices first."""
    edges = sorted(
        {
            end
            for _, prices in firing
            for part in prices.parts
            for end in (part.low, part.high)
            if end is not None and end >= 0
        }
        | {ZERO}
    )
    pieces: list[tuple[Interval, Decimal]] = []  # a piece and a price inside it
    for i, edge in enumerate(edges):
        pieces.append((Interval(edge, True, edge, True), edge))
        if i + 1 < len(edges):
            nxt = edges[i + 1]
            pieces.append((Interval(edge, False, nxt, False), (edge + nxt) / 2))
        else:
            pieces.append((Interval(edge, False, None, False), edge + 1))
    bands: list[PriceBand] = []
    for piece, inside in pieces:
        needs = tuple(sorted(n for n, prices in firing if prices.contains(inside)))
        if bands and bands[-1].needs == needs:
            last = bands[-1]
            bands[-1] = PriceBand(last.low, last.low_inc, piece.high, piece.high_inc, needs)
        else:
            assert piece.low is not None
            bands.append(PriceBand(piece.low, piece.low_inc, piece.high, piece.high_inc, needs))
    return tuple(reversed(bands))
