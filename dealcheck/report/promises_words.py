"""The promise register in words, the same in every format: money, a feature's title and
roadmap facts, why a promise is at risk, where it was made, the header and the totals.
The renderers (:mod:`~dealcheck.report.promises`) only lay these out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from dealcheck.pricing import CENT, rounded

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
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


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' * (n != 1)}"


def header_lines(report: PromiseReport) -> list[str]:
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
        f"{plural(s['promises'], 'promise')} to {plural(s['features'], 'feature')}, "
        f"{plural(s['customers'], 'customer')}, {plural(s['deals_with_promises'], 'deal')} "
        f"({s['deals']:,} read, {s['deals_skipped']:,} of other stages)",
        f"value {value_text(report.value, cur)}",
        f"at risk {value_text(report.value_at_risk, cur)} in "
        f"{plural(report.value_at_risk.deals, 'deal')} ({plural(s['promises_at_risk'], 'promise')})",
    ]
    for stage in reversed(report.stages):
        count, value = report.stage_value(stage)
        out.append(
            f"{STAGE_TEXT[stage]}: {plural(count, 'promise')}, value {value_text(value, cur)}"
        )
    counts = report.flag_counts()
    out.append(" · ".join(f"{flag} {counts[flag]}" for flag in counts))
    if report.moves:
        move = report.move_value
        out.append(
            f"the move makes {plural(len(report.made_late), 'promise')} late: value at risk "
            f"{value_text(move, cur)} in {plural(move.deals, 'deal')}"
        )
    return out
