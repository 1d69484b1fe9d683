"""The impact report in Markdown, for a pull-request comment or a job summary: tables of
the catalog changes and of the deals by direction, each finding with its cause, the
promises made late. Every input value is escaped or fenced as code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dealcheck.report.impact_words import (
    base_label,
    details,
    late_heading,
    sections,
    status,
    summary_line,
)
from dealcheck.report.markdown import markdown_table
from dealcheck.report.promises import amount
from dealcheck.report.sanitize import one_line

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.views.impact import DealImpact, ImpactReport

_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|#!~&]")


def _md(text: str) -> str:
    """Plain text, safe inside a Markdown table cell or list item: one line, and every
    character Markdown could read as markup (emphasis, links, HTML, code, cells)
    backslash-escaped."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(), one_line(text))


def _code(text: str, cell: bool = False) -> str:
    """A code span of any text: a fence longer than any run of backticks inside; in a
    table ``cell`` a pipe is escaped too (GFM ends a cell at a pipe, even in code)."""
    value = one_line(text)
    if cell:
        value = value.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _md_verdict(d: DealImpact) -> str:
    return f"{d.verdict_before} → **{d.verdict_after}**" if d.verdict_changed else d.verdict_after


def render_markdown(report: ImpactReport) -> str:
    """For a pull-request comment or a job summary."""
    worse = len(report.worse)
    verdict = f"**{worse} deal{'s' * (worse != 1)} got worse**" if worse else "no deal got worse"
    out = [
        "## dealcheck impact",
        "",
        f"Base {_code(base_label(report))} → {_md(report.head.label)}: {verdict}. "
        f"{_md(summary_line(report))}.",
        "",
    ]
    out.extend(f"> note: {_md(n)}" for n in report.notes)
    if report.notes:
        out.append("")
    out.append("### Catalog changes")
    out.append("")
    if report.catalog_changes:
        rows = [
            [
                _md(c.text),
                _code(str(c.location), cell=True),
                str(len(report.affected.get(c.text, []))),
            ]
            for c in report.catalog_changes
        ]
        out.extend(markdown_table(["change", "where", "deals affected"], rows))
    else:
        out.append("None.")
    for heading, deals in sections(report):
        out.extend(["", f"### {heading} ({len(deals)})", ""])
        rows = [[_md(d.deal_id), _md_verdict(d), _code(str(d.location), cell=True)] for d in deals]
        out.extend(markdown_table(["deal", "verdict", "file"], rows))
        out.append("")
        for d in deals:
            out.append(f"**{_md(d.deal_id)}**")
            out.append("")
            for c in d.findings:
                f = c.finding
                out.append(
                    f"- **{c.change}** {_code(f.rule)} ({_md(f.severity + status(f))}): "
                    f"{_md(f.message)}{_md(details(c))} — {_code(str(f.location))}"
                )
                if c.causes:
                    out.append(f"  - because {_md('; '.join(c.causes))}")
            out.append("")
    if report.late_promises:
        out.extend(["", f"### {_md(late_heading(report))}", ""])
        rows = [
            [
                _code(lp.promise.feature, cell=True),
                _md(str(lp.promise.due)),
                _md(f"{lp.before.target or 'none'} → {lp.after.target or 'none'}"),
                _md(lp.promise.deal.customer),
                _md(lp.promise.deal.id),
                _md(lp.promise.deal.stage),
                _md(lp.promise.deal.owner or "—"),
                _md(amount(lp.promise.deal.value)),
            ]
            for lp in report.late_promises
        ]
        value_header = f"value ({report.currency or 'n/a'})"
        header = ["feature", "due", "target", "customer", "deal", "stage", "owner", value_header]
        out.extend(markdown_table(header, rows))
    if report.unreadable:
        out.extend(["", f"### Deals that could not be read ({len(report.unreadable)})", ""])
        out.extend(f"- {_code(str(p.location))}: {_md(p.message)}" for p in report.unreadable)
    return "\n".join(out).rstrip("\n") + "\n"
