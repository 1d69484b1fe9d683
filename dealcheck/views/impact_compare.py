"""Comparing deals for ``dealcheck impact``: each deal (parsed once) is checked by the
base catalog's engine and the current one's, and the two results are compared finding
by finding (:func:`compare_results`).

With ``--jobs``, work units of deals are compared in worker processes that inherit both
engines (:func:`dealcheck.run.map_units`); what comes back is gathered in input order,
so the report is the same whatever the number of workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from dealcheck.contract import gather_clauses
from dealcheck.deals import DealInput
from dealcheck.engine import Engine
from dealcheck.errors import InputError, Problem
from dealcheck.findings import SEVERITY_RANK, DealResult, Finding
from dealcheck.run import map_units
from dealcheck.views.catalogdiff import CauseIndex, Key, finding_keys
from dealcheck.views.impact_model import (
    VERDICT_RANK,
    WORRYING,
    DealImpact,
    Direction,
    FindingChange,
    ImpactReport,
)
from dealcheck.views.promises import LatePromise, Valuation, made_late, promises_of

# -- comparing deals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sides:
    """What every worker holds: both engines, and what a comparison needs of the change."""

    base: Engine
    head: Engine
    causes: CauseIndex
    roadmap: bool  # promises a roadmap change makes late: only when a feature changed
    valuation: Valuation


@dataclass(frozen=True)
class _Outcome:
    """One deal compared (``checked``), or the problems of a deal that could not be."""

    checked: bool
    problems: tuple[Problem, ...] = ()
    impact: DealImpact | None = None
    late: tuple[LatePromise, ...] = ()  # numbered by the caller: see compare_deals


def compare_deals(
    report: ImpactReport,
    base: Engine,
    head: Engine,
    targets: Sequence[str],
    jobs: int,
    min_deals: int,
) -> None:
    """Check each deal under ``targets`` with both engines (across ``jobs`` worker
    processes, for ``min_deals`` or more); record those that changed, in input order."""
    sides = _Sides(
        base,
        head,
        CauseIndex(report.catalog_changes),
        any(c.kind == "feature" for c in report.catalog_changes),
        Valuation(head.catalog),
    )
    report.currency = sides.valuation.currency
    for outcome in map_units(sides, head.options, targets, jobs, _compare_unit, min_deals):
        if not outcome.checked:
            report.unreadable.extend(outcome.problems)
            continue
        report.checked += 1
        report.late_promises.extend(_numbered(outcome.late, report.checked))
        impact = outcome.impact
        if impact is None:
            continue
        report.deals.append(impact)
        for finding_change in impact.findings:
            for cause in finding_change.causes:
                ids = report.affected.setdefault(cause, [])
                if not ids or ids[-1] != impact.deal_id:
                    ids.append(impact.deal_id)


def _compare_unit(sides: _Sides, items: Iterator[DealInput]) -> list[_Outcome]:
    return [_compare(sides, item) for item in items]


def _compare(sides: _Sides, item: DealInput) -> _Outcome:
    if item.error is not None or item.deal is None:
        return _Outcome(False, tuple(item.problems or ((item.error,) if item.error else ())))
    # The contract files are read once too; each engine analyses the clauses with its own
    # catalog's feature names and aliases (what run.check_input does, twice).
    try:
        clauses = gather_clauses(item.deal, item.source, item.base_dir, sides.head.options)
    except InputError as err:
        return _Outcome(False, (Problem.from_input_error(err),))
    after = sides.head.check(item.deal, item.source, clauses)
    before = sides.base.check(item.deal, item.source, clauses)
    late: tuple[LatePromise, ...] = ()
    if sides.roadmap:
        # the deal's place among the checked deals is known only where they are gathered
        promises = promises_of(item.deal, after, 0, sides.valuation)
        late = tuple(made_late(promises, sides.base.catalog, sides.head.catalog))
    return _Outcome(True, (), compare_results(before, after, sides.causes), late)


def _numbered(late: tuple[LatePromise, ...], seq: int) -> list[LatePromise]:
    """``late`` with the deal's position among the checked deals (all share one deal)."""
    if not late:
        return []
    deal = replace(late[0].promise.deal, seq=seq)
    return [replace(lp, promise=replace(lp.promise, deal=deal)) for lp in late]


def _signature(result: DealResult) -> list[tuple[str, ...]]:
    return sorted(
        (f.rule, f.subject, f.fingerprint, f.severity, f.status, f.approver or "")
        for f in result.findings
    )


def compare_results(
    before: DealResult, after: DealResult, causes: CauseIndex | None = None
) -> DealImpact | None:
    """How one deal's result differs between the base and the current catalog (``None``
    when its verdict and findings are the same); ``causes`` traces each changed finding
    to the catalog changes (none without it)."""
    if before.verdict == after.verdict and _signature(before) == _signature(after):
        return None
    index = causes if causes is not None else CauseIndex(())
    pairs = [(old, new, kind) for old, new in _pair(before.findings, after.findings)
             if (kind := _change_kind(old, new)) is not None]  # fmt: skip
    # The most severe open finding that left (and that arrived) per subject: a finding
    # that replaces another on the same subject at the same or a higher severity (a
    # feature-late blocker turned feature-roadmap-commitment approval) is not a gain.
    left = _most_severe(old for old, _new, _kind in pairs)
    arrived = _most_severe(new for _old, new, _kind in pairs)
    finding_changes: list[FindingChange] = []
    for old, new, kind in pairs:
        keys: set[Key] = set()
        if old is not None:
            keys |= finding_keys(old, before)
        if new is not None:
            keys |= finding_keys(new, after)
        finding_changes.append(
            FindingChange(
                kind,
                old,
                new,
                _gained(new, left),
                _gained(old, arrived),
                index.causes_of(keys),
            )
        )
    finding_changes.sort(key=_change_order)
    rank_before = VERDICT_RANK.get(before.verdict, 0)
    rank_after = VERDICT_RANK.get(after.verdict, 0)
    direction: Direction
    if rank_after > rank_before or any(c.worsens for c in finding_changes):
        direction = "worse"
    elif rank_after < rank_before or any(c.improves for c in finding_changes):
        direction = "better"
    else:
        direction = "changed"
    return DealImpact(
        after.deal_id,
        after.file,
        after.location,
        before.verdict,
        after.verdict,
        direction,
        tuple(finding_changes),
    )


def _pair(
    before: Sequence[Finding], after: Sequence[Finding]
) -> list[tuple[Finding | None, Finding | None]]:
    """Match findings by ``(rule, subject)``: same fingerprint first, then in order."""
    old_groups: dict[tuple[str, str], list[Finding]] = {}
    for f in before:
        old_groups.setdefault((f.rule, f.subject), []).append(f)
    pairs: list[tuple[Finding | None, Finding | None]] = []
    unmatched_new: list[Finding] = []
    for f in after:
        group = old_groups.get((f.rule, f.subject), [])
        same = next((o for o in group if o.fingerprint == f.fingerprint), None)
        if same is not None:
            group.remove(same)
            pairs.append((same, f))
        else:
            unmatched_new.append(f)
    for f in unmatched_new:
        group = old_groups.get((f.rule, f.subject), [])
        pairs.append((group.pop(0) if group else None, f))
    pairs.extend((o, None) for group in old_groups.values() for o in group)
    return pairs


def _change_kind(
    old: Finding | None, new: Finding | None
) -> Literal["appeared", "disappeared", "changed"] | None:
    if old is None:
        return "appeared"
    if new is None:
        return "disappeared"
    same = (old.fingerprint, old.severity, old.status, old.approver) == (
        new.fingerprint,
        new.severity,
        new.status,
        new.approver,
    )
    return None if same else "changed"


def _most_severe(findings: Iterable[Finding | None]) -> dict[str, int]:
    """Subject → the severity rank of its most severe open finding among ``findings``."""
    out: dict[str, int] = {}
    for f in findings:
        if f is not None and f.is_open:
            rank = SEVERITY_RANK.get(f.severity, 9)
            out[f.subject] = min(rank, out.get(f.subject, rank))
    return out


def _gained(f: Finding | None, other_side: dict[str, int]) -> bool:
    """Is ``f`` an open blocker/approval finding more severe than anything open on its
    subject that changed on the other side? (Used both ways: gained, and lost.)"""
    if f is None or not f.is_open or f.severity not in WORRYING:
        return False
    return SEVERITY_RANK[f.severity] < other_side.get(f.subject, 9)


def _change_order(c: FindingChange) -> tuple[Any, ...]:
    f = c.finding
    return (not c.worsens, SEVERITY_RANK.get(f.severity, 9), f.location, f.rule, f.subject)
