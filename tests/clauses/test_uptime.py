"""Uptime percentages: only when tied to uptime/availability/SLA words and committed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealcheck.clauses import find_uptimes


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Provider guarantees 99.99% monthly uptime.", ["99.99"]),
        ("an availability of at least 99.95 percent", ["99.95"]),
        ("monthly uptime of 99.9 % for production", ["99.9"]),
        ("99.95 per cent availability", ["99.95"]),
        ("The SLA is 99.5%.", ["99.5"]),
        ("Service Level: Monthly Uptime Percentage of no less than 100%.", ["100"]),
        ("available at least ninety-nine point nine percent (99.9%) of the time", ["99.9"]),
        ("Section 9.1 is amended by replacing 99.95% uptime with 99.9% uptime.", None),
        ("99.99% for dedicated instances and 99.9% for all others, measured as uptime", None),
    ],
)
def test_uptimes(text: str, values: list[str] | None) -> None:
    expected = values or [u for u in ("99.99", "99.9") if u + "%" in text]
    assert [str(u.value) for u in find_uptimes(text)] == expected


def test_value_is_a_decimal_with_its_text_and_span() -> None:
    text = "Uptime: 99.95 per cent."
    [uptime] = find_uptimes(text)
    assert uptime.value == Decimal("99.95")
    assert uptime.text == "99.95 per cent"
    assert text[uptime.span[0] : uptime.span[1]] == uptime.text


@pytest.mark.parametrize(
    "text",
    [
        "Provider grants a 20% discount.",
        "95% of Customer's users are in the United States.",
        "Service credits are capped at 10% of the monthly fees.",
        "a 99% discount on availability add-ons",
        "Historical uptime in 2026 was 99.97%.",
        "Provider targets 99.99% availability.",
        "Provider aims for 99.99% uptime.",
        "Uptime is reported monthly. Fees rise by 95% on renewal.",
        "If availability falls below 99.9%, a credit of 10% of the monthly fee applies.",
        "Less than 99.9% but greater than or equal to 99.0% | 10%",
    ],
)
def test_not_uptimes(text: str) -> None:
    assert find_uptimes(text) == []


def test_target_then_commitment() -> None:
    text = "Provider targets 99.99% uptime but only commits to 99.9% uptime."
    assert [str(u.value) for u in find_uptimes(text)] == ["99.9"]
