"""The promise register's data model: a deal's facts, its promises, a feature's roadmap
facts, the rows and totals of the register (:class:`PromiseReport`, which every renderer
reads) and the sums of deal values (each deal counted once).

Plain frozen dataclasses: how promises are read from deals is in
:mod:`~dealcheck.views.promises.collect`, how they are judged in
:mod:`~dealcheck.views.promises.risk`, how they are grouped in
:mod:`~dealcheck.views.promises.register`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck.errors import Location, Problem

if TYPE_CHECKING:
    from dealcheck.catalog import Catalog

#: The risk flags of a promise, in the order they are shown (see :mod:`.risk`).
FLAGS = ("late", "overdue", "at-risk", "end-of-life", "not-committable", "unknown")
FLAG_TEXT = {
    "late": "late: due before the roadmap target",
    "overdue": "overdue: due date passed, feature not yet GA",
    "at-risk": "at risk: due within the margin after the target",
    "end-of-life": "end of life: the feature ends before the contract does",
    "not-committable": "not committable",
    "unknown": "unknown feature",
}


@dataclass(frozen=True, slots=True)
class FeatureState:
    """A feature's roadmap facts as a promise is judged against them."""

    id: str
    name: str | None
    product: str | None
    status: str  # a catalog status, or "unknown"
    target: date | None
    end_of_life: date | None
    committable: bool

    @classmethod
    def of(cls, catalog: Catalog, feature_id: str) -> FeatureState:
        entry = catalog.features.get(feature_id)
        if entry is None:
            return cls(feature_id, None, None, "unknown", None, None, False)
        f = entry.feature
        return cls(
            f.id, f.name, entry.product.id, f.status, f.target, f.end_of_life, f.is_committable
        )

    def moved(self, target: date) -> FeatureState:
        return FeatureState(
            self.id,
            self.name,
            self.product,
            self.status,
            target,
            self.end_of_life,
            self.committable,
        )


@dataclass(frozen=True, slots=True)
class DealFacts:
    """What the register shows of a deal, shared by all its promises."""

    seq: int  # the deal's position in the input: two deals may share an id
    id: str
    file: str
    location: Location
    customer: str
    owner: str | None
    stage: str
    verdict: str
    currency: str
    end_date: date
    value: Decimal | None  # over the term, base currency
    annual: Decimal | None  # per year, base currency


@dataclass(frozen=True, slots=True)
class Promise:
    """One commitment of one deal to one feature."""

    feature: str
    due: date
    source: str  # "structured" (commitments:) | "clause" (found in the contract text)
    clause: str | None
    location: Location
    text: str | None  # the committing sentence, for a promise found in a clause
    deal: DealFacts
    revision: str | None = None  # "inserted": a redline inserted it; "deleted": its disclaimer
    revised_by: str | None = None
    revised_on: str | None = None

    @property
    def inserted_by(self) -> str | None:
        """The author of the tracked insertion that made this promise, if any."""
        return self.revised_by if self.revision == "inserted" else None

    @property
    def where(self) -> str:
        """``clause 1.2`` or ``commitments``."""
        if self.source == "clause":
            return f"clause {self.clause}" if self.clause else "the contract"
        return f"commitments (clause {self.clause})" if self.clause else "commitments"

    @property
    def redline(self) -> str:
        """``inserted by X in a redline on D`` ("" when the text was not redlined)."""
        if self.revision is None:
            return ""
        who = f" by {self.revised_by}" if self.revised_by else ""
        when = f" on {self.revised_on}" if self.revised_on else ""
        if self.revision == "inserted":
            return f"inserted{who} in a redline{when}"
        return f"its disclaimer deleted{who} in a redline{when}"


@dataclass(frozen=True, slots=True)
class PromiseRow:
    """A promise with its flags (against the roadmap as moved, with ``--move``)."""

    promise: Promise
    flags: tuple[str, ...]
    made_late: bool = False  # late only because of the move
    no_longer_late: bool = False  # late before the move, not after it

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class Value:
    """A sum of deal values (each deal once), in the base currency."""

    total: Decimal
    annual: Decimal
    deals: int
    unvalued: int  # deals whose value cannot be derived (not in the sums)


def value_of(promises: Iterable[Promise]) -> Value:
    """The value of the deals behind ``promises``, each deal counted once."""
    seen: dict[int, DealFacts] = {}
    for p in promises:
        seen.setdefault(p.deal.seq, p.deal)
    total = annual = Decimal(0)
    unvalued = 0
    for deal in seen.values():
        if deal.value is None or deal.annual is None:
            unvalued += 1
            continue
        total += deal.value
        annual += deal.annual
    return Value(total, annual, len(seen), unvalued)


@dataclass
class FeatureLine:
    """One feature of the register: its facts, its promises and their totals."""

    state: FeatureState
    rows: list[PromiseRow]
    moved_from: date | None = None  # the catalog's target, when ``moved``
    moved: bool = False  # the target is a --move what-if
    value: Value = field(default_factory=lambda: Value(Decimal(0), Decimal(0), 0, 0))
    at_risk: Value = field(default_factory=lambda: Value(Decimal(0), Decimal(0), 0, 0))

    @property
    def feature(self) -> str:
        return self.state.id

    @property
    def customers(self) -> int:
        return len({r.promise.deal.customer for r in self.rows})

    @property
    def earliest_due(self) -> date:
        return min(r.promise.due for r in self.rows)

    def count(self, flag: str) -> int:
        return sum(flag in r.flags for r in self.rows)

    def flag_counts(self) -> dict[str, int]:
        return {flag: self.count(flag) for flag in FLAGS}

    @property
    def made_late(self) -> list[PromiseRow]:
        return [r for r in self.rows if r.made_late]


@dataclass(frozen=True)
class Move:
    """A what-if: the feature's target as the catalog has it, and as moved."""

    feature: str
    before: date | None
    after: date


@dataclass
class PromiseReport:
    """Everything ``dealcheck promises`` reports; renderers are pure functions of it."""

    today: date
    currency: str | None  # the base currency of every value
    at_risk_days: int
    stages: tuple[str, ...]
    catalog_fingerprint: str
    catalog_paths: tuple[str, ...]
    features: list[FeatureLine]
    moves: list[Move] = field(default_factory=list)
    deals_read: int = 0
    deals_skipped: int = 0  # read, but of a stage not asked for
    unreadable: list[Problem] = field(default_factory=list)
    unreadable_count: int = 0

    @property
    def rows(self) -> list[PromiseRow]:
        return [r for line in self.features for r in line.rows]

    @property
    def value(self) -> Value:
        return value_of(r.promise for r in self.rows)

    @property
    def value_at_risk(self) -> Value:
        return value_of(r.promise for r in self.rows if r.at_risk)

    @property
    def made_late(self) -> list[PromiseRow]:
        return [r for r in self.rows if r.made_late]

    @property
    def move_value(self) -> Value:
        """The value of the deals a --move makes late."""
        return value_of(r.promise for r in self.made_late)

    def stage_value(self, stage: str) -> tuple[int, Value]:
        rows = [r for r in self.rows if r.promise.deal.stage == stage]
        return len(rows), value_of(r.promise for r in rows)

    def flag_counts(self) -> dict[str, int]:
        rows = self.rows
        return {flag: sum(flag in r.flags for r in rows) for flag in FLAGS}

    @property
    def exit_code(self) -> int:
        """2 when some deal could not be read, else 0 (the register never fails a build)."""
        return 2 if self.unreadable_count else 0

    def summary(self) -> dict[str, Any]:
        rows = self.rows
        return {
            "deals": self.deals_read,
            "deals_skipped": self.deals_skipped,
            "deals_with_promises": len({r.promise.deal.seq for r in rows}),
            "unreadable": self.unreadable_count,
            "promises": len(rows),
            "features": len(self.features),
            "customers": len({r.promise.deal.customer for r in rows}),
            "promises_at_risk": sum(r.at_risk for r in rows),
            "made_late_by_move": len(self.made_late),
        }
