"""Committed uptime percentages: "99.99% monthly uptime", "availability of at least 99.95 percent".

A percentage is an uptime only when

* it is between 90 and 100 (uptimes are; discounts and service credits rarely are),
* its sentence speaks of uptime, availability, "available", an SLA or a service level,
* it is not a fee, discount or credit ("a 10% service credit", "95% of the fees"),
* it is not a target, goal or past figure: the words since the previous
  percentage (or the sentence start) do not say "target", "aims", "goal",
  "historical", "was" or "were" ("Provider targets 99.99% ... but commits to 99.9%").

``analyse_clause`` further drops uptimes in a sentence with a disclaimer
("... is not guaranteed").
"""

from __future__ import annotations

import re
from decimal import Decimal

from dealcheck.clauses.model import Uptime
from dealcheck.clauses.sentences import split_sentences

_PERCENT = re.compile(
    r"(?<![\d.])(?P<value>\d{1,3}(?:\.\d{1,4})?)\s*(?:%|per\s*cent\b|percent\b|pct\b)", re.I
)
_SLA_WORDS = re.compile(r"\b(?:up-?\s?time|availability|available|SLAs?|service\s+levels?)\b", re.I)
_NOT_UPTIME_AFTER = re.compile(
    r"\s*(?:\)\s*)?(?:discount|service\s+credit|credit|increase|uplift|reduction|rebate"
    r"|of\s+(?:the\s+|all\s+|any\s+)?(?:monthly\s+|annual\s+|yearly\s+)?(?:fees?|charges?|price"
    r"|invoice|users|customers))\b",
    re.I,
)
_NOT_COMMITTED_BEFORE = re.compile(
    r"\b(?:targets?|targeted|targeting|aims?|aiming|goal|objective|historical(?:ly)?|was|were"
    r"|averaged|achieved)\b",
    re.I,
)


def find_uptimes(text: str) -> list[Uptime]:
    """Uptime percentages tied to uptime/availability/SLA words, in order of appearance."""
    found: list[Uptime] = []
    for start, end in split_sentences(text):
        if not _SLA_WORDS.search(text, start, end):
            continue
        previous = start
        for match in _PERCENT.finditer(text, start, end):
            value = Decimal(match["value"])
            hedged = _NOT_COMMITTED_BEFORE.search(text, previous, match.start())
            previous = match.end()
            if not Decimal(90) <= value <= Decimal(100) or hedged:
                continue
            if _NOT_UPTIME_AFTER.match(text, match.end()):
                continue
            found.append(Uptime(value, match.group(), match.span()))
    return found
