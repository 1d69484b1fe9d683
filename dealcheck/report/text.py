"""The text report a rep reads at a glance: verdict banner, findings by severity, waterfall."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from dealcheck.findings import SEVERITIES, DealResult, DealStats, Finding, Tally
from dealcheck.pricing import LinePrice, percent
from dealcheck.report import packet
from dealcheck.report.console import markup_line, render_rich
from dealcheck.report.money import amount, money
from dealcheck.report.results import CheckReport, RenderedDeals, joined, render_each

if TYPE_CHECKING:
    from rich.console import Console

VERDICT_STYLE = {
    "pass": ("PASS", "bold white on green"),
    "needs-approval": ("NEEDS APPROVAL", "bold black on yellow"),
    "blocked": ("BLOCKED", "bold white on red"),
    "error": ("NOT CHECKED", "bold white on magenta"),
}
SEVERITY_STYLE = {"blocker": "red", "approval": "yellow", "warning": "cyan", "info": "dim"}
SEVERITY_TITLE = {
    "blocker": "Blockers",
    "approval": "Approvals",
    "warning": "Warnings",
    "info": "Info",
}
MARK = {"open": "✗", "approved": "✓", "waived": "~"}


TABLE_ROWS = 200  # beyond this many deals the summary shows counts only


def render(report: CheckReport, color: bool = False) -> str:
    items = render_each(partial(rendered, color=color), b"", report.deals)
    return joined(render_stream(report, iter(items), Tally(), color))


def rendered(result: DealResult, color: bool = False) -> tuple[DealStats, str]:
    """One deal's section of the report and its stats (run where the deal was checked)."""
    return DealStats.of(result), render_rich(partial(_deal, result=result), color)


def render_stream(
    report: CheckReport,
    items: Iterator[RenderedDeals],
    tally: Tally,
    color: bool = False,
) -> Iterator[str | bytes]:
    """A few deals at a time (each item's sections joined with nothing between them, see
    :func:`~dealcheck.report.results.render_each`), then the summary; only a bounded
    summary table is kept."""
    rows: list[DealStats] = []
    for batch in items:
        for stats in batch.stats:
            tally.add_stats(stats)
            if len(rows) <= TABLE_ROWS:
                rows.append(stats)
        if not batch.written:  # else a worker wrote it (dealcheck.report.direct)
            yield batch.text

    def footer(console: Console) -> None:
        if tally.counts["deals"] != 1:
            _summary(console, rows, tally)
        console.print(
            f"[dim]catalog {_esc(report.catalog_fingerprint[:19])}… · today {report.today}[/dim]"
        )

    yield render_rich(footer, color)


def _esc(text: object) -> str:
    """An input value for a markup string: escaped, and on one line, so that it can neither
    restyle the terminal nor start a line of its own (a workflow command in a CI log)."""
    return markup_line(text)


def _deal(console: Console, *, result: DealResult) -> None:
    label, style = VERDICT_STYLE[result.verdict]
    if result.error is not None:
        console.print(f"[{style}] {label} [/{style}] {_esc(result.file)}")
        for p in result.problems:
            console.print(f"  {_esc(p.location)}: [red]error[/red]: {_esc(p.message)}")
        console.print()
        return
    title = f"{result.deal_id} · {result.customer}" if result.customer else result.deal_id
    console.rule(f"[bold]{_esc(title)}[/bold] [dim]{_esc(result.file)}[/dim]", align="left")
    banner = f"[{style}] {label} [/{style}]"
    if result.verdict == "blocked":
        banner += f"  {_esc(packet.approvals_text(result))}"
    elif result.approvals_required:
        banner += (
            f"  approval needed from: [bold]{_esc(', '.join(result.approvals_required))}[/bold]"
        )
    console.print(banner)
    if result.terms is not None:
        console.print(f"  [dim]{_esc(packet.terms_line(result))}[/dim]")
    if not result.findings:
        console.print("  No findings: nothing stops this deal.")
    related = packet.related(result.findings)
    for severity in SEVERITIES:
        group = [f for f in result.findings if f.severity == severity]
        if group:
            sev_style = SEVERITY_STYLE[severity]
            console.print(f"\n[bold {sev_style}]{SEVERITY_TITLE[severity]}[/bold {sev_style}]")
            for finding in group:
                _finding(console, finding, related.get(finding.fingerprint))
    if result.lines:
        console.print(
            "\n[bold]Price waterfall[/bold] [dim](per unit per year, product currency)[/dim]"
        )
        for line in result.lines:
            _waterfall(console, result, line)
    totals = packet.totals(result)
    if totals is not None:
        console.print()
        for label_, here, base in totals.rows():
            extra = f"  ({base})" if base else ""
            console.print(f"{label_:<32}{_esc(here):>20}{_esc(extra)}")
        margin = percent(result.margin) if result.margin is not None else "n/a"
        note = f"{_esc(totals.fx_note)} · " if totals.fx_note else ""
        console.print(f"{note}blended gross margin {margin}")
    console.print()


def _finding(console: Console, f: Finding, related: list[Finding] | None = None) -> None:
    style = SEVERITY_STYLE.get(f.severity, "")
    who = f" [bold]\\[{_esc(f.approver)}][/bold]" if f.approver else ""
    mark = MARK.get(f.status, "•")
    status = "" if f.is_open else f" [green]({_esc(f.status_note or f.status)})[/green]"
    console.print(
        f"  [{style}]{mark}[/{style}] [bold]{_esc(f.rule)}[/bold]{who} {_esc(f.message)}{status}"
    )
    console.print(f"      [dim]at {_esc(f.location)} · fingerprint {_esc(f.fingerprint)}[/dim]")
    if related:
        console.print(f"      related: {_esc(packet.related_note(f, related))}")
    if f.fix and f.is_open:
        console.print(f"      fix: {_esc(f.fix)}")


def _waterfall(console: Console, result: DealResult, line: LinePrice) -> None:
    cur = _esc(line.product_currency or "")
    console.print(f"  Line {line.index}: {_esc(line.sku)} × {line.quantity:f}")
    steps, both = packet.waterfall(result, line)
    if not steps:
        console.print("      [dim]prices cannot be derived (unknown SKU or no FX rate)[/dim]")
        return
    for step in steps:
        deal_cur = f"  {_esc(money(step.price_deal, result.currency))}" if both else ""
        console.print(
            f"      {step.label:<28}{step.off_text:>12}{amount(step.price):>14} {cur}{deal_cur}"
        )
    below = (
        line.floor_price is not None
        and line.net_unit is not None
        and (line.net_unit < line.floor_price)
    )
    floor_note = " · [red]below floor[/red]" if below else ""
    margin = percent(line.margin) if line.margin is not None else "n/a"
    minimum = f" (min {percent(line.min_margin)})" if line.min_margin is not None else ""
    effective = percent(line.effective_discount) if line.effective_discount is not None else "n/a"
    console.print(
        f"      gross margin {margin}{minimum} · effective discount {effective}{floor_note}"
    )


def _summary(console: Console, rows: list[DealStats], tally: Tally) -> None:
    from rich.table import Table

    if 0 < len(rows) <= TABLE_ROWS:
        table = Table(title="Summary", show_lines=False, expand=False)
        table.add_column("deal")
        table.add_column("verdict")
        table.add_column("approvers")
        table.add_column("open", justify="right")
        for row in rows:
            label, style = VERDICT_STYLE[row.verdict]
            table.add_row(
                _esc(row.name), f"[{style}] {label} [/{style}]", _esc(row.approvers), str(row.open)
            )
        console.print(table)
    counts = tally.summary()
    console.print(
        f"{counts['deals']} deals: {counts['pass']} pass, {counts['needs-approval']} need "
        f"approval, {counts['blocked']} blocked"
        + (f", {counts['error']} not checked" if counts["error"] else "")
    )
