"""The typer application every command module registers on."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from dealcheck import __version__

COMMAND_ORDER = (
    "check",
    "quote",
    "validate",
    "test",
    "lint",
    "explain",
    "clauses",
    "impact",
    "promises",
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
