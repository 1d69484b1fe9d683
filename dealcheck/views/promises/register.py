"""The register itself: :class:`PromiseRegister` collects the promises of deals streamed
through it one at a time and groups them by feature, flagged and totalled, into a
:class:`~dealcheck.views.promises.model.PromiseReport`; :func:`run_promises` is the
library entry point, :func:`parse_moves` reads the ``--move`` what-ifs.

What is kept is the promises (and one small
:class:`~dealcheck.views.promises.model.DealFacts` per deal that has any), never the
deals, so memory grows with the number of promises, not of deals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from dealcheck.errors import Problem
from dealcheck.views.promises.collect import Valuation, promises_of
from dealcheck.views.promises.model import (
    FeatureLine,
    FeatureState,
    Move,
    Promise,
    PromiseReport,
    PromiseRow,
    value_of,
)
from dealcheck.views.promises.risk import DEFAULT_AT_RISK_DAYS, flags_of, is_late

if TYPE_CHECKING:
    from dealcheck.catalog import Catalog
    from dealcheck.engine import Engine
    from dealcheck.findings import DealResult
    from dealcheck.models import DealBody

STAGES = ("draft", "open", "signed")
#: How many problems of unreadable deals a register keeps (all are counted).
MAX_KEPT_PROBLEMS = 50


class PromiseError(Exception):
    """A bad ``--move`` (unknown feature, bad date): the CLI prints it, exit 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
