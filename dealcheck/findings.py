"""The result model: findings, per-deal results, the verdict and the exit code (SPEC §7).

The exit code is computed here, next to the result, not in the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from hashlib import sha256
from typing import TYPE_CHECKING, Any, Literal

from dealcheck.errors import Location, Problem
from dealcheck.pricing import LinePrice

if TYPE_CHECKING:
    from dealcheck.checks.base import CommitmentRef

SEVERITIES = ("blocker", "approval", "warning", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
Verdict = Literal["pass", "needs-approval", "blocked", "error"]
FailOn = Literal["blocker", "approval", "warning"]


def fingerprint(rule: str, subject: str, trigger: tuple[Any, ...]) -> str:
    """A short, stable hash of what a finding is about and the values that triggered it."""
    parts = [rule, subject]
    for value in trigger:  # most triggers are text: no call for them
        parts.append(value if type(value) is str else _canonical(value))
    return sha256("\x1f".join(parts).encode()).hexdigest()[:8]


def _canonical(value: Any) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        normal = value.normalize()
        return format(normal, "f")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


@dataclass
class Finding:
    """One thing wrong (or worth approval) with a deal, with evidence and a way to fix it."""

    rule: str
    category: str
    severity: str
    message: str
    location: Location
    subject: str
    fingerprint: str
    fix: str | None = None
    approver: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    status: str = "open"  # open | approved | waived
    status_note: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def sort_key(self) -> tuple[Any, ...]:
        # the location's fields, not the Location: the same order (a dataclass orders by
        # its fields' tuple) without a Python-level comparison per pair
        where = self.location
        rank = SEVERITY_RANK.get(self.severity, 9)
        return (rank, where.file, where.line, where.column, self.rule, self.subject)


@dataclass(frozen=True)
class DealTerms:
    """A deal's commercial terms as the approval packet shows them (not in the JSON report).

    ``fx_rate`` is units of the deal currency per one unit of the catalog's
    ``base_currency`` as of ``fx_as_of`` (None: no rate); ``sku_names`` the catalog name of
    each line's SKU (None: unknown SKU)."""

    bill_to: str
    deployment_countries: tuple[str, ...]
    partner: str | None
    partner_country: str | None
    partner_margin: Decimal
    start_date: date
    end_date: date
    term_months: int
    free_months: int
    payment_terms_days: int | None
    base_currency: str | None
    fx_rate: Decimal | None
    fx_as_of: date | None
    sku_names: tuple[str | None, ...] = ()
    #: the catalog's FX rate of each currency the lines are priced in (per base unit)
    rates: tuple[tuple[str, Decimal], ...] = ()


@dataclass
class DealResult:
    """The outcome for one deal: its findings and verdict, or why it could not be checked."""

    deal_id: str
    file: str
    location: Location
    findings: list[Finding] = field(default_factory=list)
    lines: list[LinePrice] = field(default_factory=list)
    currency: str | None = None
    total: Decimal | None = None
    margin: Decimal | None = None
    customer: str | None = None
    approvals_recorded: list[dict[str, Any]] = field(default_factory=list)
    error: Problem | None = None
    problems: tuple[Problem, ...] = ()
    #: the deal's terms, for the approval packet (text, Markdown, HTML); not in JSON
    terms: DealTerms | None = None
    #: every commitment judged, structured and found in clauses (dealcheck promises)
    commitments: list[CommitmentRef] = field(default_factory=list, repr=False)

    @classmethod
    def failed(cls, file: str, error: Problem, problems: tuple[Problem, ...] = ()) -> DealResult:
        """A deal that could not be read or validated."""
        return cls("", file, error.location, error=error, problems=problems or (error,))

    def open_summary(self) -> tuple[int, int, list[str]]:
        """One pass over the open findings: the rank of the worst (9: none), how many
        there are, and each approver of an open approval finding, once, sorted."""
        worst, count, approvers = 9, 0, set()
        for f in self.findings:
            if f.status != "open":
                continue
            count += 1
            rank = SEVERITY_RANK.get(f.severity, 9)
            if rank < worst:
                worst = rank
            if f.severity == "approval" and f.approver:
                approvers.add(f.approver)
        return worst, count, sorted(approvers)

    @property
    def verdict(self) -> Verdict:
        return self.verdict_of(self.open_summary()[0])

    def verdict_of(self, worst: int) -> Verdict:
        """The verdict when the worst open finding has rank ``worst`` (see open_summary)."""
        if self.error is not None:
            return "error"
        if worst == SEVERITY_RANK["blocker"]:
            return "blocked"
        if worst == SEVERITY_RANK["approval"]:
            return "needs-approval"
        return "pass"

    @property
    def approvals_required(self) -> list[str]:
        """Each approver of an open approval finding, once, sorted."""
        return self.open_summary()[2]

    def fails(self, fail_on: FailOn) -> bool:
        return self.open_summary()[0] <= SEVERITY_RANK[fail_on]


@dataclass(frozen=True)
class DealStats:
    """What a summary needs of a deal once its report text is rendered (small, picklable)."""

    name: str
    verdict: str
    approvers: str
    open: int
    failing: tuple[str, ...]  # the --fail-on levels this deal fails
    #: why the deal could not be checked (verdict "error"), for the command's stderr
    problems: tuple[Problem, ...] = ()

    @classmethod
    def of(cls, result: DealResult) -> DealStats:
        worst, count, approvers = result.open_summary()
        return cls(
            result.deal_id or result.file,
            result.verdict_of(worst),
            ", ".join(approvers),
            count,
            tuple(
                level
                for level in ("blocker", "approval", "warning")
                if worst <= SEVERITY_RANK[level]
            ),
            result.problems if result.error is not None else (),
        )


#: How many problems of unreadable deals a run keeps to print on stderr.
MAX_KEPT_PROBLEMS = 50


@dataclass
class Tally:
    """Verdict counts and exit code, accumulated one result at a time (for streaming)."""

    counts: dict[str, int] = field(
        default_factory=lambda: {
            "deals": 0,
            "pass": 0,
            "needs-approval": 0,
            "blocked": 0,
            "error": 0,
        }
    )
    failing: dict[str, bool] = field(
        default_factory=lambda: {"blocker": False, "approval": False, "warning": False}
    )

    def add(self, result: DealResult) -> DealResult:
        self.add_stats(DealStats.of(result))
        return result

    #: the first problems of unreadable deals, for stderr (bounded: a million broken
    #: deals must not fill memory); ``problem_count`` counts them all
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def add_stats(self, stats: DealStats) -> DealStats:
        self.counts["deals"] += 1
        self.counts[stats.verdict] += 1
        for level in stats.failing:
            self.failing[level] = True
        self.problem_count += len(stats.problems)
        room = MAX_KEPT_PROBLEMS - len(self.problems)
        if room > 0:
            self.problems.extend(stats.problems[:room])
        return stats

    def exit_code(self, fail_on: FailOn | None = None) -> int:
        """SPEC §7: 2 some deal could not be read; 1 blocked (or at/above ``--fail-on``);
        3 nothing blocked but some deal needs approval (only without ``--fail-on``); else 0."""
        if self.counts["error"]:
            return 2
        if fail_on is not None:
            return 1 if self.failing[fail_on] else 0
        if self.counts["blocked"]:
            return 1
        if self.counts["needs-approval"]:
            return 3
        return 0

    def summary(self) -> dict[str, int]:
        return dict(self.counts)


def exit_code(results: list[DealResult], fail_on: FailOn | None = None) -> int:
    """The exit code for a list of results (see :meth:`Tally.exit_code`)."""
    tally = Tally()
    for r in results:
        tally.add(r)
    return tally.exit_code(fail_on)


def summary(results: list[DealResult]) -> dict[str, int]:
    tally = Tally()
    for r in results:
        tally.add(r)
    return tally.summary()
