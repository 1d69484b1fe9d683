"""The exact interval analysis behind lint and the sales sheet: intervals over Decimal with
open and closed ends, whole-number fields, null semantics, and no false claims."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcheck.expr import compile_condition
from dealcheck.expr.intervals import Interval, IntervalSet, simple_point
from dealcheck.expr.logic import analyse, both_cases, implies

D = Decimal
TODAY = date(2026, 11, 22)


def regions(name: str) -> frozenset[str] | None:
    return {"EU": frozenset({"DE", "FR"})}.get(name)


def closed(low: str | None, high: str | None, integer: bool = False) -> IntervalSet:
    return IntervalSet.of(
        [
            Interval(
                D(low) if low else None,
                low is not None,
                D(high) if high else None,
                high is not None,
            )
        ],
        integer,
    )


# --- intervals ---------------------------------------------------------------------------------


def test_complement_flips_each_end_exactly() -> None:
    band = IntervalSet.of([Interval(D("0.2"), False, D("0.3"), True)])
    assert str(band.complement()) == "(-∞, 0.2] ∪ (0.3, +∞)"
    assert band.complement().complement() == band
    assert IntervalSet.nothing().complement() == IntervalSet.everything()
    assert IntervalSet.everything().complement().empty


def test_touching_ends_merge_only_when_one_includes_the_point() -> None:
    left_open = IntervalSet.compare("<", D("0.3"))
    assert str(left_open.union(IntervalSet.compare(">", D("0.3")))) == "(-∞, 0.3) ∪ (0.3, +∞)"
    assert left_open.union(IntervalSet.compare(">=", D("0.3"))) == IntervalSet.everything()


def test_whole_numbers_have_nothing_between_60_and_61() -> None:
    terms = IntervalSet.compare("<=", D(60), integer=True)
    assert terms.union(IntervalSet.compare(">", D(60), integer=True)) == IntervalSet.everything(
        True
    )
    assert IntervalSet.compare(">", D(60), True) == IntervalSet.compare(">=", D(61), True)
    assert IntervalSet.compare(">", D("60.5"), True) == IntervalSet.compare(">=", D(61), True)
    assert closed("60.2", "60.8", integer=True).empty


@pytest.mark.parametrize(
    ("values", "point"),
    [
        (IntervalSet.of([Interval(D("0.2"), False, D("0.3"), True)]), D("0.25")),
        (IntervalSet.of([Interval(D("0.5"), False, D("0.6"), True)]), D("0.55")),
        (IntervalSet.compare(">", D(60), True), D(61)),
        (IntervalSet.compare("==", D("0.3")), D("0.3")),
        (closed("61", "90", True), D(80)),
    ],
)
def test_example_values_are_short_and_inside(values: IntervalSet, point: Decimal) -> None:
    assert simple_point(values) == point
    assert values.contains(point)


# --- conditions ---------------------------------------------------------------------------------


def band(text: str, var: str = "line.discount", scope: str = "line") -> tuple[str, bool] | None:
    analysis = analyse(text, scope)
    assert analysis is not None
    found = analysis.band(var)
    return None if found is None else (str(found[0]), found[1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("line.discount > 0.2 and line.discount <= 0.3", ("(0.2, 0.3]", False)),
        ("0.2 < line.discount <= 0.3", ("(0.2, 0.3]", False)),
        ("line.discount > 0.4", ("(0.4, 1]", False)),  # a discount is at most 1
        ("not line.discount > 0.2", ("(-∞, 0.2]", True)),  # true for a missing discount
        ("line.discount != 0.3", ("(-∞, 0.3) ∪ (0.3, 1]", False)),
        ("line.discount in [0.1, 0.2]", ("exactly 0.1 ∪ exactly 0.2", False)),
        ("line.discount not in [0.1]", ("(-∞, 0.1) ∪ (0.1, 1]", False)),
        ("line.discount > 0.1 + 0.1", ("(0.2, 1]", False)),
        ("line.discount > 0.5 and line.discount < 0.4", ("nothing", False)),
        ("line.discount > 0.2 and line.quantity > 3", None),  # two fields: not a band
        ("line.discount > 0.2 and matches(line.sku, 'X')", None),
    ],
)
def test_band_of_a_condition(text: str, expected: tuple[str, bool] | None) -> None:
    assert band(text) == expected


def test_a_partner_field_needs_the_partner() -> None:
    analysis = analyse("partner == null and partner.margin > 0.2", "deal")
    assert analysis is not None and analysis.raw and not analysis.cases  # proved impossible
    assert band("partner != null and partner.margin > 0.25", "partner.margin", "deal") == (
        "(0.25, 1]",
        False,
    )
    # deal.partner and partner are the same field
    same = analyse("deal.partner.margin > 0.3", "deal")
    assert same is not None and same.variables() == {"partner.margin"}


def test_whole_days_and_dates() -> None:
    analysis = analyse("deal.payment_terms_days > 60 and deal.payment_terms_days < 61", "deal")
    assert analysis is not None and analysis.raw and not analysis.cases
    assert band('deal.start_date >= date("2027-01-01")', "deal.start_date", "deal") is not None


def cond(text: str, scope: str = "line") -> Any:
    analysis = analyse(text, scope)
    assert analysis is not None
    return analysis


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("line.discount > 0.45", "line.discount > 0.4", True),
        ("line.discount > 0.4", "line.discount > 0.45", False),
        ("line.discount >= 0.4", "line.discount > 0.4", False),  # exactly 0.4
        ("line.discount > 0.4 and matches(line.sku, 'A')", "line.discount > 0.3", True),
        ("line.discount > 0.4", "line.discount > 0.3 and matches(line.sku, 'A')", False),
        ("matches(line.sku, 'A') or line.discount > 0.5", "line.discount > 0.3", False),
        ("line.discount > 0.3", "line.discount > 0.3 or line.quantity > 9", True),
        ("not line.discount <= 0.3", "line.discount > 0.3", False),  # null: not <= is true
        ("line.discount > 0.3", "not line.discount <= 0.3", True),
    ],
)
def test_implication_is_proved_or_not_claimed(a: str, b: str, expected: bool) -> None:
    assert implies(cond(a), cond(b)) is expected


def test_the_same_opaque_atom_cannot_be_true_and_false() -> None:
    clash = cond("matches(clause.text, 'renew') and not matches(clause.text, 'renew')", "clause")
    assert not clash.cases
    free = cond("matches(clause.text, 'renew') and not matches(clause.text, 'lock')", "clause")
    assert free.cases
    assert both_cases(cond("line.discount > 0.3"), cond("line.discount <= 0.3")) == []


# --- the analysis agrees with the compiled condition on every value -------------------------------

_CONSTANTS = ["0.1", "0.2", "0.3"]
_atoms = st.builds(
    lambda op, c: f"line.discount {op} {c}",
    st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
    st.sampled_from(_CONSTANTS),
) | st.sampled_from(
    ["line.discount == null", "line.discount != null", "line.discount in [0.1, 0.3]"]
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.builds(lambda a, b: f"({a} and {b})", children, children)
        | st.builds(lambda a, b: f"({a} or {b})", children, children)
        | st.builds(lambda a: f"not ({a})", children)
    )


_VALUES = [None, *(D(c) + d for c in _CONSTANTS for d in (D("-0.05"), D(0), D("0.05"))), D(1)]


@settings(max_examples=300, deadline=None)
@given(st.recursive(_atoms, _combine, max_leaves=6))
def test_analysis_matches_evaluation(text: str) -> None:
    compiled = compile_condition(text, "line", regions)
    analysis = analyse(text, "line")
    assert analysis is not None
    found = analysis.band("line.discount", within_model=False)
    assert found is not None
    values, null = found
    for value in _VALUES:
        line = SimpleNamespace(discount=value)
        fired = compiled(SimpleNamespace(), None, None, TODAY, line, None, None) is True
        expected = null if value is None else values.contains(value)
        assert fired == expected, (text, value)


def test_a_partner_field_implies_the_partner() -> None:
    assert implies(cond("partner.margin > 0.3", "deal"), cond("partner != null", "deal")) is True
    assert implies(cond("partner != null", "deal"), cond("partner.margin > 0.3", "deal")) is False


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [("term_months", 1, 1200), ("payment_terms_days", 0, 3650), ("free_months", 0, 1199)],
)
def test_whole_number_ranges_are_what_the_deal_model_accepts(
    field: str, low: int, high: int
) -> None:
    """lint's MODEL_RANGES must never be narrower than the models (that would be a false claim)."""
    from pydantic import ValidationError

    from dealcheck.expr.logic import MODEL_RANGES
    from dealcheck.models import DealBody

    assert MODEL_RANGES[f"deal.{field}"] == closed(str(low), str(high), integer=True)
    base: dict[str, Any] = {
        "customer": {"name": "T", "country": "US"},
        "currency": "USD",
        "start_date": "2027-01-01",
    }
    base |= {"term_months": 1200, "free_months": 0}
    for value in (low, high):
        DealBody.model_validate({**base, field: value})
    for value in (low - 1, high + 1):
        with pytest.raises(ValidationError):
            DealBody.model_validate({**base, field: value})


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        ({"discount": "1"}, True), ({"discount": "1.01"}, False), ({"discount": "-0.01"}, False),
        ({"unit_price": "0"}, True), ({"unit_price": "-1"}, False), ({"quantity": "0"}, False),
    ],
)  # fmt: skip
def test_discounts_prices_and_quantities_are_bounded_as_lint_assumes(
    line: dict[str, str], ok: bool
) -> None:
    """A discount is at most 1 (a price is never negative), a quantity above 0."""
    from pydantic import ValidationError

    from dealcheck.models import Line

    data = {"sku": "X", "quantity": "1", **line}
    if ok:
        Line.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            Line.model_validate(data)
