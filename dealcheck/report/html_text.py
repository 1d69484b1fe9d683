"""How every input value enters the HTML packet: escaped, on one line."""

from __future__ import annotations

from html import escape

from dealcheck.report.sanitize import one_line


def escaped(value: object) -> str:
    """A value as HTML text or attribute: entities escaped, control characters replaced,
    on one line (HTML shows a line break as a space anyway, and no line of the file may
    start a workflow command when it is printed in a CI log)."""
    return escape(one_line(value), quote=True)
