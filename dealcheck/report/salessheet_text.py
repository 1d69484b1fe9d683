"""The sales sheet for a terminal: rich tables, colour only when asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcheck.report import salessheet_tables as tables
from dealcheck.report.console import markup_line, render_rich

if TYPE_CHECKING:  # dealcheck.salessheet re-exports the renderers: a runtime import would cycle
    from rich.console import Console

    from dealcheck.salessheet.model import SalesSheet


def render_text(sheet: SalesSheet, color: bool = False, width: int = 120) -> str:
    """The sales sheet for a terminal: rich tables; colour only when asked."""

    def draw(console: Console) -> None:
        from rich.table import Table as RichTable

        # catalog text on one line, control characters replaced, rich markup escaped
        escape = markup_line

        def table(title: str, data: tables.Table) -> None:
            header, rows = data
            t = RichTable(title=escape(title), title_justify="left", title_style="bold")
            for i, name in enumerate(header):
                # ids and amounts keep their width; long text wraps between words
                cells = [row[i] for row in rows]
                longest = max((len(c) for c in cells), default=0)
                word = max((len(w) for c in cells for w in c.split()), default=0)
                t.add_column(
                    escape(name), overflow="fold", min_width=longest if longest <= 20 else word
                )
            for row in rows:
                t.add_row(*(escape(v) for v in row))
            console.print(t)

        console.print(f"[bold]{escape(tables.title(sheet))}[/bold]")
        console.print(f"[dim]{escape(tables.subtitle(sheet))}[/dim]\n")
        if "skus" in sheet.sections:
            bands = "; ".join(f"{b.label}: {b.needs}" for b in sheet.discount_bands)
            console.print(f"[bold]Discount approvals[/bold]: {escape(bands or 'none')}")
            console.print(f"[dim]{escape(tables.pricing_note(sheet))}[/dim]")
            if sheet.other_line_rules:
                console.print(
                    f"Other pricing rules may apply: {escape(', '.join(sheet.other_line_rules))}"
                )
            console.print()
        for prod, skus, features in tables.products_shown(sheet):
            console.rule(
                f"[bold]{escape(prod.name)}[/bold] [dim]{escape(prod.id)}[/dim]", align="left"
            )
            if prod.not_in:
                where = ", ".join(x.where for x in prod.not_in)
                console.print(f"[red]not sellable in {escape(where)}[/red] (see below)")
            if skus:
                table("Price list", tables.sku_table(sheet, skus, names=False, costs=False))
                if sheet.internal:
                    table("Costs (internal)", tables.cost_table(skus))
            if features:
                table("Features", tables.feature_table(sheet, features))
            console.print()
        if "features" in sheet.sections:
            if sheet.roadmap:
                table("Roadmap — not yet sellable as committed", tables.roadmap_table(sheet))
            else:
                console.print("[bold]Roadmap[/bold]: nothing in this selection")
            console.print()
        if "regions" in sheet.sections:
            table("Region groups", tables.groups_table(sheet))
            table("Where each product may be sold", tables.where_table(sheet))
            console.print()
        if sheet.region is not None:
            console.print(f"[bold]Not available in {escape(sheet.region)}[/bold]")
            if not sheet.not_available:
                console.print("  Everything in this selection may be sold there.")
            for x in sheet.not_available:
                console.print(f"  [red]✗[/red] {escape(x.summary)}")
            for x in sheet.conditions:
                console.print(f"  [yellow]![/yellow] {escape(x.summary)}")

    return render_rich(draw, color, width)
