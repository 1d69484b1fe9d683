"""``dealcheck impact`` reports: text, JSON, Markdown, GitHub annotations and SARIF, one
module a format (:mod:`~dealcheck.report.impact_text`, :mod:`~dealcheck.report.impact_json`,
:mod:`~dealcheck.report.impact_markdown`, :mod:`~dealcheck.report.impact_github`,
:mod:`~dealcheck.report.impact_sarif`), sharing their words
(:mod:`~dealcheck.report.impact_words`). This module is their registry, and every public
name the report had is importable from here.

Each renderer is a pure function of an :class:`~dealcheck.views.impact.ImpactReport`; only the
CLI writes what they return. Sections come in the order worse, better, changed; text,
JSON and Markdown then list the promises a roadmap change makes late (owners, value).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dealcheck.report.impact_github import render_github
from dealcheck.report.impact_json import render_json, to_dict
from dealcheck.report.impact_markdown import render_markdown
from dealcheck.report.impact_sarif import render_sarif
from dealcheck.report.impact_text import render_text
from dealcheck.report.impact_words import summary_line

if TYPE_CHECKING:  # the model never imports its renderers: no import circle
    from dealcheck.views.impact import ImpactReport

__all__ = [
    "RENDERERS",
    "render_github",
    "render_json",
    "render_markdown",
    "render_sarif",
    "render_text",
    "summary_line",
    "to_dict",
]

RENDERERS: dict[str, Callable[[ImpactReport], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
    "sarif": render_sarif,
}
