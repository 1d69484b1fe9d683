"""The approval packet as finance reads it, and its print layout.

A finance reader's checklist on the packet of a partner deal with a free month in a
foreign currency (``examples/deals/kea-energy.yaml``: NZD, 25 % partner, 1 of 12 months
free): the terms, the quote lines, the totals net of free months and in the base currency
with the FX date, what each waterfall step takes off, the approvers and a sign-off row
each. Plus: a blocked deal cannot be approved; two approvals of one cause are shown as
related; amounts have thousands separators in every format; the print CSS keeps a
one-deal packet together (the page count itself is checked in a real browser by
``scripts/browser_check.py``, which CI runs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape

import pytest
from render_cases import subset

from dealcheck.findings import DealResult
from dealcheck.report import html, markdown, packet, text
from dealcheck.report.money import amount, fraction, money, off, show
from dealcheck.report.results import CheckReport

DealChecker = Callable[..., DealResult]


def visible(page: str) -> str:
    """The packet's text as a reader sees it: no tags, no CSS, entities decoded, spaces
    collapsed."""
    body = page[page.index("<body>") :]
    body = re.sub(r"<svg .*?</svg>", " ", body, flags=re.DOTALL)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def kea(examples_report: CheckReport) -> CheckReport:
    (deal,) = [d for d in examples_report.deals if d.file.endswith("kea-energy.yaml")]
    return subset(examples_report, [deal])


def test_money_formatting() -> None:
    assert amount(Decimal("41712")) == "41,712.00"
    assert amount(Decimal("1234567.125")) == "1,234,567.12"  # half-even
    assert amount(Decimal("0.005")) == "0.00" and amount(Decimal("0.015")) == "0.02"
    assert money(Decimal("41712"), "GBP") == "GBP 41,712.00"
    assert off(Decimal("90")) == "−90.00" and off(Decimal(0)) == "0.00"
    assert fraction(Decimal("0.3547")) == "35.47%" and fraction(Decimal("0.35")) == "35.0%"
    assert show("effective_discount", Decimal("0.3547")) == "35.47%"
    assert show("line.discount", Decimal("0.2")) == "20.0%"
    assert show("net_unit", Decimal("2640.5")) == "2,640.50"
    assert show("quantity", Decimal("1200")) == "1,200"


def test_finance_checklist_on_a_partner_deal_with_free_months_in_nzd(kea: CheckReport) -> None:
    page = visible(html.render(kea))
    # terms
    for needle in (
        "Customer Kea Energy Ltd",
        "Bill-to country NZ",
        "Deployment countries NZ",
        "Partner Southern Cross Digital (NZ), margin 25.0%",
        "Currency NZD",
        "Start 2027-01-01",
        "End 2028-01-01",
        "Term 12 months",
        "Free months 1 of 12",
        "Payment terms net 30 days",
    ):
        assert needle in page, needle
    # the quote line in the deal currency: list 1,008.00 NZD, 826.56 a unit, 18 % off
    assert (
        "AA-ENT-USER-Y Acme Analytics Enterprise, per user per year 200 1,008.00 826.56 "
        "18.0% 165,312.00" in page
    )
    # totals: over the term, billed net of the free month, per year; each in USD (base)
    assert "Contract value over the term NZD 165,312.00 USD 98,400.00" in page
    assert "Billed, net of free months NZD 151,536.00 USD 90,200.00" in page  # 11 of 12
    assert "Annual value (billed per year) NZD 151,536.00 USD 90,200.00" in page
    assert "1 USD = 1.68 NZD (FX as of 2026-11-02)" in page
    # the waterfall: what each step takes off, the price it leaves, USD and NZD
    assert "list price 600.00 1,008.00" in page
    assert "− sales discount 18.0% −108.00 492.00 826.56" in page
    assert "− partner margin 25.0% −123.00 369.00 619.92" in page
    assert "− free months 1 of 12 −30.75 338.25 568.26" in page
    assert "floor price 330.00 554.40" in page and "unit cost 140.00 235.20" in page
    # evidence in words and formatted numbers, not raw decimals
    assert "margin 58.6% · min margin 60.0% · net unit 338.25" in page
    assert "0.586" not in page
    # approvers: required, and a sign-off row each
    assert "Approvals required CFO" in page
    assert "Sign-off Approver For Name Signature Date CFO margin-below-floor" in page


def test_text_and_markdown_show_the_same_money(kea: CheckReport) -> None:
    shown_text = text.render(kea)
    shown_md = markdown.render(kea)
    for out in (shown_text, shown_md):
        assert "NZD 165,312.00" in out and "NZD 151,536.00" in out and "USD 90,200.00" in out
        assert "−30.75" in out and "−123.00" in out
        assert "1 USD = 1.68 NZD (FX as of 2026-11-02)" in out
        assert not re.search(r"\d{4}\.\d\d", out.replace("2026-11-22", ""))  # no 1008.00


def test_every_amount_has_thousands_separators(examples_report: CheckReport) -> None:
    """Every amount the renderers format has separators; the only bare ones left are in
    the checks' own finding messages (their wording is the checks', not the report's)."""
    messages = " ".join(f"{f.message} {f.fix}" for d in examples_report.deals for f in d.findings)
    for out in (
        text.render(examples_report),
        markdown.render(examples_report),
        visible(html.render(examples_report)),
    ):
        bare = re.findall(r"(?<![\d,.\w-])\d{4,}\.\d\d(?!\d)", out)
        assert [b for b in bare if b not in messages] == []
        assert re.search(r"\d,\d{3}\.\d\d", out)


def test_a_blocked_deal_cannot_be_approved(examples_report: CheckReport) -> None:
    blocked = [d for d in examples_report.deals if d.verdict == "blocked"]
    assert blocked
    page = visible(html.render(subset(examples_report, blocked[:1])))
    assert "Approvals required cannot be approved: fix the blockers" in page
    assert "Approvals required none" not in page
    assert "cannot be approved: fix the blockers" in text.render(subset(examples_report, blocked))
    assert "Approvals required: none" not in markdown.render(subset(examples_report, blocked))
    # and in the summary table of a multi-deal packet or comment
    summary = markdown.render(examples_report).split("## ")[0]
    for deal in blocked:
        assert f"| {deal.deal_id} |" in summary
        row = summary[summary.index(f"| {deal.deal_id} |") :].split("\n")[0]
        assert "cannot be approved: fix the blockers" in row


ONE_CAUSE = """
kind: Deal
id: Q-ONE-CAUSE
customer: {name: One Cause Ltd, country: US}
currency: USD
start_date: 2027-01-01
term_months: 12
lines:
  - {sku: AA-ENT-USER-Y, quantity: 10, unit_price: 300}
"""


def test_two_approvals_of_one_cause_are_related(
    check_deal: DealChecker, examples_report: CheckReport
) -> None:
    # one line at 300: gross margin 53.3 %, under the line's 60 % (CFO) and the deal's
    # 55 % (Finance): one cause, two approvers
    deal = check_deal(ONE_CAUSE)
    rules = {f.rule: f for f in deal.findings}
    assert {"margin-below-floor", "deal-margin-below-floor"} <= set(rules)
    related = packet.related(deal.findings)
    line, whole = rules["margin-below-floor"], rules["deal-margin-below-floor"]
    assert related[line.fingerprint] == [whole] and related[whole.fingerprint] == [line]
    report = subset(examples_report, [deal])
    note = "same cause as deal-margin-below-floor (Finance): gross margin 53.3%"
    assert note in visible(html.render(report))
    assert note in text.render(report)
    assert note in markdown.render(report)
    # a multi-line deal whose blended margin differs from each line's: not related
    two = ONE_CAUSE.replace(
        "  - {sku: AA-ENT-USER-Y, quantity: 10, unit_price: 300}",
        "  - {sku: AA-ENT-USER-Y, quantity: 10, unit_price: 300}\n"
        "  - {sku: AA-STD-USER-Y, quantity: 10, unit_price: 150}",
    )
    assert packet.related(check_deal(two).findings) == {}


def test_print_css_keeps_a_deal_together(examples_report: CheckReport, kea: CheckReport) -> None:
    """The structure the one-page print relies on (the page count is measured in Chromium
    by scripts/browser_check.py): deals after the first start a page, the first follows
    the header; the footer sits inside the last deal, kept with its sign-off table."""
    one = html.render(kea)
    css = one[one.index("@media print") :]
    assert ".deal + .deal { break-before: page;" in css
    assert re.search(r"(?<!\+ )\.deal \{[^}]*break-before", css) is None  # never before the first
    assert ".closing { break-inside: avoid;" in css
    assert "figure" in css and "break-inside: avoid" in css
    assert "@page { size: auto;" in one  # A4 or Letter, whichever the printer has
    # a deal of many lines prints one compact waterfall table instead of a chart per line
    assert ".many-lines figure.waterfall { display: none; }" in css
    assert ".many-lines table.waterfall-compact { display: table;" in css
    many = [d for d in examples_report.deals if len(d.lines) > html.COMPACT_LINES]
    assert many
    page = html.render(subset(examples_report, many[:1]))
    assert '<section class="deal many-lines"' in page
    compact = page[page.index('<table class="waterfall-compact">') :]
    compact = compact[: compact.index("</table>")]
    assert compact.count("<tr><td>") == len(many[0].lines) * (
        2 if any(packet.waterfall(many[0], li)[1] for li in many[0].lines) else 1
    )
    for page in (one, html.render(examples_report)):
        closing = page.rindex('<div class="closing">')
        assert page.index("<footer>") > closing
        assert page.index("</footer>") < page.rindex("</section>")
        assert page.count("<footer>") == 1


def test_text_golden(examples_report: CheckReport, golden: Callable[[str, str], None]) -> None:
    golden("examples.txt", text.render(examples_report))
