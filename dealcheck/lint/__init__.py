"""``dealcheck lint``: find the holes in the deal-desk policy before a deal does.

The rule language is closed and small, so its conditions can be analysed exactly
(:mod:`dealcheck.expr.logic`): which values of each field make a rule fire, as intervals
of Decimals with open and closed ends. From that, over every enabled rule of every
RuleSet (and the ``builtin:`` overrides), lint reports:

* ``lint-never-fires`` — a condition no deal the models allow can make true;
* ``lint-shadowed`` — a rule whose every firing another rule of the same scope already
  covers, with the same or a higher severity and the same approver;
* ``lint-band-gap`` / ``lint-band-overlap`` — the values of a quantity that approval and
  blocker rules split into bands, that no band covers between the lowest and highest
  band, or that the bands of two different approvers both cover;
* ``lint-escalation-inversion`` — a riskier value routed to a lower approver (by the
  RuleSets' ``approvers:`` ranking, lowest first);
* ``lint-unknown-approver`` — an approver in no ranking; ``lint-no-ranking`` (info) — a
  RuleSet with approvals but no ranking.

Each finding comes with the smallest example deal that shows it (a ``tests:`` case),
confirmed by running the engine on it. Modules: :mod:`~.findings`, :mod:`~.docs`,
:mod:`~.analyses` (never fires, shadowed), :mod:`~.bands`, :mod:`~.approvers`,
:mod:`~.examples`, :mod:`~.coverage` (``dealcheck test --coverage``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dealcheck.catalog import Catalog
from dealcheck.engine import Engine
from dealcheck.errors import Location, Problem
from dealcheck.lint import analyses, approvers, bands
from dealcheck.lint.examples import ExampleBuilder
from dealcheck.lint.findings import Example, LintFinding, LintReport

__all__ = [
    "Example",
    "LintFinding",
    "LintReport",
    "deal_approvals",
    "lint_catalog",
    "lint_problems",
]


def lint_catalog(
    engine: Engine, today: date, deal_approvals: Sequence[tuple[str, Location, str]] = ()
) -> LintReport:
    """Lint every RuleSet of ``engine``'s catalog (which must have compiled cleanly).

    ``deal_approvals`` are (approver, where, rule) of deals' ``approvals:`` to check too.
    """
    lint = analyses.Lint(engine.catalog, engine.rules, ExampleBuilder(engine, today))
    analyses.never_fires(lint)
    analyses.shadowed(lint)
    by_var = bands.bands(lint)
    bands.gaps(lint, by_var)
    bands.overlaps(lint, by_var)
    bands.inversions(lint, by_var)
    approvers.approvers(lint, list(deal_approvals))
    findings = sorted(lint.findings, key=LintFinding.sort_key)
    opaque = sorted(r.id for r in lint.rules if r.analysis is None or r.analysis.opaque)
    return LintReport(findings, sorted(engine.catalog.rulesets), len(lint.rules), opaque)


def deal_approvals(paths: Sequence[str]) -> tuple[list[tuple[str, Location, str]], list[str]]:
    """The approvals recorded in the deals at ``paths`` (files or directories), and the
    problems reading them (as text, ``file:line:column: message``)."""
    from dealcheck.deals import iter_deals

    found: list[tuple[str, Location, str]] = []
    problems: list[str] = []
    for item in iter_deals(list(paths)):
        if item.deal is None:
            problems.extend(str(p) for p in (item.error, *item.problems) if p is not None)
            continue
        for j, approval in enumerate(item.deal.approvals):
            where = item.source.locate(("approvals", j, "approver"))
            found.append((approval.approver, where, approval.rule))
    return found, problems


def lint_problems(catalog: Catalog, today: date) -> list[Problem]:
    """Lint findings as ``validate`` problems (for ``validate --lint``): errors as errors,
    warnings as warnings, infos left out; nothing when the catalog does not compile."""
    engine = Engine(catalog, today)
    if not engine.ok:
        return []
    return [
        Problem(f.location, f.message, f.severity, f.id)
        for f in lint_catalog(engine, today).findings
        if f.severity in ("error", "warning")
    ]
