"""The JSON report's fast encoder writes exactly what ``json.dumps`` wrote before it.

``json_report.dumps`` goes through orjson with a Decimal hook; the reference is the old
path, ``json_text(json.dumps(plain(data), indent=2, ensure_ascii=False))``.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcheck.report.json_report import dumps, plain
from dealcheck.report.sanitize import json_text


def reference(data: Any) -> str:
    return json_text(json.dumps(plain(data), indent=2, ensure_ascii=False))


decimals = st.decimals(allow_nan=True, allow_infinity=True) | st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent),
    st.integers(-(10**40), 10**40),
    st.integers(-120, 120),
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | decimals
    | st.dates()
    | st.text()
    | st.sampled_from(["\x7f", "\x85", "\u2028", "\u2029", "\ud800", "a\udfffb", "\x1b[31m"])
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(values)
def test_the_fast_encoder_writes_what_json_dumps_wrote(data: Any) -> None:
    assert dumps(data) == reference(data)


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1E+3"),
        Decimal("0E-10"),
        Decimal("-0.00000"),
        Decimal("0.123456789"),
        Decimal("2.00005"),
        Decimal("2.00015"),
        Decimal("1e999"),
        Decimal("1.5e999"),
        Decimal("-1.23456e-7"),
        Decimal("NaN"),
        Decimal("-Infinity"),
        date(2027, 3, 31),
    ],
)
def test_decimals_and_dates(value: Any) -> None:
    assert dumps({"v": value, "l": [value]}) == reference({"v": value, "l": [value]})
