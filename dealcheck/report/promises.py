"""``dealcheck promises`` reports: text, JSON, Markdown, CSV (and HTML, in
:mod:`dealcheck.report.promises_html`).

Each renderer is a pure function of a :class:`~dealcheck.views.promises.PromiseReport`;
only the CLI writes what they return. Features come in the report's order: the value at
risk first. Every input value goes through :mod:`dealcheck.report.sanitize`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck import __version__
from dealcheck.pricing import CENT, rounded
from dealcheck.report.json_report import plain
from dealcheck.report.sanitize import json_text, markdown_text, one_line

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.errors import Location
    from dealcheck.views.promises import (
        FeatureLine,
        FeatureState,
        Promise,
        PromiseReport,
        PromiseRow,
        Value,
    )

VERDICT = {"pass": "pass", "needs-approval": "needs approval", "blocked": "blocked"}
STAGE_TEXT = {"signed": "signed (obligations)", "open": "open (risks)", "draft": "draft (risks)"}


def amount(value: Decimal | None, currency: str | None = None) -> str:
    """Money for people: ``183,600.00 USD``, half-even to the cent; ``n/a`` when unknown."""
    if value is None:
        return "n/a"
    shown = f"{rounded(value, CENT):,}"
    return f"{shown} {currency}" if currency else shown


def cents(value: Decimal | None) -> str | None:
    """Money for machines: ``183600.00`` (``None`` when unknown)."""
    return None if value is None else str(rounded(value, CENT))


def feature_title(state: FeatureState) -> str:
    return f"{state.name} ({state.id})" if state.name else state.id


def feature_facts(line: FeatureLine) -> str:
    """``planned, target 2027-06-30 (moved from 2027-03-31), not committable``."""
    state = line.state
    if state.status == "unknown":
        return "not in the catalog"
    parts = [state.status]
    if state.target is not None:
        moved = f" (what-if; catalog {line.moved_from or 'none'})" if line.moved else ""
        parts.append(f"target {state.target}{moved}")
    if state.end_of_life is not None:
        parts.append(f"end of life {state.end_of_life}")
    parts.append("committable" if state.committable else "not committable")
    if state.product:
        parts.append(f"product {state.product}")
    return ", ".join(parts)


def target_text(line: FeatureLine) -> str:
    """``2027-06-30``, ``2027-12-31 (what-if; catalog 2027-06-30)`` or ``—``."""
    target = line.state.target
    if target is None:
        return "—"
    return f"{target} (what-if; catalog {line.moved_from or 'none'})" if line.moved else str(target)


def value_text(value: Value, currency: str | None) -> str:
    unvalued = (
        f" (+{value.unvalued} deal{'s' * (value.unvalued != 1)} without a value)"
        if value.unvalued
        else ""
    )
    return f"{amount(value.total, currency)} ({amount(value.annual, currency)} a year){unvalued}"


def flag_text(row: PromiseRow, state: FeatureState, days: int) -> str:
    """Why a promise is at risk, in words."""
    p = row.promise
    parts: list[str] = []
    for flag in row.flags:
        if flag == "late" and state.target is not None:
            parts.append(
                f"late: due {(state.target - p.due).days} days before the target {state.target}"
            )
        elif flag == "at-risk" and state.target is not None:
            parts.append(
                f"at risk: {(p.due - state.target).days} days after the target (margin {days})"
            )
        elif flag == "overdue":
            parts.append("overdue: due date passed, not GA")
        elif flag == "end-of-life":
            eol = f" ({state.end_of_life})" if state.end_of_life else ""
            parts.append(f"end of life{eol} before the contract ends ({p.deal.end_date})"
                         if state.status == "deprecated" else "retired")  # fmt: skip
        elif flag == "not-committable":
            parts.append("not committable")
        elif flag == "unknown":
            parts.append("unknown feature")
    if row.made_late:
        parts.append("made late by the move")
    if row.no_longer_late:
        parts.append("no longer late after the move")
    return "; ".join(parts)


def source_text(p: Promise) -> str:
    """``clause 1.2 at contract.docx:3, inserted by X in a redline on D``."""
    redline = f", {p.redline}" if p.redline else ""
    return f"{p.where} at {p.location}{redline}"


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' * (n != 1)}"


def _header(report: PromiseReport) -> list[str]:
    stages = ", ".join(report.stages)
    out = [
        f"dealcheck promises · today {report.today} · values in {report.currency or 'n/a'} · "
        f"at risk within {report.at_risk_days} days of the target · stages {stages}"
    ]
    out.extend(
        f"what if: {m.feature} target {m.before or 'none'} → {m.after}" for m in report.moves
    )
    return out


def totals_lines(report: PromiseReport) -> list[str]:
    """The totals, one fact a line (shared by text and Markdown)."""
    s = report.summary()
    cur = report.currency
    out = [
        f"{_plural(s['promises'], 'promise')} to {_plural(s['features'], 'feature')}, "
        f"{_plural(s['customers'], 'customer')}, {_plural(s['deals_with_promises'], 'deal')} "
        f"({s['deals']:,} read, {s['deals_skipped']:,} of other stages)",
        f"value {value_text(report.value, cur)}",
        f"at risk {value_text(report.value_at_risk, cur)} in "
        f"{_plural(report.value_at_risk.deals, 'deal')} ({_plural(s['promises_at_risk'], 'promise')})",
    ]
    for stage in reversed(report.stages):
        count, value = report.stage_value(stage)
        out.append(
            f"{STAGE_TEXT[stage]}: {_plural(count, 'promise')}, value {value_text(value, cur)}"
        )
    counts = report.flag_counts()
    out.append(" · ".join(f"{flag} {counts[flag]}" for flag in counts))
    if report.moves:
        move = report.move_value
        out.append(
            f"the move makes {_plural(len(report.made_late), 'promise')} late: value at risk "
            f"{value_text(move, cur)} in {_plural(move.deals, 'deal')}"
        )
    return out


# -- text --------------------------------------------------------------------------------------


def iter_text(report: PromiseReport) -> Iterator[str]:
    """Plain text, features by value at risk, each promise with why it is at risk; a
    feature at a time."""
    cur = report.currency
    out = _header(report)
    for line in report.features:
        yield "".join(one_line(x) + "\n" for x in out)
        out = [""]
        out.append(f"{feature_title(line.state)} — {feature_facts(line)}")
        out.append(
            f"  {_plural(len(line.rows), 'promise')} to {_plural(line.customers, 'customer')} · "
            f"earliest due {line.earliest_due} · value {value_text(line.value, cur)} · "
            f"at risk {amount(line.at_risk.total, cur)}"
        )
        for row in line.rows:
            p, d = row.promise, row.promise.deal
            mark = "✗" if row.at_risk else "✓"
            out.append(
                f"  {mark} {p.due}  {d.customer} · {d.id} · {d.stage} · "
                f"{VERDICT.get(d.verdict, d.verdict)} · {amount(d.value, cur)}"
            )
            owner = f" · owner {d.owner}" if d.owner else ""
            out.append(f"      {source_text(p)}{owner}")
            why = flag_text(row, line.state, report.at_risk_days)
            if why:
                out.append(f"      {why}")
    if report.made_late:
        move = report.move_value
        out.append("")
        out.append(
            f"Made late by the move ({len(report.made_late)}): value at risk "
            f"{value_text(move, cur)}"
        )
        for row in report.made_late:
            p, d = row.promise, row.promise.deal
            owner = f", owner {d.owner}" if d.owner else ""
            out.append(
                f"  {p.feature} due {p.due}: {d.customer} · {d.id} ({d.stage}{owner}) · {amount(d.value, cur)}"
            )
    if report.unreadable_count:
        out.append("")
        out.append(f"Deals that could not be read ({report.unreadable_count})")
        out.extend(f"  {p.location}: {p.message}" for p in report.unreadable)
    out.append("")
    out.append("Totals")
    out.extend(f"  {t}" for t in totals_lines(report))
    if not report.features:
        out.append("  no promises")
    yield "".join(one_line(x) + "\n" for x in out)


def render_text(report: PromiseReport) -> str:
    return "".join(iter_text(report))


# -- JSON --------------------------------------------------------------------------------------


def _loc(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column}


def _value(value: Value) -> dict[str, Any]:
    return {
        "total": cents(value.total),
        "annual": cents(value.annual),
        "deals": value.deals,
        "unvalued_deals": value.unvalued,
    }


def _promise(row: PromiseRow) -> dict[str, Any]:
    p, d = row.promise, row.promise.deal
    return {
        "due": p.due,
        "customer": d.customer,
        "deal": {
            "id": d.id,
            "file": d.file,
            "location": _loc(d.location),
            "stage": d.stage,
            "owner": d.owner,
            "verdict": d.verdict,
            "currency": d.currency,
            "contract_end": d.end_date,
            "value": cents(d.value),
            "annual_value": cents(d.annual),
        },
        "source": p.source,
        "clause": p.clause,
        "location": _loc(p.location),
        "text": p.text,
        "revision": (
            {"kind": p.revision, "author": p.revised_by, "date": p.revised_on}
            if p.revision
            else None
        ),
        "flags": list(row.flags),
        "made_late_by_move": row.made_late,
        "no_longer_late_after_move": row.no_longer_late,
    }


def _feature_dict(line: FeatureLine) -> dict[str, Any]:
    """A feature of the JSON register, without its ``promises`` (see :func:`iter_json`)."""
    return {
        "feature": line.feature,
        "name": line.state.name,
        "product": line.state.product,
        "status": line.state.status,
        "target": line.state.target,
        "catalog_target": line.moved_from if line.moved else line.state.target,
        "end_of_life": line.state.end_of_life,
        "committable": line.state.committable,
        "customers": line.customers,
        "earliest_due": line.earliest_due,
        "value": _value(line.value),
        "value_at_risk": _value(line.at_risk),
        "flags": line.flag_counts(),
    }


def _head(report: PromiseReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "report": "promises",
        "dealcheck_version": __version__,
        "today": report.today,
        "catalog": {
            "fingerprint": report.catalog_fingerprint,
            "paths": list(report.catalog_paths),
        },
        "currency": report.currency,
        "at_risk_days": report.at_risk_days,
        "stages": list(report.stages),
        "moves": [
            {"feature": m.feature, "target_before": m.before, "target_after": m.after}
            for m in report.moves
        ],
    }


def _tail(report: PromiseReport) -> dict[str, Any]:
    return {
        "totals": {
            **report.summary(),
            "value": _value(report.value),
            "value_at_risk": _value(report.value_at_risk),
            "by_stage": {
                stage: {"promises": count, "value": _value(value)}
                for stage in report.stages
                for count, value in (report.stage_value(stage),)
            },
            "flags": report.flag_counts(),
            "move": _value(report.move_value) if report.moves else None,
        },
        "unreadable": [
            {"message": p.message, "location": _loc(p.location)} for p in report.unreadable
        ],
    }


def to_dict(report: PromiseReport) -> dict[str, Any]:
    """The JSON promise register (``schema_version`` 1, ``report: promises``), whole."""
    features = [
        {**_feature_dict(line), "promises": [_promise(r) for r in line.rows]}
        for line in report.features
    ]
    return {**_head(report), "features": features, **_tail(report)}


def _dumps(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``level`` levels deep."""
    text = json.dumps(plain(value), indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * level)


def _members(value: dict[str, Any], level: int) -> str:
    """The members of a non-empty object, without its braces, ``level`` levels deep."""
    return _dumps(value, level - 1)[2:-2].rstrip() if value else ""


def iter_json(report: PromiseReport) -> Iterator[str]:
    """The JSON register in pieces, a promise at a time: byte for byte what
    ``json.dumps(to_dict(report), indent=2)`` writes (through the shared JSON escaper),
    without holding it all."""
    return (json_text(piece) for piece in _json_pieces(report))


def _json_pieces(report: PromiseReport) -> Iterator[str]:
    yield "{\n" + _members(_head(report), 1) + ',\n  "features": ['
    for i, line in enumerate(report.features):
        yield ("," if i else "") + "\n    {\n" + _members(_feature_dict(line), 3)
        yield ',\n      "promises": ['
        for j, row in enumerate(line.rows):
            yield ("," if j else "") + "\n        " + _dumps(_promise(row), 4)
        yield "\n      ]\n    }"
    yield ("\n  ]" if report.features else "]") + ",\n" + _members(_tail(report), 1) + "\n}\n"


def render_json(report: PromiseReport) -> str:
    return "".join(iter_json(report))


# -- Markdown ----------------------------------------------------------------------------------


def _md(text: object) -> str:
    return markdown_text(text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(report: PromiseReport) -> str:
    """For a pull request or a planning page: totals, then a table per feature."""
    cur = report.currency
    out = ["## dealcheck promises", ""]
    out.extend(f"{_md(x)}  " for x in _header(report))
    out.extend(["", "### Totals", ""])
    out.extend(f"- {_md(t)}" for t in totals_lines(report))
    if report.features:
        out.extend(["", "### By feature", ""])
        out.append(
            _row(
                [
                    "feature",
                    "status",
                    "target",
                    "customers",
                    "earliest due",
                    f"value ({_md(cur or 'n/a')})",
                    "at risk",
                ]
            )
        )
        out.append(_row(["---", "---", "---", "---:", "---", "---:", "---:"]))
        for line in report.features:
            out.append(_row([
                _md(feature_title(line.state)),
                _md(line.state.status),
                _md(target_text(line)),
                str(line.customers),
                str(line.earliest_due),
                _md(amount(line.value.total)),
                _md(amount(line.at_risk.total)),
            ]))  # fmt: skip
    for line in report.features:
        out.extend(["", f"### {_md(feature_title(line.state))}", ""])
        out.append(_md(feature_facts(line)))
        out.append("")
        out.append(
            _row(
                [
                    "due",
                    "customer",
                    "deal",
                    "stage",
                    "owner",
                    "verdict",
                    f"value ({_md(cur or 'n/a')})",
                    "source",
                    "risk",
                ]
            )
        )
        out.append(_row(["---", "---", "---", "---", "---", "---", "---:", "---", "---"]))
        for row in line.rows:
            p, d = row.promise, row.promise.deal
            out.append(_row([
                str(p.due),
                _md(d.customer),
                _md(d.id),
                d.stage,
                _md(d.owner or "—"),
                _md(VERDICT.get(d.verdict, d.verdict)),
                _md(amount(d.value)),
                _md(source_text(p)),
                _md(flag_text(row, line.state, report.at_risk_days) or "—"),
            ]))  # fmt: skip
    if report.unreadable_count:
        out.extend(["", f"### Deals that could not be read ({report.unreadable_count})", ""])
        out.extend(f"- {_md(p.location)}: {_md(p.message)}" for p in report.unreadable)
    return "\n".join(out) + "\n"


# -- CSV ---------------------------------------------------------------------------------------

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
