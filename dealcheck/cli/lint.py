"""``dealcheck lint``: the holes in the deal-desk policy, found before a deal does."""

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
    say,
    today,
)
from dealcheck.cli.output import summarise, write_output


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


@app.command()
def lint(
    deals: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Deal files or directories whose approvals: approvers are checked too.",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
    today_opt: TodayOption = None,
    format: Annotated[
        LintFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LintFormat.text,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Find the holes in the rule sets: rules that never fire or are shadowed, gaps and
    overlaps in approval bands, escalation inversions, unknown approvers.

    Each finding is at the rule's file:line:column with an example deal (a tests: case)
    that the engine confirms. Exit 0: clean (info allowed); 1: findings at warning or
    above; 2: the catalog (or a deal) cannot be read.

    Example: dealcheck lint --format sarif -o lint.sarif
    """
    from dealcheck.lint import deal_approvals, lint_catalog
    from dealcheck.report import lint as render

    source = catalog_source(catalog)
    day = today(today_opt, source)
    engine = load_engine(source, day)
    approvals, problems = deal_approvals([str(p) for p in deals or ()])
    if problems:
        for problem in problems[:20]:
            say(problem)
        fail(f"{len(problems)} deal(s) could not be read")
    report = lint_catalog(engine, day, approvals)
    if format is LintFormat.json:
        text = render.render_json(report)
    elif format is LintFormat.sarif:
        from dealcheck.report.sarif import SarifLimitError

        try:
            text = render.render_sarif(report)
        except SarifLimitError as err:
            fail(str(err))
    elif format is LintFormat.github:
        text = render.render_github(report)
    else:
        text = render.render_text(report)
    write_output(text, output)
    summarise(output, quiet, f"{render.summary_line(report)} (exit {report.exit_code})")
    raise typer.Exit(report.exit_code)
