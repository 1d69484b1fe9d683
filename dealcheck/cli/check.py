"""``dealcheck check``: deals against the catalog, the main job."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from dealcheck.cli.app import app
from dealcheck.cli.common import (
    AllowOutsideOption,
    CatalogOption,
    ClausesOption,
    FollowSymlinksOption,
    JobsOption,
    NoCacheOption,
    OutputOption,
    QuietOption,
    TodayOption,
    catalog_source,
    clause_files,
    configured_format,
    fail,
    load_engine,
    print_problems,
    say,
    today,
    use_color,
    workers,
)
from dealcheck.cli.output import Chunk, Handover, plural, summarise, write_chunks

if TYPE_CHECKING:
    from dealcheck.engine import Engine
    from dealcheck.findings import DealResult, Tally
    from dealcheck.report.direct import OrderedOutput
    from dealcheck.report.results import CheckReport, Framing

ItemT = TypeVar("ItemT")


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"
    html = "html"


class FailOnLevel(StrEnum):
    blocker = "blocker"
    approval = "approval"
    warning = "warning"


class _NoDeals(Exception):
    """Raised before any output when the deal paths hold no deal."""


@app.command()
def check(
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
        CheckFormat | None,
        typer.Option("--format", "-f", help="Output format [default: text].", show_default=False),
    ] = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    clauses: ClausesOption = None,
    allow_outside: AllowOutsideOption = False,
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            metavar="FIELD=HEADER",
            help="Quote CSV column for a field, FIELD=HEADER (repeatable), e.g. sku='Item Code'.",
            show_default=False,
        ),
    ] = None,
    jobs: JobsOption = None,
    fail_on: Annotated[
        FailOnLevel | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when any open finding is at or above this severity "
            "(default: 1 if blocked, 3 if an approval is needed).",
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Check deals against the catalog: features promised, regions, margins, rules.

    Exit 0: pass; 1: some deal blocked; 3: none blocked but some need approval;
    2: a deal or the catalog could not be read (each problem on stderr).

    Example: dealcheck check examples/deals --today 2026-11-22
    """
    from dealcheck.contract import ContractOptions
    from dealcheck.explain import rule_docs
    from dealcheck.findings import Tally
    from dealcheck.report.results import CheckReport

    source = catalog_source(catalog)
    day = today(today_opt, source)
    contract_files = clause_files(clauses)
    mapping = dict(source.settings.columns) if source.settings else {}
    mapping.update(_parse_columns(columns or []))
    engine = load_engine(
        source,
        day,
        ContractOptions(allow_outside, contract_files, tuple(sorted(mapping.items()))),
        cache=not no_cache,
    )
    settings = source.settings
    if fail_on is None and settings and settings.fail_on:
        fail_on = FailOnLevel(settings.fail_on)
    if format is None:
        format = configured_format(CheckFormat, source)
    report = CheckReport(
        day,
        engine.catalog.fingerprint,
        engine.catalog.paths,
        # what every check and rule is, for the formats that describe them: SARIF's rule
        # descriptors, JUnit's test cases (each costs the positions of the rule files)
        rules=rule_docs(engine.catalog) if format in _DESCRIBE_RULES else {},
        fail_on=fail_on.value if fail_on else None,
    )
    tally = Tally()
    chunks = _render_check(
        format,
        report,
        engine,
        deals,
        workers(jobs),
        tally,
        use_color(output),
        output,
    )
    try:
        write_chunks(chunks, output)
    except _NoDeals:
        # an empty or mistyped folder must not pass CI silently, nor leave a report
        fail("no deals found in " + ", ".join(deals))
    except KeyboardInterrupt:
        say("dealcheck: interrupted; no report written")
        raise typer.Exit(130) from None
    except Exception as exc:
        if not _broken_pool(exc):
            raise
        fail("a worker process died (out of memory?); no report written. Try --jobs 1")
    code = tally.exit_code(report.fail_on)
    # the deals that could not be read are in the report, and on stderr too: with
    # --output or a machine format the report is not what a person reads
    print_problems(tally.problems, tally.problem_count)
    summarise(output, quiet, f"{_verdicts(tally)} (exit {code})")
    raise typer.Exit(code)


#: the formats whose reports list the checks and rules themselves (``CheckReport.rules``)
_DESCRIBE_RULES = frozenset({CheckFormat.sarif, CheckFormat.junit})


def _broken_pool(exc: BaseException) -> bool:
    """Whether ``exc`` says a worker process died (``BrokenProcessPool``). Only a run that
    started workers has imported concurrent.futures: a one-deal check does not."""
    futures = sys.modules.get("concurrent.futures")
    return futures is not None and isinstance(exc, futures.BrokenExecutor)


def _verdicts(tally: Tally) -> str:
    counts = tally.counts
    parts = [
        f"{counts['pass']:,} pass",
        f"{counts['needs-approval']:,} need approval",
        f"{counts['blocked']:,} blocked",
    ]
    if counts["error"]:
        parts.append(f"{counts['error']:,} not checked")
    return f"{plural(counts['deals'], 'deal')} checked: {', '.join(parts)}"


def _parse_columns(values: list[str]) -> dict[str, str]:
    if not values:
        return {}
    from dealcheck.quotes import FIELDS

    mapping: dict[str, str] = {}
    for value in values:
        field, sep, header = value.partition("=")
        if not sep or not header.strip():
            fail(f"--columns: expected FIELD=HEADER, got '{value}'")
        if field.strip() not in FIELDS:
            fail(f"--columns: unknown field '{field}' (one of: {', '.join(FIELDS)})")
        mapping[field.strip()] = header.strip()
    return mapping


def _render_check(
    format: CheckFormat,
    report: CheckReport,
    engine: Engine,
    deals: list[str],
    jobs_min: tuple[int, int],
    tally: Tally,
    color: bool,
    output: Path | None,
) -> Iterator[Chunk]:
    """Text and JSON are rendered deal by deal where each deal is checked (in the worker
    processes with --jobs) and streamed; other formats need every result first."""
    from functools import partial

    from dealcheck.report.results import Framing, render_each
    from dealcheck.run import check_parallel, check_units

    jobs, min_deals = jobs_min
    if format in (CheckFormat.json, CheckFormat.text):
        # where the report goes, so that workers can write their own deals there
        handover = Handover()
        yield handover
    if format is CheckFormat.json:
        from dealcheck.report import json_report

        per_unit = partial(render_each, json_report.rendered, json_report.DEAL_SEPARATOR)
        sink = _direct(handover, json_report.framing(report))
        items = _not_empty(check_units(engine, deals, jobs, per_unit, min_deals, sink))
        yield from json_report.render_stream(report, _with_progress(items, output), tally)
        return
    if format is CheckFormat.text:
        from dealcheck.report import text as text_report

        per_unit = partial(render_each, partial(text_report.rendered, color=color), b"")
        sink = _direct(handover, Framing())
        items = _not_empty(check_units(engine, deals, jobs, per_unit, min_deals, sink))
        yield from text_report.render_stream(report, _with_progress(items, output), tally, color)
        return
    results: Iterator[DealResult] = _with_progress(
        _not_empty(check_parallel(engine, deals, jobs, min_deals=min_deals)), output
    )
    report.deals.extend(tally.add(r) for r in results)
    yield _renderer(format)(report)


def _direct(handover: Handover, framing: Framing) -> OrderedOutput | None:
    """Workers write the deals they render straight to the report's file descriptor,
    where it has one; else they send the text back (an in-memory stream)."""
    if handover.fd is None:
        return None
    from dealcheck.report.direct import OrderedOutput

    return OrderedOutput(handover.fd, framing)


def _not_empty(items: Iterator[ItemT]) -> Iterator[ItemT]:
    """``items``, or :class:`_NoDeals` before anything is produced when there are none."""
    first = list(islice(items, 1))
    if not first:
        raise _NoDeals
    return chain(first, items)


def _renderer(format: CheckFormat) -> Callable[[CheckReport], str]:
    """The whole-report renderer of a format (imported only when used)."""
    if format is CheckFormat.sarif:
        from dealcheck.report import sarif

        def render_sarif(report: CheckReport) -> str:
            try:
                return sarif.render(report)
            except sarif.SarifLimitError as err:  # GitHub would reject the upload
                fail(str(err))

        return render_sarif
    if format is CheckFormat.junit:
        from dealcheck.report import junit

        return junit.render
    if format is CheckFormat.github:
        from dealcheck.report import github_check

        return github_check.render
    if format is CheckFormat.markdown:
        from dealcheck.report import markdown

        return markdown.render
    from dealcheck.report import html

    return html.render


def _with_progress(results: Iterator[ItemT], output: Path | None) -> Iterator[ItemT]:
    """A live count on stderr when stderr is a terminal and stdout is not being drawn on."""
    stderr, stdout = sys.stderr, sys.stdout
    if stderr is None or not stderr.isatty() or (output is None and stdout.isatty()):
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from dealcheck.report.results import RenderedDeals

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed:,} deals checked"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        task = progress.add_task("check", total=None)
        for result in results:
            # rendered deals come a work unit at a time: count the deals, not the units
            progress.advance(task, len(result.stats) if isinstance(result, RenderedDeals) else 1)
            yield result
