"""English number words as contracts write them: "ninety", "forty-five", "one hundred and twenty"."""

from __future__ import annotations

import re

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"]
_TEENS += ["sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty", "ninety"]

_VALUES: dict[str, int] = {"a": 1, "an": 1}
_VALUES.update({word: index + 1 for index, word in enumerate(_UNITS)})
_VALUES.update({word: index + 10 for index, word in enumerate(_TEENS)})
_VALUES.update({"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50})
_VALUES.update({"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})

_UNIT = "|".join(_UNITS)
_BELOW_100 = rf"(?:(?:{'|'.join(_TENS)})(?:[\s-](?:{_UNIT}))?|{'|'.join(_TEENS)}|{_UNIT})\b"
_HUNDREDS = rf"(?:a|{_UNIT})\s+hundred\b"

#: A regex (no groups) for a count written in digits or words, below one thousand.
NUMBER_PATTERN = rf"(?:\d{{1,4}}\b|{_HUNDREDS}(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100}|an?\b)"
_TOKEN = re.compile(r"[a-z]+|\d+")


def parse_number(text: str) -> int | None:
    """The value of a count matched by ``NUMBER_PATTERN``: "one hundred and twenty" -> 120."""
    total = 0
    for token in _TOKEN.findall(text.lower()):
        if token.isdigit():
            return int(token)
        if token == "hundred":
            total = max(total, 1) * 100
        elif token != "and":
            value = _VALUES.get(token)
            if value is None:
                return None
            total += value
    return total or None
