"""Getting started: ``dealcheck init`` and ``dealcheck config``."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from dealcheck.cli.app import app
from dealcheck.cli.common import CatalogOption, TodayOption, catalog_source, fail, say, today
from dealcheck.cli.output import write_output
from dealcheck.errors import InputError


@app.command("init")
def init_command(
    directory: Annotated[
        Path, typer.Argument(help="Where to write the starter files (created if missing).")
    ] = Path("."),
    today_opt: TodayOption = None,
) -> None:
    """Write a starter catalog (a product, regions, FX, a rule set with tests), a starter
    deal, a dealcheck.yaml and the editor schemas. Never overwrites a file.

    Example: dealcheck init acme-deals && cd acme-deals && dealcheck validate && dealcheck check deals/
    """
    from dealcheck.catalog import display_path
    from dealcheck.starter import write_starter

    try:
        written = write_starter(directory, today=today(today_opt))
    except InputError as err:
        fail(str(err))
    except OSError as exc:
        fail(f"cannot write to {directory}: {exc.strerror or exc}")
    for path in written:
        say(f"created {display_path(path)}")
    say(
        f"next: cd {display_path(directory)} && dealcheck validate && dealcheck test && dealcheck check deals/"
    )


@app.command("config")
def show_config(catalog: CatalogOption = None, today_opt: TodayOption = None) -> None:
    """Print the effective configuration and where each value came from.

    Example: dealcheck config
    """
    from dealcheck.catalog import exists

    source = catalog_source(catalog)
    missing = [str(p) for p in source.paths if not exists(p)]
    if missing:
        fail(f"catalog path {missing[0]} does not exist (from {source.origin})")
    settings = source.settings
    origin = settings.file if settings else None
    rows = [
        ("catalog", ", ".join(str(p).replace(os.sep, "/") for p in source.paths), source.origin)
    ]
    if today_opt is not None:
        rows.append(("today", today(today_opt).isoformat(), "--today"))
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
