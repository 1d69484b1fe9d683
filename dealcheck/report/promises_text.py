"""The promise register as plain text: features by value at risk, each promise with why
it is at risk, then the totals; written a feature at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dealcheck.report.promises_words import (
    VERDICT,
    amount,
    feature_facts,
    feature_title,
    flag_text,
    header_lines,
    plural,
    source_text,
    totals_lines,
    value_text,
)
from dealcheck.report.sanitize import one_line

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.views.promises import PromiseReport


def iter_text(report: PromiseReport) -> Iterator[str]:
    """Plain text, features by value at risk, each promise with why it is at risk; a
    feature at a time."""
    cur = report.currency
    out = header_lines(report)
    for line in report.features:
        yield "".join(one_line(x) + "\n" for x in out)
        out = [""]
        out.append(f"{feature_title(line.state)} — {feature_facts(line)}")
        out.append(
            f"  {plural(len(line.rows), 'promise')} to {plural(line.customers, 'customer')} · "
            f"earliest due {line.earliest_due} · value {value_text(line.value, cur)} · "
            f"at risk {amount(line.at_risk.total, cur)}"
        )
        for row in line.rows:
            p, d = row.promise, row.promise.deal
            mark = "✗" if row.at_risk else "✓"
            out.append(
                f"  {mark} {p.due}  {d.customer} · {d.id} · {d.stage} · "
                f"{VERDICT.get(d.verdict, d.verdict)} · {amount(d.value, cur)}"
            )
            owner = f" · owner {d.owner}" if d.owner else ""
            out.append(f"      {source_text(p)}{owner}")
            why = flag_text(row, line.state, report.at_risk_days)
            if why:
                out.append(f"      {why}")
    if report.made_late:
        move = report.move_value
        out.append("")
        out.append(
            f"Made late by the move ({len(report.made_late)}): value at risk "
            f"{value_text(move, cur)}"
        )
        for row in report.made_late:
            p, d = row.promise, row.promise.deal
            owner = f", owner {d.owner}" if d.owner else ""
            out.append(
                f"  {p.feature} due {p.due}: {d.customer} · {d.id} ({d.stage}{owner}) · {amount(d.value, cur)}"
            )
    if report.unreadable_count:
        out.append("")
        out.append(f"Deals that could not be read ({report.unreadable_count})")
        out.extend(f"  {p.location}: {p.message}" for p in report.unreadable)
    out.append("")
    out.append("Totals")
    out.extend(f"  {t}" for t in totals_lines(report))
    if not report.features:
        out.append("  no promises")
    yield "".join(one_line(x) + "\n" for x in out)


def render_text(report: PromiseReport) -> str:
    return "".join(iter_text(report))
