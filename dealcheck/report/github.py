"""GitHub Actions workflow commands (``::error file=…,line=…::message``), escaped per GitHub.

Every value is first made safe (:func:`dealcheck.report.sanitize.safe_text`: control
characters replaced, so no colour or hyperlink reaches the log; U+2028, NEL and CR become
line breaks), then escaped per GitHub's rules, so every line break is ``%0A`` and no value
can end the command early or start another.
"""

from __future__ import annotations

from dealcheck.report.sanitize import safe_text

LEVELS = {"error": "error", "warning": "warning", "notice": "notice"}


def escape_data(text: str) -> str:
    """Escape a message: ``%``, CR and LF (GitHub's rules for command data)."""
    return safe_text(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, file: str, line: int, column: int, title: str) -> str:
    """One workflow command line."""
    props = [f"file={escape_property(file)}"]
    if line > 0:
        props.append(f"line={line}")
    if column > 0:
        props.append(f"col={column}")
    props.append(f"title={escape_property(title)}")
    return f"::{LEVELS.get(level, 'notice')} {','.join(props)}::{escape_data(message)}"
