"""The impact report in words, the same in every format: the base's label, the summary
line, the sections by direction (worse, better, changed), a finding's status and
details, the heading of the promises a roadmap change makes late. The renderers
(:mod:`~dealcheck.report.impact`) only lay these out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dealcheck.report.promises import value_text

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.findings import Finding
    from dealcheck.views.impact import DealImpact, Direction, FindingChange, ImpactReport

_HEADINGS: dict[Direction, str] = {
    "worse": "Deals that got worse",
    "better": "Deals that improved",
    "changed": "Deals with other changed findings",
}


def base_label(report: ImpactReport) -> str:
    side = report.base
    return f"{side.label} ({side.commit[:12]})" if side.commit else side.label


def summary_line(report: ImpactReport) -> str:
    """``5 deals checked: 1 got worse, 0 improved, …`` (or ``…: no deal changed``)."""
    n = report.checked
    head = f"{n} deal{'s' * (n != 1)} checked"
    if not report.deals:
        return f"{head}: no deal changed"
    s = report.summary()
    return (
        f"{head}: {s['worse']} got worse, {s['better']} improved, "
        f"{s['changed']} changed otherwise, {s['unchanged']} unchanged"
    )


def sections(report: ImpactReport) -> Iterator[tuple[str, list[DealImpact]]]:
    """Each direction's heading and deals, worse first, leaving out the empty ones."""
    for direction, heading in _HEADINGS.items():
        deals = report.by_direction(direction)
        if deals:
            yield heading, deals


def status(f: Finding) -> str:
    return "" if f.status == "open" else f", {f.status}"


def details(c: FindingChange) -> str:
    return f" ({'; '.join(c.details)})" if c.details else ""


def late_heading(report: ImpactReport) -> str:
    """``Promises made late by the roadmap change (2): value at risk …``."""
    value = report.late_value
    deals = f"{value.deals} deal{'s' * (value.deals != 1)}"
    return (
        f"Promises made late by the roadmap change ({len(report.late_promises)}): value at "
        f"risk {value_text(value, report.currency)} in {deals}"
    )
