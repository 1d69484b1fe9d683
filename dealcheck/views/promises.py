"""``dealcheck promises``: what sales has promised, to whom, by when — a promise register
for product managers.

Every deal is checked by the one :class:`~dealcheck.engine.Engine`; its result carries
the deal's commitments (``commitments:`` and those found in the contract's clauses,
with the tracked change that made a clause a promise), its total and its verdict. Each
commitment becomes a :class:`Promise`, and promises are grouped by feature with the
feature's roadmap facts, the value that rides on them and what puts them at risk.

Deals stream through one at a time: what is kept is the promises (and one small
:class:`DealFacts` per deal that has any), never the deals, so memory grows with the
number of promises, not of deals.

Risk flags of a promise (``FLAGS``), judged against the catalog (or a what-if move):

* ``late``: due before the roadmap target of a not-yet-GA feature (planned, preview, beta);
* ``overdue``: due before today and the feature is still not GA;
* ``at-risk``: due on or up to ``at_risk_days`` after the target of a not-yet-GA feature
  (a slip of that much breaks it);
* ``end-of-life``: the feature is retired, or deprecated with an end of life before the
  contract ends;
* ``not-committable``: the catalog says the feature may not be committed;
* ``unknown``: no catalog feature has this id.

Values are the deal's contract value over the term and per year, in the catalog's base
currency (the ``FxRates`` base; without one, the currency every product uses), exact
``Decimal`` converted as ``amount / rate(deal currency)``; ``None`` when it cannot be
derived (an unknown SKU, no rate). A feature's value counts each deal once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck.errors import Location, Problem

if TYPE_CHECKING:
    from dealcheck.catalog import Catalog
    from dealcheck.checks.base import CommitmentRef
    from dealcheck.engine import Engine
    from dealcheck.findings import DealResult
    from dealcheck.models import DealBody

FLAGS = ("late", "overdue", "at-risk", "end-of-life", "not-committable", "unknown")
FLAG_TEXT = {
    "late": "late: due before the roadmap target",
    "overdue": "overdue: due date passed, feature not yet GA",
    "at-risk": "at risk: due within the margin after the target",
    "end-of-life": "end of life: the feature ends before the contract does",
    "not-committable": "not committable",
    "unknown": "unknown feature",
}
STAGES = ("draft", "open", "signed")
NOT_YET_GA = ("planned", "preview", "beta")
DEFAULT_AT_RISK_DAYS = 30
#: How many problems of unreadable deals a register keeps (all are counted).
MAX_KEPT_PROBLEMS = 50
TWELVE = Decimal(12)


class PromiseError(Exception):
    """A bad ``--move`` (unknown feature, bad date): the CLI prints it, exit 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- the model ---------------------------------------------------------------------------------


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


def is_late(due: date, state: FeatureState) -> bool:
    """Due before the roadmap target of a feature that is not yet GA."""
    return state.status in NOT_YET_GA and state.target is not None and due < state.target


def flags_of(
    promise: Promise, state: FeatureState, today: date, at_risk_days: int
) -> tuple[str, ...]:
    """The risk flags of a promise against a feature's facts (see the module doc)."""
    if state.status == "unknown":
        return ("unknown",)
    out: list[str] = []
    due = promise.due
    not_ga = state.status in NOT_YET_GA
    if is_late(due, state):
        out.append("late")
    if not_ga and due < today:
        out.append("overdue")
    if (
        not_ga
        and state.target is not None
        and state.target <= due <= state.target + timedelta(days=at_risk_days)
    ):
        out.append("at-risk")
    if state.status == "retired" or (
        state.status == "deprecated"
        and state.end_of_life is not None
        and state.end_of_life < promise.deal.end_date
    ):
        out.append("end-of-life")
    if not state.committable:
        out.append("not-committable")
    return tuple(out)


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


# -- from engine results to promises -----------------------------------------------------------


class Valuation:
    """Deal totals in the catalog's base currency."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        if catalog.fx is not None:
            self.currency: str | None = catalog.fx.base
        else:
            currencies = {p.currency for p in catalog.products.values()}
            self.currency = currencies.pop() if len(currencies) == 1 else None

    def base(self, amount: Decimal | None, currency: str) -> Decimal | None:
        if amount is None or self.currency is None:
            return None
        if currency == self.currency:
            return amount
        rate = self.catalog.fx_rate(currency)
        return amount / rate if rate else None


def promises_of(
    deal: DealBody, result: DealResult, seq: int, valuation: Valuation
) -> list[Promise]:
    """The promises of one checked deal: every commitment the engine judged."""
    commitments: Sequence[CommitmentRef] = result.commitments
    if not commitments:
        return []
    value = valuation.base(result.total, deal.currency)
    facts = DealFacts(
        seq=seq,
        id=deal.id,
        file=result.file,
        location=result.location,
        customer=deal.customer.name,
        owner=deal.owner,
        stage=deal.stage,
        verdict=result.verdict,
        currency=deal.currency,
        end_date=deal.end_date,
        value=value,
        annual=value * TWELVE / deal.term_months if value is not None else None,
    )
    out = []
    for c in commitments:
        revision = c.revision  # on a commitment found in a redlined clause
        out.append(
            Promise(
                feature=c.feature,
                due=c.due,
                source=c.source,
                clause=c.clause,
                location=c.location,
                text=c.text,
                deal=facts,
                revision=revision.kind if revision is not None else None,
                revised_by=revision.author if revision is not None else None,
                revised_on=revision.date[:10] if revision is not None and revision.date else None,
            )
        )
    return out


def parse_moves(values: Sequence[str], catalog: Catalog) -> dict[str, date]:
    """``--move FEATURE=DATE`` values (dates as the catalog takes them: YYYY-MM-DD or a
    quarter); :class:`PromiseError` naming the bad one."""
    from pydantic_core import PydanticCustomError

    from dealcheck.models.fields import parse_roadmap_date

    moves: dict[str, date] = {}
    for value in values:
        feature, sep, when = value.partition("=")
        feature, when = feature.strip(), when.strip()
        if not sep or not feature or not when:
            raise PromiseError(
                f"--move: expected FEATURE=DATE (e.g. eu-data-residency=2027-Q4), got '{value}'"
            )
        if feature not in catalog.features:
            hint = catalog.suggest_feature(feature)
            more = f" (did you mean {hint}?)" if hint else ""
            raise PromiseError(f"--move: unknown feature '{feature}'{more}")
        if feature in moves:
            raise PromiseError(f"--move: feature '{feature}' is moved twice")
        try:
            moves[feature] = parse_roadmap_date(when)
        except PydanticCustomError:
            raise PromiseError(
                f"--move {feature}: '{when}' is not a date (YYYY-MM-DD) or a quarter (2027-Q4)"
            ) from None
    return moves


class PromiseRegister:
    """Collects promises deal by deal; :meth:`report` groups and totals them."""

    def __init__(
        self,
        catalog: Catalog,
        today: date,
        *,
        at_risk_days: int = DEFAULT_AT_RISK_DAYS,
        stages: Sequence[str] = (),
        features: Sequence[str] = (),
        moves: dict[str, date] | None = None,
    ) -> None:
        self.catalog = catalog
        self.today = today
        self.at_risk_days = at_risk_days
        self.stages = tuple(s for s in STAGES if s in stages) if stages else STAGES
        self.only = frozenset(features)
        self.moves = dict(moves or {})
        self.valuation = Valuation(catalog)
        self.by_feature: dict[str, list[Promise]] = {}
        self.deals_read = 0
        self.deals_skipped = 0
        self.problems: list[Problem] = []
        self.problem_count = 0

    def wants(self, deal: DealBody) -> bool:
        """Is the deal of a stage asked for? (Checked before the engine runs.)"""
        return deal.stage in self.stages

    def add(self, deal: DealBody, result: DealResult) -> None:
        if result.error is not None:
            self.add_problems(result.problems or (result.error,))
            return
        seq = self.deals_read
        self.deals_read += 1
        for promise in promises_of(deal, result, seq, self.valuation):
            if self.only and promise.feature not in self.only:
                continue
            self.by_feature.setdefault(promise.feature, []).append(promise)

    def skip(self) -> None:
        self.deals_read += 1
        self.deals_skipped += 1

    def add_problems(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.problem_count += 1
            if len(self.problems) < MAX_KEPT_PROBLEMS:
                self.problems.append(problem)

    def state(self, feature_id: str) -> FeatureState:
        return FeatureState.of(self.catalog, feature_id)

    def report(self) -> PromiseReport:
        lines: list[FeatureLine] = []
        moves = [
            Move(fid, self.state(fid).target, target) for fid, target in sorted(self.moves.items())
        ]
        for feature_id, promises in self.by_feature.items():
            current = self.state(feature_id)
            moved_to = self.moves.get(feature_id)
            state = current.moved(moved_to) if moved_to is not None else current
            rows = []
            for p in sorted(promises, key=_promise_order):
                flags = flags_of(p, state, self.today, self.at_risk_days)
                before, after = is_late(p.due, current), is_late(p.due, state)
                rows.append(PromiseRow(p, flags, after and not before, before and not after))
            line = FeatureLine(state, rows, current.target, moved=moved_to is not None)
            line.value = value_of(r.promise for r in rows)
            line.at_risk = value_of(r.promise for r in rows if r.at_risk)
            lines.append(line)
        lines.sort(key=_feature_order)
        return PromiseReport(
            today=self.today,
            currency=self.valuation.currency,
            at_risk_days=self.at_risk_days,
            stages=self.stages,
            catalog_fingerprint=self.catalog.fingerprint,
            catalog_paths=tuple(self.catalog.paths),
            features=lines,
            moves=moves,
            deals_read=self.deals_read,
            deals_skipped=self.deals_skipped,
            unreadable=list(self.problems),
            unreadable_count=self.problem_count,
        )


def _promise_order(p: Promise) -> tuple[Any, ...]:
    return (p.due, p.deal.customer, p.deal.id, p.deal.seq, p.location)


def _feature_order(line: FeatureLine) -> tuple[Any, ...]:
    return (-line.at_risk.total, -line.value.total, line.feature)


# -- the library entry point -------------------------------------------------------------------


def run_promises(
    engine: Engine,
    targets: Sequence[str],
    *,
    at_risk_days: int = DEFAULT_AT_RISK_DAYS,
    stages: Sequence[str] = (),
    features: Sequence[str] = (),
    moves: dict[str, date] | None = None,
) -> PromiseReport:
    """The promise register of every deal under ``targets`` (files, directories, JSON
    Lines, ``-``), checked one at a time by ``engine``."""
    from dealcheck.deals import iter_deals
    from dealcheck.run import check_input

    register = PromiseRegister(
        engine.catalog,
        engine.today,
        at_risk_days=at_risk_days,
        stages=stages,
        features=features,
        moves=moves,
    )
    for item in iter_deals(targets, engine.options):
        if item.deal is None or item.error is not None:
            register.add_problems(item.problems or ((item.error,) if item.error else ()))
            continue
        if not register.wants(item.deal):
            register.skip()
            continue
        register.add(item.deal, check_input(engine, item))
    return register.report()


# -- what a roadmap change makes late (dealcheck impact) ---------------------------------------


@dataclass(frozen=True)
class LatePromise:
    """A promise that a catalog change makes late: on time before, due before the target after."""

    promise: Promise
    before: FeatureState
    after: FeatureState


def made_late(promises: Iterable[Promise], before: Catalog, after: Catalog) -> list[LatePromise]:
    """The promises late against ``after``'s roadmap that were not against ``before``'s."""
    out = []
    for p in promises:
        old, new = FeatureState.of(before, p.feature), FeatureState.of(after, p.feature)
        if is_late(p.due, new) and not is_late(p.due, old):
            out.append(LatePromise(p, old, new))
    return out
