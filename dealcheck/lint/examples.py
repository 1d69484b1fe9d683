"""Example deals for lint findings: the smallest valid Deal that shows each problem, using
the catalog's real SKUs and countries, checked by running the engine on it.

A finding's values (``line.discount = 0.3``, ``deal.payment_terms_days = 91``) are put into
a one-line deal: a plan SKU the catalog sells, in a country it may be sold to, starting on
the first of the month after ``today``, 12 months, quantity 1. The deal is written as
YAML, read back the way rule tests are read, and checked: an example is only shown when
the engine fires every rule it says must fire and none it says must not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Final

from dealcheck.engine import Engine
from dealcheck.errors import InputError
from dealcheck.lint.findings import Example
from dealcheck.models import DealBody
from dealcheck.yamlio import load_string

_CANDIDATE_COUNTRIES: Final = ("US", "GB", "DE", "CA", "AU", "FR", "NL", "SG", "JP")
_RULED_OUT: Final = frozenset(
    {"region-not-sellable", "region-restricted", "sku-not-yet-available", "feature-restricted",
     "currency-unsupported", "price-below-floor"}
)  # fmt: skip

#: The fields an example can set, and how (the others make the example impossible).
SETTABLE: Final = frozenset(
    {
        "line.discount", "line.effective_discount", "line.unit_price", "line.net_unit",
        "line.quantity", "line.total", "line.margin", "deal.total", "deal.margin",
        "deal.payment_terms_days", "deal.term_months", "deal.free_months", "deal.sla_uptime",
        "deal.start_date", "partner", "partner.margin",
    }
)  # fmt: skip


class ExampleBuilder:
    """Builds and confirms example deals against one engine."""

    def __init__(self, engine: Engine, today: date) -> None:
        self.engine = engine
        self.today = today
        self.start = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        self.base = self._base_deal()

    def _base_deal(self) -> dict[str, Any] | None:
        """A plain deal that the catalog allows: the first plan SKU (by id) sellable, and
        not restricted, in the first candidate country."""
        catalog = self.engine.catalog
        for sku_id in sorted(catalog.skus):
            entry = catalog.skus[sku_id]
            if entry.sku.edition is None or entry.sku.list_price <= 0:
                continue
            start = max(self.start, entry.sku.available_from or self.start)
            for country in _CANDIDATE_COUNTRIES:
                deal: dict[str, Any] = {
                    "customer": {"name": "Example Co", "country": country},
                    "currency": entry.product.currency,
                    "start_date": start,
                    "term_months": 12,
                    "lines": [{"sku": sku_id, "quantity": 1, "discount": Decimal(0)}],
                }
                fired = self.fired(deal)
                if fired is not None and not fired & _RULED_OUT:
                    return deal
        return None

    def fired(self, deal: dict[str, Any]) -> set[str] | None:
        """The rules and checks the engine fires for ``deal`` (None: not a valid deal)."""
        text = Example("probe", deal, (), ()).yaml()
        try:
            (doc,) = load_string(text, "<lint example>")
            body = DealBody.model_validate(doc.data[0]["deal"])
        except (InputError, ValueError, TypeError, KeyError, IndexError):
            return None
        result = self.engine.check(body, doc.source.sub((0, "deal")))
        return {f.rule for f in result.findings}

    def deal(
        self, values: dict[str, Decimal | None], more_lines: list[dict[str, Decimal | None]]
    ) -> dict[str, Any] | None:
        """The base deal with ``values`` set (further lines from ``more_lines``); None
        when a value cannot be put into a deal."""
        if self.base is None:
            return None
        deal: dict[str, Any] = {
            **self.base,
            "customer": dict(self.base["customer"]),
            "lines": [],
        }
        for line_values in (values, *more_lines):
            line = dict(self.base["lines"][0])
            if not self._apply(deal, line, line_values):
                return None
            deal["lines"].append(line)
        if deal.get("free_months", 0) >= deal["term_months"]:
            return None
        return deal

    def _apply(
        self, deal: dict[str, Any], line: dict[str, Any], values: dict[str, Decimal | None]
    ) -> bool:
        entry = self.engine.catalog.skus[line["sku"]]
        list_price, cost = entry.sku.list_price, entry.sku.unit_cost
        totals: list[Decimal] = []
        for name in sorted(values):
            value = values[name]
            if name not in SETTABLE:
                return False
            if name == "partner":
                if value is not None:
                    deal.setdefault(
                        "partner",
                        {
                            "name": "Example Reseller",
                            "country": deal["customer"]["country"],
                            "margin": Decimal(0),
                        },
                    )
                continue
            if value is None:
                return False
            if name in ("line.discount", "line.effective_discount"):
                if value >= 0:
                    line["discount"] = value
                else:
                    _price(line, list_price * (1 - value))
            elif name in ("line.unit_price", "line.net_unit"):
                _price(line, value)
            elif name == "line.quantity":
                line["quantity"] = value
            elif name in ("line.total", "deal.total"):
                totals.append(value)
            elif name in ("line.margin", "deal.margin"):
                if value >= 1:
                    return False
                _price(line, _tidy(cost / (1 - value)))
            elif name == "partner.margin":
                deal["partner"] = {
                    "name": "Example Reseller",
                    "country": deal["customer"]["country"],
                    "margin": value,
                }
            elif name == "deal.start_date":
                deal["start_date"] = date.fromordinal(int(value))
            elif name == "deal.sla_uptime":
                deal["sla_uptime"] = value
            else:  # whole numbers: days and months
                deal[name.removeprefix("deal.")] = int(value)
        for total in totals:
            _price(line, _tidy(total * 12 / (deal["term_months"] * line["quantity"])))
        return True

    def example(
        self,
        name: str,
        values: dict[str, Decimal | None],
        expect: tuple[str, ...],
        expect_not: tuple[str, ...],
        more_lines: list[dict[str, Decimal | None]] | None = None,
    ) -> Example | None:
        """A confirmed example, or None when it cannot be built or the engine disagrees."""
        deal = self.deal(values, more_lines or [])
        if deal is None:
            return None
        fired = self.fired(deal)
        if fired is None or not set(expect) <= fired or fired & set(expect_not):
            return None
        return Example(name, deal, tuple(sorted(expect)), tuple(sorted(expect_not)), True)


def _price(line: dict[str, Any], price: Decimal) -> None:
    line.pop("discount", None)
    line["unit_price"] = price


def _tidy(value: Decimal) -> Decimal:
    """An exact result as is; a long one rounded to 4 places (the engine then decides)."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -4:
        return value.normalize() if exponent < 0 else value.quantize(Decimal(1))
    return value.quantize(Decimal("0.0001"))
