"""A Markdown summary of ``check`` results, for a pull-request comment or a ticket.

Per deal: the verdict, the approvers it needs, a findings table, the price waterfall of
each line and the totals; the catalog fingerprint and the date it was checked on. Every
value from the input is escaped (:func:`dealcheck.report.sanitize.markdown_text`), so a
customer name cannot add a table column, a link (``[text](url)``, ``<url>`` or a bare URL),
HTML or a heading, nor ``@mention`` anyone.
"""

from __future__ import annotations

import re

from dealcheck import __version__
from dealcheck.findings import DealResult, Finding
from dealcheck.pricing import percent
from dealcheck.report import packet
from dealcheck.report.money import money, off
from dealcheck.report.results import CheckReport
from dealcheck.report.sanitize import markdown_text, one_line

VERDICT = {
    "pass": "✅ PASS",
    "needs-approval": "⚠️ NEEDS APPROVAL",
    "blocked": "⛔ BLOCKED",
    "error": "❗ NOT CHECKED",
}
STATUS = {"open": "open", "approved": "✔ approved", "waived": "waived"}


def render(report: CheckReport) -> str:
    """The whole report: a summary table when several deals, then a section per deal."""
    out: list[str] = [f"# dealcheck report: {_headline(report)}", ""]
    out.append(
        f"Checked on {report.today.isoformat()} against catalog "
        f"{_code(report.catalog_fingerprint)} ({_inline(', '.join(report.catalog_paths))}) "
        f"with dealcheck {__version__}."
    )
    out.append("")
    if not report.deals:
        out.extend(["No deals checked.", ""])
        return "\n".join(out)
    if len(report.deals) > 1:
        out.extend(_summary_table(report))
    for deal in report.deals:
        out.extend(_deal(deal))
    return "\n".join(out)


def _headline(report: CheckReport) -> str:
    counts = report.summary()
    if not report.deals:
        return "no deals"
    text = (
        f"{counts['deals']} deal{'s' * (counts['deals'] != 1)}: {counts['pass']} pass, "
        f"{counts['needs-approval']} need approval, {counts['blocked']} blocked"
    )
    if counts["error"]:
        text += f", {counts['error']} not checked"
    return text


def _summary_table(report: CheckReport) -> list[str]:
    rows = [
        [
            _cell(deal.deal_id or deal.file),
            _cell(deal.customer or ""),
            VERDICT[deal.verdict],
            _cell(packet.approvals_text(deal))
            if deal.error is None and (deal.verdict == "blocked" or deal.approvals_required)
            else "—",
            str(sum(f.is_open for f in deal.findings)),
        ]
        for deal in report.deals
    ]
    return [
        *markdown_table(
            ["Deal", "Customer", "Verdict", "Approvals required", "Open findings"], rows
        ),
        "",
    ]


def _deal(deal: DealResult) -> list[str]:
    if deal.error is not None:
        out = [f"## {VERDICT['error']}: {_inline(deal.file)}", ""]
        out.append("The deal could not be read, so it was not checked:")
        out.append("")
        rows = [[_cell(str(p.location)), _cell(p.message), _cell(p.code)] for p in deal.problems]
        out.extend(markdown_table(["Location", "Problem", "Code"], rows))
        out.append("")
        return out
    title = _inline(deal.deal_id)
    if deal.customer:
        title += f" · {_inline(deal.customer)}"
    out = [f"## {VERDICT[deal.verdict]}: {title}", ""]
    out.append(f"- File: {_code(deal.file)}")
    out.append(f"- Approvals required: {_inline(packet.approvals_text(deal))}")
    if deal.approvals_recorded:
        recorded = "; ".join(_approval(a) for a in deal.approvals_recorded)
        out.append(f"- Approvals recorded: {recorded}")
    if deal.terms is not None:
        out.append(f"- Terms: {_inline(packet.terms_line(deal))}")
    totals = packet.totals(deal)
    if totals is not None:
        for label, here, base in totals.rows():
            out.append(f"- {label}: {_inline(here)}" + (f" ({_inline(base)})" if base else ""))
        margin = percent(deal.margin) if deal.margin is not None else "n/a"
        note = f"{_inline(totals.fx_note)} · " if totals.fx_note else ""
        out.append(f"- {note}blended gross margin {margin}")
    out.append("")
    related = packet.related(deal.findings)
    if deal.findings:
        out.extend(["### Findings", ""])
        out.extend(
            markdown_table(
                ["Severity", "Rule", "Message", "Location", "Fix", "Status"],
                [_finding_row(f, related.get(f.fingerprint)) for f in deal.findings],
            )
        )
    else:
        out.append("No findings: nothing stops this deal.")
    out.append("")
    if deal.lines:
        out.extend(["### Quote", ""])
        out.append(f"Per unit per year, in {_inline(deal.currency or 'the deal currency')}.")
        out.append("")
        out.extend(
            markdown_table(
                list(packet.QUOTE_HEADERS),
                [[_code_cell(r[0]), *(_cell(c) for c in r[1:])] for r in packet.quote_rows(deal)],
            )
        )
        out.append("")
        out.extend(["### Price waterfall", ""])
        out.append(
            "Per unit per year, in the product's currency (and the deal's where it differs); "
            "each step shows what it takes off."
        )
        out.append("")
        out.extend(_waterfall(deal))
        out.append("")
    return out


def _finding_row(f: Finding, related: list[Finding] | None = None) -> list[str]:
    status = STATUS.get(f.status, f.status)
    if f.is_open and f.approver and f.severity == "approval":
        status += f": needs {f.approver}"
    elif f.status_note:
        status += f": {f.status_note}"
    if related:
        status += f"; {packet.related_note(f, related)}"
    return [
        f.severity,
        _code_cell(f.rule),
        _cell(f.message),
        _cell(str(f.location)),
        _cell(f.fix or ""),
        _cell(status),
    ]


def _approval(entry: dict[str, object]) -> str:
    parts = [f"{k} {v}" for k, v in entry.items() if v is not None and v != ""]
    return _inline(", ".join(parts))


def _waterfall(deal: DealResult) -> list[str]:
    headers = ["Line", "Step", "Takes off", "Price"]
    rows = []
    for line in deal.lines:
        steps, both = packet.waterfall(deal, line)
        name = f"{line.index}: {_code_cell(line.sku)} × {_cell(str(line.quantity))}"
        if not steps:
            rows.append([name, "prices cannot be derived (unknown SKU or no FX rate)", "", ""])
            continue
        cur = line.product_currency or ""
        for i, step in enumerate(steps):
            price = money(step.price, cur)
            taken = step.off_text
            if both:
                price += f" ({money(step.price_deal, deal.currency)})"
                if step.taken_deal is not None:
                    taken += f" ({off(step.taken_deal)})"
            label = step.label
            if (
                label.startswith("=")
                and line.floor_price is not None
                and line.net_unit is not None
                and line.net_unit < line.floor_price
            ):
                label += " ⬇ below floor"
            rows.append([name if i == 0 else "", _cell(label), _cell(taken), _cell(price)])
        minimum = f" (min {percent(line.min_margin)})" if line.min_margin is not None else ""
        margin = percent(line.margin) if line.margin is not None else "n/a"
        effective = (
            percent(line.effective_discount) if line.effective_discount is not None else "n/a"
        )
        rows.append(
            ["", f"gross margin {margin}{minimum} · effective discount {effective}", "", ""]
        )
    return markdown_table(headers, rows)


def markdown_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _inline(text: str) -> str:
    """Text safe in a Markdown paragraph or heading: markup escaped, mentions and links
    neutralised, one line."""
    return markdown_text(text)


def _cell(text: str) -> str:
    """Text safe in a table cell: as :func:`_inline`, line breaks as ``<br>``."""
    return markdown_text(text, "<br>")


def _code_cell(text: str) -> str:
    """An identifier in a table cell: as code when that is safe, else as escaped text.

    Inside a code span GitHub makes no link and no mention, and only a backtick, a ``|``
    or a backslash could end it or split the table."""
    shown = one_line(text)
    if shown and not re.search(r"[`|\\]", shown):
        return f"`{shown}`"
    return _cell(text)


def _code(text: str) -> str:
    """A value shown as code; backticks and line breaks cannot end or split the span."""
    text = one_line(text)
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
