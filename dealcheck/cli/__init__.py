"""The ``dealcheck`` command line: parse options, call the library, write output, exit.

This package is the only place that prints, reads ``sys.argv`` or exits. One module per
family of commands, in the order a user meets them:

* ``check``     — ``check``: deals against the catalog (the main job);
* ``authoring`` — ``validate``, ``test``, ``explain``, ``schema``: for catalog authors;
* ``lint``      — ``lint``: holes in the rule sets, each with an example deal;
* ``clauses``   — ``clauses``: what clause analysis finds in a contract file;
* ``impact``    — ``impact``: the deals a catalog change makes worse;
* ``promises``  — ``promises``: the promise register, what sales promised by feature;
* ``quote``     — ``quote``: how far each line of a deal can go before an approval;
* ``sales``     — ``catalog``: the sales sheet;
* ``setup``     — ``init``, ``config``.

Shared options and helpers are in ``common``, writing output in ``output``, and how a
run ends (signals, broken pipes, exit statuses) in ``lifecycle``. Heavy
modules are imported inside the commands that need them, so ``dealcheck --version`` and a
small ``check`` start fast.
"""

from __future__ import annotations

import copy
import os
import sys

import typer
from typer.main import get_command_name
from typer.models import CommandInfo

from dealcheck.cli import authoring, check, clauses, impact, lint, promises, sales, setup
from dealcheck.cli import quote as quote_commands
from dealcheck.cli.app import app

__all__ = ["app", "app_for", "main"]

# Each module registers its commands on ``app`` when imported.
_COMMAND_MODULES = (check, authoring, clauses, impact, promises, lint, sales, setup, quote_commands)


def main() -> None:
    """Console-script entry point: the exit status follows SIGTERM/SIGHUP and broken pipes
    (see :mod:`dealcheck.cli.lifecycle`)."""
    from dealcheck.cli.lifecycle import run

    sys.exit(run(app_for(sys.argv[1:])))


def app_for(args: list[str]) -> typer.Typer:
    """``app`` with only the command ``args`` start with, when they start with one.

    typer turns every command's signature into options each time the program starts
    (about 20 ms for the 13 commands), and a run uses one. The group keeps its callback
    (``--version``) and settings, so the command parses, helps and fails exactly as in the
    whole app; anything else (no command, an option first, a typo, shell completion)
    gets the whole app."""
    completing = any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
    if not args or completing:
        return app
    named = [c for c in app.registered_commands if _command_name(c) == args[0]]
    if len(named) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = named
    return one


def _command_name(command: CommandInfo) -> str | None:
    if command.name:
        return command.name
    return get_command_name(command.callback.__name__) if command.callback else None
