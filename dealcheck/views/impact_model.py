"""What ``dealcheck impact`` reports (:mod:`dealcheck.views.impact`): the deals whose
verdict or findings changed, each changed finding with its likely causes, and the
promises a roadmap change makes late. Renderers (:mod:`dealcheck.report.impact`) are pure
functions of an :class:`ImpactReport`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from dealcheck.errors import Location, Problem
from dealcheck.findings import Finding
from dealcheck.views.catalogdiff import CatalogChange
from dealcheck.views.promises import LatePromise, Value, value_of

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
