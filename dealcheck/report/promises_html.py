"""The promise register as one self-contained HTML page, for a planning meeting or a PDF.

Totals first; then per feature (by value at risk): its roadmap facts, a timeline (inline
SVG) of the promised due dates against the roadmap target — and the what-if target, the
end of life and today —, and the list of promises behind it. No scripts, no network, no
external assets. Every input value passes through :func:`~dealcheck.report.sanitize.one_line`
and :func:`html.escape`. Meaning never rests on colour alone: a promise at risk is a
cross, one on track a circle, and every line of the chart is labelled in words.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

from dealcheck import __version__
from dealcheck.report.promises_words import (
    STAGE_TEXT,
    VERDICT,
    amount,
    feature_facts,
    feature_title,
    flag_text,
    source_text,
    target_text,
    totals_lines,
    value_text,
)
from dealcheck.report.sanitize import one_line

if TYPE_CHECKING:
    from dealcheck.views.promises import FeatureLine, PromiseReport, PromiseRow

CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --risk: #b42318; --ok: #1a7f37; --target: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 64rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 0 0 .25rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
td.src { overflow-wrap: anywhere; min-width: 12rem; }
td.risk, td.ok { min-width: 12rem; }
th { font-weight: 600; }
td.nw { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ul.totals { margin: .25rem 0 1rem; padding-left: 1.2rem; }
.head { border-bottom: 3px double var(--ink); margin-bottom: 1rem; padding-bottom: .5rem; }
.feature { border-top: 2px solid var(--ink); padding-top: .75rem; margin-top: 1.5rem; }
.facts { color: var(--muted); margin: 0 0 .5rem; }
.risk { color: var(--risk); font-weight: 600; }
.ok { color: var(--ok); }
.muted { color: var(--muted); }
figure.timeline { margin: .5rem 0 .75rem; break-inside: avoid; page-break-inside: avoid; }
figure.timeline svg { width: 100%; max-width: 60rem; height: auto; display: block; }
figure.timeline figcaption { font-size: .85rem; color: var(--muted); }
svg text { font: 12px system-ui, sans-serif; fill: #1b1f24; }
svg line.axis { stroke: #1b1f24; stroke-width: 1; }
svg line.lane { stroke: #d0d7de; stroke-width: 1; }
svg line.target { stroke: #0969da; stroke-width: 2; }
svg line.whatif { stroke: #0969da; stroke-width: 2; stroke-dasharray: 6 3; }
svg line.eol { stroke: #b42318; stroke-width: 2; stroke-dasharray: 2 2; }
svg line.today { stroke: #57606a; stroke-width: 1; stroke-dasharray: 1 3; }
svg circle.ok { fill: #1a7f37; }
svg path.risk { stroke: #b42318; stroke-width: 3; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: .5rem;
  color: var(--muted); font-size: .85rem; }
@page { size: A4 landscape; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; color: #000; }
  .feature { break-inside: auto; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  * { background: transparent !important; box-shadow: none !important; }
}
"""

# The timeline's geometry, in SVG user units.
WIDTH = 900
LABEL = 260  # left of it: the lane labels
RIGHT = 880
TOP = 34
LANE = 22
MAX_LANES = 24  # more promises than this: one lane per due date (then per month)


def _e(value: object) -> str:
    return escape(one_line(value), quote=True)


def _x(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return round(LABEL + (RIGHT - LABEL) * (day - start).days / span, 1)


def _lanes(rows: list[PromiseRow]) -> list[tuple[str, date, bool]]:
    """(label, due, at risk) per lane: a promise each, or grouped when there are many."""
    if len(rows) <= MAX_LANES:
        return [(f"{r.promise.deal.customer} · {r.promise.deal.id}", r.promise.due, r.at_risk)
                for r in rows]  # fmt: skip
    by_day: dict[date, list[PromiseRow]] = {}
    for r in rows:
        by_day.setdefault(r.promise.due, []).append(r)
    if len(by_day) > MAX_LANES:  # one lane per month, at the month's earliest due date
        by_month: dict[tuple[int, int], list[PromiseRow]] = {}
        for r in rows:
            by_month.setdefault((r.promise.due.year, r.promise.due.month), []).append(r)
        by_day = {min(r.promise.due for r in group): group for group in by_month.values()}
    return [
        (f"{len(group)} promise{'s' * (len(group) != 1)} due {day:%Y-%m}"
         if len(by_day) > MAX_LANES else f"{len(group)} due {day}",
         day, any(r.at_risk for r in group))
        for day, group in sorted(by_day.items())
    ]  # fmt: skip


def timeline(line: FeatureLine, today: date) -> str:
    """The promised due dates of one feature against its roadmap, as an inline SVG."""
    lanes = _lanes(line.rows)
    state = line.state
    marks: list[tuple[str, str, date]] = []  # css class, label, day
    if state.target is not None:
        if line.moved:
            marks.append(("whatif", f"what-if target {state.target}", state.target))
            if line.moved_from is not None:
                marks.append(("target", f"roadmap target {line.moved_from}", line.moved_from))
        else:
            marks.append(("target", f"roadmap target {state.target}", state.target))
    if state.end_of_life is not None:
        marks.append(("eol", f"end of life {state.end_of_life}", state.end_of_life))
    marks.append(("today", f"today {today}", today))
    days = [due for _, due, _ in lanes] + [day for _, _, day in marks]
    start, end = min(days) - timedelta(days=20), max(days) + timedelta(days=20)
    height = TOP + LANE * len(lanes) + 30
    bottom = height - 24
    out = [
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{_e(feature_title(state))}: promised due dates against the roadmap" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    # year ticks on the axis
    out.append(f'<line class="axis" x1="{LABEL}" y1="{bottom}" x2="{RIGHT}" y2="{bottom}"/>')
    for year in range(start.year + 1, end.year + 1):
        x = _x(date(year, 1, 1), start, end)
        out.append(f'<line class="axis" x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}"/>')
        out.append(f'<text x="{x}" y="{bottom + 18}" text-anchor="middle">{year}</text>')
    for i, (label, due, risk) in enumerate(lanes):
        y = TOP + LANE * i + LANE / 2
        x = _x(due, start, end)
        shown = label if len(label) <= 40 else label[:39] + "…"
        out.append(f'<line class="lane" x1="{LABEL}" y1="{y}" x2="{RIGHT}" y2="{y}"/>')
        out.append(f'<text x="{LABEL - 6}" y="{y + 4}" text-anchor="end">{_e(shown)}</text>')
        if risk:  # a cross: at risk
            out.append(
                f'<path class="risk" d="M{x - 6} {y - 6}L{x + 6} {y + 6}M{x - 6} {y + 6}L{x + 6} {y - 6}">'
                f"<title>{_e(label)}: due {due}, at risk</title></path>"
            )
        else:
            out.append(
                f'<circle class="ok" cx="{x}" cy="{y}" r="6">'
                f"<title>{_e(label)}: due {due}, on track</title></circle>"
            )
    for i, (css, label, day) in enumerate(marks):
        x = _x(day, start, end)
        out.append(f'<line class="{css}" x1="{x}" y1="{TOP - 6}" x2="{x}" y2="{bottom}"/>')
        anchor = "end" if x > (LABEL + RIGHT) / 2 else "start"
        dx = -4 if anchor == "end" else 4
        out.append(
            f'<text x="{x + dx}" y="{12 + 11 * (i % 2)}" text-anchor="{anchor}">{_e(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _feature(line: FeatureLine, report: PromiseReport, index: int) -> list[str]:
    cur = report.currency
    state = line.state
    out = [
        f'<section class="feature" id="f{index}">',
        f"<h2>{_e(feature_title(state))}</h2>",
        f'<p class="facts">{_e(feature_facts(line))}</p>',
        f"<p>{len(line.rows)} promise{'s' * (len(line.rows) != 1)} to {line.customers} "
        f"customer{'s' * (line.customers != 1)} · earliest due {line.earliest_due} · value "
        f"{_e(value_text(line.value, cur))} · "
        f'<span class="{"risk" if line.at_risk.deals else "ok"}">at risk '
        f"{_e(amount(line.at_risk.total, cur))}</span></p>",
        '<figure class="timeline">',
        timeline(line, report.today),
        "<figcaption>Circles: promises on track; crosses: at risk. Solid blue: the roadmap "
        "target; dashed blue: a what-if target; red dashes: end of life; dots: today."
        "</figcaption></figure>",
        "<table><thead><tr><th>due</th><th>customer</th><th>deal</th><th>stage</th>"
        f'<th>owner</th><th>verdict</th><th class="num">value ({_e(cur or "n/a")})</th>'
        "<th>source</th><th>risk</th></tr></thead><tbody>",
    ]
    for row in line.rows:
        p, d = row.promise, row.promise.deal
        why = flag_text(row, state, report.at_risk_days)
        out.append(
            f'<tr><td class="nw">{p.due}</td><td>{_e(d.customer)}</td>'
            f'<td class="nw">{_e(d.id)}</td><td class="nw">{_e(d.stage)}</td>'
            f"<td>{_e(d.owner or '—')}</td>"
            f'<td class="nw">{_e(VERDICT.get(d.verdict, d.verdict))}</td>'
            f'<td class="num">{_e(amount(d.value))}</td><td class="src">{_e(source_text(p))}</td>'
            f'<td class="{"risk" if row.at_risk else "ok"}">{_e(why or "on track")}</td></tr>'
        )
    out.append("</tbody></table></section>")
    return out


def render(report: PromiseReport) -> str:
    """The whole page."""
    title = f"Promise register · {report.today}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        '<header class="head">',
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">Values in {_e(report.currency or "n/a")} over each contract term; '
        f"at risk within {report.at_risk_days} days of the target; stages "
        f"{_e(', '.join(STAGE_TEXT[s] for s in report.stages))}.</p>",
    ]
    for move in report.moves:
        out.append(
            f"<p><strong>What if</strong> {_e(move.feature)} moved from "
            f"{_e(move.before or 'no target')} to {_e(move.after)}?</p>"
        )
    out.append('<h2>Totals</h2><ul class="totals">')
    out.extend(f"<li>{_e(t)}</li>" for t in totals_lines(report))
    out.append("</ul>")
    if report.features:
        out.append(
            "<table><thead><tr><th>feature</th><th>status</th><th>target</th>"
            '<th class="num">customers</th><th>earliest due</th>'
            '<th class="num">value</th><th class="num">at risk</th></tr></thead><tbody>'
        )
        for i, line in enumerate(report.features):
            out.append(
                f'<tr><td><a href="#f{i}">{_e(feature_title(line.state))}</a></td>'
                f"<td>{_e(line.state.status)}</td><td>{_e(target_text(line))}</td>"
                f'<td class="num">{line.customers}</td><td>{line.earliest_due}</td>'
                f'<td class="num">{_e(amount(line.value.total))}</td>'
                f'<td class="num">{_e(amount(line.at_risk.total))}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>No promises.</p>")
    out.append("</header>")
    for i, line in enumerate(report.features):
        out.extend(_feature(line, report, i))
    if report.unreadable_count:
        out.append(f"<h2>Deals that could not be read ({report.unreadable_count})</h2><ul>")
        out.extend(f"<li>{_e(p.location)}: {_e(p.message)}</li>" for p in report.unreadable)
        out.append("</ul>")
    out.append(
        f"<footer>dealcheck {_e(__version__)} · catalog {_e(report.catalog_fingerprint)} · "
        f"today {report.today}</footer></body></html>"
    )
    return "\n".join(out) + "\n"
