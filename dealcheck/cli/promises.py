"""``dealcheck promises``: what sales has promised, to whom, by when."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from dealcheck.cli.app import app
from dealcheck.cli.common import (
    AllowOutsideOption,
    CatalogOption,
    ClausesOption,
    FollowSymlinksOption,
    OutputOption,
    QuietOption,
    TodayOption,
    catalog_source,
    clause_files,
    fail,
    load_engine,
    print_problems,
    today,
)
from dealcheck.cli.output import plural, summarise, write_chunks, write_output


class PromisesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    csv = "csv"
    html = "html"


class Stage(StrEnum):
    draft = "draft"
    open = "open"
    signed = "signed"


@app.command()
def promises(
    deals: Annotated[
        list[str],
        typer.Argument(
            metavar="DEAL_OR_DIR",
            help="Deal files, directories (searched recursively), .jsonl files, or - for stdin.",
            show_default=False,
        ),
    ],
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    format: Annotated[
        PromisesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = PromisesFormat.text,
    output: OutputOption = None,
    quiet: QuietOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    stage: Annotated[
        list[Stage] | None,
        typer.Option(
            "--stage",
            help="Only deals at this stage (repeatable): signed deals' promises are "
            "obligations, open and draft ones risks. Default: every stage.",
            show_default=False,
        ),
    ] = None,
    feature: Annotated[
        list[str] | None,
        typer.Option(
            "--feature",
            metavar="ID",
            help="Only promises of this feature (repeatable).",
            show_default=False,
        ),
    ] = None,
    at_risk_days: Annotated[
        int,
        typer.Option(
            "--at-risk-days",
            metavar="N",
            help="A promise due up to N days after the roadmap target is at risk.",
        ),
    ] = 30,
    move: Annotated[
        list[str] | None,
        typer.Option(
            "--move",
            metavar="FEATURE=DATE",
            help="What if FEATURE's target were DATE (YYYY-MM-DD or a quarter, 2027-Q4)? "
            "Repeatable; the catalog is not changed.",
            show_default=False,
        ),
    ] = None,
    clauses: ClausesOption = None,
    allow_outside: AllowOutsideOption = False,
) -> None:
    """The promise register: every feature promised across the deals, to whom, by when.

    Structured commitments and promises found in contract clauses (with the redline
    author where a tracked change made them), grouped by feature with the roadmap
    target, the deal values riding on them and what puts them at risk: late, overdue,
    due within --at-risk-days of the target, past end of life, not committable.
    Exit 0: the register was written; 2: a deal, the catalog or an option could not be
    used (each problem on stderr).

    Example: dealcheck promises examples/deals --stage signed --move eu-data-residency=2027-Q4
    """
    from dealcheck.contract import ContractOptions
    from dealcheck.report.promises import RENDERERS, STREAMS, amount
    from dealcheck.views.promises import PromiseError, parse_moves, run_promises

    source = catalog_source(catalog)
    day = today(today_opt, source)
    if at_risk_days < 0:
        fail("--at-risk-days: must be 0 or more")
    contract_files = clause_files(clauses)
    engine = load_engine(source, day, ContractOptions(allow_outside, contract_files))
    try:
        moves = parse_moves(move or [], engine.catalog)
    except PromiseError as err:
        fail(err.message)
    for feature_id in feature or ():
        if feature_id not in engine.catalog.features:
            hint = engine.catalog.suggest_feature(feature_id)
            fail(
                f"--feature: unknown feature '{feature_id}'"
                + (f" (did you mean {hint}?)" if hint else "")
            )
    report = run_promises(
        engine,
        deals,
        at_risk_days=at_risk_days,
        stages=[s.value for s in stage or ()],
        features=feature or (),
        moves=moves,
    )
    if report.deals_read == 0 and report.unreadable_count == 0:
        # an empty or mistyped folder must not look like a register with no promises
        fail("no deals found in " + ", ".join(deals))
    if format.value in STREAMS:  # written a piece at a time: memory stays with the promises
        write_chunks(STREAMS[format.value](report), output)
    else:
        write_output(RENDERERS[format.value](report), output)
    print_problems(report.unreadable, report.unreadable_count)
    code = report.exit_code
    s = report.summary()
    summarise(
        output,
        quiet,
        f"{plural(s['promises'], 'promise')} to {plural(s['features'], 'feature')} in "
        f"{plural(s['deals_with_promises'], 'deal')}; value at risk "
        f"{amount(report.value_at_risk.total, report.currency)} (exit {code})",
    )
    raise typer.Exit(code)
