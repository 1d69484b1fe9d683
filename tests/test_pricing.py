"""SPEC §3: the derived quantities, exact ``Decimal`` from input to result, never a float."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from dealcheck.findings import DealResult
from dealcheck.pricing import (
    CatalogPrices,
    LinePrice,
    add_months,
    convert,
    deal_margin,
    deal_total,
    money,
    percent,
    price_line,
)

CheckDeal = Callable[..., DealResult]
KEA_ENERGY = Path(__file__).resolve().parent.parent / "examples" / "deals" / "kea-energy.yaml"
# AA-ENT-USER-Y of the sample catalog, priced in USD.
ENTERPRISE = CatalogPrices(
    product="acme-analytics",
    edition="enterprise",
    currency="USD",
    list_price=D("600.00"),
    unit_cost=D("140.00"),
    floor_price=D("330.00"),
    min_margin=D("0.60"),
)
AGENT = CatalogPrices(
    "acme-connect", None, "USD", D("2400.00"), D("900.00"), D("1500.00"), D("0.40")
)
TEAM = CatalogPrices(
    "acme-connect", "team", "USD", D("12000.00"), D("3000.00"), D("7800.00"), D("0.55")
)

USD = D(1)
AUD = D("1.52")
EUR = D("0.92")


def line(
    *,
    unit_price: D | None = None,
    discount: D | None = None,
    quantity: D = D(10),
    term_months: int = 12,
    free_months: int = 0,
    partner_margin: D = D(0),
    deal_rate: D | None = USD,
    product_rate: D | None = USD,
    sku: CatalogPrices | None = ENTERPRISE,
) -> LinePrice:
    return price_line(
        index=1,
        sku="AA-ENT-USER-Y",
        quantity=quantity,
        unit_price=unit_price,
        discount=discount,
        term_months=term_months,
        free_months=free_months,
        partner_margin=partner_margin,
        deal_rate=deal_rate,
        product_rate=product_rate,
        catalog_sku=sku,
    )


def assert_no_float(price: LinePrice) -> None:
    for f in dataclasses.fields(price):
        value = getattr(price, f.name)
        assert not isinstance(value, float), f"{f.name} is a float: {value!r}"
        if f.name in ("index", "sku", "product", "edition", "product_currency"):
            continue
        assert value is None or type(value) is D, f"{f.name}: {type(value).__name__}"


def test_fx_conversion_is_amount_over_rate_times_rate() -> None:
    assert convert(D("760.00"), AUD, USD) == D(500)
    assert convert(D("600.00"), USD, EUR) == D("552.00")
    assert convert(D("13800.00"), EUR, USD) == D(15000)
    assert convert(D("123.45"), EUR, EUR) == D("123.45")


def test_line_in_another_currency_through_a_partner() -> None:
    """Wallaby Logistics: 760.00 AUD, list 912.00 AUD, 500.00 USD, 400.00 after the partner."""
    price = line(unit_price=D("760.00"), term_months=36, partner_margin=D("0.20"), deal_rate=AUD)
    assert price.list_price == D("912.00")  # list_price: converted into the deal currency
    assert price.unit_price == D("760.00")
    assert price.discount == 1 - D("760.00") / D("912.00")
    assert price.net_unit == D(400)  # net_unit: in the product currency
    assert price.effective_discount == 1 - D(400) / D(600)
    assert price.margin == (D(400) - D(140)) / D(400)
    assert price.total == D("760.00") * 10 * 36 / 12  # deal currency
    assert price.total == D(22800)
    assert_no_float(price)


def test_discount_gives_the_unit_price_in_the_deal_currency() -> None:
    price = line(discount=D("0.10"), deal_rate=EUR)
    assert price.list_price == D("552.00")
    assert price.unit_price == D("496.80")
    assert price.discount == D("0.10")
    assert price.net_unit == D(540)
    assert_no_float(price)


def test_unit_price_420_off_600_is_exactly_thirty_percent() -> None:
    price = line(unit_price=D(420))
    assert price.discount == D("0.30")
    assert not price.discount > D("0.30")


def test_partner_margin_and_free_months_reduce_net_unit_not_unit_price() -> None:
    """15 % off 600, 20 % to the partner, 3 of 12 months free: the customer pays 510, the
    company keeps 510 × 0.80 × 9/12 = 306 (the example in ``explain price-below-floor``)."""
    direct = line(discount=D("0.15"))
    stacked = line(discount=D("0.15"), partner_margin=D("0.20"), free_months=3)
    for price in (direct, stacked):
        assert price.unit_price == D(510)
        assert price.discount == D("0.15")  # the sales discount is what the customer sees
    assert direct.net_unit == D(510)
    assert stacked.net_unit == D(306)
    assert stacked.after_discount == D(510)  # the waterfall, step by step
    assert stacked.after_partner == D(408)
    assert stacked.effective_discount == D("0.49")
    assert stacked.margin == (D(306) - D(140)) / D(306)
    # free months are inside the term: the customer still pays every month's price
    assert stacked.total == direct.total == D(5100)
    assert_no_float(stacked)


def test_margin_is_product_margin_on_net_not_sales_margin() -> None:
    price = line(unit_price=D(350))
    assert price.margin == D("0.6")
    assert price.discount != price.margin  # two different numbers, both shown


def test_zero_net_has_no_margin_rather_than_dividing_by_zero() -> None:
    price = line(discount=D(1))
    assert price.net_unit == D(0)
    assert price.margin is None


def test_unknown_sku_has_no_derived_prices() -> None:
    by_price = line(unit_price=D(100), sku=None)
    assert by_price.total == D(1000)  # still known: the customer's price × quantity
    by_discount = line(discount=D("0.1"), sku=None)
    for price in (by_price, by_discount):
        assert price.list_price is None
        assert price.net_unit is None
        assert price.margin is None
    assert by_discount.unit_price is None
    assert by_discount.total is None


def test_no_fx_rate_means_no_conversion() -> None:
    price = line(unit_price=D(2100), deal_rate=None)
    assert price.list_price is None
    assert price.discount is None
    assert price.net_unit is None


def test_line_and_deal_totals() -> None:
    """Harvest Grocers: 12,000 + 100 × 1,920 per year."""
    lines = [
        line(discount=D(0), sku=TEAM, quantity=D(1)),
        line(discount=D("0.20"), sku=AGENT, quantity=D(100)),
    ]
    assert [p.total for p in lines] == [D(12000), D(192000)]
    assert deal_total(lines) == D(204000)
    two_years = [line(unit_price=D(450), quantity=D(120), term_months=24)]
    assert deal_total(two_years) == D(450) * 120 * 2


def test_deal_total_is_unknown_when_a_line_total_is() -> None:
    """A partial sum would understate the deal; report no total instead of a wrong one."""
    lines = [line(unit_price=D(100)), line(discount=D("0.1"), sku=None)]
    assert deal_total(lines) is None
    assert deal_total([]) == D(0)


def test_blended_deal_margin() -> None:
    """Σ q·(net − cost) / Σ q·net: (9,000 + 100 × 1,020) / (12,000 + 100 × 1,920)."""
    lines = [
        line(discount=D(0), sku=TEAM, quantity=D(1)),
        line(discount=D("0.20"), sku=AGENT, quantity=D(100)),
    ]
    margin = deal_margin(lines)
    assert margin == D(111000) / D(204000)
    assert margin < D("0.55")
    assert type(margin) is D


def test_blended_margin_skips_lines_without_known_prices() -> None:
    known = line(unit_price=D(350))
    unknown = line(unit_price=D(1), sku=None)
    assert deal_margin([known, unknown]) == D("0.6")
    assert deal_margin([unknown]) is None


def test_display_rounds_half_even_and_checks_never_round() -> None:
    assert money(D("0.125")) == "0.12"
    assert money(D("0.135")) == "0.14"
    assert money(D("19360")) == "19360.00"
    assert percent(D("0.5861")) == "58.6%"
    assert percent(D("0.00025")) == "0.0%"
    assert percent(D("0.00035")) == "0.0%"
    assert percent(D("0.00075")) == "0.1%"
    assert percent(D("0.30")) == "30.0%"


def test_contract_end_is_start_plus_term_clamped_to_month_end() -> None:
    assert add_months(date(2027, 1, 1), 36) == date(2030, 1, 1)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("price", "expected_net"),
    [("unit_price: 0.1", D("0.1")), ("unit_price: 1e3", D(1000)), ("unit_price: 1_000", D(1000))],
)
def test_yaml_numbers_arrive_as_exact_decimals(
    check_deal: CheckDeal, price: str, expected_net: D
) -> None:
    result = check_deal(
        f"""
        kind: Deal
        id: T-1
        customer: {{name: Test Co, country: US}}
        currency: USD
        start_date: 2027-01-01
        term_months: 12
        lines: [{{sku: AA-ENT-USER-Y, quantity: 3, {price}}}]
        """
    )
    (price_out,) = result.lines
    assert price_out.net_unit == expected_net
    assert price_out.total == expected_net * 3
    assert_no_float(price_out)
    assert type(result.total) is D
    assert type(result.margin) is D


def test_kea_energy_numbers_end_to_end(check_deal: CheckDeal) -> None:
    """826.56 NZD at 1.68 is 492.00 USD; × 0.75 partner × 11/12 months = 338.25 USD."""
    result = check_deal(KEA_ENERGY.read_text(encoding="utf-8"))
    (price,) = result.lines
    assert price.list_price == D("1008.00")
    assert price.discount == D("0.18")
    assert price.after_discount == D(492)
    assert price.net_unit == D("338.25")
    assert price.margin == (D("338.25") - D(140)) / D("338.25")
    assert price.effective_discount == 1 - D("338.25") / D(600)
    assert result.total == D("826.56") * 200
    assert result.margin == price.margin
    assert_no_float(price)
