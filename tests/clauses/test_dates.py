"""Due dates in every supported form, resolved against a start date."""

from __future__ import annotations

from datetime import date

import pytest

from dealcheck.clauses import find_dates
from dealcheck.clauses.dates import add_months

START = date(2027, 1, 1)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected", "words"),
    [
        ("no later than 31 March 2027", date(2027, 3, 31), "31 March 2027"),
        ("by March 31, 2027", date(2027, 3, 31), "March 31, 2027"),
        ("the 31st of March, 2027", date(2027, 3, 31), "31st of March, 2027"),
        ("by the 1st day of July 2027", date(2027, 7, 1), "1st day of July 2027"),
        ("no later than Sept. 30, 2027", date(2027, 9, 30), "Sept. 30, 2027"),
        ("September 30th, 2027", date(2027, 9, 30), "September 30th, 2027"),
        ("by 2027-03-31", date(2027, 3, 31), "2027-03-31"),
        ("by 31/03/2027", date(2027, 3, 31), "31/03/2027"),
        ("by 31.12.2027", date(2027, 12, 31), "31.12.2027"),
        ("in Q2 2027", date(2027, 6, 30), "Q2 2027"),
        ("by Q4 of 2027", date(2027, 12, 31), "Q4 of 2027"),
        ("by 2027-Q2", date(2027, 6, 30), "2027-Q2"),
        ("in the second quarter of 2027", date(2027, 6, 30), "second quarter of 2027"),
        ("the end of the third quarter of 2027", date(2027, 9, 30), None),
        ("by end of Q1 2028", date(2028, 3, 31), "end of Q1 2028"),
        ("in H1 2027", date(2027, 6, 30), "H1 2027"),
        ("in H2 2027", date(2027, 12, 31), "H2 2027"),
        ("in the first half of 2027", date(2027, 6, 30), "first half of 2027"),
        ("in the second half of 2027", date(2027, 12, 31), "second half of 2027"),
        ("by the end of 2027", date(2027, 12, 31), "the end of 2027"),
        ("end of 2027", date(2027, 12, 31), "end of 2027"),
        ("during calendar year 2027", date(2027, 12, 31), "calendar year 2027"),
        ("later in 2027", date(2027, 12, 31), "2027"),
        ("by June 2027", date(2027, 6, 30), "June 2027"),
        ("by the end of June 2027", date(2027, 6, 30), "the end of June 2027"),
        ("end of February 2028", date(2028, 2, 29), "end of February 2028"),
        ("from the Effective Date", START, "the Effective Date"),
        ("from go-live", START, "go-live"),
    ],
)
def test_absolute_forms(text: str, expected: date, words: str | None) -> None:
    [(found, found_words, (start, end))] = find_dates(text, START)
    assert found == expected
    assert found_words == (words or text)
    assert text[start:end] == found_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("within ninety (90) days of the Effective Date", date(2027, 4, 1)),
        ("within 30 days", date(2027, 1, 31)),
        ("within 6 months after signature", date(2027, 7, 1)),
        ("within six (6) months after signature of this Order Form", date(2027, 7, 1)),
        ("within two weeks of the Effective Date", date(2027, 1, 15)),
        ("within one hundred and twenty (120) days", date(2027, 5, 1)),
        ("within forty-five (45) days", date(2027, 2, 15)),
        ("within 5 business days", date(2027, 1, 8)),
        ("within ten (10) working days", date(2027, 1, 15)),
        ("within one (1) year of the Effective Date", date(2028, 1, 1)),
        ("within a month", date(2027, 2, 1)),
        ("no later than ninety days following the Effective Date", date(2027, 4, 1)),
        ("60 days after the Effective Date", date(2027, 3, 2)),
        ("in 3 months", date(2027, 4, 1)),
    ],
)
def test_relative_forms(text: str, expected: date) -> None:
    [(found, words, _)] = find_dates(text, START)
    assert (found, words) == (expected, text)


def test_words_prevail_over_figures() -> None:
    [(found, _, _)] = find_dates("within thirty (60) days", START)
    assert found == date(2027, 1, 31)


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert find_dates("within 6 months", date(2026, 8, 31))[0][0] == date(2027, 2, 28)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("03/04/2027", "dmy", date(2027, 4, 3)),
        ("03/04/2027", "mdy", date(2027, 3, 4)),
        ("3/31/2027", "mdy", date(2027, 3, 31)),
        ("3/31/2027", "dmy", date(2027, 3, 31)),  # impossible as dmy: read as mdy
        ("31/12/2027", "mdy", date(2027, 12, 31)),  # impossible as mdy: read as dmy
    ],
)
def test_numeric_dates_follow_the_date_format(text: str, fmt: str, expected: date) -> None:
    assert find_dates(text, START, fmt)[0][0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "31 February 2027",
        "13/13/2027",
        "Provider may provide it",  # "may" the modal, not the month
        "for a period of 12 months",
        "at least ninety (90) days before retiring it",
        "version 2.0 of the app",
        "99.9% uptime",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, START) == []


def test_several_dates_in_order() -> None:
    text = "X by 31 March 2027 and Y by Q3 2027, Z within 30 days of the Effective Date."
    assert [d for d, _, _ in find_dates(text, START)] == [
        date(2027, 3, 31),
        date(2027, 9, 30),
        date(2027, 1, 31),
    ]
