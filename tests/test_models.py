"""Document models (SPEC §1.1, §2): typed values, unknown keys, ISO codes, every error located."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcheck.errors import InputError, Location, Problem
from dealcheck.models import Deal, FxRates, Line, Product, Regions, RuleSet, parse_document
from dealcheck.yamlio import Document, SourceMap, load_string

DEAL = """\
kind: Deal
id: Q-2026-0001
customer:
  name: Fjord Freight AS
  country: NO
currency: NOK
start_date: 2027-01-01
term_months: 12
lines:
  - sku: W-ENT-Y
    quantity: 1e3
    unit_price: 0.1
  - sku: W-RES-Y
    quantity: 1_000
    discount: 0.25
commitments:
  - feature: eu-residency
    due: 2027-Q2
"""

PRODUCT = """\
kind: Product
id: widgets
name: Widgets
currency: USD
features:
  - id: eu-residency
    name: EU data residency
    status: planned
    target: 2027-Q2
"""


def parse(text: str, name: str = "doc.yaml") -> tuple[Any, list[Problem]]:
    [doc] = load_string(textwrap.dedent(text), name)
    return parse_document(doc)


def parse_ok(text: str) -> Any:
    model, problems = parse(text)
    assert problems == []
    assert model is not None
    return model


def only_problem(text: str) -> Problem:
    model, problems = parse(text)
    assert model is None
    assert len(problems) == 1, problems
    return problems[0]


def scalars(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in scalars(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in scalars(v)]
    return [value]


# -- values -----------------------------------------------------------------------------------


def test_a_deal_in_norway_has_country_no() -> None:
    deal = parse_ok(DEAL)
    assert isinstance(deal, Deal)
    assert deal.customer.country == "NO"
    assert deal.countries == ("NO",)


def test_money_quantities_and_rates_are_exact_decimals() -> None:
    deal = parse_ok(DEAL)
    first, second = deal.lines
    assert first.unit_price == Decimal("0.1")
    assert type(first.unit_price) is Decimal
    assert first.quantity == 1000
    assert second.quantity == 1000
    assert second.discount == Decimal("0.25")
    for value in scalars(deal.model_dump()):
        assert not isinstance(value, float), value


def test_a_binary_float_is_refused_even_from_python() -> None:
    with pytest.raises(ValueError, match="expected a number"):
        Line.model_validate({"sku": "A", "quantity": 1, "unit_price": 0.1})


@pytest.mark.parametrize(
    ("written", "meaning"),
    [
        ("2027-Q1", date(2027, 3, 31)),
        ("2027-Q2", date(2027, 6, 30)),
        ("2027-Q3", date(2027, 9, 30)),
        ("Q4 2027", date(2027, 12, 31)),
        ("2027-05-15", date(2027, 5, 15)),
    ],
)
def test_roadmap_targets_accept_quarters_meaning_their_last_day(
    written: str, meaning: date
) -> None:
    product = parse_ok(PRODUCT.replace("2027-Q2", written))
    assert product.features[0].target == meaning


def test_a_commitment_due_date_accepts_a_quarter() -> None:
    assert parse_ok(DEAL).commitments[0].due == date(2027, 6, 30)


def test_an_invalid_quarter_is_a_located_error() -> None:
    problem = only_problem(PRODUCT.replace("2027-Q2", "2027-Q5"))
    assert problem.location == Location("doc.yaml", 9, 13)
    assert "expected a date (YYYY-MM-DD) or a quarter (2027-Q2)" in problem.message


def test_a_start_date_must_be_a_date_not_a_quarter() -> None:
    problem = only_problem(DEAL.replace("start_date: 2027-01-01", "start_date: 2027-Q1"))
    assert problem.location == Location("doc.yaml", 7, 13)
    assert "YYYY-MM-DD" in problem.message


@pytest.mark.parametrize("word", ["yes", "on", "y", "True1", "1"])
def test_yes_and_on_are_not_booleans(word: str) -> None:
    problem = only_problem(PRODUCT + f"    committable: {word}\n")
    assert problem.location == Location("doc.yaml", 10, 18)
    assert "'committable'" in problem.message


def test_true_is_a_boolean() -> None:
    product = parse_ok(PRODUCT + "    committable: true\n")
    assert product.features[0].committable is True


# -- unknown keys -----------------------------------------------------------------------------


def test_unknown_key_suggests_the_nearest_known_key() -> None:
    problem = only_problem(DEAL.replace("unit_price: 0.1", "unit_prise: 0.1"))
    assert problem.location == Location("doc.yaml", 12, 5)
    assert problem.message == "unknown key 'unit_prise' (did you mean 'unit_price'?)"
    assert str(problem).startswith("doc.yaml:12:5: error: ")


def test_unknown_top_level_key_suggests_too() -> None:
    model, problems = parse(DEAL.replace("currency: NOK", "curency: NOK"))
    assert model is None
    messages = {(p.location.line, p.location.column): p.message for p in problems}
    assert messages[(6, 1)] == "unknown key 'curency' (did you mean 'currency'?)"


def test_unknown_key_without_a_near_match_lists_the_expected_keys() -> None:
    problem = only_problem(PRODUCT + "    zzz: 1\n")
    assert problem.location == Location("doc.yaml", 10, 5)
    assert problem.message.startswith("unknown key 'zzz'; expected one of: aliases, committable")


def test_unknown_key_in_a_nested_restriction() -> None:
    text = PRODUCT + "    restricted_in:\n      - where: [AU]\n        reson: Legal\n"
    model, problems = parse(text)
    assert model is None
    by_line = {p.location: p.message for p in problems}
    assert by_line[Location("doc.yaml", 12, 9)] == "unknown key 'reson' (did you mean 'reason'?)"


@pytest.mark.parametrize("kind_text", [DEAL, PRODUCT])
def test_labels_and_notes_are_free_form_on_documents(kind_text: str) -> None:
    model = parse_ok(
        kind_text + "labels:\n  owner: pm-team\n  tier: gold\nnotes: Anything at all.\n"
    )
    assert model.labels == {"owner": "pm-team", "tier": "gold"}
    assert model.notes == "Anything at all."


@pytest.mark.parametrize(
    "text",
    [
        "kind: Regions\ngroups: {EU: [DE]}\n",
        "kind: FxRates\nbase: USD\nas_of: 2026-11-01\nrates: {EUR: 0.92}\n",
        "kind: RuleSet\nid: policy\n",
    ],
)
def test_every_catalog_kind_accepts_labels_and_notes(text: str) -> None:
    model = parse_ok(text + "labels: {owner: legal}\nnotes: kept by Legal Ops\n")
    assert isinstance(model, Regions | FxRates | RuleSet)
    assert model.labels == {"owner": "legal"}


def test_labels_map_text_to_text() -> None:
    problem = only_problem(PRODUCT + "labels:\n  tier: [gold]\n")
    assert problem.location == Location("doc.yaml", 11, 9)


def test_labels_are_not_allowed_inside_nested_items() -> None:
    problem = only_problem(PRODUCT + "    labels: {a: b}\n")
    assert problem.message.startswith("unknown key 'labels'")


# -- ISO codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "hint"),
    [("Norway", "NO"), ("no", "NO"), ("Australia", "AU"), ("XX", None)],
)
def test_unknown_country_is_an_error_with_a_suggestion(written: str, hint: str | None) -> None:
    problem = only_problem(DEAL.replace("country: NO", f"country: {written}"))
    assert problem.location == Location("doc.yaml", 5, 12)
    assert f"'{written}' is not an ISO 3166-1 alpha-2 country code" in problem.message
    if hint:
        assert problem.message.endswith(f"(did you mean {hint}?)")
    else:
        assert "did you mean" not in problem.message


@pytest.mark.parametrize(("written", "hint"), [("EUU", "EUR"), ("usd", "USD"), ("AUS", "AUD")])
def test_unknown_currency_is_an_error_with_a_suggestion(written: str, hint: str) -> None:
    problem = only_problem(DEAL.replace("currency: NOK", f"currency: {written}"))
    assert problem.location == Location("doc.yaml", 6, 11)
    assert f"'{written}' is not an ISO 4217 currency code (did you mean {hint}?)" in problem.message


def test_an_unknown_currency_used_as_a_key_points_at_the_key() -> None:
    text = "kind: FxRates\nbase: USD\nas_of: 2026-11-01\nrates:\n  EUR: 0.92\n  EUU: 0.9\n"
    problem = only_problem(text)
    assert problem.location == Location("doc.yaml", 6, 3)
    assert "'EUU' is not an ISO 4217 currency code (did you mean EUR?)" in problem.message


# -- kinds and shapes -------------------------------------------------------------------------


def test_unknown_kind_suggests_the_nearest() -> None:
    problem = only_problem("kind: Deel\nid: x\n")
    assert problem.location == Location("doc.yaml", 1, 7)
    assert problem.message == "unknown kind 'Deel' (did you mean Deal?)"


def test_missing_kind_and_non_mapping_documents() -> None:
    assert "missing 'kind'" in only_problem("id: x\n").message
    assert "expected a mapping" in only_problem("- 1\n- 2\n").message


def test_every_missing_required_key_is_reported_at_its_mapping() -> None:
    model, problems = parse("kind: Deal\nid: Q-1\n")
    assert model is None
    assert [p.message for p in problems] == [
        "missing required key 'currency'; add it, for example: currency: EUR",
        "missing required key 'customer'; add it, for example: customer: "
        "{name: Example Ltd, country: DE}",
        "missing required key 'start_date'; add it, for example: start_date: 2027-01-01",
        "missing required key 'term_months'; add it, for example: term_months: 12",
    ]
    assert {p.location for p in problems} == {Location("doc.yaml", 1, 1)}


def test_a_line_needs_exactly_one_of_unit_price_or_discount() -> None:
    problem = only_problem(
        DEAL.replace("    unit_price: 0.1\n", "    unit_price: 0.1\n    discount: 0.1\n")
    )
    assert problem.location == Location("doc.yaml", 10, 5)
    assert problem.message == "a line needs exactly one of 'unit_price' or 'discount'"


def test_fractions_and_positive_numbers_are_range_checked_where_written() -> None:
    model, problems = parse(
        DEAL.replace("discount: 0.25", "discount: 25").replace("quantity: 1e3", "quantity: 0")
    )
    assert model is None
    located = {p.location: p.message for p in problems}
    assert "between 0 and 1" in located[Location("doc.yaml", 15, 15)]
    assert "more than 0" in located[Location("doc.yaml", 11, 15)]


def test_models_are_frozen() -> None:
    deal = parse_ok(DEAL)
    with pytest.raises(ValueError):
        deal.currency = "EUR"


def test_retired_features_are_never_committable_and_defaults_follow_status() -> None:
    product = parse_ok(
        "kind: Product\nid: p\nname: P\ncurrency: USD\nfeatures:\n"
        "  - {id: a, name: A, status: ga}\n"
        "  - {id: b, name: B, status: beta}\n"
        "  - {id: c, name: C, status: deprecated, end_of_life: 2027-06-30}\n"
        "  - {id: d, name: D, status: retired, committable: false}\n"
        "  - {id: e, name: E, status: beta, committable: true}\n"
    )
    assert isinstance(product, Product)
    assert [f.is_committable for f in product.features] == [True, False, True, False, True]


# -- no input produces a traceback ------------------------------------------------------------

yaml_ish = st.text(
    alphabet=st.sampled_from(list("kind:Deal -[]{},&*!?|>'\"#\n\t 0.1eQ_NOyes~%@`\x00é")),
    max_size=80,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=yaml_ish)
def test_arbitrary_input_gives_located_errors_never_a_crash(text: str) -> None:
    try:
        docs = load_string(text, "fuzz.yaml")
    except InputError as err:
        assert err.location.file == "fuzz.yaml"
        return
    for doc in docs:
        _, problems = parse_document(doc)
        for problem in problems:
            assert problem.location.file == "fuzz.yaml"
            assert problem.location.line >= 1


@settings(max_examples=100, deadline=None)
@given(data=st.recursive(st.integers() | st.text(max_size=5), lambda c: st.lists(c, max_size=3)))
def test_any_data_under_any_key_gives_located_problems_not_exceptions(data: Any) -> None:
    valid = parse_ok(DEAL).model_dump()
    for key in ("customer", "lines", "currency", "start_date", "labels", "commitments"):
        body = {**valid, key: data}
        model, problems = parse_document(Document(body, SourceMap("mem.yaml")))
        assert (model is None) == bool(problems)
        assert all(p.location.file == "mem.yaml" for p in problems)


# -- rep help: percentages, plain clauses, short keys, messages in dealcheck's words -------

PERCENT_DEAL = """\
kind: Deal
id: Q-2026-0500
customer: {name: Percent Co, country: US}
currency: USD
start_date: 2027-01-01
term_months: 12
partner: {name: Reseller Inc, country: US, margin: "20 %"}
lines:
  - {sku: W-ENT-Y, quantity: 10, discount: 35%}
  - {sku: W-ENT-Y, quantity: 10, discount: 12.5%}
  - {sku: W-ENT-Y, quantity: 10, discount: 0.3}
"""


def test_fractions_accept_percent_strings_exactly() -> None:
    deal = parse_ok(PERCENT_DEAL)
    assert [line.discount for line in deal.lines] == [
        Decimal("0.35"),
        Decimal("0.125"),
        Decimal("0.3"),
    ]
    assert str(deal.lines[0].discount) == "0.35"  # exact, not 0.35000000001
    assert deal.partner.margin == Decimal("0.2")
    product = parse_ok(
        PRODUCT + "skus:\n  - {sku: W-1, name: W, features: [eu-residency], list_price: 10,"
        ' unit_cost: 2, min_margin: "60 %"}\n'
    )
    assert product.skus[0].min_margin == Decimal("0.6")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("35 pct", "expected a fraction such as 0.35 or a percentage such as 35%, got '35 pct'"),
        ("135%", "must be a fraction between 0 and 1, got 1.35: write 0.25 or 25% for 25 %"),
        ("-5%", "must be a fraction between 0 and 1, got -0.05"),
    ],
)
def test_bad_percentages_say_what_to_write(written: str, expected: str) -> None:
    _, problems = parse(PERCENT_DEAL.replace("discount: 35%", f"discount: {written}"))
    assert len(problems) == 1
    assert str(problems[0]).startswith("doc.yaml:9:44: error: 'discount': " + expected)


def test_clauses_may_be_plain_strings_numbered_from_1() -> None:
    deal = parse_ok(
        DEAL
        + "clauses:\n"
        + "  - Provider shall make EU data residency available by 30 June 2027.\n"
        + "  - {id: '7.2', text: Nothing here commits Provider.}\n"
        + "  - Customer pays within 30 days.\n"
    )
    assert [(c.id, c.text[:8]) for c in deal.clauses] == [
        ("1", "Provider"),
        ("7.2", "Nothing "),
        ("3", "Customer"),
    ]


def test_plain_clauses_are_checked_and_located(check_deal: Any) -> None:
    result = check_deal(
        """
        kind: Deal
        id: Q-2026-0501
        customer: {name: Clause Co, country: US}
        currency: USD
        start_date: 2027-01-01
        term_months: 12
        lines: [{sku: AA-PRO-USER-Y, quantity: 10, discount: 10%}]
        clauses:
          - The parties agree on the price.
          - Provider shall deliver the natural-language query assistant by 31 March 2027.
        """
    )
    found = [f for f in result.findings if f.rule.startswith("feature-")]
    assert found, [f.rule for f in result.findings]
    assert all(f.location.line == 11 for f in found), [str(f.location) for f in found]


@pytest.mark.parametrize(
    ("key", "meant"),
    [("term", "term_months"), ("payment", "payment_terms_days"), ("start", "start_date")],
)
def test_short_unknown_keys_suggest_the_key_meant(key: str, meant: str) -> None:
    _, problems = parse(DEAL.replace("term_months: 12", f"{key}: 12"))
    assert f"unknown key '{key}' (did you mean '{meant}'?)" in [p.message for p in problems]


PYDANTIC_PHRASES = (
    "Input should be",
    "instance of",
    "validation error",
    "Field required",
    "type=",
    "For further information visit",
    "String should",
    "Tuple should",
    "Value error",
)
BAD_VALUES: tuple[Any, ...] = (
    None,
    "abc",
    -1,
    0,
    Decimal("1.5"),
    True,
    [],
    ["a"],
    {},
    {"zz": 1},
    "",
    "x" * 70,
    "35%",
    "2027-13-01",
    10**20,
)
RICH_DEAL = """\
kind: Deal
id: Q-2026-0502
customer: {name: Rich Co, country: DE, segment: enterprise}
deployment_countries: [DE, AT]
currency: EUR
start_date: 2027-01-01
term_months: 24
payment_terms_days: 45
date_format: dmy
free_months: 1
partner: {name: Reseller GmbH, country: DE, margin: 0.2}
lines: [{sku: A-1, quantity: 10, discount: 0.1}, {sku: A-2, quantity: 1, unit_price: 100}]
commitments: [{feature: sso, due: 2027-06-30, clause: '1'}]
sla_uptime: 99.9
clauses: [{id: '1', text: Provider shall provide SSO.}, Plain clause.]
approvals: [{rule: r, approver: VP Sales, by: Jo, on: 2026-11-01, ref: X-1, fingerprint: abcd1234}]
waivers: [{rule: r, reason: ok, approved_by: Jo, expires: 2027-01-01}]
labels: {owner: sales}
notes: free text
"""


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data[:2])
    for key, value in items:
        out.append((*prefix, key))
        if isinstance(value, dict | list) and len(prefix) < 3:
            out.extend(_paths(value, (*prefix, key)))
    return out


def _variants(data: Any, path: tuple[Any, ...]) -> list[Any]:
    import copy

    out = []
    for bad in (*BAD_VALUES, "DELETE", "SHORTEN"):
        changed = copy.deepcopy(data)
        parent = changed
        for part in path[:-1]:
            parent = parent[part]
        if bad == "DELETE":
            del parent[path[-1]]
        elif bad == "SHORTEN":
            if not isinstance(path[-1], str):
                continue
            parent[path[-1][:4] + "x"] = parent.pop(path[-1])
        else:
            parent[path[-1]] = bad
        out.append(changed)
    return out


@pytest.mark.parametrize(
    "source",
    [
        RICH_DEAL,
        "products/acme-analytics.yaml",
        "products/fx.yaml",
        "products/regions.yaml",
        "rules/deal-desk.yaml",
    ],  # fmt: skip
)
def test_no_message_uses_pydantics_wording(source: str) -> None:
    """Every document kind, every key (to depth 4), every kind of bad value, a missing and
    a misspelt key: each message is dealcheck's, never pydantic's."""
    from pathlib import Path

    from dealcheck.models import validate_model
    from dealcheck.models.documents import KINDS

    text = source if "\n" in source else (Path(__file__).parent.parent / source).read_text()
    [doc] = load_string(text, "doc.yaml")[:1]
    model = KINDS[doc.data["kind"]]
    messages: set[str] = set()
    for path in _paths(doc.data):
        if path == ("kind",):
            continue
        for data in _variants(doc.data, path):
            _, problems = validate_model(model, data, doc.source)
            messages.update(p.message for p in problems)
    assert len(messages) > 40  # the bad inputs reached many validators
    bad = sorted(m for m in messages if any(phrase in m for phrase in PYDANTIC_PHRASES))
    assert bad == []
    # and each invalid-type message says what to write
    typed = [m for m in messages if m.startswith("'") and "expected" in m]
    assert typed and all(("example" in m or "such as" in m or "got" in m) for m in typed)
