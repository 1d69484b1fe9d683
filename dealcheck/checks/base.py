"""The check registry and the per-deal context every check reads and reports into.

A built-in check is a function decorated with :func:`check`; its docstring is its user
documentation (``dealcheck explain ID``) with the headings in :data:`DOC_HEADINGS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck.catalog import Catalog, FeatureEntry, SkuEntry
from dealcheck.checks.index import CatalogIndex as CatalogIndex  # re-exported: the engine's
from dealcheck.checks.index import SkuFacts, Target
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


@dataclass
class DealContext:
    """Everything the checks of one deal need, and the findings they report.

    What several checks ask of the deal (the facts of each line's SKU, the products and
    SKUs bought, the deal countries, the known commitments, the contract end) is worked
    out on first use and kept: a deal that has nothing a check looks at costs it nothing.
    """

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
    _included_ids: frozenset[str] | None = field(default=None, repr=False)
    _countries: list[tuple[str, Location, str]] | None = field(default=None, repr=False)
    _country_codes: frozenset[str] | None = field(default=None, repr=False)
    _line_facts: list[SkuFacts | None] | None = field(default=None, repr=False)
    _targets: list[tuple[Target, int]] | None = field(default=None, repr=False)
    _known: list[tuple[CommitmentRef, FeatureEntry]] | None = field(default=None, repr=False)
    _end_date: date | None = field(default=None, repr=False)
    _lines_location: Location | None = field(default=None, repr=False)
    # (check, fingerprint, location) of each finding emitted: a clause that repeats
    # "99.99% uptime" a thousand times is one finding, not a thousand identical ones
    _emitted: set[tuple[str, str, str, int, int]] = field(default_factory=set, repr=False)

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
        # the location's fields, not the Location: equal exactly when the Locations are,
        # without a Python-level hash per lookup
        key = (check_id, stamp, location.file, location.line, location.column)
        if key in self._emitted:
            return
        self._emitted.add(key)
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

    def line_facts(self) -> list[SkuFacts | None]:
        """The catalog index's facts of each line's SKU (None: unknown SKU), in line order."""
        if self._line_facts is None:
            self._line_facts = self.catalog_index.skus(self.line_skus)
        return self._line_facts

    def targets(self) -> list[tuple[Target, int]]:
        """Each product and SKU bought with the index of its first line, once each, in line
        order (a product before its SKU)."""
        if self._targets is None:
            seen: set[str] = set()
            out: list[tuple[Target, int]] = []
            for line, facts in zip(self.lines, self.line_facts(), strict=True):
                if facts is None:
                    continue
                for target in (facts.product, facts.target):
                    if target.ident not in seen:
                        seen.add(target.ident)
                        out.append((target, line.index))
            self._targets = out
        return self._targets

    def products_bought(self) -> dict[str, Product]:
        """Products of the lines with known SKUs, in line order."""
        out: dict[str, Product] = {}
        for entry in self.line_skus:
            if entry is not None:
                out.setdefault(entry.product.id, entry.product)
        return out

    def included_ids(self) -> frozenset[str]:
        """The features of every SKU bought."""
        if self._included_ids is None:
            sets = [facts.feature_set for facts in self.line_facts() if facts is not None]
            self._included_ids = frozenset().union(*sets)
        return self._included_ids

    # -- what the deal promises ----------------------------------------------------------

    def known_commitments(self) -> list[tuple[CommitmentRef, FeatureEntry]]:
        """The commitments to catalog features, with the feature, in commitment order."""
        if self._known is None:
            features = self.catalog.features
            self._known = [
                (c, features[c.feature]) for c in self.commitments if c.feature in features
            ]
        return self._known

    @property
    def end_date(self) -> date:
        """The contract end (``DealBody.end_date``), worked out once."""
        if self._end_date is None:
            self._end_date = self.deal.end_date
        return self._end_date

    # -- where the deal is ---------------------------------------------------------------

    def country_codes(self) -> frozenset[str]:
        """The deal countries (customer, deployment and partner), without their locations."""
        if self._country_codes is None:
            self._country_codes = frozenset(self.deal.countries)
        return self._country_codes

    def countries(self) -> list[tuple[str, Location, str]]:
        """Deal countries with where each is written and its role, once per country."""
        if self._countries is None:
            self._countries = self._find_countries()
        return self._countries

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
        source = self.source
        if not source.elsewhere:
            # the usual case, a deal all in one file: the key, else the line, else its
            # nearest located ancestor (a JSON Lines deal locates only its own line)
            values = source.values
            line = index - 1
            pos = values.get(("lines", line, key)) if key is not None else None
            if pos is None:
                pos = values.get(("lines", line))
            if pos is not None:
                return Location(source.file, *pos)
            if self._lines_location is None:  # the same for every line: made once
                pos = values.get(("lines",)) or values.get(())
                self._lines_location = Location(source.file, *(pos or (1, 1)))
            return self._lines_location
        path: tuple[str | int, ...] = ("lines", index - 1)
        if key is not None and source.has((*path, key)):
            path = (*path, key)
        return source.locate(path)
