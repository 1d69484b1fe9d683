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

This module builds the document around the deals (head, summary table, footer); each
deal's section is :mod:`~dealcheck.report.html_deal`, its price waterfalls
:mod:`~dealcheck.report.html_waterfall`, the stylesheet :mod:`~dealcheck.report.html_style`
and the escaping of every value :mod:`~dealcheck.report.html_text`.
"""

from __future__ import annotations

from dealcheck import __version__
from dealcheck.findings import DealResult
from dealcheck.report import packet
from dealcheck.report.html_deal import (
    KNOWN_APPROVAL_KEYS,
    STATUS,
    VERDICT,
    VERDICT_MARK,
    deal_section,
    fact_list,
    verdict_badge,
)
from dealcheck.report.html_style import CSS
from dealcheck.report.html_text import escaped as _e
from dealcheck.report.html_waterfall import (
    BAR_WIDTH,
    CHART_HEIGHT,
    CHART_WIDTH,
    COMPACT_LINES,
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    STEPS,
    TENTH,
)
from dealcheck.report.results import CheckReport

__all__ = [
    "BAR_WIDTH",
    "CHART_HEIGHT",
    "CHART_WIDTH",
    "COMPACT_LINES",
    "CSS",
    "KNOWN_APPROVAL_KEYS",
    "PLOT_BOTTOM",
    "PLOT_LEFT",
    "PLOT_RIGHT",
    "PLOT_TOP",
    "STATUS",
    "STEPS",
    "TENTH",
    "VERDICT",
    "VERDICT_MARK",
    "render",
]


def render(report: CheckReport) -> str:
    """The packet for every deal of a ``check`` run, as one HTML document."""
    # The footer closes the last deal's section, kept on a page with its sign-off table,
    # so no printed page holds only the footer.
    count = len(report.deals)
    deals = "".join(
        deal_section(deal, n, _footer(report) if n == count else "")
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
    out = ['<header class="packet-head">\n<h1>Deal approval packet</h1>\n', fact_list(facts)]
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
            f"<td>{verdict_badge(deal)}</td>"
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


def _footer(report: CheckReport) -> str:
    return (
        f"<footer>Generated by dealcheck {_e(__version__)} for {_e(report.today.isoformat())} "
        f"against catalog <code>{_e(report.catalog_fingerprint)}</code>.</footer>\n"
    )
