"""``dealcheck promises`` reports: text, JSON, Markdown, CSV and HTML, one module a format
(:mod:`~dealcheck.report.promises_text`, :mod:`~dealcheck.report.promises_json`,
:mod:`~dealcheck.report.promises_markdown`, :mod:`~dealcheck.report.promises_csv`,
:mod:`~dealcheck.report.promises_html`), sharing their words
(:mod:`~dealcheck.report.promises_words`). This module is their registry, and every
name is importable from here.

Each renderer is a pure function of a :class:`~dealcheck.views.promises.PromiseReport`;
only the CLI writes what they return. Features come in the report's order: the value at
risk first. Every input value goes through :mod:`dealcheck.report.sanitize`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from dealcheck.report.promises_csv import CSV_COLUMNS, csv_cell, iter_csv, render_csv
from dealcheck.report.promises_json import iter_json, render_json, to_dict
from dealcheck.report.promises_markdown import render_markdown
from dealcheck.report.promises_text import iter_text, render_text
from dealcheck.report.promises_words import (
    STAGE_TEXT,
    VERDICT,
    amount,
    cents,
    feature_facts,
    feature_title,
    flag_text,
    header_lines,
    plural,
    source_text,
    target_text,
    totals_lines,
    value_text,
)

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.views.promises import PromiseReport

__all__ = [
    "CSV_COLUMNS",
    "RENDERERS",
    "STAGE_TEXT",
    "STREAMS",
    "VERDICT",
    "amount",
    "cents",
    "csv_cell",
    "feature_facts",
    "feature_title",
    "flag_text",
    "header_lines",
    "iter_csv",
    "iter_json",
    "iter_text",
    "plural",
    "render_csv",
    "render_json",
    "render_markdown",
    "render_text",
    "source_text",
    "target_text",
    "to_dict",
    "totals_lines",
    "value_text",
]


def _render_html(report: PromiseReport) -> str:
    from dealcheck.report.promises_html import render

    return render(report)


#: The formats whose output is written piece by piece (the CLI streams them to the file).
STREAMS: dict[str, Callable[[PromiseReport], Iterator[str]]] = {
    "text": iter_text,
    "json": iter_json,
    "csv": iter_csv,
}

RENDERERS: dict[str, Callable[[PromiseReport], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "csv": render_csv,
    "html": _render_html,
}
