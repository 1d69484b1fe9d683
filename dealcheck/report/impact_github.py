"""The impact report as GitHub workflow commands: annotations at the findings that made a
deal worse, at the deals that improved and at the catalog changes that affect a deal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcheck.report.github import command
from dealcheck.report.impact_words import summary_line
from dealcheck.report.sanitize import one_line

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.errors import Location
    from dealcheck.views.impact import ImpactReport


def _annotation(level: str, message: str, location: Location, title: str) -> str:
    # one line each: a line break would end the command and start another
    file = one_line(location.file)
    return command(level, one_line(message), file, location.line, location.column, one_line(title))


def render_github(report: ImpactReport) -> str:
    """GitHub workflow commands: an error (blocker) or warning (approval) at each finding
    that made a deal worse, a notice at each deal that improved and at each catalog change
    that affects a deal; then the summary line."""
    out: list[str] = []
    for d in report.worse:
        title = f"dealcheck impact: {d.deal_id} {d.verdict_before} → {d.verdict_after}"
        for c in d.worsening:
            f = c.finding
            because = f" (because {'; '.join(c.causes)})" if c.causes else ""
            level = "error" if f.severity == "blocker" else "warning"
            out.append(_annotation(level, f"{f.rule}: {f.message}{because}", f.location, title))
    for d in report.better:
        message = f"{d.deal_id} improved: {d.verdict_before} → {d.verdict_after}"
        out.append(_annotation("notice", message, d.location, "dealcheck impact: deal improved"))
    for change in report.catalog_changes:
        ids = report.affected.get(change.text, [])
        if ids:
            message = f"{change.text}: changes {len(ids)} deal(s): {', '.join(ids)}"
            title = "dealcheck impact: catalog change"
            out.append(_annotation("notice", message, change.location, title))
    out.append(summary_line(report))
    return "\n".join(out) + "\n"
