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

import sys

from dealcheck.cli import authoring, check, clauses, impact, lint, promises, sales, setup
from dealcheck.cli import quote as quote_commands
from dealcheck.cli.app import app

__all__ = ["app", "main"]

# Each module registers its commands on ``app`` when imported.
_COMMAND_MODULES = (check, authoring, clauses, impact, promises, lint, sales, setup, quote_commands)


def main() -> None:
    """Console-script entry point: the exit status follows SIGTERM/SIGHUP and broken pipes
    (see :mod:`dealcheck.cli.lifecycle`)."""
    from dealcheck.cli.lifecycle import run

    sys.exit(run(app))
