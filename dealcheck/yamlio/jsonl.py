"""One line of a JSON Lines file → a :class:`~dealcheck.yamlio.source.Document`.

The YAML loader's rules hold for JSON too: no duplicate keys, exact numbers (``int`` or
``Decimal``, never ``float``) within the same digit, exponent and nesting limits, and no
lone surrogates; every error names the line.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from dealcheck.errors import InputError, Location
from dealcheck.yamlio.limits import MAX_DEPTH, MAX_EXPONENT, MAX_NUMBER_DIGITS, excerpt
from dealcheck.yamlio.source import Document, SourceMap


def load_jsonl_line(line: str, name: str, lineno: int) -> Document:
    """Parse one line of a JSON Lines file into a :class:`Document` (positions: the line)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            _check_json_text(key, name, lineno)
            if key in out:
                raise InputError(Location(name, lineno, 1), f"duplicate key '{excerpt(key)}'")
            out[key] = value
        return out

    def constant(token: str) -> Any:
        raise InputError(Location(name, lineno, 1), f"'{token}' is not a number")

    def number(token: str) -> int | Decimal:
        # the YAML limit; an int of more than 4,300 digits would also make int() raise
        mantissa, _, exponent = token.lower().partition("e")
        if sum(c.isdigit() for c in mantissa) > MAX_NUMBER_DIGITS:
            raise InputError(
                Location(name, lineno, 1), f"number '{excerpt(token, 40)}' has too many digits"
            )
        if len(exponent.lstrip("+-").lstrip("0")) > 4:
            raise InputError(
                Location(name, lineno, 1), f"number '{excerpt(token, 40)}' is out of range"
            )
        return Decimal(token) if any(c in token for c in ".eE") else int(token)

    try:
        data = json.loads(
            line,
            object_pairs_hook=pairs,
            parse_float=number,
            parse_int=number,
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(Location(name, lineno, exc.colno), f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(Location(name, lineno, 1), "JSON nested too deeply") from None
    source = SourceMap(name)
    source.values[()] = (lineno, 1)
    return Document(_fix_json_numbers(data, name, lineno), source, lineno - 1)


def _fix_json_numbers(value: Any, name: str, lineno: int, depth: int = 0) -> Any:
    """Apply the YAML limits to JSON data too (depth, exponent range, text that is text)."""
    if depth > MAX_DEPTH:
        raise InputError(Location(name, lineno, 1), f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        _check_json_text(value, name, lineno)
    elif isinstance(value, dict):
        for v in value.values():
            _fix_json_numbers(v, name, lineno, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _fix_json_numbers(v, name, lineno, depth + 1)
    elif isinstance(value, Decimal) and value != 0 and abs(value.adjusted()) > MAX_EXPONENT:
        raise InputError(Location(name, lineno, 1), f"number {value} is out of range")
    return value


def _check_json_text(text: str, name: str, lineno: int) -> None:
    """JSON's ``\\ud800`` escapes can spell a lone surrogate, which no output can encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            Location(name, lineno, 1),
            f"invalid JSON: \\u{ord(text[exc.start]):04x} is half of a surrogate pair, not a character",
        ) from None
