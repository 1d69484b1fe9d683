"""The ``dealcheck`` command line: parse options, call the library, write output, exit.

This is the only module that prints, reads ``sys.argv`` or exits. Heavy modules are
imported inside the commands that need them, so ``dealcheck --version`` and a small
``check`` start fast.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import Enum, StrEnum
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from dealcheck import __version__
from dealcheck.errors import InputError

if TYPE_CHECKING:
    from dealcheck.config import CatalogSource
    from dealcheck.contract import ContractOptions
    from dealcheck.engine import Engine
    from dealcheck.findings import DealResult, Tally
    from dealcheck.report.results import CheckReport

COMMAND_ORDER = (
    "check",
    "validate",
    "test",
    "explain",
    "clauses",
    "impact",
    "catalog",
    "init",
    "schema",
    "config",
)


class _OrderedGroup(TyperGroup):
    """Lists commands in the order a new user needs them, not the order of definition."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: COMMAND_ORDER.index(n) if n in COMMAND_ORDER else 99)


app = typer.Typer(
    cls=_OrderedGroup,
    name="dealcheck",
    help="Stop signing deals you cannot honour: check quotes, commitments and contract "
    "clauses against the product catalog.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


# -- shared options ---------------------------------------------------------------------------

CatalogOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalog",
        "-c",
        metavar="PATH",
        help="Catalog file or directory (repeatable). Default: DEALCHECK_CATALOG, "
        "dealcheck.yaml / [tool.dealcheck], else ./products and ./rules.",
        show_default=False,
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="YYYY-MM-DD",
        help="The date to check against, YYYY-MM-DD (default: the real date). "
        "Same inputs and --today give the same output.",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE (atomically) instead of stdout.",
    ),
]


def _fail(message: str) -> NoReturn:
    """One clear line on stderr, exit 2 (usage or input error)."""
    typer.echo(f"dealcheck: error: {message}", err=True)
    raise typer.Exit(2)


def _today(value: str | None, source: CatalogSource | None = None) -> date:
    """``--today``, else a config file's ``today:``, else the real date."""
    if value is None and source is not None and source.settings and source.settings.today:
        return date.fromisoformat(source.settings.today)
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--today: '{value}' is not a date (expected YYYY-MM-DD)")


FormatT = TypeVar("FormatT", bound=Enum)
ItemT = TypeVar("ItemT")


def _configured_format(choices: type[FormatT], source: CatalogSource) -> FormatT:
    """The config file's ``format:`` if this command offers it, else the first (text)."""
    wanted = source.settings.format if source.settings else None
    if wanted is None:
        return next(iter(choices))
    try:
        return choices(wanted)
    except ValueError:
        names = ", ".join(str(c.value) for c in choices)
        _fail(
            f"{source.settings.file if source.settings else 'config'}: format: '{wanted}' is not one of {names}"
        )


def _is_file(path: Path) -> bool:
    """``path.is_file()``, false for a name the file system cannot look up (too long, NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


class _NoDeals(Exception):
    """Raised before any output when the deal paths hold no deal."""


def _source(catalog_opt: list[Path] | None) -> CatalogSource:
    """Where the catalog is, and the config file's defaults; exit 2 on a broken config."""
    from dealcheck.config import find_catalog

    try:
        return find_catalog(catalog_opt)
    except InputError as err:
        _fail(str(err))


def _use_color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def write_output(text: str, output: Path | None) -> None:
    """Write to stdout, or to ``output`` atomically (a temp file renamed into place)."""
    write_chunks([text], output)


def write_chunks(chunks: Iterable[str], output: Path | None) -> None:
    """Stream ``chunks`` to stdout, or to a temp file next to ``output`` that is renamed into
    place only when every chunk is written: an error or Ctrl-C leaves no partial file."""
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    directory = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        _fail(f"cannot write {output}: it is a directory")
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.replace(tmp_name, output)
        tmp_name = None
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"dealcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Stop signing deals you cannot honour."""


# -- validate ---------------------------------------------------------------------------------


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or directories to validate (default: the configured catalog).",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
    today: TodayOption = None,
    format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    output: OutputOption = None,
) -> None:
    """Validate the catalog, or given files of any kind (deals too).

    Reports every problem in every file, each at file:line:column, in one run.
    Exit 0: valid (warnings allowed); 1: errors found; 2: unreadable input.

    Example: dealcheck validate --format github
    """
    from dealcheck.checks import BUILTIN_IDS
    from dealcheck.report import problems as render
    from dealcheck.rules import catalog_checks
    from dealcheck.validate import validate as run_validate

    source = _source(catalog)
    report = run_validate(
        source.paths, paths or (), _today(today, source), BUILTIN_IDS, catalog_checks()
    )
    if format is ValidateFormat.json:
        text = render.render_json(report)
    elif format is ValidateFormat.github:
        text = render.render_github(report)
    elif format is ValidateFormat.sarif:
        from dealcheck.report import sarif

        text = sarif.render_validation(report)
    elif format is ValidateFormat.junit:
        from dealcheck.report import junit

        text = junit.render_validation(report)
    else:
        text = render.render_text(report, _use_color(output))
    write_output(text, output)
    raise typer.Exit(report.exit_code)


# -- schema -----------------------------------------------------------------------------------


@app.command()
def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write one <kind>.schema.json per kind into DIR.",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="Print only this kind's schema (e.g. Deal)."),
    ] = None,
) -> None:
    """JSON Schemas (draft 2020-12) of every document kind, for editors and other tools.

    Example: dealcheck schema --out .dealcheck/schemas
    """
    from dealcheck.schema import render, schema_file_name, schemas

    all_schemas = schemas()
    if kind is not None:
        match = {k.lower(): k for k in all_schemas}.get(kind.lower())
        if match is None:
            _fail(f"--kind: unknown kind '{kind}' (one of: {', '.join(all_schemas)})")
        all_schemas = {match: all_schemas[match]}
    if out is None:
        if len(all_schemas) == 1:
            write_output(render(next(iter(all_schemas.values()))), None)
        else:
            write_output(render(dict(all_schemas)), None)
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"cannot create {out}: {exc.strerror or exc}")
    for name, body in all_schemas.items():
        write_output(render(body), out / schema_file_name(name))
    typer.echo(f"wrote {len(all_schemas)} schemas to {out}", err=True)


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


def _engine(source: CatalogSource, today: date, options: ContractOptions | None = None) -> Engine:
    """Load and compile the catalog, or exit 2 listing why it cannot be used."""
    from dealcheck.catalog import load_catalog
    from dealcheck.checks import BUILTIN_IDS
    from dealcheck.engine import Engine

    catalog = load_catalog(source.paths, today, BUILTIN_IDS)
    engine = Engine(catalog, today, options)
    if not engine.ok:
        for problem in engine.problems[:20]:
            typer.echo(f"{problem.location}: error: {problem.message}", err=True)
        more = len(engine.problems) - 20
        if more > 0:
            typer.echo(f"... and {more} more", err=True)
        _fail(
            f"the catalog ({', '.join(catalog.paths) or 'no paths'}) has "
            f"{len(engine.problems)} error(s); run 'dealcheck validate' for details"
        )
    return engine


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
    today: TodayOption = None,
    format: Annotated[
        CheckFormat | None,
        typer.Option("--format", "-f", help="Output format [default: text].", show_default=False),
    ] = None,
    output: OutputOption = None,
    clauses: Annotated[
        list[Path] | None,
        typer.Option(
            "--clauses",
            metavar="FILE",
            help="A contract file (.txt, .md, .docx) whose clauses are checked with every deal.",
            show_default=False,
        ),
    ] = None,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="Let a deal's clauses_file / lines_file point outside the deal's folder.",
        ),
    ] = False,
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            metavar="FIELD=HEADER",
            help="Quote CSV column for a field, FIELD=HEADER (repeatable), e.g. sku='Item Code'.",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Worker processes for many deals (default: the number of cores).",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        FailOnLevel | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when any open finding is at or above this severity "
            "(default: 1 if blocked, 3 if an approval is needed).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check deals against the catalog: features promised, regions, margins, rules.

    Exit 0: pass; 1: some deal blocked; 3: none blocked but some need approval;
    2: a deal or the catalog could not be read.

    Example: dealcheck check examples/deals --today 2026-11-22
    """
    from concurrent.futures.process import BrokenProcessPool

    from dealcheck.contract import ContractOptions
    from dealcheck.explain import rule_docs
    from dealcheck.findings import Tally
    from dealcheck.report.results import CheckReport
    from dealcheck.run import default_jobs

    source = _source(catalog)
    day = _today(today, source)
    for path in clauses or ():
        if not _is_file(path):
            _fail(f"--clauses: {path}: no such file")
    mapping = dict(source.settings.columns) if source.settings else {}
    mapping.update(_parse_columns(columns or []))
    engine = _engine(
        source,
        day,
        ContractOptions(allow_outside, tuple(clauses or ()), tuple(sorted(mapping.items()))),
    )
    settings = source.settings
    if fail_on is None and settings and settings.fail_on:
        fail_on = FailOnLevel(settings.fail_on)
    if format is None:
        format = _configured_format(CheckFormat, source)
    if jobs is not None and jobs < 1:
        _fail("--jobs: must be 1 or more")
    report = CheckReport(
        day,
        engine.catalog.fingerprint,
        engine.catalog.paths,
        rules=rule_docs(engine.catalog),
        fail_on=fail_on.value if fail_on else None,
    )
    tally = Tally()
    chunks = _render_check(
        format, report, engine, deals, jobs or default_jobs(), tally, _use_color(output), output
    )
    try:
        write_chunks(chunks, output)
    except _NoDeals:
        # an empty or mistyped folder must not pass CI silently, nor leave a report
        _fail("no deals found in " + ", ".join(deals))
    except KeyboardInterrupt:
        typer.echo("dealcheck: interrupted; no report written", err=True)
        raise typer.Exit(130) from None
    except BrokenProcessPool:
        _fail("a worker process died (out of memory?); no report written. Try --jobs 1")
    raise typer.Exit(tally.exit_code(report.fail_on))


def _parse_columns(values: list[str]) -> dict[str, str]:
    if not values:
        return {}
    from dealcheck.quotes import FIELDS

    mapping: dict[str, str] = {}
    for value in values:
        field, sep, header = value.partition("=")
        if not sep or not header.strip():
            _fail(f"--columns: expected FIELD=HEADER, got '{value}'")
        if field.strip() not in FIELDS:
            _fail(f"--columns: unknown field '{field}' (one of: {', '.join(FIELDS)})")
        mapping[field.strip()] = header.strip()
    return mapping


def _render_check(
    format: CheckFormat,
    report: CheckReport,
    engine: Engine,
    deals: list[str],
    jobs: int,
    tally: Tally,
    color: bool,
    output: Path | None,
) -> Iterator[str]:
    """Text and JSON are rendered deal by deal where each deal is checked (in the worker
    processes with --jobs) and streamed; other formats need every result first."""
    from functools import partial

    from dealcheck.run import check_parallel

    if format is CheckFormat.json:
        from dealcheck.report import json_report

        items = _not_empty(check_parallel(engine, deals, jobs, json_report.rendered))
        yield from json_report.render_stream(report, _with_progress(items, output), tally)
        return
    if format is CheckFormat.text:
        from dealcheck.report import text as text_report

        rendered = partial(text_report.rendered, color=color)
        items = _not_empty(check_parallel(engine, deals, jobs, rendered))
        yield from text_report.render_stream(report, _with_progress(items, output), tally, color)
        return
    results: Iterator[DealResult] = _with_progress(
        _not_empty(check_parallel(engine, deals, jobs)), output
    )
    report.deals.extend(tally.add(r) for r in results)
    yield _renderer(format)(report)


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

        return sarif.render
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
    if not sys.stderr.isatty() or (output is None and sys.stdout.isatty()):
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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
            progress.advance(task)
            yield result


@app.command()
def explain(
    rule_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="A built-in check id or a catalog rule id.", show_default=False
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """What a built-in check or catalog rule does, why it matters, an example, how to fix.

    Without ID, lists every check and rule.

    Example: dealcheck explain price-below-floor
    """
    from dealcheck.explain import explain_text, listing

    needs_catalog = rule_id is None or rule_id not in _builtin_ids()
    engine = _engine(_source(catalog), date.today()) if needs_catalog else None
    if rule_id is None:
        write_output(listing(engine.catalog if engine else None), None)
        return
    text = explain_text(rule_id, engine.catalog if engine else None)
    if text is None:
        from dealcheck.explain import suggestion

        hint = suggestion(rule_id, engine.catalog if engine else None)
        _fail(
            f"no check or rule '{rule_id}'"
            + (f" (did you mean {hint}?)" if hint else "")
            + "; 'dealcheck explain' lists them"
        )
    write_output(text, None)


def _builtin_ids() -> tuple[str, ...]:
    from dealcheck.checks import BUILTIN_IDS

    return BUILTIN_IDS


@app.command("test")
def test_rules(
    catalog: CatalogOption = None,
    today: TodayOption = None,
) -> None:
    """Run the RuleSets' own tests and list rules that no test exercises.

    Exit 0: all tests pass; 1: a test failed; 2: the catalog could not be loaded.

    Example: dealcheck test --today 2026-11-22
    """
    from dealcheck.ruletests import run_tests

    source = _source(catalog)
    day = _today(today, source)
    engine = _engine(source, day)
    report = run_tests(engine, day)
    lines: list[str] = []
    for outcome in report.outcomes:
        status = "PASS" if outcome.passed else "FAIL"
        lines.append(f"{status}  {outcome.ruleset}/{outcome.name}")
        if outcome.missing:
            lines.append(
                f"      {outcome.location}: expected to fire: {', '.join(outcome.missing)}"
            )
        if outcome.unexpected:
            lines.append(
                f"      {outcome.location}: must not fire: {', '.join(outcome.unexpected)}"
            )
        if not outcome.passed:
            lines.append(f"      fired: {', '.join(outcome.fired) or 'nothing'}")
    if report.untested:
        lines.append("")
        lines.append(
            f"Rules no test expects to fire ({len(report.untested)}): {', '.join(report.untested)}"
        )
    passed = len(report.outcomes) - report.failed
    lines.append("")
    lines.append(f"{passed} passed, {report.failed} failed")
    write_output("\n".join(lines) + "\n", None)
    raise typer.Exit(report.exit_code)


class ClausesFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("clauses")
def clauses_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A contract file: .txt or .md (numbered paragraphs) or .docx.", show_default=False
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
    today: TodayOption = None,
    format: Annotated[
        ClausesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ClausesFormat.text,
    output: OutputOption = None,
) -> None:
    """Show the features, commitments, due dates and uptimes found in each clause, and why.

    Without --deal, dates without a year or relative to the start resolve against --today.

    Example: dealcheck clauses examples/contracts/northwind-msa.md --deal examples/deals/northwind.yaml
    """
    from dealcheck.clauses import analyse_clause, read_clause_file
    from dealcheck.contract import feature_matcher
    from dealcheck.deals import iter_deals
    from dealcheck.report import clauses as render

    source = _source(catalog)
    day = _today(today, source)
    start: date = day
    date_format: Literal["dmy", "mdy"] = "dmy"
    if deal is not None:
        items = list(iter_deals([str(deal)]))
        if not items or items[0].deal is None:
            problem = items[0].error if items else None
            if problem is not None:
                _fail(f"--deal: {problem.location}: {problem.message}")
            _fail(f"--deal: {deal}: no deal found")
        start, date_format = items[0].deal.start_date, items[0].deal.date_format
    engine = _engine(source, day)
    try:
        found = read_clause_file(file)
    except InputError as err:
        _fail(str(err))
    matcher = feature_matcher(engine.catalog)
    analyses = [analyse_clause(c, matcher, start, date_format) for c in found]
    if format is ClausesFormat.json:
        text = render.render_json(analyses, start, date_format)
    else:
        text = render.render_text(analyses, start, date_format, _use_color(output))
    write_output(text, output)


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
    today: TodayOption = None,
    allow_outside: Annotated[
        bool,
        typer.Option("--allow-outside", help="Let deals read clause files outside their folder."),
    ] = False,
    format: Annotated[
        ImpactFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ImpactFormat.text,
    output: OutputOption = None,
) -> None:
    """List the deals a catalog change makes worse, and why.

    Checks every deal against the base catalog and the current one and reports verdict
    changes, findings that appeared or disappeared with their cause, and a catalog diff.
    Exit 0: no deal got worse; 1: some deal got worse; 2: a catalog or --base cannot be used.

    Example: dealcheck impact --base origin/main --deals deals/
    """
    from dealcheck.contract import ContractOptions
    from dealcheck.impact import RENDERERS, ImpactError, run_impact

    source = _source(catalog)
    day = _today(today, source)
    try:
        report = run_impact(base, deals, source.paths, day, options=ContractOptions(allow_outside))
    except InputError as err:
        _fail(str(err))
    except ImpactError as err:
        for problem in err.problems[:20]:
            typer.echo(f"{problem.location}: error: {problem.message}", err=True)
        _fail(err.message)
    write_output(RENDERERS[format.value](report), output)
    raise typer.Exit(report.exit_code)


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
    catalog: CatalogOption = None,
    today: TodayOption = None,
    format: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SheetFormat.text,
    output: OutputOption = None,
) -> None:
    """What can be sold where, at what price, and what is only on the roadmap.

    Prices show the approval bands of the deal desk's rules and the floor; costs only
    with --internal. --format markdown writes a sales sheet for an intranet page.

    Example: dealcheck catalog skus --region AU --currency AUD
    """
    from dealcheck.salessheet import build_sales_sheet, render_json, render_markdown, render_text

    source = _source(catalog)
    engine = _engine(source, _today(today, source))
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
        )
    except InputError as err:
        _fail(str(err))
    if format is SheetFormat.json:
        text = render_json(sheet)
    elif format is SheetFormat.markdown:
        text = render_markdown(sheet)
    else:
        text = render_text(sheet, _use_color(output), width=_width())
    write_output(text, output)


def _width() -> int:
    import shutil

    return max(80, min(160, shutil.get_terminal_size((120, 40)).columns))


@app.command("init")
def init_command(
    directory: Annotated[
        Path, typer.Argument(help="Where to write the starter files (created if missing).")
    ] = Path("."),
    today: TodayOption = None,
) -> None:
    """Write a starter catalog (a product, regions, FX, a rule set with tests), a starter
    deal, a dealcheck.yaml and the editor schemas. Never overwrites a file.

    Example: dealcheck init acme-deals && cd acme-deals && dealcheck validate && dealcheck check deals/
    """
    from dealcheck.catalog import display_path
    from dealcheck.starter import write_starter

    try:
        written = write_starter(directory, today=_today(today))
    except InputError as err:
        _fail(str(err))
    except OSError as exc:
        _fail(f"cannot write to {directory}: {exc.strerror or exc}")
    for path in written:
        typer.echo(f"created {display_path(path)}", err=True)
    typer.echo(
        f"next: cd {display_path(directory)} && dealcheck validate && dealcheck test && dealcheck check deals/",
        err=True,
    )


@app.command("config")
def show_config(catalog: CatalogOption = None, today: TodayOption = None) -> None:
    """Print the effective configuration and where each value came from.

    Example: dealcheck config
    """
    source = _source(catalog)
    from dealcheck.catalog import exists

    missing = [str(p) for p in source.paths if not exists(p)]
    if missing:
        _fail(f"catalog path {missing[0]} does not exist (from {source.origin})")
    settings = source.settings
    origin = settings.file if settings else None
    rows = [
        ("catalog", ", ".join(str(p).replace(os.sep, "/") for p in source.paths), source.origin)
    ]
    if today is not None:
        rows.append(("today", _today(today).isoformat(), "--today"))
    elif settings and settings.today:
        rows.append(("today", settings.today, origin or ""))
    else:
        rows.append(("today", date.today().isoformat(), "the real date (not fixed)"))
    for key, default in (("fail_on", "1 if blocked, 3 if approval needed"), ("format", "text")):
        value = getattr(settings, key) if settings else None
        rows.append((key, value or default, (origin or "") if value else "default"))
    columns = dict(settings.columns) if settings else {}
    rows.append(
        (
            "columns",
            ", ".join(f"{k}={v}" for k, v in columns.items()) or "recognised headers",
            (origin or "") if columns else "default",
        )
    )
    width = max(len(k) for k, _, _ in rows)
    text = "".join(f"{k:<{width}}  {v}  ({o})\n" for k, v, o in rows)
    write_output(text, None)


def main() -> None:
    """Console-script entry point."""
    app()
