"""Due dates written in contract English, resolved to a ``date``.

Recognised forms (case-insensitive):

========================================  =======================================
``31 March 2027``, ``31st of March, 2027``  that day (``the 1st day of July 2027`` too)
``March 31, 2027``, ``Sept. 30th, 2027``   that day
``2027-03-31``                             that day
``31/03/2027``, ``31.03.2027``             day/month per ``date_format`` ("dmy" default,
                                           "mdy"); when that reading is impossible
                                           (31/12 under mdy) the other order is used
                                           if valid, else the text is not a date
``Q2 2027``, ``2027-Q2``, ``Q2 of 2027``   the quarter's last day
``the second quarter of 2027``             the quarter's last day
``H1 2027``, ``first half of 2027``        30 June (``H2``/second half: 31 December)
``end of 2027``, ``calendar year 2027``,   31 December
``in 2027``, ``during 2027``
``June 2027``, ``end of June 2027``        the month's last day
``within ninety (90) days of the           ``start_date`` + the period (days, calendar,
Effective Date``, ``within 30 days``,      business or working days, weeks, months,
``no later than 6 months after             years); number words up to "nine hundred
signature``, ``in two weeks``              and ninety-nine"; words prevail over figures
``the Effective Date``, ``go-live``,       ``start_date``
``immediately``, ``upon signature``
========================================  =======================================

Relative periods are always counted from ``start_date``, whatever event the
clause names ("within 10 days of Customer's request"): that is the earliest
the period can end, the conservative reading for a due date. A quarter, half
or year is the calendar one (fiscal years are not known to dealcheck).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from dealcheck.clauses.numwords import NUMBER_PATTERN, parse_number

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS.update({"fourth": 4, "4th": 4, "final": 4, "last": 4})
_END = r"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?)?"
_YEAR = r"(?P<y>(?:19|2\d)\d\d)"
_CAL = r"(?:(?:calendar|fiscal)\s+)?(?:year\s+)?"

Found = tuple[date, str, tuple[int, int]]
_Resolver = Callable[[re.Match[str], date, str, Mapping[str, date]], date | None]


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def _add_business_days(start: date, days: int) -> date:
    if days <= 0:
        return start
    # Counting from a Saturday or Sunday is counting from the Friday before; from a weekday,
    # every five business days are one calendar week. (Stepping day by day made a long
    # clause of "within 9999 business days" take seconds per mention.)
    current = start - timedelta(days=max(0, start.weekday() - 4))
    weeks, days = divmod(days, 5)
    current += timedelta(weeks=weeks)
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _day_month_year(
    match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]
) -> date | None:
    return date(int(match["y"]), _MONTHS[match["mon"][:3].lower()], int(match["d"]))


def _iso(match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]) -> date | None:
    return date(int(match["y"]), int(match["m"]), int(match["d"]))


def _numeric(
    match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]
) -> date | None:
    first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
    orders = [(first, second), (second, first)]  # (day, month) per dmy, then the other
    if fmt == "mdy":
        orders.reverse()
    for day, month in orders:
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _quarter(
    match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]
) -> date | None:
    quarter = int(match["q"]) if match["q"] else _ORDINALS[match["qw"].lower()]
    return _last_day(int(match["y"]), quarter * 3)


def _half(match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]) -> date | None:
    half = int(match["h"]) if match["h"] else _ORDINALS[match["hw"].lower()]
    return _last_day(int(match["y"]), 6 * half)


def _year_end(
    match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]
) -> date | None:
    return date(int(match["y"]), 12, 31)


def _month_end(
    match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]
) -> date | None:
    return _last_day(int(match["y"]), _MONTHS[match["mon"][:3].lower()])


def _start(match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]) -> date | None:
    return _base(match, start, anchors)


def _defined(
    match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]
) -> date | None:
    return anchors.get(anchor_key(match["anchor"])) if anchors else None


def anchor_key(name: str) -> str:
    """How a defined date is looked up: "the  Go-Live\nDate" -> "go-live date"."""
    words = name.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _base(match: re.Match[str], start: date, anchors: Mapping[str, date]) -> date:
    """The date a relative period counts from: the named anchor if the document defines
    it ("the Amendment Effective Date"), else ``start``."""
    name = match.groupdict().get("anchor")
    if name and anchors:
        return anchors.get(anchor_key(name), start)
    return start


def _relative(
    match: re.Match[str], start: date, fmt: str, anchors: Mapping[str, date]
) -> date | None:
    start = _base(match, start, anchors)
    count = parse_number(match["num"])
    if count is None and match["fig"]:
        count = int(match["fig"])
    if count is None:
        return None
    unit = match["unit"].lower()
    kind = (match["kind"] or "").lower()
    if unit == "day" and kind in ("business", "working"):
        return _add_business_days(start, min(count, 10_000))
    if unit == "day":
        return start + timedelta(days=count)
    if unit == "week":
        return start + timedelta(weeks=count)
    if unit == "month":
        return add_months(start, count)
    return add_months(start, 12 * count)


#: A defined date: up to three words before "Date" ("the Amendment Effective Date").
_NAMED = r"(?-i:(?:[A-Z][\w-]*[ \t\n]+){0,3}?Date)\b"
_ANCHOR = (
    r"(?P<anchor>(?:the\s+)?(?:(?:Effective|Start|Commencement|Subscription\s+Start|Go-Live)\s+Date"
    r"|(?:signature|signing|execution)(?:\s+of\s+this\s+(?:Agreement|Order\s+Form|Contract|SOW))?"
    rf"|date\s+of\s+this\s+(?:Agreement|Order\s+Form|Contract)|{_NAMED}))"
)
_PERIOD = (
    rf"(?P<num>{NUMBER_PATTERN})(?:\s*\(\s*(?P<fig>\d{{1,4}})\s*\))?"
    r"\s+(?:(?P<kind>calendar|business|working)\s+)?(?P<unit>day|week|month|year)s?\b"
)
_PATTERNS: list[tuple[re.Pattern[str], _Resolver]] = [
    (
        re.compile(
            rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+day)?(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b",
            re.I,
        ),
        _day_month_year,
    ),
    (
        re.compile(rf"\b{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I),
        _day_month_year,
    ),
    (re.compile(rf"\b{_YEAR}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"), _iso),
    (re.compile(rf"\b(?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P=sep){_YEAR}\b"), _numeric),
    (
        re.compile(
            rf"\b{_END}(?:(?:calendar|fiscal)\s+)?(?P<qw>)Q(?P<q>[1-4])(?:\s+of)?\s*"
            rf"(?:(?:CY|FY)\s*)?{_YEAR}\b",
            re.I,
        ),
        _quarter,
    ),
    (re.compile(rf"\b{_END}{_YEAR}\s*-?\s*(?P<qw>)Q(?P<q>[1-4])\b", re.I), _quarter),
    (
        re.compile(
            rf"\b{_END}(?P<q>)(?P<qw>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+"
            rf"(?:(?:calendar|fiscal)\s+)?quarter\s+(?:of\s+)?{_CAL}{_YEAR}\b",
            re.I,
        ),
        _quarter,
    ),
    (re.compile(rf"\b{_END}(?P<hw>)H(?P<h>[12])\s*{_YEAR}\b", re.I), _half),
    (re.compile(rf"\b{_END}{_YEAR}\s*-?\s*(?P<hw>)H(?P<h>[12])\b", re.I), _half),
    (
        re.compile(
            rf"\b{_END}(?P<h>)(?P<hw>first|second|1st|2nd)\s+half\s+(?:of\s+)?{_CAL}{_YEAR}\b",
            re.I,
        ),
        _half,
    ),
    (re.compile(rf"\b(?:the\s+)?end\s+of\s+(?:the\s+)?{_CAL}{_YEAR}\b", re.I), _year_end),
    (re.compile(rf"\b(?:calendar|fiscal)\s+year\s+{_YEAR}\b", re.I), _year_end),
    (re.compile(rf"(?:(?<=\bin )|(?<=\bduring )){_YEAR}\b", re.I), _year_end),
    (re.compile(rf"\b{_END}{_MONTH},?\s+{_YEAR}\b", re.I), _month_end),
    (
        re.compile(
            r"\b(?:within|(?:no|not)\s+later\s+than|(?:no|not)\s+more\s+than|in)\s+"
            rf"(?:the\s+)?(?:first\s+)?{_PERIOD}(?:\s+(?:of|after|following|from)\s+{_ANCHOR})?",
            re.I,
        ),
        _relative,
    ),
    (re.compile(rf"\b{_PERIOD}\s+(?:after|following|from)\s+{_ANCHOR}", re.I), _relative),
    (
        re.compile(
            r"\b(?P<anchor>(?:the\s+)?(?:Effective|Start|Commencement|Go-Live)\s+Date)\b"
            r"|\bgo-live\b|\bimmediately\b|\bupon\s+(?:signature|execution|signing)\b",
            re.I,
        ),
        _start,
    ),
    (re.compile(rf"\b(?P<anchor>(?:the\s+)?{_NAMED})"), _defined),
]

#: ``_PATTERNS`` in order, in groups, each with what every pattern of the group must find in
#: a text to match it at all: a year (the first fourteen), a unit of time ("within 30
#: days"), words of the start ("the Effective Date", "go-live", "immediately", "upon
#: signature"), a capitalised "Date". A clause with no year is then searched by four
#: patterns, not eighteen. Same flags as the patterns, so the same letters match.
_GROUPS: list[tuple[re.Pattern[str], list[tuple[re.Pattern[str], _Resolver]]]] = [
    (re.compile(_YEAR), _PATTERNS[:14]),
    (re.compile(r"day|week|month|year", re.I), _PATTERNS[14:16]),
    (re.compile(r"date|go-live|immediately|upon", re.I), _PATTERNS[16:17]),
    (re.compile(r"Date"), _PATTERNS[17:]),
]


def find_dates(
    text: str,
    start_date: date,
    date_format: str = "dmy",
    anchors: Mapping[str, date] | None = None,
) -> list[Found]:
    """Every date expression in ``text`` as ``(date, words, (start, end))``, by position.

    Overlapping expressions resolve to the longest ("within 90 days of the
    Effective Date" rather than "the Effective Date"). Impossible dates
    ("31 February 2027") are not dates, and not "February 2027" either.
    """
    candidates: list[tuple[date | None, str, tuple[int, int]]] = []
    for needs, patterns in _GROUPS:
        if needs.search(text) is None:
            continue  # no pattern of the group can match: every one needs these words
        for pattern, resolve in patterns:
            for match in pattern.finditer(text):
                try:
                    found = resolve(match, start_date, date_format, anchors or {})
                except (ValueError, OverflowError):
                    found = None  # still claims its span: "31 February 2027" is not "February 2027"
                candidates.append((found, match.group(), match.span()))
    chosen: list[tuple[date | None, str, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []  # the chosen spans, sorted and disjoint
    for candidate in sorted(candidates, key=lambda c: (c[2][0] - c[2][1], c[2][0])):
        start, end = candidate[2]
        # Only the neighbours of a span in `taken` can overlap it: a bisection, not a scan
        # of every span chosen so far (thousands of dates in a long clause were quadratic).
        i = bisect_left(taken, (start, end))
        if i > 0 and taken[i - 1][1] > start or i < len(taken) and taken[i][0] < end:
            continue
        taken.insert(i, (start, end))
        chosen.append(candidate)
    return sorted(
        ((found, words, span) for found, words, span in chosen if found is not None),
        key=lambda c: c[2],
    )
