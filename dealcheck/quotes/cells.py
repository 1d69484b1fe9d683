"""Cell parsing for quote lines: amounts, currency markers and exact numbers.

A cell's text loses its sign, currency code or symbol and percent sign
(:func:`split_amount`); the digits left are read exactly into ``Decimal`` under one
decimal-mark convention (:func:`parse_number`), never through a float; and each number
that shows its decimal mark votes for the file's convention (:func:`decimal_vote`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from dealcheck.models.fields import currency_codes

MAX_DIGITS: Final = 30
MAX_CELL_CHARS: Final = 200
SPACES = "\u00a0\u202f\u2009"  # no-break, narrow no-break and thin spaces group digits too
_SYMBOLS = "$€£¥"
_PREFIXED_DOLLARS: Final[dict[str, str]] = {
    "US": "USD",
    "A": "AUD",
    "AU": "AUD",
    "NZ": "NZD",
    "C": "CAD",
    "CA": "CAD",
    "S": "SGD",
    "SG": "SGD",
    "HK": "HKD",
    "R": "BRL",
    "MX": "MXN",
}
_MARKER_BEFORE = re.compile(r"^(?P<m>[A-Za-z]{3}(?![A-Za-z])|[A-Z]{0,2}[$€£¥])\s*(?P<rest>.*)$")
_MARKER_AFTER = re.compile(r"^(?P<rest>.*?)\s*(?P<m>(?<![A-Za-z])[A-Za-z]{3}|[$€£¥])$")


@dataclass(frozen=True)
class Amount:
    body: str  # the digits and separators, without sign, currency or percent
    negative: bool
    percent: bool
    currency: frozenset[str] | None  # currencies the marker may mean; None: no marker


def _dollar_currencies() -> frozenset[str]:
    return frozenset(c for c, n in currency_codes().items() if "Dollar" in n or "Peso" in n)


def _marker_currencies(marker: str) -> frozenset[str] | None:
    """The currencies a marker may mean, or None if it is not a currency."""
    if len(marker) == 3 and marker.isalpha():
        code = marker.upper()
        return frozenset({code}) if code in currency_codes() else None
    symbol, prefix = marker[-1], marker[:-1]
    if symbol == "€":
        return frozenset({"EUR"}) if not prefix else None
    if symbol == "£":
        return frozenset({"GBP"}) if not prefix else None
    if symbol == "¥":
        return frozenset({"JPY", "CNY"}) if not prefix else None
    if not prefix:
        return _dollar_currencies()
    dollar = _PREFIXED_DOLLARS.get(prefix)
    return frozenset({dollar}) if dollar else None


def split_amount(cell: str) -> Amount | None:
    """Sign, currency marker and percent sign off a number's text; None if it cannot be one."""
    text = cell.strip().strip(SPACES)
    if len(text) > MAX_CELL_CHARS:  # and the patterns below stay cheap
        return None
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip().rstrip(SPACES)
    negative = text.startswith("-")
    if negative:
        text = text[1:].lstrip()
    marker = None
    match = _MARKER_BEFORE.match(text)
    if match and not match.group("m")[:1].isdigit():
        marker, text = match.group("m"), match.group("rest")
    else:
        match = _MARKER_AFTER.match(text)
        if match:
            marker, text = match.group("m"), match.group("rest")
    if not negative and text.startswith("-"):  # $-600
        negative, text = True, text[1:]
    currencies = None
    if marker is not None:
        currencies = _marker_currencies(marker)
        if currencies is None:
            return None
    text = text.strip().strip(SPACES)
    if (
        not text
        or not re.fullmatch(rf"[0-9.,'{SPACES} ]+", text)
        or not any(ch.isdigit() for ch in text)
    ):
        return None
    return Amount(text, negative, percent, currencies)


_GROUPED = {
    False: re.compile(rf"\d{{1,3}}(?P<g>[,' {SPACES}])\d{{3}}(?:(?P=g)\d{{3}})*(?:\.\d+)?"),
    True: re.compile(rf"\d{{1,3}}(?P<g>[.' {SPACES}])\d{{3}}(?:(?P=g)\d{{3}})*(?:,\d+)?"),
}
_PLAIN = {False: re.compile(r"\d+(?:\.\d*)?|\.\d+"), True: re.compile(r"\d+(?:,\d*)?|,\d+")}


def parse_number(body: str, decimal_comma: bool) -> Decimal | None:
    """The exact value of digits with separators under one convention, else None."""
    if not (_PLAIN[decimal_comma].fullmatch(body) or _GROUPED[decimal_comma].fullmatch(body)):
        return None
    mark = "," if decimal_comma else "."
    whole, _, fraction = body.partition(mark)
    digits = re.sub(r"\D", "", whole)
    if len(digits) + len(fraction) > MAX_DIGITS:
        return None
    try:
        return Decimal(f"{digits or '0'}.{fraction}" if fraction else digits or "0")
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        return None


def decimal_vote(body: str) -> bool | None:
    """What a number's text says about the decimal mark: True comma, False point, None unsure."""
    has_comma, has_point = "," in body, "." in body
    if has_comma and has_point:
        return body.rfind(",") > body.rfind(".")
    if has_comma:
        return None if re.fullmatch(r"\d{1,3}(,\d{3})+", body) else True
    if has_point:
        return None if re.fullmatch(r"\d{1,3}(\.\d{3})+", body) else False
    return None
