"""Outcomes of a check a user relies on that no other test pinned: approval and waiver
bookkeeping, the terms the approval packet shows, where findings point, and the figures
in messages and reports."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.deals import iter_deals
from dealcheck.engine import Engine
from dealcheck.errors import Location
from dealcheck.findings import DealResult, DealTerms
from dealcheck.report.text import rendered
from dealcheck.run import check_input
from tests.clauses.wordkit import kit
from tests.conftest import REPO, TODAY, CheckDeal, build_engine
from tests.test_engine import AUSTRALIA, DISCOUNT_25, deal, only

RETIRING_API = "  - {sku: AA-API-Y, quantity: 1, unit_price: 6000}\n"


def at(line: int, column: int) -> Location:
    return Location("deal.yaml", line, column)


def lines_of(result: DealResult) -> list[str]:
    """The plain-text report, one whitespace-normalised line per entry."""
    return [" ".join(line.split()) for line in rendered(result)[1].splitlines()]


# -- approvals and waivers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "note"),
    [
        ("", "approved for Sales Manager"),
        (
            ", by: Dana, on: 2026-11-20, ref: DESK-42",
            "approved by Dana for Sales Manager on 2026-11-20 (DESK-42)",
        ),
    ],
)
def test_an_approval_note_says_who_when_and_where_only_when_recorded(
    check_deal: CheckDeal, fields: str, note: str
) -> None:
    result = check_deal(
        DISCOUNT_25
        + f"approvals: [{{rule: discount-needs-manager, approver: Sales Manager{fields}}}]\n"
    )
    finding = only(result, "discount-needs-manager")
    assert (finding.status, finding.status_note) == ("approved", note)


def test_an_approval_finds_its_finding_behind_findings_of_other_checks(
    check_deal: CheckDeal,
) -> None:
    """A built-in check's warning (the API pack's v1 API retires mid-term) is reported
    before the rule's finding: the approval must look past it."""
    text = deal(
        "lines:\n"
        "  - {sku: AA-ENT-USER-Y, quantity: 10, discount: 0.25}\n"
        + RETIRING_API
        + "approvals: [{rule: discount-needs-manager, approver: Sales Manager}]\n"
    )
    result = check_deal(text)
    assert [(f.rule, f.status) for f in result.findings] == [
        ("discount-needs-manager", "approved"),
        ("feature-retiring", "open"),
    ]
    assert result.verdict == "pass"


def test_a_pinned_approval_approves_only_the_finding_it_names(check_deal: CheckDeal) -> None:
    """Two lines need the Sales Manager; the approval is pinned to line 2's finding."""
    result = check_deal(
        deal(
            "lines:\n"
            "  - {sku: AA-ENT-USER-Y, quantity: 10, discount: 0.25}\n"
            "  - {sku: AA-PRO-USER-Y, quantity: 5, discount: 0.22}\n"
            "approvals:\n"
            "  - {rule: discount-needs-manager, approver: Sales Manager, fingerprint: b3deffc6}\n"
        )
    )
    assert [(f.subject, f.fingerprint, f.status) for f in result.findings] == [
        ("line:1:AA-ENT-USER-Y", "4add94c7", "open"),
        ("line:2:AA-PRO-USER-Y", "b3deffc6", "approved"),
    ]
    assert result.approvals_required == ["Sales Manager"]


def test_an_expired_waiver_does_not_stop_the_next_waiver(check_deal: CheckDeal) -> None:
    result = check_deal(
        AUSTRALIA
        + "waivers:\n"
        + "  - {rule: region-not-sellable, reason: Old, approved_by: Legal, expires: 2026-01-31}\n"
        + "  - {rule: region-restricted, reason: Cleared, approved_by: General Counsel}\n"
    )
    restricted = only(result, "region-restricted")
    assert (restricted.status, restricted.status_note) == (
        "waived",
        "waived by General Counsel: Cleared",
    )
    assert only(result, "waiver-expired").message == (
        "Waiver for region-not-sellable expired on 2026-01-31; it is ignored"
    )
    assert result.verdict == "pass"


# -- the terms the approval packet shows -----------------------------------------------------


def test_terms_of_a_partner_deal_in_another_currency(check_deal: CheckDeal) -> None:
    result = check_deal(
        deal(
            "partner: {name: Kiwi Partners, country: NZ, margin: 0.05}\n"
            "lines:\n"
            "  - {sku: AA-ENT-USER-Y, quantity: 1, discount: 0}\n"
            "  - {sku: NOPE-1, quantity: 1, unit_price: 5}\n"
        ).replace("currency: USD", "currency: EUR")
    )
    assert result.terms == DealTerms(
        bill_to="US",
        deployment_countries=(),
        partner="Kiwi Partners",
        partner_country="NZ",
        partner_margin=Decimal("0.05"),
        start_date=date(2027, 1, 1),
        end_date=date(2028, 1, 1),
        term_months=12,
        free_months=0,
        payment_terms_days=None,
        base_currency="USD",
        fx_rate=Decimal("0.92"),
        fx_as_of=date(2026, 11, 2),
        sku_names=("Acme Analytics Enterprise, per user per year", None),
        rates=(("EUR", Decimal("0.92")), ("USD", Decimal("1"))),
    )


def test_terms_without_fx_rates_in_the_catalog(check_deal: CheckDeal) -> None:
    engine = build_engine(
        REPO / "products" / "acme-analytics.yaml", REPO / "products" / "regions.yaml"
    )
    result = check_deal(
        deal("lines: [{sku: AA-ENT-USER-Y, quantity: 1, discount: 0}]\n"), engine=engine
    )
    assert result.terms is not None
    assert (
        result.terms.partner,
        result.terms.partner_country,
        result.terms.partner_margin,
        result.terms.base_currency,
        result.terms.fx_rate,
        result.terms.fx_as_of,
        result.terms.rates,
    ) == (None, None, Decimal(0), None, None, None, ())


# -- where findings point --------------------------------------------------------------------


def test_a_restricted_deployment_country_is_found_behind_an_unknown_sku(
    check_deal: CheckDeal,
) -> None:
    result = check_deal(
        deal(
            "deployment_countries: [US, AU]\n"
            "lines:\n"
            "  - {sku: NOPE-1, quantity: 1, unit_price: 5}\n"
            "  - {sku: AA-ENT-USER-Y, quantity: 1, discount: 0}\n"
        )
    )
    finding = only(result, "region-restricted")
    assert finding.message == (
        "Acme Analytics may not be sold in AU (deployment): "
        "Not IRAP assessed; Legal has not cleared resale in Australia."
    )
    assert finding.location == at(7, 28)


def test_a_restricted_partner_country_points_at_the_partner_country(
    check_deal: CheckDeal,
) -> None:
    result = check_deal(
        deal(
            "partner: {name: Oz Partners, country: AU, margin: 0.05}\n"
            "lines: [{sku: AA-ENT-USER-Y, quantity: 1, discount: 0}]\n"
        )
    )
    finding = only(result, "region-restricted")
    assert finding.message.startswith("Acme Analytics may not be sold in AU (partner): ")
    assert finding.location == at(7, 39)


def test_a_price_below_floor_points_at_the_key_that_set_the_price(
    check_deal: CheckDeal,
) -> None:
    """Line 1 is priced by unit_price, line 2 (below the floor) by discount."""
    result = check_deal(
        deal(
            "lines:\n"
            "  - {sku: AA-ENT-USER-Y, quantity: 1, unit_price: 600}\n"
            "  - {sku: AA-PRO-USER-Y, quantity: 1, discount: 0.5}\n"
        )
    )
    finding = only(result, "price-below-floor")
    assert finding.message == (
        "Line 2 (AA-PRO-USER-Y): net price 210.00 USD per unit is below the floor 240.00 USD"
    )
    assert finding.location == at(9, 49)  # the 0.5


def test_a_rule_on_an_inline_clause_points_at_its_text(check_deal: CheckDeal) -> None:
    result = check_deal(
        deal(
            "lines: [{sku: AA-ENT-USER-Y, quantity: 1, discount: 0}]\n"
            "clauses:\n"
            "  - {id: '7.1', text: 'Customer gets most favoured customer pricing.'}\n"
        )
    )
    finding = only(result, "clause-mfn")
    assert (finding.message, finding.location) == (
        "Clause 7.1 grants most-favoured-customer pricing",
        at(9, 23),
    )


# -- figures in messages and reports ---------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_price", "shown"),
    [
        ("349.95", "gross margin 59.99% is below the minimum 60.00%"),
        ("349.995", "gross margin 59.999% is below the minimum 60.000%"),
        ("349.9995", "gross margin 59.9999% is below the minimum 60.0000%"),
    ],
)
def test_a_margin_just_under_its_minimum_is_shown_with_enough_places(
    check_deal: CheckDeal, unit_price: str, shown: str
) -> None:
    """The minimum is 60 %: one place would print "60.0% is below the minimum 60.0%"."""
    result = check_deal(
        deal(f"lines: [{{sku: AA-ENT-USER-Y, quantity: 10, unit_price: {unit_price}}}]\n")
    )
    assert only(result, "margin-below-floor").message == f"Line 1 (AA-ENT-USER-Y): {shown}"


def test_a_whole_uptime_is_written_as_people_write_it(check_deal: CheckDeal) -> None:
    result = check_deal(
        deal("sla_uptime: 100\nlines: [{sku: AA-ENT-USER-Y, quantity: 1, discount: 0}]\n")
    )
    assert only(result, "sla-above-catalog").message == (
        "Committed uptime 100%, more than Acme Analytics offers (99.9%)"
    )


def test_a_deal_without_lines_is_worth_zero(check_deal: CheckDeal) -> None:
    result = check_deal(deal(""))
    assert "Contract value over the term USD 0.00" in lines_of(result)


HUGE = deal("lines: [{sku: AA-ENT-USER-Y, quantity: 1, unit_price: 1e99}]\n")
HUGE_VALUE = f"Contract value over the term USD 1{',000' * 33}.00"


def test_a_price_beyond_28_digits_is_still_shown_to_the_cent(
    check_deal: CheckDeal, tmp_path: Path
) -> None:
    """In this process, and by the real command in a fresh one (where no rounding context
    for so many digits has been made yet)."""
    assert HUGE_VALUE in lines_of(check_deal(HUGE))
    (tmp_path / "huge.yaml").write_text(HUGE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DEALCHECK_CATALOG", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", "from dealcheck.cli import main; main()", "check"]
        + [str(tmp_path / "huge.yaml"), "--today", TODAY.isoformat()],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert HUGE_VALUE in [" ".join(line.split()) for line in proc.stdout.splitlines()]


# -- the catalog ------------------------------------------------------------------------------


def test_an_approval_override_without_an_approver_stops_the_engine(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        "kind: RuleSet\nid: policy\nbuiltin:\n  region-restricted: {severity: approval}\n",
        encoding="utf-8",
    )
    catalog = load_catalog([REPO / "products", tmp_path], TODAY, BUILTIN_IDS)
    engine = Engine(catalog, TODAY)
    assert not engine.ok
    assert [p.message for p in engine.problems] == [
        "builtin region-restricted: severity approval needs an 'approver' "
        "(the check has no default approver)"
    ]


RETIRED_PRODUCT = """\
kind: Product
id: gadget
name: Gadget
currency: USD
features:
  - id: old-widget
    name: Old widget
    status: retired
    end_of_life: 2027-03-31
skus:
  - sku: GADGET-Y
    name: Gadget, per year
    features: [old-widget]
    list_price: 100.00
    unit_cost: 10.00
"""


def test_a_retired_feature_is_retired_not_retiring(tmp_path: Path, check_deal: CheckDeal) -> None:
    (tmp_path / "gadget.yaml").write_text(RETIRED_PRODUCT, encoding="utf-8")
    engine = build_engine(tmp_path)
    result = check_deal(
        deal(
            "lines: [{sku: GADGET-Y, quantity: 1, discount: 0}]\n"
            "commitments: [{feature: old-widget}]\n"
        ),
        engine=engine,
    )
    assert [f.rule for f in result.findings] == ["feature-retired"]


# -- an uptime written in a tracked change -----------------------------------------------------


def test_an_uptime_inserted_in_a_redline_names_the_change(
    tmp_path: Path, sample_engine: Engine
) -> None:
    body = kit.para([kit.run("9.1 "), kit.ins("Provider guarantees 99.99% monthly uptime.", 1)])
    (tmp_path / "c.docx").write_bytes(kit.docx_bytes(body))
    (tmp_path / "deal.yaml").write_text(
        deal("clauses_file: c.docx\nlines: [{sku: AA-ENT-USER-Y, quantity: 1, discount: 0}]\n"),
        encoding="utf-8",
    )
    (item,) = iter_deals([str(tmp_path / "deal.yaml")])
    finding = only(check_input(sample_engine, item), "sla-above-catalog")
    assert finding.message == (
        "Clause 9.1 commits to uptime 99.99%, more than Acme Analytics offers (99.9%)"
        " — inserted in a tracked change by Casey Counsel (Customer) on 2026-11-03"
    )
    assert finding.evidence == {
        "uptime": Decimal("99.99"),
        "catalog_uptime": Decimal("99.9"),
        "clause": "9.1",
        "text": "99.99%",
        "revision": "inserted",
        "inserted_by": "Casey Counsel (Customer)",
        "inserted_on": "2026-11-03",
        "inserted_text": "Provider guarantees 99.99% monthly uptime.",
    }
