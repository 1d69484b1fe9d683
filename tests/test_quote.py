"""``dealcheck quote``: the headroom of each line, checked by entering its prices.

Every band's lowest and highest whole-cent unit price is typed into the deal as the
line's ``unit_price`` and the deal is checked: the engine must report exactly the band's
rules for that line, and one cent lower (higher) must land in the next band down (up).
"""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcheck.cli import app
from dealcheck.engine import Engine
from dealcheck.findings import DealResult
from dealcheck.models import DealBody, parse_document
from dealcheck.quote import LineHeadroom, headroom
from dealcheck.yamlio import SourceMap, load_string

REPO = Path(__file__).resolve().parent.parent
CENT = Decimal("0.01")
PRICE_CHECKS = {"price-below-floor", "margin-below-floor", "deal-margin-below-floor"}

# With a 20 % partner and 3 of 36 months free, the company keeps 0.8 × 33/36 of the
# price: a factor with no finite decimal expansion, so every floor- and margin-based edge
# must be converted and rounded to the cent in the right direction.
PARTNER_EUR = """\
kind: Deal
id: Q-TEST-QUOTE
customer: {name: Quote Test GmbH, country: DE}
currency: EUR
start_date: 2027-01-01
term_months: 36
free_months: 3
payment_terms_days: 30
partner: {name: Reseller AG, country: DE, margin: 20%}
lines:
  - {sku: AA-STD-USER-Y, quantity: 100, discount: 10%}
  - {sku: AA-PRO-USER-Y, quantity: 20, unit_price: 300.00}
"""
# Direct, in the product currency: every approver's discount band is reachable.
DIRECT_USD = """\
kind: Deal
id: Q-TEST-DIRECT
customer: {name: Direct Inc, country: US}
currency: USD
start_date: 2027-01-01
term_months: 12
lines:
  - {sku: AA-PRO-USER-Y, quantity: 10, discount: 5%}
"""


def load(text: str) -> tuple[DealBody, SourceMap]:
    (doc,) = load_string(textwrap.dedent(text), "deal.yaml")
    model, problems = parse_document(doc, ("Deal",))
    assert not problems and isinstance(model, DealBody)
    return model, doc.source


def priced(deal: DealBody, index: int, price: Decimal) -> DealBody:
    lines = list(deal.lines)
    lines[index - 1] = lines[index - 1].model_copy(update={"unit_price": price, "discount": None})
    return deal.model_copy(update={"lines": tuple(lines)})


def fired(engine: Engine, result: DealResult, line: int, single: bool) -> set[str]:
    """The rules of the line's price that fire: line rules on this line, and the floor,
    margin (and, on a one-line deal, deal-margin) checks."""
    line_rules = {r.id for r in engine.rules_by_scope["line"]}
    return {
        f.rule
        for f in result.findings
        if (f.rule in line_rules or f.rule in PRICE_CHECKS)
        and (f.subject.startswith(f"line:{line}:") or (single and f.rule in PRICE_CHECKS))
    }


def check_edges(engine: Engine, text: str) -> list[LineHeadroom]:
    deal, source = load(text)
    h = headroom(engine, deal, engine.check(deal, source))
    single = len(deal.lines) == 1
    for line in h.lines:
        bands = line.bands
        assert bands[-1].low == 0 and bands[0].high is None
        for i, band in enumerate(bands):
            expected = {n.rule for n in band.needs}
            for price, neighbour in (
                (band.lowest_cent, bands[i + 1] if i + 1 < len(bands) else None),
                (band.highest_cent, bands[i - 1] if i > 0 else None),
            ):
                if price is None:
                    continue
                got = fired(
                    engine,
                    engine.check(priced(deal, line.index, price), source),
                    line.index,
                    single,
                )
                assert got == expected, (line.sku, str(price), band)
                if neighbour is None:
                    continue
                step = -CENT if price == band.lowest_cent else CENT
                if price + step < 0:
                    continue
                beyond = engine.check(priced(deal, line.index, price + step), source)
                assert fired(engine, beyond, line.index, single) == {
                    n.rule for n in neighbour.needs
                }, (line.sku, str(price + step))
    return list(h.lines)


def test_direct_deal_every_approver_band(sample_engine: Engine) -> None:
    (line,) = check_edges(sample_engine, DIRECT_USD)
    # AA-PRO-USER-Y: list 420, floor 240, min margin 58 % of cost 100 (238.10)
    assert line.lowest_free == Decimal("336.00")  # 20 % off
    manager = line.first_band("Sales Manager")
    vp = line.first_band("VP Sales")
    cfo = line.first_band("CFO")
    assert manager and vp and cfo
    assert (manager.lowest_cent, manager.highest_cent) == (Decimal("294.00"), Decimal("335.99"))
    assert (vp.lowest_cent, vp.highest_cent) == (Decimal("252.00"), Decimal("293.99"))
    assert cfo.lowest_cent == Decimal("240.00")  # the floor stops the CFO band
    assert line.floor == Decimal("240.00")


def test_partner_and_free_months_move_the_floor(sample_engine: Engine) -> None:
    std, pro = check_edges(sample_engine, PARTNER_EUR)
    # AA-STD-USER-Y: list 240 USD = 220.80 EUR; the company keeps 0.8 × 33/36 of the price,
    # so the floor of 132 USD is reached at 132 / (0.8 × 33/36) = 180 USD = 165.60 EUR
    assert std.list_price == Decimal("220.80")
    assert std.floor == Decimal("165.60")
    below = [b for b in std.bands if b.blocked]
    assert below and below[0].high == Decimal("165.60") and not below[0].high_inc
    # 20 % off (176.64) needs no approval; over 20 % needs the Sales Manager down to the
    # floor at 25 % off: the VP band is below the floor, so never reachable here
    assert std.lowest_free == Decimal("176.64")
    assert std.first_band("Sales Manager") is not None
    assert std.first_band("VP Sales") is None or std.first_band("VP Sales").blocked  # type: ignore[union-attr]
    # AA-PRO-USER-Y: the margin minimum (58 % of cost 100: net 238.095…) is reached above
    # the floor; its edge has no finite decimal form and is rounded up to the cent
    assert pro.margin_price is not None and pro.margin_price != pro.margin_price.quantize(CENT)


def test_cli_text_and_json() -> None:
    runner = CliRunner()
    deal = "examples/deals/kea-energy.yaml"
    import os

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        text = runner.invoke(app, ["quote", deal, "--today", "2026-11-22"])
        data = runner.invoke(app, ["quote", deal, "--today", "2026-11-22", "-f", "json"])
        missing = runner.invoke(app, ["quote", "examples/deals/nope.yaml", "--today", "2026-11-22"])
    finally:
        os.chdir(cwd)
    assert text.exit_code == 0, text.output
    assert "lowest unit price without approval: NZD 855.28" in text.output
    assert "floor: NZD 806.40 (net USD 330.00 after partner margin and free months)" in text.output
    assert "CFO (margin-below-floor)" in text.output
    parsed = json.loads(data.output)
    assert parsed["lines"][0]["lowest_price_without_approval"] == "855.28"
    assert missing.exit_code == 2 and "Traceback" not in missing.output


@pytest.mark.parametrize(
    "bad", ["term_months: twelve", "lines: [{sku: X, quantity: 1, discount: 35 pct}]"]
)
def test_cli_bad_deal_is_located(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        DIRECT_USD.replace(
            "term_months: 12",
            bad if "term" in bad else "term_months: 12\n" + bad.replace("lines", "x_lines"),
        )
    )
    result = CliRunner().invoke(
        app,
        [
            "quote",
            str(path),
            "--today",
            "2026-11-22",
            "--catalog",
            str(REPO / "products"),
            "--catalog",
            str(REPO / "rules"),
        ],
    )
    assert result.exit_code == 2
    assert f"{path}:" in result.output and "Traceback" not in result.output


def test_catalog_with_partner_and_free_months_agrees_with_quote(sample_engine: Engine) -> None:
    """``dealcheck catalog --partner-margin 20% --free-months 3 --term-months 36`` shows
    the floor as the unit price ``quote`` finds for a deal with those terms."""
    from dealcheck.salessheet import build_sales_sheet

    sheet = build_sales_sheet(
        sample_engine.catalog,
        sections=["skus"],
        product="acme-analytics",
        rules=sample_engine.rules,
        overrides=sample_engine.overrides,
        partner_margin=Decimal("0.2"),
        free_months=3,
        term_months=36,
    )
    deal, source = load(PARTNER_EUR.replace("currency: EUR", "currency: USD"))
    h = headroom(sample_engine, deal, sample_engine.check(deal, source))
    rows = {row.sku: row for row in sheet.skus}
    for line in h.lines:
        assert line.floor is not None
        floor_cent = next(b.lowest_cent for b in reversed(line.bands) if not b.blocked)
        assert rows[line.sku].floor_price == floor_cent  # 327.28 for AA-PRO-USER-Y
    assert rows["AA-PRO-USER-Y"].floor_price == Decimal("327.28")
    direct = build_sales_sheet(sample_engine.catalog, sections=["skus"], product="acme-analytics")
    assert {r.sku: r.floor_price for r in direct.skus}["AA-PRO-USER-Y"] == Decimal("240.00")


def test_catalog_rejects_impossible_terms() -> None:
    runner = CliRunner()
    for args, message in (
        (["--partner-margin", "120%"], "--partner-margin: must be a fraction between 0 and 1"),
        (["--partner-margin", "lots"], "--partner-margin: expected a fraction such as 0.35"),
        (["--free-months", "12"], "--free-months: must be 0 or more and less than the 12-month"),
    ):
        result = runner.invoke(
            app,
            [
                "catalog",
                "skus",
                "--today",
                "2026-11-22",
                "--catalog",
                str(REPO / "products"),
                "--catalog",
                str(REPO / "rules"),
                *args,
            ],  # fmt: skip
        )
        assert result.exit_code == 2 and message in result.output, result.output


def test_quote_of_huge_numbers_does_not_crash(tmp_path: Path) -> None:
    deal = REPO / "tests/hardening/hostile/deals/huge-numbers.yaml"
    result = CliRunner().invoke(
        app,
        [
            "quote",
            str(deal),
            "--today",
            "2026-11-22",
            "--catalog",
            str(REPO / "products"),
            "--catalog",
            str(REPO / "rules"),
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert "lowest unit price without approval: USD 480.00" in result.output
