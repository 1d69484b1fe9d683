"""``dealcheck impact``: the deals a catalog change makes worse, and why."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from dealcheck.cli.app import app
from dealcheck.cli.common import (
    AllowOutsideOption,
    CatalogOption,
    FollowSymlinksOption,
    JobsOption,
    OutputOption,
    QuietOption,
    TodayOption,
    catalog_source,
    fail,
    print_problems,
    today,
    workers,
)
from dealcheck.cli.output import plural, summarise, write_output
from dealcheck.errors import InputError


class ImpactFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"
    sarif = "sarif"


@app.command()
def impact(
    base: Annotated[
        str,
        typer.Option(
            "--base",
            metavar="REF_OR_DIR",
            help="The catalog to compare with: a directory (a checkout of the base) or a git "
            "ref of this repository (read with git; the working tree is never touched).",
            show_default=False,
        ),
    ],
    deals: Annotated[
        list[str],
        typer.Option(
            "--deals",
            metavar="PATH",
            help="Deal files or directories (repeatable).",
            show_default=False,
        ),
    ],
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    allow_outside: AllowOutsideOption = False,
    format: Annotated[
        ImpactFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ImpactFormat.text,
    output: OutputOption = None,
    quiet: QuietOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    jobs: JobsOption = None,
) -> None:
    """List the deals a catalog change makes worse, and why.

    Checks every deal against the base catalog and the current one and reports verdict
    changes, findings that appeared or disappeared with their cause, and a catalog diff.
    Exit 0: no deal got worse; 1: some deal got worse; 2: a catalog or --base cannot be used.

    Example: dealcheck impact --base origin/main --deals deals/
    """
    from dealcheck.contract import ContractOptions
    from dealcheck.report.impact import RENDERERS
    from dealcheck.views.impact import ImpactError, run_impact

    source = catalog_source(catalog)
    day = today(today_opt, source)
    jobs_n, min_deals = workers(jobs)
    try:
        report = run_impact(
            base,
            deals,
            source.paths,
            day,
            options=ContractOptions(allow_outside),
            jobs=jobs_n,
            min_deals=min_deals,
        )
    except InputError as err:
        fail(str(err))
    except ImpactError as err:
        print_problems(err.problems, len(err.problems))
        fail(err.message)
    from dealcheck.report.sarif import SarifLimitError

    try:
        rendered = RENDERERS[format.value](report)
    except SarifLimitError as err:  # GitHub would reject the upload
        fail(str(err))
    write_output(rendered, output)
    code = report.exit_code
    summary = report.summary()
    summarise(
        output,
        quiet,
        f"{plural(summary['deals'], 'deal')} compared: {summary['worse']:,} worse, "
        f"{summary['better']:,} better, {summary['changed']:,} changed, "
        f"{summary['unreadable']:,} unreadable (exit {code})",
    )
    raise typer.Exit(code)
