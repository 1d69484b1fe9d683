"""Options and helpers every command shares: the catalog, ``--today``, formats, errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from dealcheck.cli.lifecycle import settle_long_lived
from dealcheck.errors import InputError, Problem
from dealcheck.report.sanitize import one_line

if TYPE_CHECKING:
    from dealcheck.config import CatalogSource
    from dealcheck.contract import ContractOptions
    from dealcheck.engine import Engine

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
        help="Write the report to FILE (atomically) instead of stdout; "
        "a one-line summary goes to stderr.",
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No summary line on stderr when writing --output."),
]


def _follow_symlinks(value: bool) -> bool:
    from dealcheck.catalog.files import set_follow_symlinks

    return set_follow_symlinks(value)


FollowSymlinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks",
        help="Read symlinked files in catalog and deal folders even when they point outside "
        "the folder and its repository (refused by default).",
        callback=_follow_symlinks,
    ),
]

ClausesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--clauses",
        metavar="FILE",
        help="A contract file (.txt, .md, .docx, .pdf) whose clauses are read with every deal.",
        show_default=False,
    ),
]
AllowOutsideOption = Annotated[
    bool,
    typer.Option(
        "--allow-outside",
        help="Let a deal's clauses_file / lines_file point outside the deal's folder.",
    ),
]

#: How many problems a command prints on stderr before "... and N more".
MAX_PRINTED_PROBLEMS = 20

FormatT = TypeVar("FormatT", bound=Enum)


def say(message: str) -> None:
    """One line on stderr, with anything an input put in it made safe for a terminal."""
    typer.echo(one_line(message), err=True)


def fail(message: str) -> NoReturn:
    """One clear line on stderr, exit 2 (usage or input error)."""
    say(f"dealcheck: error: {message}")
    raise typer.Exit(2)


def print_problems(problems: Iterable[Problem], total: int | None = None) -> None:
    """Each problem as ``file:line:column: error: message`` on stderr (the first 20)."""
    shown = 0
    for problem in problems:
        if shown == MAX_PRINTED_PROBLEMS:
            break
        say(str(problem))
        shown += 1
    more = (total if total is not None else shown) - shown
    if more > 0:
        say(f"... and {more} more")


def clause_files(clauses: list[Path] | None) -> tuple[Path, ...]:
    """``--clauses`` files, each checked to exist before any deal is read."""
    for path in clauses or ():
        if not is_file(path):
            fail(f"--clauses: {path}: no such file")
    return tuple(clauses or ())


def today(value: str | None, source: CatalogSource | None = None) -> date:
    """``--today``, else a config file's ``today:``, else the real date."""
    if value is None and source is not None and source.settings and source.settings.today:
        return date.fromisoformat(source.settings.today)
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--today: '{value}' is not a date (expected YYYY-MM-DD)")


def configured_format(choices: type[FormatT], source: CatalogSource) -> FormatT:
    """The config file's ``format:`` if this command offers it, else the first (text)."""
    wanted = source.settings.format if source.settings else None
    if wanted is None:
        return next(iter(choices))
    try:
        return choices(wanted)
    except ValueError:
        names = ", ".join(str(c.value) for c in choices)
        where = source.settings.file if source.settings else "config"
        fail(f"{where}: format: '{wanted}' is not one of {names}")


def is_file(path: Path) -> bool:
    """``path.is_file()``, false for a name the file system cannot look up (too long, NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def catalog_source(catalog_opt: list[Path] | None) -> CatalogSource:
    """Where the catalog is, and the config file's defaults; exit 2 on a broken config."""
    from dealcheck.config import find_catalog

    try:
        return find_catalog(catalog_opt)
    except InputError as err:
        fail(str(err))


#: Without --jobs, worker processes are started only for at least this many deals: each
#: costs a fork, which a few hundred deals (about 0.3 ms each) do not repay (the 31
#: sample deals were slower with 2 workers than 1).
AUTO_JOBS_MIN_DEALS = 1000

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        help="Worker processes (default: the number of cores, for 1,000 deals or more).",
        show_default=False,
    ),
]


def workers(jobs: int | None) -> tuple[int, int]:
    """``--jobs`` as (worker processes, the fewest deals to start them for)."""
    if jobs is None:  # workers only for work big enough to repay starting them
        from dealcheck.run import default_jobs

        return default_jobs(), AUTO_JOBS_MIN_DEALS
    if jobs < 1:
        fail("--jobs: must be 1 or more")
    return jobs, 0


NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Parse the catalog afresh: neither read nor write the catalog cache "
        "(DEALCHECK_CACHE_DIR, else $XDG_CACHE_HOME/dealcheck or ~/.cache/dealcheck).",
    ),
]


def load_engine(
    source: CatalogSource,
    day: date,
    options: ContractOptions | None = None,
    cache: bool = False,
) -> Engine:
    """Load and compile the catalog, or exit 2 listing why it cannot be used.

    ``cache``: use the catalog cache (see :mod:`dealcheck.catalog.cache`)."""
    from dealcheck.catalog import load_catalog
    from dealcheck.checks import BUILTIN_IDS
    from dealcheck.engine import Engine

    catalog = load_catalog(source.paths, day, BUILTIN_IDS, cache=cache)
    engine = Engine(catalog, day, options)
    settle_long_lived()
    if not engine.ok:
        print_problems(engine.problems, len(engine.problems))
        fail(
            f"the catalog ({', '.join(catalog.paths) or 'no paths'}) has "
            f"{len(engine.problems)} error(s); run 'dealcheck validate' for details"
        )
    return engine


def use_color(output: Path | None) -> bool:
    """Colour only on a terminal, never in a file, never with ``NO_COLOR``."""
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stdout = sys.stdout
    return stdout is not None and stdout.isatty()
