"""The shortcuts of clause analysis find exactly what the full searches find: the date
pattern groups skipped for want of a year or a unit of time, the uptime search skipped
for want of a percentage, the remembered normal forms of words."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dealcheck.clauses import dates, matcher, uptime
from dealcheck.clauses.dates import find_dates
from dealcheck.clauses.matcher import FeatureMatcher, FeatureTerm, normalize_word
from dealcheck.clauses.uptime import find_uptimes

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
def test_the_matcher_finds_what_it_finds_without_remembered_words(text: str) -> None:
    found = _MATCHER.find(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matcher, "_normal", normalize_word)
        assert found == _MATCHER.find(text)


def test_the_remembered_words_stay_bounded() -> None:
    matcher._NORMAL.clear()
    for i in range(matcher._NORMAL_ENTRIES * 2 + 10):
        assert matcher._normal(f"Words{i}") == normalize_word(f"Words{i}")
        assert len(matcher._NORMAL) <= matcher._NORMAL_ENTRIES
    long = "x" * (matcher._NORMAL_LONGEST + 1) + "s"
    assert matcher._normal(long) == normalize_word(long)
    assert long not in matcher._NORMAL  # a long word is normalised, not remembered
