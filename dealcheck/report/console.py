"""Rich rendering to a string: colour only when asked (a terminal without ``NO_COLOR``)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

# C0 and C1 control characters and DEL, except tab and line breaks: from an input (a YAML
# "\e" escape, a clause file) they would reach the terminal and could move the cursor,
# clear the screen or hide text, so that a deal restyles its own verdict. Shown as U+FFFD.
# (Each renderer deals with line breaks; rich drops a carriage return.)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """``text`` with every control character but tab, CR and LF replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", str(text))


def markup_text(text: object) -> str:
    """Input text for a rich markup string: control characters replaced, markup escaped."""
    from rich.markup import escape

    return escape(printable(text))


def render_rich(draw: Callable[[Console], None], color: bool, width: int = 100) -> str:
    """Run ``draw`` against an in-memory rich console and return what it wrote."""
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
    return buffer.getvalue()
