"""The rule expression language (SPEC §5): what a rule author can write, and what they cannot."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal
from types import ModuleType, SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcheck.expr import (
    MODEL,
    SCOPES,
    CompiledExpr,
    ExprError,
    compile_condition,
    compile_template,
    discount_band,
)

D = Decimal
TODAY = date(2026, 11, 20)
REGIONS = {
    "EMEA": frozenset({"GB", "DE", "FR", "NO"}),
    "EU": frozenset({"DE", "FR"}),
    "AU": frozenset({"AU"}),
}


def resolve(name: str) -> frozenset[str] | None:
    return REGIONS.get(name)


def obj(kind: str, **values: object) -> SimpleNamespace:
    """A runtime object of the documented model: every field present, None unless given."""
    unknown = set(values) - set(MODEL[kind])
    assert not unknown, unknown
    return SimpleNamespace(**{**dict.fromkeys(MODEL[kind]), **values})


def when(text: str, scope: str = "deal") -> CompiledExpr:
    return compile_condition(text, scope, resolve)


def args(scope: str, names: dict[str, object]) -> list[object]:
    given = {
        "deal": obj("deal"),
        "today": TODAY,
        "line": obj("line"),
        "commitment": obj("commitment"),
        "clause": obj("clause"),
        **names,
    }
    return [given.get(name) for name in SCOPES[scope]]


def run(text: str, scope: str = "deal", **names: object) -> object:
    return when(text, scope)(*args(scope, names))


def error(text: str, scope: str = "deal") -> ExprError:
    with pytest.raises(ExprError) as info:
        when(text, scope)
    return info.value


# --- the public contract -----------------------------------------------------------------------


def test_scopes_are_the_documented_parameter_orders() -> None:
    assert SCOPES == {
        "deal": ("deal", "customer", "partner", "today"),
        "line": ("deal", "customer", "partner", "today", "line", "sku", "product"),
        "commitment": ("deal", "customer", "partner", "today", "commitment", "feature", "product"),
        "clause": ("deal", "customer", "partner", "today", "clause"),
    }


def test_compiled_expression_records_source_names_and_fields() -> None:
    rule = when("line.discount > 0.2 and deal.partner.margin < 0.1 and partner != null", "line")
    assert rule.source == "line.discount > 0.2 and deal.partner.margin < 0.1 and partner != null"
    assert rule.scope == "line"
    assert rule.names == {"line", "deal", "partner"}
    assert rule.fields == {"line.discount", "deal.partner.margin"}


def test_compiled_function_takes_the_scope_parameters_positionally() -> None:
    rule = when('customer.country == "AU" and line.quantity > 10', "line")
    customer = obj("customer", country="AU")
    line = obj("line", quantity=D(11))
    assert rule.fn(obj("deal"), customer, None, TODAY, line, None, None) is True
    assert (
        rule(obj("deal"), customer, None, TODAY, obj("line", quantity=D(10)), None, None) is False
    )


def test_error_string_is_its_message_and_offset_is_separate() -> None:
    err = error("deal.totl > 1")
    assert str(err) == err.message
    assert err.offset == 5


def test_error_survives_pickling_for_worker_processes() -> None:
    err = pickle.loads(pickle.dumps(error("deal.totl > 1")))
    assert (err.message, err.offset) == (
        "unknown field `deal.totl` (did you mean `deal.total`?)",
        5,
    )


def test_a_condition_is_compiled_once_and_evaluated_many_times() -> None:
    rule = when("line.discount > 0.25", "line")
    discounts = [D("0.1"), D("0.25"), D("0.26"), None, D("0.9")]
    results = [rule(*args("line", {"line": obj("line", discount=d)})) for d in discounts]
    assert results == [False, False, True, False, True]


# --- exact numbers -----------------------------------------------------------------------------


def test_discount_of_exactly_thirty_percent_is_not_above_thirty_percent() -> None:
    # list 600, unit price 420: the discount is exactly 0.30 (SPEC §3)
    line = obj("line", list_price=D("600"), unit_price=D("420"), discount=D("0.30"))
    assert run("line.discount > 0.30", "line", line=line) is False
    assert run("line.discount >= 0.3", "line", line=line) is True
    assert run("line.discount == 0.3", "line", line=line) is True
    assert run("1 - line.unit_price / line.list_price == 0.30", "line", line=line) is True


def test_number_literals_are_exact_decimals_never_floats() -> None:
    assert run("0.1 + 0.2 == 0.3") is True
    assert run("deal.total == 0.1", deal=obj("deal", total=D("0.1"))) is True
    assert run("deal.total == 1e3", deal=obj("deal", total=D(1000))) is True
    assert run("deal.total == 1_000", deal=obj("deal", total=D(1000))) is True


def test_arithmetic_follows_precedence_and_unary_minus() -> None:
    line = obj("line", unit_price=D("420"), quantity=D("250"))
    assert run("line.unit_price * line.quantity - 5000 == 100000", "line", line=line) is True
    assert run("-line.quantity < -249", "line", line=line) is True
    assert run("(2 + 3) * 4 == 20 and 2 + 3 * 4 == 14") is True


def test_integer_numbers_divide_as_decimals_not_floats() -> None:
    # len(), days_between() and integer fields such as term_months are ints at runtime.
    deal = obj("deal", lines=[1, 2, 3], countries=["AU", "NZ"], free_months=1, term_months=3)
    assert run("len(deal.lines) / len(deal.countries) == 1.5", deal=deal) is True
    assert run("deal.free_months / deal.term_months == 1 / 3", deal=deal) is True
    assert run("deal.term_months / deal.free_months == 3", deal=deal) is True


# --- null semantics ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "deal.total > 1",
        "deal.total >= 1",
        "deal.total < 1",
        "deal.total <= 1",
        "deal.total == 1",
        "deal.total != 1",
        "deal.currency in ['USD']",
        "deal.currency not in ['USD']",
        "'AU' in deal.countries",
        "'AU' not in deal.countries",
        "1 < deal.total < 2",
        "deal.total + 1 > 0",
        "deal.total / 2 > 0",
        "deal.partner.margin > 0",
        "deal.partner.margin != 0",
        "days_between(deal.start_date, today) > 0",
        "len(deal.countries) > 0",
        "lower(deal.currency) != 'x'",
        "matches(deal.id, '.*')",
        "in_region(deal.currency, 'EU') or not in_region(deal.currency, 'EU') and false",
        "any_in_region(deal.countries, 'EU')",
    ],
)
def test_a_comparison_or_function_with_a_missing_field_is_false(text: str) -> None:
    assert run(text, deal=obj("deal")) is False


def test_comparison_with_literal_null_tests_presence() -> None:
    partner = obj("partner", margin=D("0.2"))
    assert run("partner == null") is True
    assert run("partner != null") is False
    assert run("partner == null", partner=partner) is False
    assert run("partner != null", partner=partner) is True
    assert run("null == deal.partner") is True
    assert run("deal.partner.margin == null", deal=obj("deal", partner=partner)) is False
    assert run("deal.partner.margin == null", deal=obj("deal")) is True


def test_division_by_zero_is_null() -> None:
    deal = obj("deal", total=D(100), free_months=D(0))
    assert run("deal.total / deal.free_months == null", deal=deal) is True
    assert run("deal.total / deal.free_months > 0", deal=deal) is False
    assert run("deal.total / (deal.free_months + 1) == 100", deal=deal) is True


def test_not_reads_a_false_comparison_with_null_as_false() -> None:
    # A comparison with null is false, so its negation is true: authors guard with `!= null`.
    assert run("not (deal.total > 1)") is True
    assert run("deal.total != null and not (deal.total > 1)") is False


def test_and_or_not_read_a_missing_boolean_as_false() -> None:
    feature = obj("feature")  # committable missing
    assert run("feature.committable", "commitment", feature=feature) is False
    assert run("not feature.committable", "commitment", feature=feature) is True
    assert run("feature.committable or true", "commitment", feature=feature) is True
    assert run("feature.committable and true", "commitment", feature=feature) is False
    assert run("feature.committable == false", "commitment", feature=feature) is False
    assert run("not feature.committable", "commitment") is True  # no feature at all


def test_conditions_always_return_true_or_false() -> None:
    for text in ("feature.committable", "feature.committable and true", "true", "false"):
        for feature in (None, obj("feature"), obj("feature", committable=True)):
            assert run(text, "commitment", feature=feature) in (True, False)
            assert type(run(text, "commitment", feature=feature)) is bool


# --- functions ---------------------------------------------------------------------------------


def test_matches_is_a_case_insensitive_search() -> None:
    rule = 'matches(clause.text, "most[- ]favou?red")'
    clause = obj("clause", text="Customer gets MOST-FAVORED pricing.")
    assert run(rule, "clause", clause=clause) is True
    assert run(rule, "clause", clause=obj("clause", text="Net 30.")) is False


def test_strings_are_raw_so_regex_escapes_mean_what_they_say() -> None:
    rule = r'matches(clause.text, "\bnet\s+\d+\b")'
    assert run(rule, "clause", clause=obj("clause", text="payment: Net 45 days")) is True
    assert run(rule, "clause", clause=obj("clause", text="internet 45")) is False
    assert run(r'clause.id == "a\b"', "clause", clause=obj("clause", id="a\\b")) is True


def test_in_region_and_any_in_region_use_the_resolved_regions() -> None:
    customer = obj("customer", country="DE")
    assert run('in_region(customer.country, "EU")', customer=customer) is True
    assert run('in_region(customer.country, "AU")', customer=customer) is False
    assert run('in_region(customer.country, "EU")') is False  # no customer
    deal = obj("deal", countries=["AU", "FR"])
    assert run('any_in_region(deal.countries, "EU")', deal=deal) is True
    assert run('any_in_region(deal.countries, "EMEA")', deal=obj("deal", countries=["AU"])) is False
    assert run('any_in_region(["AU", "NO"], "EMEA")') is True
    assert run('any_in_region([], "EMEA")') is False


def test_regions_are_resolved_when_the_rule_loads() -> None:
    asked: list[str] = []

    def recording(name: str) -> frozenset[str] | None:
        asked.append(name)
        return REGIONS.get(name)

    rule = compile_condition('in_region(customer.country, "EU")', "deal", recording)
    assert asked == ["EU"]
    for country in ("DE", "US", "FR"):
        rule(*args("deal", {"customer": obj("customer", country=country)}))
    assert asked == ["EU"]


def test_unknown_region_is_a_load_error_at_the_region() -> None:
    err = error('in_region(customer.country, "EMAE")')
    assert "unknown region" in err.message and "EMAE" in err.message
    assert err.offset == 28


def test_days_between_counts_days_from_a_to_b() -> None:
    commitment = obj("commitment", due=date(2026, 12, 20))
    assert run("days_between(today, commitment.due) == 30", "commitment", commitment=commitment)
    assert run("days_between(commitment.due, today) == -30", "commitment", commitment=commitment)


def test_len_and_lower() -> None:
    customer = obj("customer", segment="Enterprise", name="Wallaby")
    assert run('lower(customer.segment) == "enterprise"', customer=customer) is True
    assert run("len(customer.name) == 7", customer=customer) is True
    assert run("len(deal.lines) > 2", deal=obj("deal", lines=[1, 2, 3])) is True
    assert run("len([]) == 0 and len('abc') == 3") is True


def test_date_literals_accept_iso_dates_and_quarters() -> None:
    assert run('date("2027-Q2") == date("2027-06-30")') is True
    assert run('date("Q1 2027") == date("2027-03-31")') is True
    assert run('date("2027-Q4") == date("2027-12-31")') is True
    deal = obj("deal", start_date=date(2027, 1, 1))
    assert run('deal.start_date >= date("2027-01-01")', deal=deal) is True
    assert run('deal.start_date > date("2027-01-01")', deal=deal) is False


@pytest.mark.parametrize(
    "literal", ['"2027-02-30"', '"2027-13-01"', '"27-01-01"', '"2027-Q5"', "1"]
)
def test_invalid_date_literal_is_a_load_error(literal: str) -> None:
    err = error(f"date({literal}) < today")
    assert err.offset == 5
    assert "date" in err.message


def test_in_and_not_in_with_lists_and_strings() -> None:
    customer = obj("customer", country="NZ", name="Acme Pty Ltd")
    assert run('customer.country in ["AU", "NZ"]', customer=customer) is True
    assert run('customer.country not in ["AU", "NZ"]', customer=customer) is False
    assert run('"Pty" in customer.name', customer=customer) is True
    assert run('"AU" in deal.countries', deal=obj("deal", countries=("AU",))) is True
    assert run("deal.total in [1, 2.50]", deal=obj("deal", total=D("2.5"))) is True
    assert run("deal.countries == ['AU', 'NZ']", deal=obj("deal", countries=("AU", "NZ"))) is True
    assert run("customer.country in [lower('NZ'), 'AU']", customer=obj("customer", country="nz"))


# --- what cannot be written --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("__class__", "`_`", 0),
        ("__import__('os')", "`_`", 0),
        ("getattr(deal, 'id') == 'x'", "unknown function `getattr`", 0),
        ("().__class__", "`_`", 3),
        ("line.__class__", "`_`", 5),
        ("deal._private", "`_`", 5),
        ("deal.total ** 2 > 1", "`**`", 0),
        ("deal.total // 2 > 1", "`//`", 0),
        ("deal.total % 2 > 1", "`%`", 0),
        ("deal.total & 1", "`&`", 0),
        ("~deal.total", "`~`", 0),
        ("(lambda: true)()", "lambda", 1),
        ("[x for x in deal.lines] == []", "comprehensions", 0),
        ("len(x for x in deal.lines) > 1", "generator", 3),
        ("deal.lines[0] == 1", "subscripts", 0),
        ("deal.countries[0:1] == []", "subscripts", 0),
        ('f"{deal.id}" == "x"', "f-strings", 0),
        ("(x := 1) == 1", "`:=`", 1),
        ("true if deal.total else false", "`x if c else y`", 0),
        ("True", "use true", 0),
        ("deal.total == None", "use null", 14),
        ("{1: 2} == {1: 2}", "dict", 0),
        ("{1} == {1}", "set", 0),
        ("(1, 2) == (1, 2)", "tuples", 0),
        ('"x".upper() == "X"', "only these functions", 0),
        ("deal.id.upper() == 'X'", "only these functions", 0),
        ("max(1, 2) > 1", "unknown function `max`", 0),
        ("lower(s=deal.id) == 'x'", "keyword", 6),
        ("len(*deal.lines) > 1", "unpacking", 4),
        ("deal.total is None", "`is`", 0),
        ("deal.total is not null", "`is not`", 0),
        ("b'x' == deal.id", "bytes", 0),
        ("1j == 1j", "decimal", 0),
        ("0x10 == 16", "decimal", 0),
        ("deal.total > +1", "unary `+`", 13),
        ("deal.total # comment", "comment", 11),
        ("deal.id == 'a' 'b'", "one string literal", 11),
        ("date == 1", "is a function", 0),
    ],
)
def test_constructs_outside_the_language_are_load_errors(
    text: str, message: str, offset: int
) -> None:
    err = error(text)
    assert message in err.message
    assert err.offset == offset


def test_hash_inside_a_string_is_not_a_comment() -> None:
    assert run('deal.id == "#42"', deal=obj("deal", id="#42")) is True


def test_text_that_looks_like_code_inside_a_string_is_just_a_string() -> None:
    text = "deal.id == \"__import__('os').system('echo pwned')\""
    assert run(text, deal=obj("deal", id="Q-1")) is False


def test_compiled_functions_see_no_builtins_and_no_modules() -> None:
    scope = when('matches(deal.id, "x") and len(deal.lines) / 2 > 1').fn.__globals__
    assert scope["__builtins__"] == {}
    assert all(name.startswith("_") for name in scope)
    assert not any(isinstance(value, ModuleType) for value in scope.values())


# --- limits ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("true or " * 300 + "true", "longer than 2000"),
        ("deal.total > " + "1" * 31, "too long"),
        ("deal.total > 0." + "0" * 29 + "1", "too long"),
        ("deal.total > 1e40", "too large"),
        ("deal.id == '" + "x" * 1001 + "'", "longer than 1000"),
        ("deal.total in [" + "1, " * 501 + "1]", "more than 500"),
        ("not " * 45 + "true", "nested"),
        ("-" * 1500 + "1 > 0", "nested"),
        ("(" * 500 + "true" + ")" * 500, "nested parentheses"),
        ("deal.id == 'a\0b'", "NUL"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_limits_are_load_errors_never_crashes(text: str, message: str) -> None:
    err = error(text)
    assert message in err.message
    assert 0 <= err.offset <= len(text)


def test_limits_still_allow_realistic_rules() -> None:
    assert run("deal.total > " + "9" * 30) is False
    assert run("deal.id == '" + "x" * 1000 + "'") is False
    assert run("deal.total in [" + "1, " * 499 + "1]", deal=obj("deal", total=D(1))) is True
    assert run("not " * 38 + "true") is True


def test_nul_byte_offset_points_at_the_nul() -> None:
    assert error("deal.id == 'a\0b'").offset == 13


def test_syntax_errors_are_friendly_and_located() -> None:
    err = error("deal.total > 1 1")
    assert err.message == "invalid syntax at `1`"
    assert err.offset == 15
    err = error("deal.total >")
    assert err.message == "invalid syntax at the end of the expression"
    assert err.offset == 12
    assert "never closed" in error("(deal.total > 1").message


def test_offsets_count_characters_not_utf8_bytes() -> None:
    err = error("'é€' == deal.idd")
    assert err.offset == 13  # 'idd' starts at character 13, byte 16
    assert error("'€' == 'x' é").offset == 11


def test_line_breaks_count_as_spaces_and_offsets_follow_the_text() -> None:
    text = "deal.total > 1 and\n  deal.margn < 0.5"
    err = error(text)
    assert err.offset == text.index("margn")
    assert run(
        "  deal.total > 1 and\n  deal.margin < 0.5\n", deal=obj("deal", total=D(2), margin=D(0))
    )


# --- names, fields and scopes ------------------------------------------------------------------


def test_unknown_field_suggests_the_nearest() -> None:
    err = error("deal.paymnt_terms_days > 60")
    assert err.message == (
        "unknown field `deal.paymnt_terms_days` (did you mean `deal.payment_terms_days`?)"
    )
    assert err.offset == 5


def test_unknown_field_without_a_near_one_lists_the_fields() -> None:
    err = error("customer.zzz == 'x'")
    assert "customer.zzz" in err.message and "name, country, segment" in err.message


def test_unknown_name_suggests_the_nearest() -> None:
    assert "did you mean `deal`?" in error("dael.total > 1").message
    assert "did you mean `partner`?" in error("partnr == null").message


def test_a_name_from_another_scope_says_which_scope_has_it() -> None:
    err = error("line.discount > 0.2")
    assert err.message == "`line` is not available in a rule with scope `deal`; use scope: line"
    assert error("product == null").message.endswith("use scope: line or commitment")
    assert error("clause.id == '1'", "line").message.endswith("use scope: clause")


def test_fields_of_lists_and_scalars_are_errors() -> None:
    assert "list of lines; it has no field `sku`" in error("deal.lines.sku == 'x'").message
    assert "is a number; it has no field" in error("deal.total.x > 1").message


def test_every_documented_field_can_be_read() -> None:
    for kind, fields in MODEL.items():  # every object type is also a top-level name
        scope = next(scope for scope, params in SCOPES.items() if kind in params)
        for field in fields:
            assert run(f"{kind}.{field} == null", scope) is True


def test_unknown_scope_is_an_error() -> None:
    assert "unknown scope `lines`" in error("true", "lines").message


# --- types -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ('deal.start_date > "2027-01-01"', 'write a date as date("2027-01-01")', 0),
        ('deal.start_date == "2027-01-01"', "cannot compare", 0),
        ("deal.id + 1 > 2", "`+` needs a number", 0),
        ("deal.total > 1 + 'a'", "`+` needs a number", 17),
        ("-deal.id == 'x'", "`-` needs a number", 1),
        ("true < false", "cannot be ordered", 0),
        ("deal.total and true", "`and` needs true/false", 0),
        ("not deal.id", "`not` needs true/false", 4),
        ("deal.total", "must be true or false", 0),
        ("deal.customer == deal.partner", "only be compared with null", 0),
        ("deal.total in 5", "list or a string on its right", 14),
        ("1 in deal.countries", "cannot look for this", 0),
        ("[1, 'a'] == []", "all of one kind", 4),
        ("[deal.customer] == []", "list items", 1),
        ("deal.total < null", "null can only be compared with == or !=", 0),
        ("deal.total == null == null", "on its own", 0),
        ("matches(deal.total, 'x')", "`matches` needs a string", 8),
        ("matches(deal.id, deal.id)", "string literal", 17),
        ("in_region(deal.countries, 'EU')", "needs a string", 10),
        ("any_in_region(deal.id, 'EU')", "needs a list of strings", 14),
        ("in_region(deal.id, deal.id)", "string literal", 19),
        ("days_between(deal.id, today) > 1", "`days_between` needs a date", 13),
        ("len(deal.total) > 1", "`len` needs a string or a list", 4),
        ("lower(deal.countries) == 'x'", "`lower` needs a string", 6),
        ("len(deal.lines, 1) > 1", "takes 1 argument, not 2", 0),
        ("matches(deal.id) ", "takes 2 arguments, not 1", 0),
        ("deal.total / 0 > 1", "division by zero", 13),
    ],
)
def test_type_errors_are_load_errors(text: str, message: str, offset: int) -> None:
    err = error(text)
    assert message in err.message
    assert err.offset == offset


# --- regexes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "(a+)+",
        "(a|aa)*",
        r"(\w+\s?)*$",
        "(?:x*y?)+",
        "((ab)*c)+",
        "(a|b)+",
        "(?i:a+){2,}",
        "((a+)?)*",
        r"(a)\1",
        "(?P<x>a)(?P=x)",
        "(a)?(?(1)b|c)",
        "(?x)a b",
        "[[a]",
        "(",
        "a{2}{3}",
        "(a+)(?#a comment)+",
        "(?#\\))x",  # Python's comment runs to the second ")": an IndexError before
        "[a[:digit:]]",  # a POSIX class to RE2, characters to Python
        "a{,3}",  # zero to three to Python, text to RE2
        "a" * 501,
    ],
)
def test_dangerous_or_invalid_regexes_are_refused(pattern: str) -> None:
    err = error(f'matches(clause.text, "{pattern}")', "clause")
    assert err.offset == 21


@pytest.mark.parametrize(
    "pattern",
    [
        "most[- ]favou?red",
        r"\d+ days",
        r"net\s*\d{2,3}",
        r"(\s+inc)?$",
        "(?:net|gross) terms",
        "uptime of 99[.,]9+",
        "[(|)]+",
        r"\(a+\)+",
        "(?i)sla",
        "a{1,1}(b+){1}",
        "[^]a]+ [](]+",
        "(?P<x>net) (?P<max>\\d+)",  # named groups, not the verbose flag
        "a{10}b{0}c{0,10}",
        "a" * 500,
    ],
)
def test_ordinary_regexes_are_accepted(pattern: str) -> None:
    when(f'matches(clause.text, "{pattern}")', "clause")


def test_regex_is_compiled_when_the_rule_loads() -> None:
    assert "invalid regex" in error('matches(clause.text, "a(")', "clause").message


# --- templates ---------------------------------------------------------------------------------


def render(template: str, scope: str = "line", **names: object) -> str:
    return compile_template(template, scope)(*args(scope, names))


def test_template_renders_paths_and_formats() -> None:
    line = obj("line", sku="AA-ENT-USER-Y", discount=D("0.25"), total=D("1234567.891"))
    assert render("{line.sku}: {line.discount:%} discount", line=line) == (
        "AA-ENT-USER-Y: 25.0% discount"
    )
    assert render("{line.total:,.2f}|{line.total:.1f}|{line.total:,}", line=line) == (
        "1,234,567.89|1234567.9|1,234,567.891"
    )


def test_percent_rounds_half_even_to_a_tenth() -> None:
    assert render("{line.discount:%}", line=obj("line", discount=D("0.12345"))) == "12.3%"
    assert render("{line.discount:%}", line=obj("line", discount=D("0.12355"))) == "12.4%"
    assert render("{line.discount:%}", line=obj("line", discount=D("0.12365"))) == "12.4%"
    assert render("{line.discount:%}", line=obj("line", discount=D("1"))) == "100.0%"


def test_fixed_formats_round_half_even() -> None:
    assert render("{line.total:.2f}", line=obj("line", total=D("2.675"))) == "2.68"
    assert render("{line.total:.2f}", line=obj("line", total=D("2.665"))) == "2.66"


def test_template_values_render_plainly() -> None:
    deal = obj("deal", countries=["AU", "NZ"], start_date=date(2027, 1, 1), total=D("600.00"))
    feature = obj("feature", committable=False)
    assert render("{deal.countries}; {deal.start_date}; {deal.total}", "deal", deal=deal) == (
        "AU, NZ; 2027-01-01; 600.00"
    )
    assert render("{feature.committable} {feature.name}", "commitment", feature=feature) == (
        "false n/a"
    )
    assert render("{partner.name} {line.discount:%} {line.total:,.2f}") == "n/a n/a n/a"
    assert render("{deal.total}", "deal", deal=obj("deal", total=D("1E+3"))) == "1000"


def test_double_braces_are_literal_braces() -> None:
    assert render("{{line.sku}} is {line.sku}}}", line=obj("line", sku="X")) == "{line.sku} is X}"
    assert render("no placeholders") == "no placeholders"
    assert render("") == ""


def test_template_records_names_and_fields() -> None:
    template = compile_template("{line.sku} {deal.partner.name} {today}", "line")
    assert template.names == {"line", "deal", "today"}
    assert template.fields == {"line.sku", "deal.partner.name"}
    assert template.source == "{line.sku} {deal.partner.name} {today}"


@pytest.mark.parametrize(
    ("template", "message", "offset"),
    [
        ("{line.__class__}", "`_`", 6),
        ("{line.sku.__class__.__init__}", "`_`", 10),
        ("{0}", "field path", 1),
        ("{0[x]}", "field path", 1),
        ("{line.sku!r}", "field path", 1),
        ("{}", "field path", 1),
        ("{line.sku", "unclosed", 0),
        ("a {line.sku {x}", "unclosed", 2),
        ("a } b", "single `}`", 2),
        ("{line.discount:%%}", "unknown format", 15),
        ("{line.discount:.11f}", "unknown format", 15),
        ("{line.discount:>10}", "unknown format", 15),
        ("{line.sku:%}", "needs a number", 10),
        ("{line.dicsount}", "did you mean `line.discount`", 6),
        ("{clause.id}", "use scope: clause", 1),
        ("{deal.customer}", "show one of its fields", 1),
        ("{deal.lines}", "show one of its fields", 1),
    ],
)
def test_template_errors_are_located(template: str, message: str, offset: int) -> None:
    with pytest.raises(ExprError) as info:
        compile_template(template, "line")
    assert message in info.value.message
    assert info.value.offset == offset


# --- discount bands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("line.discount > 0.20 and line.discount <= 0.30", (D("0.20"), False, D("0.30"), True)),
        ("0.2 < line.discount <= 0.3", (D("0.2"), False, D("0.3"), True)),
        ("line.discount > 0.4", (D("0.4"), False, None, False)),
        ("line.discount <= 0.1", (None, False, D("0.1"), True)),
        ("0.1 <= line.discount", (D("0.1"), True, None, False)),
        ("line.discount == 0.25", (D("0.25"), True, D("0.25"), True)),
        ("line.discount > 0.1 and line.discount >= 0.2 and line.discount > 0.2", (D("0.2"), False, None, False)),
        ("(line.discount > 0.1 and line.discount < 0.5) and line.discount < 0.4", (D("0.1"), False, D("0.4"), False)),
        ("line.discount > -0.1", (D("-0.1"), False, None, False)),
        ("line.discount > 0.1 + 0.1", (D("0.2"), False, None, False)),
        ("line.discount in [0.25]", (D("0.25"), True, D("0.25"), True)),
        ("line.discount > 0.2 or line.discount > 0.3", (D("0.2"), False, None, False)),
        ("not (line.discount <= 0.2 or line.discount == null)", (D("0.2"), False, None, False)),
    ],
)  # fmt: skip
def test_discount_band_of_a_simple_conjunction(
    text: str, band: tuple[Decimal | None, bool, Decimal | None, bool]
) -> None:
    assert discount_band(when(text, "line")) == band


@pytest.mark.parametrize(
    "text",
    [
        "line.discount > 0.2 or line.discount < 0.1",
        "line.discount > 0.2 and line.quantity > 10",
        "line.discount != 0.2",
        "not line.discount > 0.2",
        "line.discount in [0.1, 0.2]",
        "line.discount > 0.5 and line.discount < 0.4",
        "line.discount > 0.2 and partner == null",
        "line.effective_discount > 0.2",
        "deal.total > 1",
    ],
)
def test_discount_band_is_none_for_anything_else(text: str) -> None:
    assert discount_band(when(text, "line")) is None


# --- robustness --------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "deal", "line", ".", "total", "discount", "sku", "(", ")", "[", "]", ",", " and ", " or ",
        "not ", " == ", " < ", " in ", "+", "-", "*", "/", "0.2", "1", "'x'", '"', "null", "true",
        "matches(", "len(", "date(", "in_region(", "'EU'", "lambda", ":", "_", "__class__", "{",
        "}", "#", "\\", "é", "\n", "**", "if", "else", "x",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_any_text_compiles_or_raises_expr_error(text: str) -> None:
    for scope in ("line", "deal"):
        try:
            rule = when(text, scope)
        except ExprError as err:
            assert 0 <= err.offset <= len(text)
        else:
            assert rule(*args(scope, {})) in (True, False)
        try:
            template = compile_template(text, scope)
        except ExprError as err:
            assert 0 <= err.offset <= len(text)
        else:
            assert isinstance(template(*args(scope, {})), str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    try:
        when(text)
    except ExprError as err:
        assert 0 <= err.offset <= len(text)
