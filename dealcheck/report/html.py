"""The HTML approval packet: one self-contained file a deal desk can file or print to PDF.

Per deal: the verdict, the approvers it needs and the approvals recorded, every finding
with its evidence, fix and status, each line's price waterfall as an inline SVG chart
(list → after discount → after partner margin → net after free months, with the floor
and cost as horizontal lines), the totals, and sign-off lines for the approvers. The
packet records the date checked, the catalog fingerprint and the dealcheck version.

No scripts, no network, no external assets: inline CSS and SVG only. Every input value
passes through :func:`dealcheck.report.sanitize.one_line` and :func:`html.escape`.
Meaning never rests on colour alone (every badge and bar is labelled in words), so the
packet reads the same printed in black and white.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from html import escape
from typing import Any

from dealcheck import __version__
from dealcheck.findings import DealResult, Finding
from dealcheck.pricing import LinePrice, percent
from dealcheck.report import packet
from dealcheck.report.money import amount as money
from dealcheck.report.money import label as evidence_label
from dealcheck.report.money import off, show
from dealcheck.report.results import CheckReport
from dealcheck.report.sanitize import one_line

VERDICT = {
    "pass": "PASS",
    "needs-approval": "NEEDS APPROVAL",
    "blocked": "BLOCKED",
    "error": "NOT CHECKED",
}
VERDICT_MARK = {"pass": "✓", "needs-approval": "!", "blocked": "✗", "error": "?"}
STATUS = {"open": "OPEN", "approved": "APPROVED", "waived": "WAIVED"}
KNOWN_APPROVAL_KEYS = ("rule", "approver", "by", "on", "ref", "fingerprint")

CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --blocked: #b42318; --approval: #9a6700; --pass: #1a7f37; --info: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 0 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; border-bottom: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .92em; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.packet-head { border-bottom: 3px double var(--ink); margin-bottom: 1.5rem; padding-bottom: .75rem; }
.deal { border-top: 2px solid var(--ink); padding-top: 1rem; margin-top: 2rem; }
.badge { display: inline-block; border: 2px solid currentColor; border-radius: 4px;
  padding: .05rem .5rem; font-weight: 700; letter-spacing: .03em; }
.verdict-pass { color: var(--pass); }
.verdict-needs-approval { color: var(--approval); }
.verdict-blocked, .verdict-error { color: var(--blocked); }
.finding { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px;
  padding: .5rem .75rem; margin: .5rem 0; break-inside: avoid; page-break-inside: avoid; }
.finding.sev-blocker { border-left-color: var(--blocked); border-left-style: solid; }
.finding.sev-approval { border-left-color: var(--approval); border-left-style: double; }
.finding.sev-warning { border-left-color: var(--info); border-left-style: dashed; }
.finding.sev-info { border-left-color: var(--muted); border-left-style: dotted; }
.finding .head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.finding .sev, .finding .status { font-weight: 700; font-size: .8rem; letter-spacing: .04em; }
.finding .status { border: 1px solid currentColor; border-radius: 3px; padding: 0 .3rem; }
.finding p { margin: .3rem 0; }
.muted { color: var(--muted); }
figure.waterfall { margin: .5rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figure.waterfall .body { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: flex-start; }
figure.waterfall svg { flex: 1 1 20rem; max-width: 34rem; height: auto; display: block; }
figure.waterfall table.prices { flex: 0 0 auto; width: auto; margin: 0; }
figure.waterfall table.prices th { white-space: nowrap; font-weight: 500; }
figure.waterfall figcaption { font-weight: 600; margin-bottom: .25rem; }
.signoff td { height: 2.2rem; }
.signoff th + th { width: 22%; }
svg .bar { fill: #8c959f; stroke: #1b1f24; stroke-width: 1; }
svg .bar.net { fill: #57606a; }
svg .bar.below { fill: #ffffff; stroke: #b42318; stroke-width: 2; stroke-dasharray: 4 2; }
svg line.floor { stroke: #b42318; stroke-width: 1.5; }
svg line.cost { stroke: #1b1f24; stroke-width: 1.5; }
svg line.axis { stroke: #1b1f24; stroke-width: 1; }
svg text { font: 14px system-ui, sans-serif; fill: #1b1f24; }
svg text.mark { font-size: 13px; }
svg text.amount { font-weight: 600; }
svg text.warn { font-weight: 700; fill: #b42318; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: .5rem;
  color: var(--muted); font-size: .85rem; }
dl.terms { grid-template-columns: repeat(3, max-content 1fr); }
table.quote td, table.totals td { white-space: nowrap; }
table.totals { width: auto; }
.finding .evidence { font-size: .92em; }
.finding .related { font-style: italic; }
figure.waterfall .prices p { margin: .2rem 0 0; }
table.waterfall-compact { display: none; }
table.waterfall-compact .off { color: var(--muted); font-size: .9em; }
/* Printing: one A4 or Letter page for a deal of a few lines and findings; each deal
   starts a page, and neither the header nor the footer ever stands alone on one. */
@page { size: auto; margin: 7mm 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 7.5pt; line-height: 1.15; color: #000; }
  h1 { font-size: 12pt; margin: 0 0 2pt; }
  h2 { font-size: 10.5pt; margin: 0 0 2pt; }
  h3 { font-size: 8.5pt; margin: 3pt 0 1pt; }
  a { color: inherit; text-decoration: none; }
  .packet-head { margin-bottom: 4pt; padding-bottom: 2pt; border-bottom-width: 2px; }
  .packet-head dl.facts { display: block; }
  .packet-head dl.facts dt, .packet-head dl.facts dd { display: inline; }
  .packet-head dl.facts dt { margin-right: 3pt; }
  .packet-head dl.facts dd { margin-right: 8pt; }
  .packet-head dl.facts dd code { overflow-wrap: normal; }
  .deal > dl.facts { grid-template-columns: repeat(2, max-content 1fr); }
  .deal > dl.facts.terms { grid-template-columns: repeat(4, max-content auto); }
  table.waterfall-compact td, table.waterfall-compact th { white-space: nowrap; padding: 1pt 2pt; }
  dl.facts { gap: 0 8pt; margin: 2pt 0; }
  table { margin: 1pt 0 3pt; }
  th, td { padding: 1pt 4pt; }
  .deal { border-top: none; margin-top: 0; padding-top: 0; }
  .deal + .deal { break-before: page; page-break-before: always; }
  p { margin: 1pt 0; }
  .badge { padding: 0 3pt; border-width: 1px; }
  .finding { padding: 1pt 5pt; margin: 2pt 0; border-left-width: 4px; }
  .finding .sev, .finding .status { font-size: 6.5pt; }
  .finding p { margin: 1pt 0; }
  figure.waterfall { margin: 2pt 0 4pt; }
  figure.waterfall .body { flex-wrap: nowrap; gap: 8pt; }
  figure.waterfall svg { flex: 0 0 6.5cm; max-width: 6.5cm; }
  h2, h3, figcaption { break-after: avoid; page-break-after: avoid; }
  tr, .signoff, .finding, figure, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  .closing { break-inside: avoid; page-break-inside: avoid; }
  .many-lines figure.waterfall { display: none; }
  .many-lines table.waterfall-compact { display: table; font-size: 6.5pt; }
  .finding .head { display: inline-flex; margin-right: 4pt; }
  .finding p.message, .finding p.fix, .finding p.evidence, .finding p.loc { display: inline; }
  .finding p.fix::before, .finding p.evidence::before, .finding p.loc::before { content: " · "; }
  .finding p.related, .finding p.note { margin: 0; }
  .signoff td { height: 1.15rem; }
  footer { margin-top: 4pt; padding-top: 2pt; font-size: 7pt; }
  * { background: transparent !important; box-shadow: none !important; }
}
"""

# The chart's geometry, in SVG user units.
CHART_WIDTH = 640
CHART_HEIGHT = 252
PLOT_LEFT = 20
PLOT_RIGHT = 500  # right of it: the floor and cost labels
PLOT_TOP = 28
PLOT_BOTTOM = 200
BAR_WIDTH = 80
STEPS = (
    ("list", "price"),
    ("after", "discount"),
    ("after partner", "margin"),
    ("net after", "free months"),
)
TENTH = Decimal("0.1")
COMPACT_LINES = 2  # more lines than this: print one waterfall table, not charts


def render(report: CheckReport) -> str:
    """The packet for every deal of a ``check`` run, as one HTML document."""
    # The footer closes the last deal's section, kept on a page with its sign-off table,
    # so no printed page holds only the footer.
    count = len(report.deals)
    deals = "".join(
        _deal(deal, n, _footer(report) if n == count else "")
        for n, deal in enumerate(report.deals, 1)
    )
    if not report.deals:
        deals = '<p class="empty">No deals checked.</p>\n' + _footer(report)
    title = "Deal approval packet"
    if len(report.deals) == 1:
        only = report.deals[0]
        title += f" — {only.deal_id or only.file}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="dealcheck ' + _e(__version__) + '">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{_head(report)}{deals}</body>\n</html>\n"
    )


def _e(value: object) -> str:
    """A value as HTML text or attribute: entities escaped, control characters replaced,
    on one line (HTML shows a line break as a space anyway, and no line of the file may
    start a workflow command when it is printed in a CI log)."""
    return escape(one_line(value), quote=True)


def _head(report: CheckReport) -> str:
    counts = report.summary()
    facts = [
        ("Checked on", _e(report.today.isoformat())),
        ("Catalog", f"<code>{_e(report.catalog_fingerprint)}</code>"),
        ("Catalog paths", _e(", ".join(report.catalog_paths)) or "none"),
        ("dealcheck", _e(__version__)),
        (
            "Deals",
            f"{counts['deals']}: {counts['pass']} pass, {counts['needs-approval']} need approval, "
            f"{counts['blocked']} blocked"
            + (f", {counts['error']} not checked" if counts["error"] else ""),
        ),
    ]
    out = ['<header class="packet-head">\n<h1>Deal approval packet</h1>\n', _facts(facts)]
    if len(report.deals) > 1:
        out.append(_summary_table(report))
    out.append("</header>\n")
    return "".join(out)


def _summary_table(report: CheckReport) -> str:
    rows = []
    for n, deal in enumerate(report.deals, 1):
        rows.append(
            "<tr>"
            f'<td><a href="#deal-{n}">{_e(deal.deal_id or deal.file)}</a></td>'
            f"<td>{_e(deal.customer or '')}</td>"
            f"<td>{_verdict_badge(deal)}</td>"
            f"<td>{_e(_summary_approvals(deal))}</td>"
            f'<td class="num">{sum(f.is_open for f in deal.findings)}</td>'
            "</tr>\n"
        )
    return (
        '<table class="summary">\n<thead><tr><th>Deal</th><th>Customer</th><th>Verdict</th>'
        '<th>Approvals required</th><th class="num">Open findings</th></tr></thead>\n<tbody>\n'
        + "".join(rows)
        + "</tbody>\n</table>\n"
    )


def _summary_approvals(deal: DealResult) -> str:
    if deal.error is not None:
        return "—"
    return (
        packet.approvals_text(deal) if deal.verdict == "blocked" or deal.approvals_required else "—"
    )


def _facts(facts: list[tuple[str, str]]) -> str:
    """A definition list; the values are already escaped HTML."""
    items = "".join(f"<dt>{label}</dt><dd>{value}</dd>\n" for label, value in facts)
    return f'<dl class="facts">\n{items}</dl>\n'


def _verdict_badge(deal: DealResult) -> str:
    verdict = deal.verdict
    return (
        f'<span class="badge verdict-{verdict}">{VERDICT_MARK[verdict]} {VERDICT[verdict]}</span>'
    )


def _deal(deal: DealResult, n: int, footer: str = "") -> str:
    if deal.error is not None:
        rows = "".join(
            f"<tr><td><code>{_e(p.location)}</code></td><td>{_e(p.message)}</td>"
            f"<td><code>{_e(p.code)}</code></td></tr>\n"
            for p in deal.problems
        )
        return (
            f'<section class="deal" id="deal-{n}">\n'
            f"<h2>{_e(deal.file)}</h2>\n<p>{_verdict_badge(deal)} "
            "The deal could not be read, so it was not checked.</p>\n"
            "<table><thead><tr><th>Location</th><th>Problem</th><th>Code</th></tr></thead>\n"
            f"<tbody>\n{rows}</tbody></table>\n{footer}</section>\n"
        )
    heading = _e(deal.deal_id)
    if deal.customer:
        heading += f" · {_e(deal.customer)}"
    facts = [
        ("Verdict", _verdict_badge(deal)),
        ("Approvals required", _e(packet.approvals_text(deal))),
        ("File", f"<code>{_e(deal.file)}</code>"),
    ]
    if not deal.approvals_recorded:
        facts.append(("Approvals recorded", "none"))
    # Many lines: in print, one compact waterfall table instead of a chart per line.
    many = len(deal.lines) > COMPACT_LINES
    kind = "deal many-lines" if many else "deal"
    out = [f'<section class="{kind}" id="deal-{n}">\n<h2>{heading}</h2>\n', _facts(facts)]
    out.append(_terms(deal))
    if deal.lines:
        out.append(_quote(deal))
    out.append(_totals(deal))
    if deal.approvals_recorded:
        out.append("<h3>Approvals recorded</h3>\n")
        out.append(_approvals(deal.approvals_recorded))
    out.append(f"<h3>Findings ({len(deal.findings)})</h3>\n")
    related = packet.related(deal.findings)
    if deal.findings:
        out.extend(_finding(f, related.get(f.fingerprint)) for f in deal.findings)
    else:
        out.append("<p>No findings: nothing stops this deal.</p>\n")
    if deal.lines:
        out.append(
            '<h3>Price waterfall <span class="muted">(per unit per year, product currency'
            " and deal currency; each step shows what it takes off)</span></h3>\n"
        )
        out.extend(_line(deal, line) for line in deal.lines)
        if many:
            out.append(_compact_waterfall(deal))
    closing = _signoff(deal) if deal.approvals_required else ""
    if closing or footer:
        out.append(f'<div class="closing">\n{closing}{footer}</div>\n')
    out.append("</section>\n")
    return "".join(out)


def _terms(deal: DealResult) -> str:
    rows = packet.terms_rows(deal)
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>\n" for k, v in rows)
    return f'<h3>Terms</h3>\n<dl class="facts terms">\n{items}</dl>\n'


def _quote(deal: DealResult) -> str:
    cur = _e(deal.currency or "")
    head = "".join(
        f"<th{' class=' + chr(34) + 'num' + chr(34) if i >= 2 else ''}>{_e(h)}</th>"
        for i, h in enumerate(packet.QUOTE_HEADERS)
    )
    rows = "".join(
        "<tr>"
        + f"<td><code>{_e(r[0])}</code></td><td>{_e(r[1])}</td>"
        + "".join(f'<td class="num">{_e(c)}</td>' for c in r[2:])
        + "</tr>\n"
        for r in packet.quote_rows(deal)
    )
    return (
        f'<h3>Quote <span class="muted">(per unit per year, {cur})</span></h3>\n'
        f'<table class="quote">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n'
        "</table>\n"
    )


def _totals(deal: DealResult) -> str:
    totals = packet.totals(deal)
    margin = percent(deal.margin) if deal.margin is not None else "n/a"
    if totals is None:
        return (
            "<h3>Totals</h3>\n<p>Cannot be derived (an unknown SKU or no FX rate) · "
            f"blended gross margin {_e(margin)}</p>\n"
        )
    rows = totals.rows()
    base = any(r[2] for r in rows)
    head = '<th>Total</th><th class="num">' + _e(totals.currency) + "</th>"
    if base:
        head += f'<th class="num">{_e(totals.base_currency)} (base)</th>'
    body = "".join(
        f'<tr><th>{_e(label)}</th><td class="num">{_e(here)}</td>'
        + (f'<td class="num">{_e(there)}</td>' if base else "")
        + "</tr>\n"
        for label, here, there in rows
    )
    note = f"{_e(totals.fx_note)} · " if totals.fx_note else ""
    return (
        f'<h3>Totals</h3>\n<table class="totals">\n<thead><tr>{head}</tr></thead>\n'
        f'<tbody>\n{body}</tbody>\n</table>\n<p class="muted">{note}blended gross margin '
        f"{_e(margin)}</p>\n"
    )


def _approvals(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return "<p>None.</p>\n"
    keys = [k for k in KNOWN_APPROVAL_KEYS if any(k in e for e in entries)]
    keys += sorted({str(k) for e in entries for k in e} - set(keys))
    head = "".join(f"<th>{_e(k)}</th>" for k in keys)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(_value(e.get(k)))}</td>" for k in keys) + "</tr>\n"
        for e in entries
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"


def _value(value: Any) -> str:
    """An approval value as text: dates as ISO, numbers formatted."""
    return show("", value)


def _finding(f: Finding, related: list[Finding] | None = None) -> str:
    status = STATUS.get(f.status, f.status.upper())
    who = f" · approver: {_e(f.approver)}" if f.approver else ""
    out = [
        f'<article class="finding sev-{_e(f.severity)} status-{_e(f.status)}">\n'
        f'<div class="head"><span class="sev">{_e(f.severity.upper())}</span>'
        f"<code>{_e(f.rule)}</code>"
        f'<span class="status">{_e(status)}</span></div>\n'
        f'<p class="message">{_e(f.message)}</p>\n'
    ]
    if related:
        out.append(
            f'<p class="related"><strong>Related:</strong> {_e(packet.related_note(f, related))}'
            "</p>\n"
        )
    if f.status_note:
        out.append(
            f'<p class="note"><strong>{_e(status.title())}:</strong> {_e(f.status_note)}</p>\n'
        )
    if f.fix:
        out.append(f'<p class="fix"><strong>Fix:</strong> {_e(f.fix)}</p>\n')
    if f.evidence:
        items = " · ".join(
            f"{_e(evidence_label(str(k)))} <strong>{_e(show(str(k), v))}</strong>"
            for k, v in sorted(f.evidence.items())
        )
        out.append(f'<p class="evidence"><span class="muted">Evidence:</span> {items}</p>\n')
    out.append(
        f'<p class="muted loc">at <code>{_e(f.location)}</code> · fingerprint '
        f"<code>{_e(f.fingerprint)}</code>{who}</p>\n</article>\n"
    )
    return "".join(out)


def _line(deal: DealResult, line: LinePrice) -> str:
    caption = f"Line {line.index}: <code>{_e(line.sku)}</code> × {_e(line.quantity)}"
    steps, both = packet.waterfall(deal, line)
    if not steps:
        return (
            f'<figure class="waterfall"><figcaption>{caption}</figcaption>\n'
            "<p>Prices cannot be derived (unknown SKU or no FX rate).</p></figure>\n"
        )
    cur = line.product_currency or ""
    head = f'<th>Step</th><th class="num">Takes off</th><th class="num">{_e(cur)}</th>'
    if both:
        head += f'<th class="num">{_e(deal.currency)}</th>'
    rows = []
    for step in steps:
        cells = (
            f'<td class="num">{_e(step.off_text)}</td><td class="num">{_e(money(step.price))}</td>'
        )
        if both:
            deal_price = money(step.price_deal) if step.price_deal is not None else "n/a"
            cells += f'<td class="num">{_e(deal_price)}</td>'
        rows.append(f"<tr><th>{_e(step.label)}</th>{cells}</tr>\n")
    minimum = f" (minimum {_pct(line.min_margin)})" if line.min_margin is not None else ""
    summary = (
        f"Gross margin {_pct(line.margin)}{minimum} · effective discount "
        f"{_pct(line.effective_discount)}"
    )
    return (
        f'<figure class="waterfall">\n<figcaption>{caption} <span class="muted">({_e(cur)})</span>'
        f'</figcaption>\n<div class="body">\n{_chart(line)}'
        f'<div class="prices"><table class="prices">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        f'{"".join(rows)}</tbody>\n</table>\n<p class="muted">{summary}</p></div>\n</div>\n'
        "</figure>\n"
    )


def _compact_waterfall(deal: DealResult) -> str:
    """Every line's waterfall in one table, for print (a chart per line would not fit one
    page): each step's price and, under it, what it took off; a second row in the deal
    currency where it differs."""
    head = (
        '<th>Line</th><th>Cur.</th><th class="num">List</th>'
        '<th class="num">Sales discount</th><th class="num">Partner margin</th>'
        '<th class="num">Free months</th><th class="num">Net</th><th class="num">Floor</th>'
        '<th class="num">Cost</th><th class="num">Margin (min)</th>'
    )
    rows = []
    for line in deal.lines:
        steps, both = packet.waterfall(deal, line)
        name = f"{line.index}: <code>{_e(line.sku)}</code> × {_e(line.quantity)}"
        if not steps:
            rows.append(f'<tr><td>{name}</td><td colspan="9">prices cannot be derived</td></tr>\n')
            continue
        by = {step.label.split(" ")[1] if step.label.startswith("−") else step.label: step
              for step in steps}  # fmt: skip
        minimum = f" ({_pct(line.min_margin)})" if line.min_margin is not None else ""
        for deal_row in (False, True) if both else (False,):
            cells = []
            for key in ("list price", "sales", "partner", "free", "= net to the company",
                        "floor price", "unit cost"):  # fmt: skip
                step = by.get(key)
                if step is None:
                    cells.append('<td class="num">—</td>')
                    continue
                price = step.price_deal if deal_row else step.price
                taken = step.taken_deal if deal_row else step.taken
                shown = money(price) if price is not None else "n/a"
                if taken is not None and key in ("sales", "partner", "free"):
                    shown = f'{_e(shown)} <span class="off">{_e(off(taken))}</span>'
                else:
                    shown = _e(shown)
                cells.append(f'<td class="num">{shown}</td>')
            cur = deal.currency if deal_row else line.product_currency
            first = "" if deal_row else name
            margin = "" if deal_row else f"{_pct(line.margin)}{minimum}"
            rows.append(
                f"<tr><td>{first}</td><td>{_e(cur or '')}</td>{''.join(cells)}"
                f'<td class="num">{margin}</td></tr>\n'
            )
    return (
        '<table class="waterfall-compact">\n<thead><tr>' + head + "</tr></thead>\n<tbody>\n"
        + "".join(rows) + "</tbody>\n</table>\n"
    )  # fmt: skip


def _amount(value: Decimal | None) -> str:
    return _e(money(value)) if value is not None else "n/a"


def _pct(value: Decimal | None) -> str:
    return _e(percent(value)) if value is not None else "n/a"


def _chart(line: LinePrice) -> str:
    """The waterfall as bars, with the floor (dashed) and cost (dotted) as horizontal lines."""
    steps = [line.list_product, line.after_discount, line.after_partner, line.net_unit]
    marks = [v for v in (*steps, line.floor_price, line.unit_cost) if v is not None]
    top = max([Decimal(0), *marks]) or Decimal(1)

    def y(value: Decimal) -> Decimal:
        clamped = min(max(value, Decimal(0)), top)
        height = Decimal(PLOT_BOTTOM - PLOT_TOP) * clamped / top
        return (Decimal(PLOT_BOTTOM) - height).quantize(TENTH, rounding=ROUND_HALF_EVEN)

    below_floor = (
        line.floor_price is not None
        and line.net_unit is not None
        and (line.net_unit < line.floor_price)
    )
    slot = Decimal(PLOT_RIGHT - PLOT_LEFT) / len(steps)
    parts: list[str] = []
    desc = []
    for i, (label, value) in enumerate(zip(STEPS, steps, strict=True)):
        x = (PLOT_LEFT + slot * i + (slot - BAR_WIDTH) / 2).quantize(TENTH)
        centre = (x + Decimal(BAR_WIDTH) / 2).quantize(TENTH)
        shown = money(value) if value is not None else "n/a"
        desc.append(f"{' '.join(label)} {shown}")
        if value is not None:
            top_y = y(value)
            bar_class = "bar net" if i == len(steps) - 1 else "bar"
            if i == len(steps) - 1 and below_floor:
                bar_class += " below"
            parts.append(
                f'<rect class="{bar_class}" x="{x}" y="{top_y}" width="{BAR_WIDTH}" '
                f'height="{Decimal(PLOT_BOTTOM) - top_y}"/>'
            )
            parts.append(
                f'<text class="amount" x="{centre}" y="{top_y - 6}" text-anchor="middle">'
                f"{_e(shown)}</text>"
            )
        else:
            parts.append(
                f'<text class="amount" x="{centre}" y="{PLOT_BOTTOM - 6}" text-anchor="middle">'
                "n/a</text>"
            )
        parts.append(
            f'<text class="step" x="{centre}" y="{PLOT_BOTTOM + 18}" text-anchor="middle">'
            f"{_e(label[0])}"
            f'<tspan x="{centre}" dy="16">{_e(label[1])}</tspan></text>'
        )
    if below_floor:
        centre = (PLOT_LEFT + slot * (len(steps) - Decimal("0.5"))).quantize(TENTH)
        parts.append(
            f'<text class="warn" x="{centre}" y="{PLOT_BOTTOM + 50}" text-anchor="middle">'
            "BELOW FLOOR</text>"
        )
        desc.append("net below floor")
    for name, value, dash, dy in (
        ("floor", line.floor_price, "8 4", -5),
        ("cost", line.unit_cost, "2 3", 13),
    ):
        if value is None:
            continue
        ly = y(value)
        parts.append(
            f'<line class="{name}" x1="{PLOT_LEFT - 8}" y1="{ly}" x2="{PLOT_RIGHT + 4}" y2="{ly}" '
            f'stroke-dasharray="{dash}"/>'
        )
        parts.append(
            f'<text class="mark" x="{PLOT_RIGHT + 8}" y="{ly + dy}">{name} {_e(money(value))}</text>'
        )
        desc.append(f"{name} {money(value)}")
    title = f"Price waterfall of line {line.index} ({line.sku}), {line.product_currency or ''}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'role="img" aria-label="{_e(title)}">\n'
        f"<title>{_e(title)}</title>\n<desc>{_e('; '.join(desc))}</desc>\n"
        f'<line class="axis" x1="{PLOT_LEFT - 8}" y1="{PLOT_BOTTOM}" x2="{PLOT_RIGHT + 4}" '
        f'y2="{PLOT_BOTTOM}"/>\n' + "\n".join(parts) + "\n</svg>\n"
    )


def _signoff(deal: DealResult) -> str:
    reasons: dict[str, list[str]] = {}
    for f in deal.findings:
        if f.is_open and f.severity == "approval" and f.approver:
            reasons.setdefault(f.approver, []).append(f.rule)
    rows = "".join(
        f"<tr><td>{_e(a)}</td><td>{_e(', '.join(dict.fromkeys(reasons.get(a, []))))}</td>"
        "<td></td><td></td><td></td></tr>\n"
        for a in deal.approvals_required
    )
    note = (
        '<p class="muted">Blocked: fix the blockers before anyone signs.</p>\n'
        if deal.verdict == "blocked"
        else ""
    )
    return (
        f'<h3>Sign-off</h3>\n{note}<table class="signoff">\n<thead><tr><th>Approver</th>'
        "<th>For</th><th>Name</th><th>Signature</th><th>Date</th></tr></thead>\n<tbody>\n"
        f"{rows}</tbody>\n</table>\n"
    )


def _footer(report: CheckReport) -> str:
    return (
        f"<footer>Generated by dealcheck {_e(__version__)} for {_e(report.today.isoformat())} "
        f"against catalog <code>{_e(report.catalog_fingerprint)}</code>.</footer>\n"
    )
