"""The promise register as CSV, one row per promise, for the product managers'
spreadsheet: UTF-8, CRLF rows, every text cell safe from formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from dealcheck.report.promises_words import cents
from dealcheck.report.sanitize import one_line

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.views.promises import PromiseReport

CSV_COLUMNS = (
    "feature", "feature_name", "product", "status", "target", "catalog_target", "end_of_life",
    "committable", "due", "days_after_target", "customer", "deal_id", "stage", "owner",
    "verdict", "currency", "value", "annual_value", "source", "clause", "location",
    "inserted_by", "flags", "made_late_by_move",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one line, and a leading ``'`` before a value
    that starts with ``=``, ``+``, ``-``, ``@`` (or a tab/CR), which it would run as a
    formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):  # a number, not a formula, even when negative
        return str(value)
    text = one_line(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def iter_csv(report: PromiseReport) -> Iterator[str]:
    """One row per promise, for the product managers' spreadsheet (UTF-8, CRLF rows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in report.features:
        state = line.state
        for row in line.rows:
            p, d = row.promise, row.promise.deal
            after = (p.due - state.target).days if state.target is not None else None
            writer.writerow(
                csv_cell(v)
                for v in (
                    state.id, state.name, state.product, state.status, _iso(state.target),
                    _iso(line.moved_from if line.moved else state.target), _iso(state.end_of_life),
                    state.committable, _iso(p.due), after, d.customer, d.id, d.stage, d.owner,
                    d.verdict, report.currency, cents(d.value), cents(d.annual), p.source,
                    p.clause, str(p.location), p.inserted_by, " ".join(row.flags), row.made_late,
                )
            )  # fmt: skip
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def render_csv(report: PromiseReport) -> str:
    return "".join(iter_csv(report))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
