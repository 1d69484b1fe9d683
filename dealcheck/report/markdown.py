"""A Markdown summary of ``check`` results, for a pull-request comment or a ticket.

Per deal: the verdict, the approvers it needs, a findings table, the price waterfall of
each line and the totals; the catalog fingerprint and the date it was checked on. Every
value from the input is escaped (:func:`dealcheck.report.sanitize.markdown_text`), so a
customer name cannot add a table column, a link (``[text](url)``, ``<url>`` or a bare URL),
HTML or a heading, nor ``@mention`` anyone.
"""

from __future__ import annotations

import re
from decimal import Decimal

from dealcheck import __version__
from dealcheck.findings import DealResult, Finding
from dealcheck.pricing import LinePrice, money, percent
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
            _cell(", ".join(deal.approvals_required)) or "—",
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
    approvers = ", ".join(deal.approvals_required)
    out.append(f"- Approvals required: {_inline(approvers) if approvers else 'none'}")
    if deal.approvals_recorded:
        recorded = "; ".join(_approval(a) for a in deal.approvals_recorded)
        out.append(f"- Approvals recorded: {recorded}")
    if deal.total is not None:
        margin = percent(deal.margin) if deal.margin is not None else "n/a"
        out.append(
            f"- Total: {_inline(deal.currency or '')} {money(deal.total)} over the term · "
            f"blended gross margin {margin}"
        )
    out.append("")
    if deal.findings:
        out.extend(["### Findings", ""])
        out.extend(
            markdown_table(
                ["Severity", "Rule", "Message", "Location", "Fix", "Status"],
                [_finding_row(f) for f in deal.findings],
            )
        )
    else:
        out.append("No findings: nothing stops this deal.")
    out.append("")
    if deal.lines:
        out.extend(["### Price waterfall", ""])
        out.append("Per unit per year, in the product's currency.")
        out.append("")
        out.extend(_waterfall(deal.lines))
        out.append("")
    return out


def _finding_row(f: Finding) -> list[str]:
    status = STATUS.get(f.status, f.status)
    if f.is_open and f.approver and f.severity == "approval":
        status += f": needs {f.approver}"
    elif f.status_note:
        status += f": {f.status_note}"
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


def _waterfall(lines: list[LinePrice]) -> list[str]:
    headers = [
        "Line",
        "SKU",
        "Qty",
        "Currency",
        "List",
        "Discount",
        "After discount",
        "After partner",
        "Net",
        "Floor",
        "Cost",
        "Margin (min)",
        "Effective discount",
    ]
    rows = []
    for line in lines:
        minimum = f" (min {percent(line.min_margin)})" if line.min_margin is not None else ""
        floor_note = ""
        if line.net_unit is not None and line.floor_price is not None:
            floor_note = " ⬇ below floor" if line.net_unit < line.floor_price else ""
        rows.append(
            [
                str(line.index),
                _code_cell(line.sku),
                _cell(str(line.quantity)),
                _cell(line.product_currency or ""),
                _money(line.list_product),
                _percent(line.discount),
                _money(line.after_discount),
                _money(line.after_partner),
                _money(line.net_unit) + floor_note,
                _money(line.floor_price),
                _money(line.unit_cost),
                _percent(line.margin) + minimum,
                _percent(line.effective_discount),
            ]
        )
    return markdown_table(headers, rows)


def _money(value: Decimal | None) -> str:
    return money(value) if value is not None else "n/a"


def _percent(value: Decimal | None) -> str:
    return percent(value) if value is not None else "n/a"


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
