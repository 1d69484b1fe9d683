"""dealcheck's own bounds on any input it reads, and how an offending value is quoted.

The same limits hold whatever the YAML parser's own are, and whichever loader reads the
file (YAML or JSON Lines); a value refused by one is a :class:`LimitError` or another
located :class:`~dealcheck.errors.InputError`.
"""

from __future__ import annotations

from dealcheck.errors import InputError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000
MAX_NUMBER_DIGITS = 40
MAX_EXPONENT = 100
#: Documents (``---``) in one file: a deal file holds a few, JSON Lines is for bulk.
MAX_DOCUMENTS = 1_000
#: Values (scalars, lists, mappings, aliases) in one file: every one costs a position.
MAX_NODES = 100_000
#: Quote lines one deal may have, in ``lines:`` or from a quote file (kept here, not in
#: :mod:`dealcheck.quotes`, so a deal without a quote file never imports that package).
MAX_QUOTE_LINES = 2_000
#: Characters of an offending value quoted in an error message.
MAX_QUOTED_CHARS = 80


def excerpt(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """``text`` as quoted in an error message: at most ``limit`` characters, then ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LimitError(InputError):
    """Input refused by one of dealcheck's own bounds (nesting depth, alias expansion)."""
