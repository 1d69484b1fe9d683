"""The shortcuts of clause analysis find exactly what the full searches find: the date
pattern groups skipped for want of a year or a unit of time, the uptime search skipped
for want of a percentage, the remembered normal forms of words, a clause with nothing to
decide."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dealcheck.clauses import Clause, analyse_clause, analysis, dates, matcher, uptime
from dealcheck.clauses.dates import find_dates
from dealcheck.clauses.matcher import FeatureMatcher, FeatureTerm, normalize_word
from dealcheck.clauses.model import Mention
from dealcheck.clauses.uptime import find_uptimes
from dealcheck.errors import Location

_ALWAYS = re.compile("")

_PIECES = [
    "31 March 2027",
    "March 31, 2027",
    "2027-03-31",
    "03/04/2027",
    "31.12.2027",
    "Q2 2027",
    "2027-Q3",
    "the second quarter of 2027",
    "H1 2027",
    "first half of 2027",
    "end of 2027",
    "calendar year 2027",
    "in 2027",
    "June 2027",
    "within ninety (90) days of the Effective Date",
    "within 30 days",
    "no later than 6 months after signature",
    "in two weeks",
    "within 10 business days after the Go-Live Date",
    "the Go-Live Date",
    "the Amendment Effective Date",
    "go-live",
    "immediately",
    "upon signature",
    "Date",
    "date",
    "DATE",
    "WITHIN 30 DAYS OF THE EFFECTIVE DATE",
    "within 3 dayſ",  # a long s: "days" to a case-insensitive pattern
    "within 2 weeK",  # a Kelvin sign: "week" to a case-insensitive pattern
    "UPON SIGNATURE",
    "99.95%",
    "99.9 per cent uptime",
    "99.99 percent availability",
    "95 pct SLA",
    "Provider shall provide SSO",
    "uptime",
    "available",
    ".",
    ";",
    "\n",
    "\n\n",
    "1999",
    "2027",
    "12",
]
_texts = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text("0129 .-/%QHDdaeity\n", max_size=12)),
    max_size=12,
).map(" ".join)


def test_the_date_groups_are_every_pattern_in_order() -> None:
    assert [p for _, group in dates._GROUPS for p in group] == dates._PATTERNS


@settings(max_examples=400, deadline=None)
@given(_texts, st.sampled_from(["dmy", "mdy"]))
@example("Provider shall deliver by 31 March 2027 and within 30 days.", "dmy")
@example("The Go-Live Date is 1 May 2027; go-live immediately upon signature.", "mdy")
def test_find_dates_finds_what_every_pattern_finds(text: str, fmt: str) -> None:
    anchors = {"go-live date": date(2027, 5, 1)}
    found = find_dates(text, date(2027, 1, 1), fmt, anchors)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "_GROUPS", [(_ALWAYS, dates._PATTERNS)])
        assert found == find_dates(text, date(2027, 1, 1), fmt, anchors)


@settings(max_examples=300, deadline=None)
@given(_texts)
@example("Provider guarantees 99.95% monthly uptime.")
@example("Uptime. Availability of at least 99.9 per cent.")
def test_find_uptimes_finds_what_the_full_search_finds(text: str) -> None:
    found = find_uptimes(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uptime, "_ANY_PERCENT", _ALWAYS)
        assert found == find_uptimes(text)


_MATCHER = FeatureMatcher(
    [
        FeatureTerm("sso", "SAML single sign-on", ("SSO", "single-sign-on")),
        FeatureTerm("residency", "EU data residency", ("data residencies",)),
        FeatureTerm("white-label", "white-label", ()),
        FeatureTerm("e-sign", "e-sign", ("sign",)),  # a term inside a longer one
        FeatureTerm("export", "data export", ("data",)),  # the start of a longer one
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "SSO",
                    "SSO's",
                    "single",
                    "sign-on",
                    "sign",
                    "on",
                    "EU",
                    "data",
                    "residencies",
                    "whitelabel",
                    "white",
                    "label",
                    "export",
                    "e",
                    " ",
                    "  ",
                    "-",
                    "/",
                    ". ",
                    "\n",
                    "\n\n",
                ]
            ),
            st.text("abcSO -./\n", max_size=8),
        ),
        max_size=15,
    ).map(" ".join)
)
def test_the_matcher_finds_what_a_plain_walk_of_every_word_finds(text: str) -> None:
    assert _MATCHER.find(text) == _reference_find(_MATCHER, text)


def _reference_find(m: FeatureMatcher, text: str) -> list[Mention]:
    """``FeatureMatcher.find`` as it was: every word normalised afresh, every gap judged,
    the trie walked from every word."""
    words = list(matcher._WORD.finditer(text))
    if not words:
        return []
    keys = [normalize_word(word.group()) for word in words]
    joins = [
        _reference_joinable(text[words[i].end() : words[i + 1].start()])
        for i in range(len(words) - 1)
    ]
    joins.append(False)
    candidates: list[tuple[int, int, str]] = []
    for first in range(len(words)):
        node: Any = m._root
        best: tuple[int, str] | None = None
        index = first
        while node is not None and index < len(words):
            node = node.children.get(keys[index])
            if node is None:
                break
            if node.feature is not None:
                best = (index, node.feature)
            if not joins[index]:
                break
            index += 1
        if best is not None:
            candidates.append((first, best[0], best[1]))
    return m._choose(text, words, candidates)


def _reference_joinable(gap: str) -> bool:
    """``matcher._joinable`` without its shortcut for a single space."""
    if not gap or len(gap) > 40:
        return False
    marks = [char for char in gap if not char.isspace()]
    if len(marks) > 2 or any(mark not in matcher._JOINERS for mark in marks):
        return False
    if "." in marks and len(marks) != len(gap):
        return False
    return gap.count("\n") < 2


def test_the_remembered_words_stay_bounded() -> None:
    matcher._NORMAL.clear()
    for i in range(matcher._NORMAL_ENTRIES * 2 + 10):
        assert matcher._normal(f"Words{i}") == normalize_word(f"Words{i}")
        assert len(matcher._NORMAL) <= matcher._NORMAL_ENTRIES
    long = "x" * (matcher._NORMAL_LONGEST + 1) + "s"
    assert matcher._normal(long) == normalize_word(long)
    assert long not in matcher._NORMAL  # a long word is normalised, not remembered


_CLAUSE_MATCHER = FeatureMatcher(
    [
        FeatureTerm("sso", "single sign-on", ("SSO",)),
        FeatureTerm("audit-log", "audit logs", ()),
    ]
)
_CLAUSE_PIECES = [
    "Provider shall provide SSO by 31 March 2027.",
    "Provider guarantees 99.95% monthly uptime.",
    "Availability of at least 99.9 per cent is not guaranteed.",
    "Customer may terminate for convenience on 30 days notice.",
    "Pricing is most favoured customer pricing for the term.",
    "SSO",
    "audit logs;",
    "[ ] audit logs",
    "Provider will provide the following by 30 April 2027:",
    "Provider shall deliver single sign-on:",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_CLAUSE_PIECES), min_size=1, max_size=3).map(" ".join),
    st.one_of(st.none(), st.sampled_from(_CLAUSE_PIECES)),
)
@example("Customer may terminate for convenience on 30 days notice.", None)
@example("SSO by 31 May 2027", "Provider will provide the following by 30 April 2027:")
@example("Provider guarantees 99.95% monthly uptime.", "Provider shall deliver single sign-on:")
def test_a_clause_with_nothing_to_decide_is_analysed_as_in_full(
    text: str, lead_in: str | None
) -> None:
    one = Clause("1", text, Location("c.txt"))
    found = analyse_clause(one, _CLAUSE_MATCHER, date(2027, 1, 1), lead_in=lead_in, lead_in_id="4")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis, "_nothing_to_decide", lambda *_: False)
        assert found == analyse_clause(
            one, _CLAUSE_MATCHER, date(2027, 1, 1), lead_in=lead_in, lead_in_id="4"
        )
