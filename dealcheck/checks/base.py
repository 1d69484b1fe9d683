"""The check registry and the per-deal context every check reads and reports into.

A built-in check is a function decorated with :func:`check`; its docstring is its user
documentation (``dealcheck explain ID``) with the headings in :data:`DOC_HEADINGS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck.catalog import Catalog, SkuEntry
from dealcheck.errors import Location
from dealcheck.findings import Finding, fingerprint
from dealcheck.models import BuiltinOverride, DealBody, Product

if TYPE_CHECKING:
    from dealcheck.clauses.model import Revision
from dealcheck.pricing import LinePrice
from dealcheck.yamlio import SourceMap

DOC_HEADINGS = ("What it does", "Why it matters", "Example", "How to fix")


@dataclass(frozen=True)
class Check:
    """A built-in check: its id, family, default severity and approver, and its docs."""

    id: str
    category: str
    severity: str
    approver: str | None
    run: Callable[[DealContext], None]
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.id


REGISTRY: dict[str, Check] = {}


def check(
    check_id: str, category: str, severity: str, approver: str | None = None
) -> Callable[[Callable[[DealContext], None]], Callable[[DealContext], None]]:
    """Register a built-in check; the function's docstring is its documentation."""

    def register(fn: Callable[[DealContext], None]) -> Callable[[DealContext], None]:
        REGISTRY[check_id] = Check(check_id, category, severity, approver, fn, fn.__doc__ or "")
        return fn

    return register


def document(check_id: str, category: str, severity: str, approver: str | None, doc: str) -> None:
    """Register a check that the engine performs itself (approvals, waivers)."""
    REGISTRY[check_id] = Check(check_id, category, severity, approver, lambda ctx: None, doc)


@dataclass
class CommitmentRef:
    """A promise to deliver a feature: from ``commitments:`` or inferred from a clause."""

    index: int
    feature: str
    due: date
    clause: str | None
    source: str  # "structured" | "clause"
    text: str | None
    location: Location
    evidence: str | None = None
    #: the tracked change that made a clause's text a commitment (redlines), else None
    revision: Revision | None = None


@dataclass
class ClauseRef:
    """A clause of the contract, as rules see it (``clause.id``, ``clause.text``)."""

    id: str
    text: str
    location: Location


@dataclass
class UptimeRef:
    """A committed uptime percentage and where it was promised."""

    value: Decimal
    location: Location
    clause: str | None
    text: str
    #: the tracked change that inserted the figure (redlines), else None
    revision: Revision | None = None


#: Suggestions remembered per catalog (a typo tends to repeat across a batch of deals).
MAX_REMEMBERED_SUGGESTIONS = 4096


@dataclass
class CatalogIndex:
    """What the checks derive from the catalog alone: built on first use and shared by
    every deal an engine checks, never rebuilt per deal."""

    catalog: Catalog
    #: each SKU's features, sorted
    sku_features: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _deprecated: frozenset[str] | None = None
    _restricted: frozenset[str] | None = None
    _suggestions: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def deprecated(self) -> frozenset[str]:
        """Ids of the features with an end of life that are not retired yet (deprecated
        ones, and any other status whose ``end_of_life`` is set)."""
        if self._deprecated is None:
            self._deprecated = frozenset(
                fid
                for fid, e in self.catalog.features.items()
                if e.feature.status != "retired" and e.feature.end_of_life is not None
            )
        return self._deprecated

    def restricted(self) -> frozenset[str]:
        """Ids of the features restricted somewhere."""
        if self._restricted is None:
            self._restricted = frozenset(
                fid for fid, e in self.catalog.features.items() if e.feature.restricted_in
            )
        return self._restricted

    def suggest(self, kind: str, word: str) -> str | None:
        """``Catalog.suggest_feature`` / ``suggest_sku``, remembered."""
        key = (kind, word)
        if key in self._suggestions:
            return self._suggestions[key]
        if kind == "feature":
            hint = self.catalog.suggest_feature(word)
        else:
            hint = self.catalog.suggest_sku(word)
        if len(self._suggestions) < MAX_REMEMBERED_SUGGESTIONS:
            self._suggestions[key] = hint
        return hint


@dataclass
class DealContext:
    """Everything the checks of one deal need, and the findings they report."""

    deal: DealBody
    catalog: Catalog
    today: date
    file: str
    source: SourceMap
    lines: list[LinePrice]
    line_skus: list[SkuEntry | None]
    commitments: list[CommitmentRef]
    clauses: list[ClauseRef]
    uptimes: list[UptimeRef]
    overrides: dict[str, BuiltinOverride]
    min_deal_margin: Decimal | None
    deal_margin: Decimal | None
    findings: list[Finding] = field(default_factory=list)
    #: per catalog, shared by every deal the engine checks (one of its own if not given)
    index: CatalogIndex | None = field(default=None, repr=False)
    _included: dict[str, str] | None = field(default=None, repr=False)
    _countries: list[tuple[str, Location, str]] | None = field(default=None, repr=False)
    # (check, fingerprint, location) of each finding emitted: a clause that repeats
    # "99.99% uptime" a thousand times is one finding, not a thousand identical ones
    _emitted: set[tuple[str, str, Location]] = field(default_factory=set, repr=False)

    @property
    def catalog_index(self) -> CatalogIndex:
        if self.index is None:
            self.index = CatalogIndex(self.catalog)
        return self.index

    def locate(self, *path: str | int) -> Location:
        return self.source.locate(path)

    def emit(
        self,
        check_id: str,
        *,
        message: str,
        location: Location,
        subject: str,
        trigger: tuple[Any, ...] = (),
        evidence: dict[str, Any] | None = None,
        fix: str | None = None,
        severity: str | None = None,
        approver: str | None = None,
    ) -> None:
        """Report a finding of a built-in check, honouring the RuleSets' ``builtin:`` tuning."""
        spec = REGISTRY[check_id]
        override = self.overrides.get(check_id)
        if override is not None and override.enabled is False:
            return
        final_severity = severity or spec.severity
        final_approver = approver if approver is not None else spec.approver
        if override is not None:
            final_severity = override.severity or final_severity
            final_approver = override.approver or final_approver
        if final_severity != "approval":
            final_approver = None
        stamp = fingerprint(check_id, subject, trigger)
        if (check_id, stamp, location) in self._emitted:
            return
        self._emitted.add((check_id, stamp, location))
        self.findings.append(
            Finding(
                rule=check_id,
                category=spec.category,
                severity=final_severity,
                message=message,
                location=location,
                subject=subject,
                fingerprint=stamp,
                fix=fix,
                approver=final_approver,
                evidence=evidence or {},
            )
        )

    # -- what the deal buys --------------------------------------------------------------

    def products_bought(self) -> dict[str, Product]:
        """Products of the lines with known SKUs, in line order."""
        out: dict[str, Product] = {}
        for entry in self.line_skus:
            if entry is not None:
                out.setdefault(entry.product.id, entry.product)
        return out

    def included_features(self) -> dict[str, str]:
        """Feature id → the SKU that brings it, for every SKU bought (computed once)."""
        if self._included is None:
            out: dict[str, str] = {}
            memo = self.catalog_index.sku_features
            for entry in self.line_skus:
                if entry is not None:
                    sku = entry.sku.sku
                    features = memo.get(sku)
                    if features is None:
                        features = memo[sku] = tuple(sorted(self.catalog.sku_features(entry)))
                    for feature_id in features:
                        out.setdefault(feature_id, sku)
            self._included = out
        return self._included

    def countries(self) -> list[tuple[str, Location, str]]:
        """Deal countries with where each is written and its role, once per country."""
        if self._countries is None:
            self._countries = self._find_countries()
        return self._countries

    def countries_in(self, regions: Iterable[str]) -> list[tuple[str, Location, str]]:
        """The deal countries inside any of ``regions`` (countries or region groups)."""
        regions = tuple(regions)
        return [
            entry
            for entry in self.countries()
            if any(self.catalog.in_region(entry[0], r) for r in regions)
        ]

    def _find_countries(self) -> list[tuple[str, Location, str]]:
        deal = self.deal
        seen: dict[str, tuple[str, Location, str]] = {}
        seen[deal.customer.country] = (
            deal.customer.country,
            self.locate("customer", "country"),
            "customer",
        )
        for i, country in enumerate(deal.deployment_countries or ()):
            seen.setdefault(
                country, (country, self.locate("deployment_countries", i), "deployment")
            )
        if deal.partner is not None:
            seen.setdefault(
                deal.partner.country,
                (deal.partner.country, self.locate("partner", "country"), "partner"),
            )
        return list(seen.values())

    def line_location(self, index: int, key: str | None = None) -> Location:
        """A line's position (1-based ``index``), or one of its keys."""
        path: tuple[str | int, ...] = ("lines", index - 1)
        if key is not None and self.source.has((*path, key)):
            path = (*path, key)
        return self.source.locate(path)
