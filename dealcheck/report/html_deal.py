"""One deal's section of the HTML packet: its facts and verdict, terms, quote, totals,
approvals recorded, findings, price waterfall (:mod:`~dealcheck.report.html_waterfall`)
and sign-off table; or, for a deal that could not be read, its problems.
"""

from __future__ import annotations

from typing import Any

from dealcheck.findings import DealResult, Finding
from dealcheck.pricing import percent
from dealcheck.report import packet
from dealcheck.report.html_text import escaped as _e
from dealcheck.report.html_waterfall import COMPACT_LINES, compact_waterfall, line_waterfall
from dealcheck.report.money import label as evidence_label
from dealcheck.report.money import show

VERDICT = {
    "pass": "PASS",
    "needs-approval": "NEEDS APPROVAL",
    "blocked": "BLOCKED",
    "error": "NOT CHECKED",
}
VERDICT_MARK = {"pass": "✓", "needs-approval": "!", "blocked": "✗", "error": "?"}
STATUS = {"open": "OPEN", "approved": "APPROVED", "waived": "WAIVED"}
KNOWN_APPROVAL_KEYS = ("rule", "approver", "by", "on", "ref", "fingerprint")


def fact_list(facts: list[tuple[str, str]]) -> str:
    """A definition list; the values are already escaped HTML."""
    items = "".join(f"<dt>{label}</dt><dd>{value}</dd>\n" for label, value in facts)
    return f'<dl class="facts">\n{items}</dl>\n'


def verdict_badge(deal: DealResult) -> str:
    """The deal's verdict as a badge, in words and a mark (never colour alone)."""
    verdict = deal.verdict
    return (
        f'<span class="badge verdict-{verdict}">{VERDICT_MARK[verdict]} {VERDICT[verdict]}</span>'
    )


def deal_section(deal: DealResult, n: int, footer: str = "") -> str:
    """The ``n``-th deal's ``<section>``, closing with ``footer`` (the packet's, on the last
    deal, so that it is printed on a page with that deal's sign-off)."""
    if deal.error is not None:
        rows = "".join(
            f"<tr><td><code>{_e(p.location)}</code></td><td>{_e(p.message)}</td>"
            f"<td><code>{_e(p.code)}</code></td></tr>\n"
            for p in deal.problems
        )
        return (
            f'<section class="deal" id="deal-{n}">\n'
            f"<h2>{_e(deal.file)}</h2>\n<p>{verdict_badge(deal)} "
            "The deal could not be read, so it was not checked.</p>\n"
            "<table><thead><tr><th>Location</th><th>Problem</th><th>Code</th></tr></thead>\n"
            f"<tbody>\n{rows}</tbody></table>\n{footer}</section>\n"
        )
    heading = _e(deal.deal_id)
    if deal.customer:
        heading += f" · {_e(deal.customer)}"
    facts = [
        ("Verdict", verdict_badge(deal)),
        ("Approvals required", _e(packet.approvals_text(deal))),
        ("File", f"<code>{_e(deal.file)}</code>"),
    ]
    if not deal.approvals_recorded:
        facts.append(("Approvals recorded", "none"))
    # Many lines: in print, one compact waterfall table instead of a chart per line.
    many = len(deal.lines) > COMPACT_LINES
    kind = "deal many-lines" if many else "deal"
    out = [f'<section class="{kind}" id="deal-{n}">\n<h2>{heading}</h2>\n', fact_list(facts)]
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
        out.extend(line_waterfall(deal, line) for line in deal.lines)
        if many:
            out.append(compact_waterfall(deal))
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
