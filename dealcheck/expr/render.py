"""Rendering values in messages (called by compiled templates)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Final

_TENTH: Final = Decimal("0.1")


def show(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(show(item) for item in value)
    return str(value)


def is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def percent(value: object) -> str:
    """A fraction as a percentage rounded half-even to 0.1 %: 0.25 -> ``25.0%``."""
    if not is_number(value):
        return show(value)
    percent = Decimal(value) * 100  # type: ignore[arg-type]
    try:
        return f"{percent.quantize(_TENTH, ROUND_HALF_EVEN):f}%"
    except InvalidOperation:  # too many digits to quantize
        return f"{percent:f}%"


def number(value: object, spec: str) -> str:
    return format(value, spec) if is_number(value) else show(value)
