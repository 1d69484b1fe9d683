"""``dealcheck quote``: how far each line of a deal can go before someone must approve."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
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
    print_problems,
    today,
)
from dealcheck.cli.output import plural, summarise, write_output


class QuoteFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("quote")
def quote_command(
    deal: Annotated[
        Path,
        typer.Argument(help="One deal file (YAML or JSON).", show_default=False),
    ],
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    format: Annotated[
        QuoteFormat, typer.Option("--format", "-f", help="Output format.")
    ] = QuoteFormat.text,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """How low each line's price can go before an approval, and where the floor is.

    For this deal's partner margin, free months, currency and term.

    What it does: for each quote line, the lowest unit price (and discount off list) that
    needs no approval, the band of unit prices each approver covers, the floor price and
    the margin minimum, all from the catalog's rules: rules on line.discount partition the
    sales discount; rules on the effective discount, the net price or the margin, and the
    floor and margin checks, read what the company keeps after the partner margin and
    the free months, so each band edge is turned into the unit price that lands on it.

    Why it matters: a 15 % discount looks harmless; with a 20 % partner and 3 free months
    the company keeps far less, and the floor is nearer than the discount suggests.

    Example: dealcheck quote examples/deals/kea-energy.yaml

        Line 1: AA-ENT-USER-Y × 200 · list NZD 1,008.00 · quoted NZD 826.56 (18.00% off)
          lowest unit price without approval: NZD 806.40 (20.00% off list)
            unit price NZD        discount off list  needs
            855.28 and up         15.15% or less     no approval
            ...

    How to use it: type one of the shown prices as the line's unit_price; the lowest
    price of each band lands exactly in it (dealcheck check confirms the approver).
    Terms-only approvals (payment terms, partner margin, free months) are listed first.
    """
    from dealcheck.deals import iter_deals
    from dealcheck.quote import headroom
    from dealcheck.quote.render import render_json, render_text
    from dealcheck.run import check_input

    source = catalog_source(catalog)
    day = today(today_opt, source)
    items = list(iter_deals([str(deal)]))
    if len(items) != 1:
        fail(f"{deal}: expected one deal, found {len(items)}")
    item = items[0]
    if item.error is not None or item.deal is None:
        print_problems(item.problems or ((item.error,) if item.error else ()))
        fail(f"{deal}: the deal cannot be read")
    engine = load_engine(source, day, cache=True)
    result = check_input(engine, item)
    if result.error is not None:
        print_problems(result.problems)
        fail(f"{deal}: the deal cannot be checked")
    found = headroom(engine, item.deal, result)
    text = render_json(found) if format is QuoteFormat.json else render_text(found)
    write_output(text, output)
    summarise(output, quiet, f"headroom of {plural(len(found.lines), 'line')} written")
