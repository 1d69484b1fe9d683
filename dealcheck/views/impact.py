"""``dealcheck impact``: what a catalog change does to the deals (SPEC §9).

The base catalog comes from a directory or from a git ref of the current repository
(:mod:`dealcheck.views.gitfiles`: read with git plumbing into a temporary directory, the
working tree and the index are never touched). Every deal is parsed once and checked by
two engines, one per catalog, each built once. The report lists the deals whose verdict
or findings changed, each changed finding with the catalog changes it can be traced to,
a summary of the catalog diff (:mod:`dealcheck.views.catalogdiff`), and the promises a roadmap
change makes late with their owners and the value at risk
(:mod:`dealcheck.views.promises`, the same judgement as ``dealcheck promises --move``). A deal *got worse*
when its verdict worsened (pass < needs-approval < blocked) or it gained an open blocker
or approval finding; then the exit code is 1. The renderers are in
:mod:`dealcheck.report.impact`.

Findings are matched by ``(rule, subject)``: the same pair with another fingerprint,
severity, status or approver is *changed*. A finding is traced to a catalog change
through the rule id (a changed rule or ``builtin:`` tuning) and its evidence keys
``feature``, ``sku``, ``product``, ``country`` and ``currency`` (a changed feature, SKU,
product, region group containing the country, or FX rate).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from dealcheck.catalog import Catalog, exists, load_catalog
from dealcheck.checks import BUILTIN_IDS, REGISTRY
from dealcheck.contract import ContractOptions, gather_clauses
from dealcheck.deals import DealInput, iter_deals
from dealcheck.engine import Engine
from dealcheck.errors import InputError, Location, Problem
from dealcheck.findings import SEVERITY_RANK, DealResult, Finding
from dealcheck.views.catalogdiff import (
    CatalogChange,
    CauseIndex,
    Key,
    Relocate,
    diff_catalogs,
    finding_keys,
)
from dealcheck.views.gitfiles import BaseCatalogError, load_base_catalog
from dealcheck.views.promises import LatePromise, Valuation, Value, made_late, promises_of, value_of

VERDICT_RANK = {"pass": 0, "needs-approval": 1, "blocked": 2}
WORRYING = ("blocker", "approval")  # an open finding of these severities makes a deal worse
Direction = Literal["worse", "better", "changed"]
DIRECTIONS: tuple[Direction, ...] = ("worse", "better", "changed")


class ImpactError(Exception):
    """The impact cannot be computed: bad ``--base``, or a catalog that cannot be loaded.

    The CLI prints ``problems`` (each at ``file:line:column``) and ``message``, exit 2.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


# -- the result model --------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingChange:
    """A finding that appeared, disappeared or changed in one deal, and its likely causes."""

    change: Literal["appeared", "disappeared", "changed"]
    before: Finding | None
    after: Finding | None
    worsens: bool  # an open blocker/approval finding the deal did not have before
    improves: bool
    causes: tuple[str, ...]  # CatalogChange.text of the related catalog changes

    @property
    def finding(self) -> Finding:
        """The finding as it is now (as it was, for one that disappeared)."""
        shown = self.after or self.before
        assert shown is not None
        return shown

    @property
    def details(self) -> tuple[str, ...]:
        """What changed in a changed finding: ``severity approval → blocker`` …"""
        if self.before is None or self.after is None:
            return ()
        return tuple(
            f"{name} {getattr(self.before, name) or 'none'} → {getattr(self.after, name) or 'none'}"
            for name in ("severity", "status", "approver", "fingerprint")
            if getattr(self.before, name) != getattr(self.after, name)
        )


@dataclass(frozen=True)
class DealImpact:
    """A deal whose verdict or findings differ between the two catalogs."""

    deal_id: str
    file: str
    location: Location
    verdict_before: str
    verdict_after: str
    direction: Direction
    findings: tuple[FindingChange, ...]

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_before != self.verdict_after

    @property
    def worsening(self) -> tuple[FindingChange, ...]:
        return tuple(c for c in self.findings if c.worsens)


@dataclass(frozen=True)
class CatalogSide:
    """One of the two catalogs: how it was named, and what was loaded."""

    label: str  # "origin/main", "directory ../main", "working tree"
    kind: Literal["git", "directory", "working-tree"]
    fingerprint: str
    paths: tuple[str, ...]
    commit: str | None = None


@dataclass
class ImpactReport:
    """Everything ``dealcheck impact`` reports; renderers are pure functions of it."""

    today: date
    base: CatalogSide
    head: CatalogSide
    catalog_changes: list[CatalogChange]
    deals: list[DealImpact]  # only deals that changed, in input order
    checked: int
    unreadable: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rule_summaries: dict[str, str] = field(default_factory=dict)
    affected: dict[str, list[str]] = field(default_factory=dict)  # change text → deal ids
    #: promises on time against the base roadmap and late against the current one, with
    #: the deal's owner and value (see :func:`dealcheck.views.promises.made_late`)
    late_promises: list[LatePromise] = field(default_factory=list)
    currency: str | None = None  # the base currency of the promises' values

    @property
    def late_value(self) -> Value:
        """The value (each deal once) of the deals a roadmap change makes late."""
        return value_of(lp.promise for lp in self.late_promises)

    def by_direction(self, direction: Direction) -> list[DealImpact]:
        return [d for d in self.deals if d.direction == direction]

    @property
    def worse(self) -> list[DealImpact]:
        return self.by_direction("worse")

    @property
    def better(self) -> list[DealImpact]:
        return self.by_direction("better")

    @property
    def changed(self) -> list[DealImpact]:
        return self.by_direction("changed")

    @property
    def exit_code(self) -> int:
        """1 when any deal got worse, else 0 (2 is raised as :class:`ImpactError`)."""
        return 1 if self.worse else 0

    def summary(self) -> dict[str, int]:
        return {
            "deals": self.checked,
            "worse": len(self.worse),
            "better": len(self.better),
            "changed": len(self.changed),
            "unchanged": self.checked - len(self.deals),
            "unreadable": len(self.unreadable),
            "catalog_changes": len(self.catalog_changes),
        }


# -- the library entry point -------------------------------------------------------------------


def run_impact(
    base: str,
    deal_targets: Sequence[str],
    catalog_paths: Sequence[Path],
    today: date,
    builtin_ids: Iterable[str] = BUILTIN_IDS,
    options: ContractOptions | None = None,
) -> ImpactReport:
    """Check every deal under ``deal_targets`` against the base and the current catalog.

    ``catalog_paths`` are the current catalog's paths (``find_catalog(...).paths``,
    relative to the working directory); the base catalog is the same paths read from
    ``base`` (an existing directory, else a git ref of the repository around the working
    directory). ``options`` (``--allow-outside``, ``--clauses``) apply to both sides.
    Raises :class:`ImpactError` when either catalog cannot be used.
    """
    ids = tuple(builtin_ids)
    missing = [t for t in deal_targets if t != "-" and not exists(Path(t))]
    if missing:
        raise ImpactError(f"--deals: no such file or directory: {', '.join(missing)}")
    head_catalog = load_catalog(catalog_paths, today, ids)
    head_engine = Engine(head_catalog, today, options)
    if not head_engine.ok:
        raise ImpactError(
            f"the current catalog ({', '.join(head_catalog.paths) or 'no paths'}) has "
            f"{len(head_engine.problems)} error(s); run 'dealcheck validate' for details",
            head_engine.problems,
        )
    try:
        loaded = load_base_catalog(base, catalog_paths, today, ids)
    except BaseCatalogError as err:
        raise ImpactError(f"--base: {err.message}") from None
    base_side = CatalogSide(
        loaded.label, loaded.kind, loaded.catalog.fingerprint, loaded.paths, loaded.commit
    )
    base_engine = Engine(loaded.catalog, today, options)
    if not base_engine.ok:
        raise ImpactError(
            f"the base catalog ({base_side.label}) has {len(base_engine.problems)} error(s)",
            [_relocate_problem(p, loaded.relocate) for p in base_engine.problems],
        )
    head = CatalogSide(
        "working tree", "working-tree", head_catalog.fingerprint, tuple(head_catalog.paths)
    )
    changes = diff_catalogs(loaded.catalog, head_catalog, loaded.relocate)
    report = ImpactReport(today, base_side, head, changes, [], 0, notes=list(loaded.notes))
    compare_deals(report, base_engine, head_engine, iter_deals(deal_targets))
    report.rule_summaries = _rule_summaries(report, head_catalog, loaded.catalog)
    return report


def _relocate_problem(problem: Problem, relocate: Relocate) -> Problem:
    return Problem(relocate(problem.location), problem.message, problem.severity, problem.code)


# -- comparing deals ---------------------------------------------------------------------------


def compare_deals(
    report: ImpactReport, base: Engine, head: Engine, items: Iterable[DealInput]
) -> None:
    """Check each deal (parsed once) with both engines; record those that changed."""
    causes = CauseIndex(report.catalog_changes)
    # Promises a roadmap change makes late: only when a feature changed at all.
    roadmap = any(c.kind == "feature" for c in report.catalog_changes)
    valuation = Valuation(head.catalog)
    report.currency = valuation.currency
    for item in items:
        if item.error is not None or item.deal is None:
            report.unreadable.extend(item.problems or ((item.error,) if item.error else ()))
            continue
        # The contract files are read once too; each engine analyses the clauses with
        # its own catalog's feature names and aliases (what run.check_input does, twice).
        try:
            clauses = gather_clauses(item.deal, item.source, item.base_dir, head.options)
        except InputError as err:
            report.unreadable.append(Problem.from_input_error(err))
            continue
        report.checked += 1
        after = head.check(item.deal, item.source, clauses)
        impact = compare_results(base.check(item.deal, item.source, clauses), after, causes)
        if roadmap:
            promises = promises_of(item.deal, after, report.checked, valuation)
            report.late_promises.extend(made_late(promises, base.catalog, head.catalog))
        if impact is None:
            continue
        report.deals.append(impact)
        for finding_change in impact.findings:
            for cause in finding_change.causes:
                ids = report.affected.setdefault(cause, [])
                if not ids or ids[-1] != impact.deal_id:
                    ids.append(impact.deal_id)


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


def _rule_summaries(report: ImpactReport, head: Catalog, base: Catalog) -> dict[str, str]:
    rules = sorted({c.finding.rule for d in report.deals for c in d.findings})
    out: dict[str, str] = {}
    for rule_id in rules:
        if rule_id in REGISTRY:
            out[rule_id] = REGISTRY[rule_id].summary
            continue
        entry = head.rules.get(rule_id) or base.rules.get(rule_id)
        text = (entry.rule.description or entry.rule.message) if entry else None
        out[rule_id] = text or f"dealcheck rule {rule_id}"
    return out
