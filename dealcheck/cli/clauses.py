"""``dealcheck clauses``: what clause analysis finds in a contract file, and why."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

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
from dealcheck.cli.output import plural, summarise, write_output
from dealcheck.errors import InputError


class ClausesFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("clauses")
def clauses_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A contract file: .txt or .md (numbered paragraphs), .docx or .pdf.",
            show_default=False,
        ),
    ],
    deal: Annotated[
        Path | None,
        typer.Option(
            "--deal",
            metavar="DEAL",
            help="Take start_date and date_format from this deal.",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    format: Annotated[
        ClausesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ClausesFormat.text,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Show the features, commitments, due dates and uptimes found in each clause, and why.

    Without --deal, dates without a year or relative to the start resolve against --today.

    Example: dealcheck clauses examples/deals/contracts/kestrel-order-form.md --deal examples/deals/kestrel-freight.yaml
    """
    from dealcheck.clauses import read_clause_file
    from dealcheck.clauses.document import analyse_document
    from dealcheck.contract import feature_matcher
    from dealcheck.deals import iter_deals
    from dealcheck.report import clauses as render

    source = catalog_source(catalog)
    day = today(today_opt, source)
    start: date = day
    date_format: Literal["dmy", "mdy"] = "dmy"
    if deal is not None:
        items = list(iter_deals([str(deal)]))
        if not items or items[0].deal is None:
            problem = items[0].error if items else None
            if problem is not None:
                fail(f"--deal: {problem.location}: {problem.message}")
            fail(f"--deal: {deal}: no deal found")
        start, date_format = items[0].deal.start_date, items[0].deal.date_format
    engine = load_engine(source, day)
    try:
        found = read_clause_file(file)
    except InputError as err:
        fail(str(err))
    matcher = feature_matcher(engine.catalog)
    # the whole document at once: a lead-in governs its items, a defined date anchors
    # relative dates, a document-wide disclaimer applies to the clauses it names
    analyses = analyse_document(found, matcher, start, date_format)
    if format is ClausesFormat.json:
        text = render.render_json(analyses, start, date_format)
    else:
        text = render.render_text(analyses, start, date_format, use_color(output))
    write_output(text, output)
    committed = sum(len(a.commitments) for a in analyses)
    summarise(
        output,
        quiet,
        f"{plural(len(analyses), 'clause')} read from {file}, "
        f"{plural(committed, 'commitment')} found",
    )
