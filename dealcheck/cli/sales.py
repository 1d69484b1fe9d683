"""``dealcheck catalog``: what can be sold where, at what price (the sales sheet)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import typer

from dealcheck.cli.app import app
from dealcheck.cli.common import (
    CatalogOption,
    OutputOption,
    QuietOption,
    TodayOption,
    catalog_source,
    fail,
    load_engine,
    today,
    use_color,
)
from dealcheck.cli.output import summarise, write_output
from dealcheck.errors import InputError


class Section(StrEnum):
    features = "features"
    skus = "skus"
    regions = "regions"


class SheetFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("catalog")
def catalog_command(
    section: Annotated[
        Section | None,
        typer.Argument(
            help="Show only features, skus or regions (default: all).", show_default=False
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            "-r",
            metavar="REGION",
            help="A country (AU) or region group (EMEA): what may be sold there, and why the rest may not.",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Feature statuses to show (repeatable or comma-separated).",
            show_default=False,
        ),
    ] = None,
    product: Annotated[
        str | None,
        typer.Option(
            "--product",
            "-p",
            metavar="PRODUCT",
            help="One product (id or name).",
            show_default=False,
        ),
    ] = None,
    edition: Annotated[
        str | None,
        typer.Option(
            "--edition",
            metavar="EDITION",
            help="One edition's SKUs and features.",
            show_default=False,
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            metavar="CODE",
            help="Show prices in this currency (via the catalog's FX rates).",
            show_default=False,
        ),
    ] = None,
    internal: Annotated[
        bool, typer.Option("--internal", help="Also show unit cost and margins (deal desk only).")
    ] = False,
    partner_margin: Annotated[
        str | None,
        typer.Option(
            "--partner-margin",
            metavar="FRACTION",
            help="Show the floor and margin prices for a partner keeping this (20% or 0.2).",
            show_default=False,
        ),
    ] = None,
    free_months: Annotated[
        int,
        typer.Option("--free-months", metavar="N", help="... and this many free months."),
    ] = 0,
    term_months: Annotated[
        int,
        typer.Option("--term-months", metavar="N", help="... of a term this long (months)."),
    ] = 12,
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    format: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SheetFormat.text,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """What can be sold where, at what price, and what is only on the roadmap.

    Prices show the approval bands of the deal desk's rules and the floor; costs only
    with --internal. --format markdown writes a sales sheet for an intranet page.

    --partner-margin, --free-months and --term-months show the floor and margin prices
    as the unit prices that keep them after a partner's margin and free months.

    Example: dealcheck catalog skus --region AU --currency AUD
    Example: dealcheck catalog skus --partner-margin 20% --free-months 3 --term-months 36
    """
    from dealcheck.models.fields import fraction_from_text
    from dealcheck.salessheet import build_sales_sheet, render_json, render_markdown, render_text

    margin = Decimal(0)
    if partner_margin is not None:
        try:
            margin = fraction_from_text(partner_margin)
        except ValueError as err:
            fail(f"--partner-margin: {err}")
    source = catalog_source(catalog)
    engine = load_engine(source, today(today_opt, source))
    try:
        sheet = build_sales_sheet(
            engine.catalog,
            sections=[section.value] if section else [],
            region=region,
            statuses=status or [],
            product=product,
            edition=edition,
            currency=currency,
            internal=internal,
            rules=engine.rules,
            overrides=engine.overrides,
            partner_margin=margin,
            free_months=free_months,
            term_months=term_months,
        )
    except InputError as err:
        fail(str(err))
    if format is SheetFormat.json:
        text = render_json(sheet)
    elif format is SheetFormat.markdown:
        text = render_markdown(sheet)
    else:
        width = max(80, min(160, shutil.get_terminal_size((120, 40)).columns))
        text = render_text(sheet, use_color(output), width=width)
    write_output(text, output)
    summarise(output, quiet, f"sales sheet ({format.value})")
