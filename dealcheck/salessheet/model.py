"""The sales sheet's data: plain frozen rows that the renderers in ``dealcheck.report`` show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final, get_args

from dealcheck.models.documents import FeatureStatus

SECTIONS: Final = ("features", "skus", "regions")
STATUSES: Final[tuple[str, ...]] = get_args(FeatureStatus)
ROADMAP_STATUSES: Final = ("beta", "preview", "planned")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RegionRule:
    """Where an item may or may not be sold: a ``sellable_in`` list or a restriction."""

    kind: str  # product | sku | feature
    id: str
    name: str
    rule: str  # "sellable_in" | "restricted_in"
    where: tuple[str, ...]
    reason: str | None = None
    severity: str | None = None  # blocker | approval | warning (restrictions)
    approver: str | None = None


@dataclass(frozen=True)
class Exclusion:
    """An item that may not be sold (or only with approval) in part or all of the region."""

    kind: str  # product | sku | feature
    id: str
    name: str
    product: str
    where: str  # a compact label: "AU", "EU", "AE, IL, QA"
    countries: tuple[str, ...]
    reason: str
    severity: str  # blocker | approval | warning
    approver: str | None = None

    @property
    def summary(self) -> str:
        """``not sellable in AU: Acme Analytics — Not IRAP assessed; …``"""
        if self.severity == "blocker":
            verb = "not sellable"
        elif self.severity == "approval":
            verb = f"needs {self.approver or 'an'} approval"
        else:
            verb = "sellable with a warning"
        return f"{verb} in {self.where}: {self.name} — {self.reason}"


@dataclass(frozen=True)
class Band:
    """A band of sales discount off list and what a discount in it needs."""

    low: Decimal
    low_inclusive: bool
    high: Decimal | None  # None: no upper end
    high_inclusive: bool
    severity: str | None  # None: nothing needed; else the rule's severity
    approver: str | None = None
    rule: str | None = None

    @property
    def label(self) -> str:
        """``up to 20%``, ``20–30%``, ``over 40%``, ``exactly 0%``."""
        low, high = _pct(self.low), _pct(self.high) if self.high is not None else ""
        if self.high is not None and self.low == self.high:
            return f"exactly {low}"
        if self.high is None:
            return f"over {low}" if not self.low_inclusive else f"{low} or more"
        if self.low == ZERO and self.low_inclusive:
            return f"up to {high}" if self.high_inclusive else f"under {high}"
        return f"{low.rstrip('%')}–{high}"

    @property
    def needs(self) -> str:
        """``no approval``, the approver, ``not allowed`` or ``warning``."""
        if self.severity is None:
            return "no approval"
        if self.severity == "approval":
            return self.approver or "approval"
        if self.severity == "blocker":
            return "not allowed"
        return self.severity


@dataclass(frozen=True)
class SkuBand:
    """A discount band as unit prices of one SKU (display currency).

    When a net price below the floor is blocked, the band stops at the floor price
    (``clipped``), or is wholly ``below_floor``: those prices cannot be signed at all.
    """

    band: Band
    highest_price: Decimal
    lowest_price: Decimal | None  # None: down to zero
    clipped: bool = False
    below_floor: bool = False


@dataclass(frozen=True)
class SkuCost:
    """Internal only: what a unit costs and the margins it leaves."""

    unit_cost: Decimal
    margin_at_list: Decimal | None
    margin_at_floor: Decimal | None
    min_margin_price: Decimal | None  # lowest net price that keeps min_margin


@dataclass(frozen=True)
class SkuRow:
    sku: str
    name: str
    product: str
    edition: str | None
    features: tuple[str, ...]  # add-on SKUs: the features they add
    currency: str
    list_price: Decimal
    floor_price: Decimal | None
    min_margin: Decimal | None
    available_from: date | None
    bands: tuple[SkuBand, ...]
    region_rules: tuple[RegionRule, ...]
    not_in: tuple[Exclusion, ...] = ()
    cost: SkuCost | None = None


@dataclass(frozen=True)
class FeatureRow:
    id: str
    name: str
    product: str
    status: str
    target: date | None
    end_of_life: date | None
    committable: bool
    editions: tuple[str, ...]  # edition ids that include it (directly or via includes)
    skus: tuple[str, ...]  # add-on SKUs that include it
    restricted_in: tuple[RegionRule, ...]
    not_in: tuple[Exclusion, ...] = ()

    @property
    def on_roadmap(self) -> bool:
        return self.status in ROADMAP_STATUSES


@dataclass(frozen=True)
class ProductRow:
    id: str
    name: str
    currency: str  # the product's own currency
    editions: dict[str, str]  # id → name, catalog order
    availability: str  # available | partial | unavailable (in the region; else available)
    region_rules: tuple[RegionRule, ...]  # product, SKU and feature rules
    not_in: tuple[Exclusion, ...] = ()


@dataclass(frozen=True)
class GroupRow:
    name: str
    members: tuple[str, ...]
    countries: tuple[str, ...]


@dataclass(frozen=True)
class CheckPolicy:
    """How a built-in pricing check is set in this catalog (after ``builtin:`` tuning)."""

    id: str
    severity: str
    approver: str | None
    enabled: bool


@dataclass(frozen=True)
class SalesSheet:
    """Everything a sales sheet shows; ``dealcheck.report.salessheet_text``, ``_json`` and
    ``_markdown`` render it."""

    fingerprint: str
    catalog_paths: tuple[str, ...]
    as_of: date | None
    sections: tuple[str, ...]
    region: str | None
    region_countries: tuple[str, ...]
    statuses: tuple[str, ...]
    product: str | None
    edition: str | None
    currency: str | None
    internal: bool
    products: tuple[ProductRow, ...]
    features: tuple[FeatureRow, ...]
    skus: tuple[SkuRow, ...]
    groups: tuple[GroupRow, ...]
    discount_bands: tuple[Band, ...]
    other_line_rules: tuple[str, ...]
    policies: tuple[CheckPolicy, ...]
    not_available: tuple[Exclusion, ...]
    conditions: tuple[Exclusion, ...]
    product_names: dict[str, str] = field(default_factory=dict)
    #: the deal terms the floor and margin prices are shown for (``catalog
    #: --partner-margin --free-months``): what the company keeps of a unit price
    partner_margin: Decimal = ZERO
    free_months: int = 0
    term_months: int = 12

    @property
    def kept(self) -> Decimal:
        """The share of a unit price the company keeps: (1 − partner) × (T − free) / T."""
        term = Decimal(self.term_months)
        return (1 - self.partner_margin) * (term - self.free_months) / term

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:19]

    @property
    def roadmap(self) -> tuple[FeatureRow, ...]:
        return tuple(f for f in self.features if f.on_roadmap)


def _pct(value: Decimal) -> str:
    return f"{format((value * HUNDRED).normalize(), 'f')}%"
