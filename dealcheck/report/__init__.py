"""Renderers: each output format is a pure function from a result to text.

Nothing here prints or touches files; ``dealcheck.cli`` writes what these return.
"""

from __future__ import annotations

import enum


class Format(str, enum.Enum):
    """Output formats. Not every command offers every format."""

    text = "text"
    json = "json"
    github = "github"
