"""Money and numbers for people, the same in every renderer (text, Markdown, HTML and the
sales sheet): thousands separators, two places, half-even, the currency code after the
sign (``GBP 41,712.00``), and a minus sign that reads as one (``−90.00``).

Display only: checks compare exact ``Decimal``s and never round.
"""

from __future__ import annotations

from datetime import date
from decimal import Context, Decimal

from dealcheck.pricing import CENT, percent, rounded

__all__ = [
    "MINUS",
    "amount",
    "fraction",
    "label",
    "money",
    "number",
    "off",
    "opt_amount",
    "opt_percent",
    "show",
]

MINUS = "\u2212"


def amount(value: Decimal) -> str:
    """``60,000.00``: thousands separators, two places, half-even; ``−90.00`` when negative."""
    text = format(rounded(value, CENT), ",")
    return MINUS + text[1:] if text.startswith("-") else text


def money(value: Decimal | None, currency: str | None) -> str:
    """``GBP 41,712.00`` (``n/a`` for an amount that cannot be derived)."""
    if value is None:
        return "n/a"
    return f"{currency} {amount(value)}" if currency else amount(value)


def off(value: Decimal) -> str:
    """An amount a step takes off: ``−90.00`` (``0.00`` when nothing)."""
    return MINUS + amount(value) if value > 0 else amount(-value) if value < 0 else amount(value)


def opt_amount(value: Decimal | None) -> str:
    return "n/a" if value is None else amount(value)


def opt_percent(value: Decimal | None) -> str:
    return "n/a" if value is None else percent(value)


def number(value: Decimal) -> str:
    """A quantity, exact, with thousands separators and no exponent (``1,200``, ``2.5``)."""
    if value.is_finite() and value == value.to_integral_value():
        # 120.00 → 120, exactly whatever its size (the default context holds 28 digits)
        digits = max(28, value.adjusted() + 2)
        value = value.quantize(Decimal(1), context=Context(prec=digits))
    text = format(value, ",f")
    return MINUS + text[1:] if text.startswith("-") else text


def fraction(value: Decimal) -> str:
    """A fraction as a percentage to 0.1 %, or to 0.01 % when that shows it exactly:
    ``35.0%``, ``35.47%``, ``58.6%`` (for 0.586105…)."""
    hundredths = value * 10000
    if (
        hundredths == hundredths.to_integral_value()
        and percent(value, 1) != percent(value, 2)[:-2] + "%"
    ):
        return percent(value, 2)
    return percent(value, 1)


_FRACTIONS = frozenset(
    {"discount", "effective_discount", "margin", "min_margin", "min_deal_margin"}
)
_AMOUNTS = frozenset({"net_unit", "floor_price", "unit_cost", "list_price", "unit_price", "total"})


def label(key: str) -> str:
    """An evidence key in words: ``effective_discount`` → ``effective discount``,
    ``partner.margin`` → ``partner margin``."""
    return key.replace("_", " ").replace(".", " ")


def show(key: str, value: object) -> str:
    """An evidence value in words: fractions as percentages, amounts with separators, dates
    as ISO, lists joined; anything else as text."""
    leaf = key.rsplit(".", 1)[-1]
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        if leaf in _FRACTIONS or leaf.endswith("_margin"):
            return fraction(value)
        if leaf in _AMOUNTS or leaf.endswith(("_price", "_cost")):
            return amount(value)
        return number(value)
    if isinstance(value, int):
        return number(Decimal(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(show(key, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(str(k), v)}" for k, v in value.items())
    return str(value)
