"""Rich rendering to a string: colour only when asked (a terminal without ``NO_COLOR``)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from dealcheck.report.sanitize import guard_lines, one_line
from dealcheck.report.sanitize import safe_text as printable

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["markup_line", "markup_text", "printable", "render_rich"]


def markup_text(text: object) -> str:
    """Input text for a rich markup string: control characters replaced, markup escaped."""
    from rich.markup import escape

    return escape(printable(text))


def markup_line(text: object) -> str:
    """As :func:`markup_text`, on one line: for a value printed inside a line of its own."""
    from rich.markup import escape

    return escape(one_line(text))


def render_rich(draw: Callable[[Console], None], color: bool, width: int = 100) -> str:
    """Run ``draw`` against an in-memory rich console and return what it wrote.

    Every value is escaped where it is printed; the last pass over the whole output is a
    backstop for what rich lays out itself (wrapped table cells, titles): no line of a
    terminal report may start a GitHub workflow command (see ``sanitize.guard_lines``).
    """
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        soft_wrap=True,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    draw(console)
    return guard_lines(buffer.getvalue())
