"""The fast path for a JSON Lines deal: the C JSON scanner, with the positioned loader's
rules checked cheaply, and that loader (:func:`dealcheck.yamlio.load_jsonl_line`) left to
explain anything this path does not accept.

:func:`decode_line` returns exactly the data ``load_jsonl_line`` would return for the
same line (``int`` for integers, exact ``Decimal`` for every other number, never a
``float``), or ``None`` when the line breaks, or might break, one of its rules: a
duplicate key, ``NaN``/``Infinity``, a number of more than 40 characters or outside
10**±100, an escape that could spell a lone surrogate, nesting deeper than 64 levels, or
JSON that does not parse. The caller then reads the line again with the
positioned loader, which reports the error at ``file:line:column`` (or, for a
conservative refusal, accepts the line as before).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from dealcheck.yamlio import MAX_DEPTH, MAX_EXPONENT, MAX_NUMBER_DIGITS

__all__ = ["decode_line"]

# A "\udXXX" escape in the high half of the range could be a lone surrogate (only an
# escape can spell one: the text itself is valid UTF-8). Escaped backslashes before a
# "u" make this match text that is no escape at all: the slow path then decides.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _Refused(Exception):
    """This line is for the positioned loader."""


def _float(token: str) -> Decimal:
    if len(token) > MAX_NUMBER_DIGITS:
        raise _Refused
    number = Decimal(token)
    if number and abs(number.adjusted()) > MAX_EXPONENT:
        raise _Refused
    return number


def _int(token: str) -> int:
    if len(token) > MAX_NUMBER_DIGITS:
        raise _Refused
    return int(token)


def _constant(token: str) -> Any:
    raise _Refused


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(items)
    if len(out) != len(items):  # a duplicate key: the positioned loader names it
        raise _Refused
    return out


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_float=_float, parse_int=_int, parse_constant=_constant
)


def decode_line(text: str) -> Any | None:
    """The data of one JSON Lines deal, or ``None``: ask the positioned loader."""
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        return None
    try:
        data = _DECODER.decode(text)
    except (_Refused, ValueError, RecursionError):
        return None
    # fewer brackets than levels allowed (the common case) cannot nest too deep
    if text.count("{") + text.count("[") > MAX_DEPTH and _too_deep(data):
        return None
    return data


def _too_deep(data: Any) -> bool:
    """Whether any value lies deeper than :data:`MAX_DEPTH` (the root is at depth 0)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False
