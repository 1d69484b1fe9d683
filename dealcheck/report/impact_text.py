"""The impact report as plain text: the catalog changes, then the deals by direction with
each finding's cause, the promises made late, the unreadable deals and the summary line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcheck.report.impact_words import (
    base_label,
    details,
    late_heading,
    sections,
    status,
    summary_line,
)
from dealcheck.report.promises import amount
from dealcheck.report.sanitize import one_line

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.views.impact import FindingChange, ImpactReport
    from dealcheck.views.promises import LatePromise

_MARKS = {"appeared": "+", "disappeared": "−", "changed": "~"}


def _finding_line(c: FindingChange) -> str:
    f = c.finding
    return f"{_MARKS[c.change]} {f.rule} [{f.severity}{status(f)}] {f.message}{details(c)}"


def _late_line(lp: LatePromise, currency: str | None) -> str:
    p, d = lp.promise, lp.promise.deal
    owner = f", owner {d.owner}" if d.owner else ", no owner"
    return (
        f"{p.feature} due {p.due} (target {lp.before.target or 'none'} → "
        f"{lp.after.target or 'none'}): {d.customer} · {d.id} ({d.stage}{owner}) · "
        f"{amount(d.value, currency)}"
    )


def render_text(report: ImpactReport) -> str:
    """Plain text: catalog changes, then deals by direction with each finding's cause."""
    out = [
        f"dealcheck impact: base {base_label(report)} → {report.head.label} "
        f"(today {report.today.isoformat()})"
    ]
    out.extend(f"note: {n}" for n in report.notes)
    out.append("")
    if report.catalog_changes:
        out.append(f"Catalog changes ({len(report.catalog_changes)})")
        for change in report.catalog_changes:
            ids = report.affected.get(change.text, [])
            affects = f"  [affects {len(ids)} deal{'s' * (len(ids) != 1)}]" if ids else ""
            out.append(f"  {change.location}: {change.text}{affects}")
    else:
        out.append("Catalog changes: none")
    for heading, deals in sections(report):
        out.append("")
        out.append(f"{heading} ({len(deals)})")
        for deal in deals:
            verdict = (
                f"{deal.verdict_before} → {deal.verdict_after}"
                if deal.verdict_changed
                else f"still {deal.verdict_after}"
            )
            out.append(f"  {deal.deal_id} · {deal.location}: {verdict}")
            for c in deal.findings:
                out.append(f"    {_finding_line(c)}")
                out.append(f"        at {c.finding.location}")
                out.append(
                    "        because "
                    + ("; ".join(c.causes) if c.causes else "(no catalog change traced)")
                )
    if report.late_promises:
        out.append("")
        out.append(late_heading(report))
        for lp in report.late_promises:
            out.append(f"  {_late_line(lp, report.currency)}")
            out.append(f"      at {lp.promise.location}")
    if report.unreadable:
        out.append("")
        out.append(f"Deals that could not be read ({len(report.unreadable)})")
        out.extend(f"  {p.location}: {p.message}" for p in report.unreadable)
    out.append("")
    out.append(summary_line(report))
    # every line of the report is one line, whatever a deal or catalog value holds
    return "\n".join(one_line(line) for line in out) + "\n"
