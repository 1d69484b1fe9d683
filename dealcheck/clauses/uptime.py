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
#: What every ``_PERCENT`` match holds (same flags): a text without it has no uptime.
_ANY_PERCENT = re.compile(r"%|cent|pct", re.I)
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


#: "Target Uptime: 99.95%": a defined term of an order form, not a hedge.
_TARGET_TERM = re.compile(r"\s+(?:up-?\s?time|availability)\s*:", re.I)
#: A threshold or tier ("less than 99.9% but greater than or equal to 99.0%", "falls below
#: 99.0%"): where service credits start, not what is promised.
_THRESHOLD_BEFORE = re.compile(
    r"(?:\b(?:less|lower|fewer)\s+than|\bbelow|\bunder|\bgreater\s+than(?:\s+or\s+equal\s+to)?"
    r"|\bmore\s+than|\bhigher\s+than|\bequal\s+to(?:\s+or\s+(?:greater|more|higher)\s+than)?"
    r"|\bbetween|[<>≤≥=])\s*[\"'“”‘’(]*\s*$",
    re.I,
)
_FLOOR_BEFORE = re.compile(
    r"\b(?:(?:not|no)\s+less\s+than|at\s+least|a\s+minimum\s+of|minimum)\s*$", re.I
)
#: A figure being replaced: "replacing 99.95% with 99.9%", "(instead of 99.95%)".
_REPLACED_BEFORE = re.compile(
    r"\b(?:replac(?:e|es|ed|ing)|instead\s+of|rather\s+than|in\s+place\s+of|delet(?:e|es|ed|ing)"
    r"|strik(?:e|es|ing)|struck|from|was|previously|formerly|substitut(?:e|es|ed|ing)\s+for)"
    r"\s*[\"'“”‘’(]*\s*$",
    re.I,
)
_SMALL_WORDS = frozenset({"of", "and", "for", "the", "&", "to"})


def _is_title(sentence: str) -> bool:
    """ "Service Levels." or "Uptime": a clause title, every word capitalised."""
    words = sentence.rstrip(".:").split()
    return bool(words) and all(
        w[:1].isupper() or w[:1].isdigit() or w in _SMALL_WORDS for w in words
    )


_HEADING = 80  # a first "sentence" this short is the clause's title ("Service Levels.")


def find_uptimes(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Uptime]:
    """Uptime percentages tied to uptime/availability/SLA words, in order of appearance.

    ``sentences`` are ``split_sentences(text)`` when the caller has them already."""
    found: list[Uptime] = []
    if _ANY_PERCENT.search(text) is None:
        return found
    if sentences is None:
        sentences = split_sentences(text)
    titled = bool(
        sentences
        and sentences[0][1] - sentences[0][0] <= _HEADING
        and _SLA_WORDS.search(text, *sentences[0])
        and _is_title(text[sentences[0][0] : sentences[0][1]])
    )
    for start, end in sentences:
        if not titled and not _SLA_WORDS.search(text, start, end):
            continue
        previous = start
        for match in _PERCENT.finditer(text, start, end):
            value = Decimal(match["value"])
            hedged = _NOT_COMMITTED_BEFORE.search(text, previous, match.start())
            if (
                hedged
                and hedged.group().lower() == "target"
                and _TARGET_TERM.match(text, hedged.end())
            ):
                hedged = None
            previous = match.end()
            if not Decimal(90) <= value <= Decimal(100) or hedged:
                continue
            if _NOT_UPTIME_AFTER.match(text, match.end()):
                continue
            low = max(start, match.start() - 40)
            if _FLOOR_BEFORE.search(text, low, match.start()) is None and (
                _THRESHOLD_BEFORE.search(text, low, match.start())
                or _REPLACED_BEFORE.search(text, low, match.start())
            ):
                continue
            found.append(Uptime(value, match.group(), match.span()))
    return found
