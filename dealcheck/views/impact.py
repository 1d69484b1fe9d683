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

The report's model is in :mod:`dealcheck.views.impact_model` and the comparison of deals
(across worker processes with ``--jobs``) in :mod:`dealcheck.views.impact_compare`; this
module loads the two catalogs and puts the report together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from dealcheck.catalog import Catalog, exists, load_catalog
from dealcheck.checks import BUILTIN_IDS, REGISTRY
from dealcheck.contract import ContractOptions
from dealcheck.engine import Engine
from dealcheck.errors import Problem
from dealcheck.views.catalogdiff import Relocate, diff_catalogs
from dealcheck.views.gitfiles import BaseCatalogError, load_base_catalog
from dealcheck.views.impact_compare import compare_deals, compare_results
from dealcheck.views.impact_model import (
    DIRECTIONS,
    VERDICT_RANK,
    WORRYING,
    CatalogSide,
    DealImpact,
    Direction,
    FindingChange,
    ImpactError,
    ImpactReport,
)

__all__ = [
    "DIRECTIONS",
    "VERDICT_RANK",
    "WORRYING",
    "CatalogSide",
    "DealImpact",
    "Direction",
    "FindingChange",
    "ImpactError",
    "ImpactReport",
    "compare_deals",
    "compare_results",
    "run_impact",
]

# -- the library entry point -------------------------------------------------------------------


def run_impact(
    base: str,
    deal_targets: Sequence[str],
    catalog_paths: Sequence[Path],
    today: date,
    builtin_ids: Iterable[str] = BUILTIN_IDS,
    options: ContractOptions | None = None,
    jobs: int = 1,
    min_deals: int = 0,
) -> ImpactReport:
    """Check every deal under ``deal_targets`` against the base and the current catalog.

    ``catalog_paths`` are the current catalog's paths (``find_catalog(...).paths``,
    relative to the working directory); the base catalog is the same paths read from
    ``base`` (an existing directory, else a git ref of the repository around the working
    directory). ``options`` (``--allow-outside``, ``--clauses``) apply to both sides.
    Deals are compared across ``jobs`` worker processes when there are ``min_deals`` or
    more (see :func:`dealcheck.views.impact_compare.compare_deals`).
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
    compare_deals(report, base_engine, head_engine, deal_targets, jobs, min_deals)
    report.rule_summaries = _rule_summaries(report, head_catalog, loaded.catalog)
    return report


def _relocate_problem(problem: Problem, relocate: Relocate) -> Problem:
    return Problem(relocate(problem.location), problem.message, problem.severity, problem.code)


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
