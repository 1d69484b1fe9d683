"""Field types shared by every document kind: exact money, ISO codes, dates and quarters."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

from dealcheck.suggestions import suggest

__all__ = [
    "CountryCode",
    "CurrencyCode",
    "Flag",
    "Fraction",
    "fraction_from_text",
    "Identifier",
    "ISODate",
    "Money",
    "Percent",
    "PositiveNumber",
    "RoadmapDate",
    "StrictBool",
    "Text",
    "Term",
    "Aliases",
    "parse_roadmap_date",
    "quarter_end",
]


def _exact_decimal(value: Any) -> Decimal:
    """Money, rates and fractions: ``Decimal`` from an int, a Decimal or numeric text; never a float."""
    if type(value) is Decimal and value.is_finite():  # what the loaders give, most of the time
        return value
    if isinstance(value, bool | float):
        raise PydanticCustomError(
            "decimal_type",
            "expected a number, got {value}; write it as exact digits such as 1200.00",
            {"value": value},
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        shown = text if len(text) <= 40 else text[:39] + "…"
        if len(text) > 60:  # 40 digits, a sign, a point, an exponent: and no 5 MB message
            raise PydanticCustomError(
                "decimal_parsing",
                "expected a number of at most 40 digits, got '{value}'",
                {"value": shown},
            )
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError(
                "decimal_parsing", "expected a number, got '{value}'", {"value": shown}
            ) from None
        if number.is_finite() and number and abs(number.adjusted()) > 100:
            raise PydanticCustomError(
                "decimal_parsing", "number '{value}' is out of range", {"value": shown}
            )
    else:
        raise PydanticCustomError("decimal_type", "expected a number such as 1200.00")
    if not number.is_finite():
        raise PydanticCustomError(
            "decimal_finite", "expected a finite number, got {value}", {"value": value}
        )
    return number


_PERCENT_TEXT = re.compile(r"\s*([+-]?[0-9][0-9_]*(?:\.[0-9]*)?|[+-]?\.[0-9]+)\s*%\s*")


def _fraction_input(value: Any) -> Decimal:
    """A fraction: a number from 0 to 1, or a percentage written with ``%`` (``35%``,
    ``"60 %"``, ``12.5%``), exactly: ``35%`` is ``Decimal("0.35")``."""
    if isinstance(value, str):
        match = _PERCENT_TEXT.fullmatch(value)
        if match:
            return _exact_decimal(match.group(1)).scaleb(-2)
        try:
            return _exact_decimal(value)
        except PydanticCustomError:
            raise PydanticCustomError(
                "fraction",
                "expected a fraction such as 0.35 or a percentage such as 35%, got '{value}'",
                {"value": value},
            ) from None
    return _exact_decimal(value)


def fraction_from_text(value: str) -> Decimal:
    """A fraction as a command-line option gives it (``20%``, ``0.2``), checked to be
    from 0 to 1; ValueError with what to write instead."""
    try:
        return _fraction(_fraction_input(value))
    except PydanticCustomError as err:
        raise ValueError(err.message()) from None


def _at_least_zero(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("ge", "must be 0 or more, got {value}", {"value": str(value)})
    return value


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise PydanticCustomError("gt", "must be more than 0, got {value}", {"value": str(value)})
    return value


def _fraction(value: Decimal) -> Decimal:
    if not 0 <= value <= 1:
        raise PydanticCustomError(
            "fraction",
            "must be a fraction between 0 and 1, got {value}: write 0.25 or 25% for 25 %",
            {"value": str(value)},
        )
    return value


def _percent(value: Decimal) -> Decimal:
    if not 0 < value <= 100:
        raise PydanticCustomError(
            "percent",
            "must be a percentage above 0 and at most 100, got {value}",
            {"value": str(value)},
        )
    return value


Money = Annotated[Decimal, BeforeValidator(_exact_decimal), AfterValidator(_at_least_zero)]
PositiveNumber = Annotated[Decimal, BeforeValidator(_exact_decimal), AfterValidator(_positive)]
Fraction = Annotated[
    Decimal,
    BeforeValidator(_fraction_input),
    AfterValidator(_fraction),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "pattern": r"^\s*[0-9_.]+\s*%?\s*$"},
            ],
            "description": "A fraction from 0 to 1 (0.25), or a percentage with % ('25%').",
        }
    ),
]
Percent = Annotated[Decimal, BeforeValidator(_exact_decimal), AfterValidator(_percent)]

_QUARTER = re.compile(r"(?:(\d{4})-?[Qq]([1-4])|[Qq]([1-4]) (\d{4}))")


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a calendar quarter."""
    return date(year, quarter * 3, 30 if quarter in (2, 3) else 31)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "date", "expected a date as YYYY-MM-DD, got '{value}'", {"value": value}
    )


def parse_roadmap_date(value: Any) -> date:
    """A date, or a quarter (``2027-Q2`` or ``Q2 2027``) meaning the quarter's last day."""
    if isinstance(value, str):
        match = _QUARTER.fullmatch(value.strip())
        if match:
            year = int(match.group(1) or match.group(4))
            quarter = int(match.group(2) or match.group(3))
            return quarter_end(year, quarter)
    try:
        return _iso_date(value)
    except PydanticCustomError:
        raise PydanticCustomError(
            "date",
            "expected a date (YYYY-MM-DD) or a quarter (2027-Q2), got '{value}'",
            {"value": value},
        ) from None


ISODate = Annotated[date, BeforeValidator(_iso_date)]
RoadmapDate = Annotated[
    date,
    BeforeValidator(parse_roadmap_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{4}-?[Qq][1-4]|[Qq][1-4] \d{4})$",
            "description": "A date (YYYY-MM-DD) or a quarter (2027-Q2, Q2 2027: its last day).",
        }
    ),
]

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")


def _identifier(value: Any) -> str:
    if type(value) is str and _IDENTIFIER.fullmatch(value):  # the common case, first
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("id", "expected an id (text), got {value}", {"value": value})
    if not _IDENTIFIER.fullmatch(value):
        raise PydanticCustomError(
            "id",
            "'{value}' is not a valid id: use letters, digits and - _ . : / (no spaces)",
            {"value": value},
        )
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text", "expected text, got {value}", {"value": value})
    if not value.strip():
        raise PydanticCustomError("text", "must not be empty")
    return value


def _strict_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise PydanticCustomError(
        "bool",
        "expected true or false, got '{value}' (yes/no/on/off are text in YAML 1.2)",
        {"value": value},
    )


Flag = Annotated[bool, BeforeValidator(_strict_bool)]
Identifier = Annotated[str, BeforeValidator(_identifier)]
Text = Annotated[str, BeforeValidator(_text), Field(max_length=100_000)]

#: A feature's name or alias is looked for in every clause: matching costs the clause's
#: words times the longest term's, so terms are short.
MAX_TERM_CHARS = 200
MAX_TERM_WORDS = 16
MAX_ALIASES = 50


def _term(value: Any) -> str:
    text = _text(value)
    if len(text) > MAX_TERM_CHARS:
        raise PydanticCustomError(
            "term",
            "a feature name or alias has at most {limit} characters, got {count}",
            {"limit": MAX_TERM_CHARS, "count": len(text)},
        )
    if len(text.split()) > MAX_TERM_WORDS:
        raise PydanticCustomError(
            "term",
            "a feature name or alias has at most {limit} words",
            {"limit": MAX_TERM_WORDS},
        )
    return text


Term = Annotated[str, BeforeValidator(_term)]
Aliases = Annotated[tuple[Term, ...], Field(max_length=MAX_ALIASES)]


@cache
def country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → country name, from pycountry's maintained data."""
    import pycountry

    return {c.alpha_2: c.name for c in pycountry.countries}


@cache
def currency_codes() -> dict[str, str]:
    """ISO 4217 code → currency name, from pycountry's maintained data."""
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.currencies}


def _did_you_mean(hint: str | None) -> str:
    return f" (did you mean {hint}?)" if hint else ""


def _country(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "country", "expected an ISO 3166 country code such as AU, got {value}", {"value": value}
        )
    codes = country_codes()
    if value in codes:
        return value
    hint: str | None = None
    if value.upper() in codes:
        hint = value.upper()
    else:
        by_name = {name.lower(): code for code, name in codes.items()}
        hint = by_name.get(value.lower())
        if hint is None and len(value) > 3:
            name = suggest(value, list(codes.values()))
            hint = by_name[name.lower()] if name else None
    raise PydanticCustomError(
        "country",
        "'{value}' is not an ISO 3166-1 alpha-2 country code{hint}",
        {"value": value, "hint": _did_you_mean(hint)},
    )


def _currency(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "currency",
            "expected an ISO 4217 currency code such as EUR, got {value}",
            {"value": value},
        )
    codes = currency_codes()
    if value in codes:
        return value
    upper = value.upper()
    same_start = [c for c in codes if c[:2] == upper[:2]]
    hint = upper if upper in codes else suggest(value, same_start) or suggest(value, codes)
    raise PydanticCustomError(
        "currency",
        "'{value}' is not an ISO 4217 currency code{hint}",
        {"value": value, "hint": _did_you_mean(hint)},
    )


CountryCode = Annotated[
    str,
    BeforeValidator(_country),
    WithJsonSchema(
        {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code"}
    ),
]
CurrencyCode = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code"}),
]
