"""What the text, Markdown and HTML reports show of one deal beyond its findings, computed
once so the three agree: the terms, the quote lines, the totals (over the term, billed net
of free months, per year; each also in the catalog's base currency), each line's price
waterfall with the amount every step takes off, the approvers, and the approvals that
share one cause.

Every value is an exact ``Decimal`` until :mod:`dealcheck.report.money` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dealcheck.findings import DealResult, DealTerms, Finding
from dealcheck.pricing import TWELVE, LinePrice, convert, percent
from dealcheck.report.money import amount, fraction, money, number, off

__all__ = [
    "BLOCKED_APPROVALS",
    "Step",
    "Totals",
    "approvals_text",
    "quote_rows",
    "related",
    "terms_line",
    "terms_rows",
    "totals",
    "waterfall",
]

BLOCKED_APPROVALS = "cannot be approved: fix the blockers"
QUOTE_HEADERS = ("SKU", "Name", "Qty", "List", "Unit price", "Discount", "Line total")


def approvals_text(deal: DealResult) -> str:
    """``Finance, VP Sales``; ``none``; for a blocked deal, that it cannot be approved
    until the blockers are fixed (and who signs after that)."""
    approvers = ", ".join(deal.approvals_required)
    if deal.verdict == "blocked":
        return BLOCKED_APPROVALS + (f" (then: {approvers})" if approvers else "")
    return approvers or "none"


def terms_rows(deal: DealResult) -> list[tuple[str, str]]:
    """The deal's terms as (label, value) pairs; values are plain text from the input."""
    t = deal.terms
    rows: list[tuple[str, str]] = [("Customer", deal.customer or "—")]
    if t is None:
        return rows
    rows.append(("Bill-to country", t.bill_to))
    rows.append(
        ("Deployment countries", ", ".join(t.deployment_countries) or f"{t.bill_to} (bill-to)")
    )
    if t.partner:
        where = f" ({t.partner_country})" if t.partner_country else ""
        rows.append(("Partner", f"{t.partner}{where}, margin {fraction(t.partner_margin)}"))
    else:
        rows.append(("Partner", "none (direct)"))
    rows.append(("Currency", deal.currency or "—"))
    rows.append(("Start", t.start_date.isoformat()))
    rows.append(("End", t.end_date.isoformat()))
    rows.append(("Term", f"{t.term_months} months"))
    rows.append(("Free months", f"{t.free_months} of {t.term_months}" if t.free_months else "none"))
    rows.append(
        (
            "Payment terms",
            f"net {t.payment_terms_days} days" if t.payment_terms_days is not None else "standard",
        )
    )
    return rows


def terms_line(deal: DealResult) -> str:
    """The terms on one line: ``US, deployed in US · direct · USD · 2027-01-01 to
    2029-01-01, 24 months, no free months · net 75``."""
    t = deal.terms
    if t is None:
        return ""
    deployed = ", ".join(t.deployment_countries) or t.bill_to
    partner = f"partner {t.partner}, margin {fraction(t.partner_margin)}" if t.partner else "direct"
    free = (
        f"{t.free_months} free month{'s' * (t.free_months != 1)}"
        if t.free_months
        else "no free months"
    )
    pay = f"net {t.payment_terms_days}" if t.payment_terms_days is not None else "standard payment"
    return (
        f"bill-to {t.bill_to}, deployed in {deployed} · {partner} · {deal.currency} · "
        f"{t.start_date} to {t.end_date}, {t.term_months} months, {free} · {pay}"
    )


def quote_rows(deal: DealResult) -> list[list[str]]:
    """One row per line: SKU, name, quantity, list, unit price, discount, line total
    (prices per unit per year, in the deal currency)."""
    names = deal.terms.sku_names if deal.terms else ()
    rows = []
    for line in deal.lines:
        name = names[line.index - 1] if line.index - 1 < len(names) else None
        rows.append(
            [
                line.sku,
                name or "unknown SKU",
                number(line.quantity),
                _amt(line.list_price),
                _amt(line.unit_price),
                fraction(line.discount) if line.discount is not None else "n/a",
                _amt(line.total),
            ]
        )
    return rows


def _amt(value: Decimal | None) -> str:
    return amount(value) if value is not None else "n/a"


@dataclass(frozen=True)
class Totals:
    """The deal's value in its currency and in the catalog's base currency."""

    currency: str
    contract: Decimal  # every month of the term
    billed: Decimal  # net of the free months
    annual: Decimal  # billed per contract year
    base_currency: str | None
    rate: Decimal | None  # deal currency per base unit
    as_of: str | None

    def base(self, value: Decimal) -> Decimal | None:
        if self.rate is None or self.base_currency is None:
            return None
        return value / self.rate

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, in deal currency, in base currency or '')."""
        same = self.base_currency in (None, self.currency) or self.rate is None
        out = []
        for label, value in (
            ("Contract value over the term", self.contract),
            ("Billed, net of free months", self.billed),
            ("Annual value (billed per year)", self.annual),
        ):
            base = "" if same else money(self.base(value), self.base_currency)
            out.append((label, money(value, self.currency), base))
        return out

    @property
    def fx_note(self) -> str:
        if self.base_currency in (None, self.currency) or self.rate is None:
            return ""
        return (
            f"base currency {self.base_currency}: 1 {self.base_currency} = "
            f"{number(self.rate)} {self.currency} (FX as of {self.as_of})"
        )


def totals(deal: DealResult) -> Totals | None:
    """The totals, or None when a line's total cannot be derived."""
    if deal.total is None or deal.currency is None:
        return None
    t = deal.terms
    if t is None:
        return Totals(deal.currency, deal.total, deal.total, deal.total, None, None, None)
    term = Decimal(t.term_months)
    billed = deal.total * (term - t.free_months) / term
    return Totals(
        deal.currency,
        deal.total,
        billed,
        billed * TWELVE / term,
        t.base_currency,
        t.fx_rate,
        t.fx_as_of.isoformat() if t.fx_as_of else None,
    )


@dataclass(frozen=True)
class Step:
    """One row of a waterfall: what a step takes off and the price it leaves, in the
    product currency and (``*_deal``) in the deal currency when that differs."""

    label: str
    taken: Decimal | None  # None: a starting point or a reference line (floor, cost)
    price: Decimal
    taken_deal: Decimal | None = None
    price_deal: Decimal | None = None

    @property
    def off_text(self) -> str:
        return off(self.taken) if self.taken is not None else ""


def _rate(terms: DealTerms | None, currency: str | None) -> Decimal | None:
    if terms is None or currency is None:
        return None
    return dict(terms.rates).get(currency)


def waterfall(deal: DealResult, line: LinePrice) -> tuple[list[Step], bool]:
    """The line's waterfall per unit per year: list, − sales discount, − partner margin,
    − free months, = net, then the floor and the cost; and whether the deal currency
    differs from the product currency (the ``*_deal`` amounts are then set)."""
    if line.net_unit is None or line.list_product is None or line.after_discount is None:
        return [], False
    after_partner = line.after_partner if line.after_partner is not None else line.after_discount
    t = deal.terms
    product_rate, deal_rate = _rate(t, line.product_currency), _rate(t, deal.currency)
    both = (
        deal.currency is not None
        and line.product_currency is not None
        and deal.currency != line.product_currency
        and product_rate is not None
        and deal_rate is not None
    )

    def in_deal(value: Decimal | None) -> Decimal | None:
        if not both or value is None:
            return None
        assert product_rate is not None and deal_rate is not None
        return convert(value, product_rate, deal_rate)

    def step(label: str, taken: Decimal | None, price: Decimal) -> Step:
        return Step(label, taken, price, in_deal(taken), in_deal(price))

    steps = [step("list price", None, line.list_product)]
    discount = f" {percent(line.discount)}" if line.discount is not None else ""
    steps.append(
        step(
            f"− sales discount{discount}",
            line.list_product - line.after_discount,
            line.after_discount,
        )  # fmt: skip
    )
    if t is not None and t.partner_margin:
        steps.append(
            step(
                f"− partner margin {fraction(t.partner_margin)}",
                line.after_discount - after_partner,
                after_partner,
            )  # fmt: skip
        )
    if t is not None and t.free_months:
        steps.append(
            step(
                f"− free months {t.free_months} of {t.term_months}",
                after_partner - line.net_unit,
                line.net_unit,
            )  # fmt: skip
        )
    steps.append(step("= net to the company", None, line.net_unit))
    if line.floor_price is not None:
        steps.append(step("floor price", None, line.floor_price))
    if line.unit_cost is not None:
        steps.append(step("unit cost", None, line.unit_cost))
    return steps, both


# -- related approvals -------------------------------------------------------------------

_MARGIN_RULES = frozenset({"margin-below-floor", "deal-margin-below-floor"})


def related(findings: list[Finding]) -> dict[str, list[Finding]]:
    """For each open finding that shares its cause with others, those others (by
    fingerprint). Today's one cause: a gross margin below its minimum reported for the
    deal (``deal-margin-below-floor``) and for a line (``margin-below-floor``) with the
    same margin, as on a one-line deal: one fix raises both, each approver still signs."""
    groups: dict[Decimal, list[Finding]] = {}
    for f in findings:
        margin = f.evidence.get("margin")
        if f.rule in _MARGIN_RULES and f.is_open and isinstance(margin, Decimal):
            groups.setdefault(margin, []).append(f)
    out: dict[str, list[Finding]] = {}
    for group in groups.values():
        if len({f.rule for f in group}) < 2:
            continue
        for f in group:
            out[f.fingerprint] = [g for g in group if g is not f]
    return out


def related_note(finding: Finding, others: list[Finding]) -> str:
    """``same cause as margin-below-floor (CFO): gross margin 49.7% — one fix clears both;
    each approver signs``."""
    names = ", ".join(f"{g.rule} ({g.approver or g.severity})" for g in others)
    margin = finding.evidence.get("margin")
    cause = f": gross margin {percent(margin)}" if isinstance(margin, Decimal) else ""
    return f"same cause as {names}{cause} — one fix clears both; each approver signs"
