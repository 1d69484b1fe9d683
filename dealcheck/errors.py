"""Located errors: every problem dealcheck reports about its input names ``file:line:column``."""

from __future__ import annotations

from dataclasses import dataclass

#: The longest message a problem may carry: a net under every message that quotes an
#: input value (those quote at most ~80 characters of it), so that no input, however
#: large, is echoed whole into a report or a terminal.
MAX_MESSAGE_CHARS = 1000


def bounded(message: str) -> str:
    """``message``, cut to :data:`MAX_MESSAGE_CHARS` characters (ending in ``…``)."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - 1] + "…"


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in an input file (``line``/``column`` 0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class InputError(Exception):
    """Input that cannot be read or understood; the CLI reports it and exits 2."""

    def __init__(self, location: Location, message: str) -> None:
        message = bounded(message)
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found while validating input: located, with a severity and a stable code."""

    location: Location
    message: str
    severity: str = "error"  # "error" | "warning"
    code: str = "invalid"

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE_CHARS:
            object.__setattr__(self, "message", bounded(self.message))

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"

    @classmethod
    def from_input_error(cls, err: InputError, code: str = "unreadable") -> Problem:
        return cls(err.location, err.message, "error", code)
