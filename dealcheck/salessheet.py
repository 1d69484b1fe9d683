"""The sales sheet: what may be sold where, at what price, and what is only on the roadmap.

``dealcheck catalog [features|skus|regions]`` answers a rep's "what can I sell in
Australia, at what price?" and gives product managers a page to publish. One function,
:func:`build_sales_sheet`, turns the catalog into a plain :class:`SalesSheet`; three pure
renderers turn that into text (rich), JSON or Markdown.

Decisions this module encodes:

* **Region.** A country code or a region group. An item (product, SKU, feature) is
  *available* there when it may be sold in every country of the region, *partial* when
  only in some (it stays listed, with the countries it may not be sold in), and
  *unavailable* when in none (it is left out of the tables and listed under "not
  available", with the reason). A blocker restriction or a country outside
  ``sellable_in`` makes a country unavailable; a restriction of severity ``approval`` or
  ``warning`` does not, it is listed as a *condition*. A product's block covers its SKUs
  and features, so only the product is listed for it. Feature restrictions count as
  blockers here (a contract may not commit to the feature there); the engine only warns
  when such a feature is merely included.
* **Currency.** Prices are shown in the product's currency unless another is asked for;
  it is never guessed from the region (Australian deals are also quoted in USD).
* **Approval bands** come from enabled line-scope rules whose condition is nothing but
  a band of ``line.discount`` (:func:`dealcheck.expr.discount_band`); the discounts no
  such rule covers need no approval. Other line rules are named, not interpreted.
* **Cost.** Unit cost, margins at list and at floor, and the lowest price that keeps the
  minimum margin (it reveals the cost) are shown only with ``internal=True``.
* **Statuses.** Retired features are left out unless asked for by ``statuses``. The
  roadmap is every beta, preview and planned feature. ``statuses`` filters features only.
* **Edition.** With ``edition``, features are those of the edition (and of the editions
  it includes) and SKUs are those of the edition; add-on SKUs are left out.
* **Order.** Products by id; features and SKUs in catalog order; groups and countries
  alphabetically. The same catalog and options give the same output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any, Final, get_args

from dealcheck import __version__
from dealcheck.catalog import Catalog, SkuEntry
from dealcheck.errors import InputError, Location
from dealcheck.expr import discount_band
from dealcheck.models import BuiltinOverride, Feature, Product, Restriction
from dealcheck.models.documents import FeatureStatus
from dealcheck.models.fields import country_codes, currency_codes, suggest
from dealcheck.pricing import CENT, convert, money, percent
from dealcheck.report.console import render_rich
from dealcheck.rules import CompiledRule, compile_rules

if TYPE_CHECKING:
    from rich.console import Console

SECTIONS: Final = ("features", "skus", "regions")
STATUSES: Final[tuple[str, ...]] = get_args(FeatureStatus)
ROADMAP_STATUSES: Final = ("beta", "preview", "planned")
SCHEMA_VERSION: Final = 1
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


# -- the data ------------------------------------------------------------------------------


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
    """Everything a sales sheet shows; render with :func:`render_text`, ``_json``, ``_markdown``."""

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

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:19]

    @property
    def roadmap(self) -> tuple[FeatureRow, ...]:
        return tuple(f for f in self.features if f.on_roadmap)


# -- building ------------------------------------------------------------------------------


def build_sales_sheet(
    catalog: Catalog,
    *,
    sections: Iterable[str] = (),
    region: str | None = None,
    statuses: Iterable[str] = (),
    product: str | None = None,
    edition: str | None = None,
    currency: str | None = None,
    internal: bool = False,
    rules: Sequence[CompiledRule] | None = None,
    overrides: Mapping[str, BuiltinOverride] | None = None,
) -> SalesSheet:
    """The sales sheet of ``catalog`` for the given filters.

    ``sections``: any of :data:`SECTIONS` (none: all). ``region``: a country code or a
    region group. ``statuses``: feature statuses (each may be comma-separated).
    ``product``: an id or a name. ``edition``: an edition id. ``currency``: an ISO code
    the catalog has an FX rate for. ``internal``: show unit costs and margins.
    ``rules`` and ``overrides``: an :class:`~dealcheck.engine.Engine`'s ``rules`` and
    ``overrides``, so the sheet agrees with the checks (default: derived here). Raises
    :class:`InputError` for an unknown filter value, with a suggestion.
    """
    wanted_sections = _sections(sections)
    countries = _region(catalog, region)
    wanted_statuses = _statuses(statuses)
    products = _products(catalog, product)
    edition_id = _edition(products, edition)
    if edition_id is not None:
        products = [p for p in products if any(e.id == edition_id for e in p.editions)]
    if currency is not None:
        currency = _currency(catalog, currency, products)
    compiled = list(rules) if rules is not None else compile_rules(catalog)[0]
    bands, others = discount_bands(compiled)
    policies = _policies(catalog, overrides)
    floor_blocks = any(
        p.id == "price-below-floor" and p.enabled and p.severity == "blocker" for p in policies
    )

    region_name = region.strip().upper() if region is not None else None
    judge = _Judge(catalog, region_name, countries)
    product_rows: list[ProductRow] = []
    feature_rows: list[FeatureRow] = []
    sku_rows: list[SkuRow] = []
    not_available: list[Exclusion] = []
    conditions: list[Exclusion] = []

    def note(found: Iterable[Exclusion]) -> tuple[Exclusion, ...]:
        found = tuple(found)
        not_available.extend(x for x in found if x.severity == "blocker")
        conditions.extend(x for x in found if x.severity != "blocker")
        return tuple(x for x in found if x.severity == "blocker")

    for prod in products:
        own = note(
            judge.exclusions(
                "product", prod.id, prod.name, prod, prod.sellable_in, prod.restricted_in
            )
        )
        blocked = judge.blocked(own)
        availability = judge.availability(blocked)
        rules_here: list[RegionRule] = list(
            _region_rules("product", prod.id, prod.name, prod.sellable_in, prod.restricted_in)
        )
        for sku in prod.skus:
            rules_here.extend(
                _region_rules("sku", sku.sku, sku.sku, sku.sellable_in, sku.restricted_in)
            )
        for feat in prod.features:
            rules_here.extend(
                _region_rules("feature", feat.id, feat.name, None, feat.restricted_in)
            )
        product_rows.append(
            ProductRow(
                prod.id,
                prod.name,
                prod.currency,
                {e.id: e.name for e in prod.editions},
                availability,
                tuple(rules_here),
                own,
            )
        )
        if availability == "unavailable":
            continue  # its SKUs and features go with it; the product is listed once
        shown = currency or prod.currency
        rate = _rates(catalog, prod, shown)
        for sku in prod.skus:
            if edition_id is not None and sku.edition != edition_id:
                continue
            entry = catalog.skus.get(sku.sku)
            if entry is None or entry.product.id != prod.id:
                continue  # a duplicate SKU id: reported by validate, not sold from here
            sku_own = note(
                judge.exclusions("sku", sku.sku, sku.sku, prod, sku.sellable_in, sku.restricted_in)
            )
            if judge.availability(blocked | judge.blocked(sku_own)) == "unavailable":
                continue
            sku_rows.append(_sku_row(entry, shown, rate, bands, internal, sku_own, floor_blocks))
        in_edition = catalog.edition_features(prod, edition_id) if edition_id else None
        for feat in prod.features:
            if feat.status not in wanted_statuses:
                continue
            if in_edition is not None and feat.id not in in_edition:
                continue
            feat_own = note(
                judge.exclusions(
                    "feature", feat.id, feat.name, prod, None, feat.restricted_in, features=True
                )
            )
            if judge.availability(blocked | judge.blocked(feat_own)) == "unavailable":
                continue
            feature_rows.append(_feature_row(catalog, prod, feat, feat_own))

    groups = [
        GroupRow(name, catalog.groups[name], tuple(sorted(catalog.resolve_region(name) or ())))
        for name in sorted(catalog.groups)
    ]
    if countries is not None:
        groups = [g for g in groups if set(g.countries) & set(countries)]
    return SalesSheet(
        fingerprint=catalog.fingerprint,
        catalog_paths=tuple(catalog.paths),
        as_of=catalog.fx.as_of if catalog.fx else None,
        sections=wanted_sections,
        region=region_name,
        region_countries=countries or (),
        statuses=tuple(s for s in STATUSES if s in wanted_statuses),
        product=products[0].id if product is not None and products else None,
        edition=edition_id,
        currency=currency,
        internal=internal,
        products=tuple(product_rows),
        features=tuple(feature_rows),
        skus=tuple(sku_rows),
        groups=tuple(groups),
        discount_bands=tuple(bands),
        other_line_rules=tuple(others),
        policies=policies,
        not_available=tuple(not_available),
        conditions=tuple(conditions),
        product_names={p.id: p.name for p in catalog.products.values()},
    )


# -- filters -------------------------------------------------------------------------------


def _unknown(option: str, what: str, value: str, choices: Iterable[str]) -> InputError:
    options = sorted(set(choices))
    hint = suggest(value, options)
    listed = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return InputError(
        Location(option),
        f"unknown {what} '{value}'"
        + (f" (did you mean '{hint}'?)" if hint else "")
        + (f"; known: {listed}" if options else ""),
    )


def _sections(sections: Iterable[str]) -> tuple[str, ...]:
    wanted = set()
    for section in sections:
        name = section.strip().lower()
        if name not in SECTIONS:
            raise _unknown("SECTION", "section", section, SECTIONS)
        wanted.add(name)
    return tuple(s for s in SECTIONS if s in wanted) or SECTIONS


def _region(catalog: Catalog, region: str | None) -> tuple[str, ...] | None:
    if region is None:
        return None
    name = region.strip().upper()
    members = catalog.resolve_region(name)
    if members is None:
        hint = suggest(name, [*catalog.groups, *country_codes()])
        raise InputError(
            Location("--region"),
            f"'{region}' is neither a country code nor a region group"
            + (f" (did you mean '{hint}'?)" if hint else "")
            + (f"; groups: {', '.join(sorted(catalog.groups))}" if catalog.groups else ""),
        )
    return tuple(sorted(members))


def _statuses(statuses: Iterable[str]) -> frozenset[str]:
    wanted: set[str] = set()
    for item in statuses:
        for part in item.split(","):
            status = part.strip().lower()
            if not status:
                continue
            if status not in STATUSES:
                raise _unknown("--status", "feature status", part.strip(), STATUSES)
            wanted.add(status)
    return frozenset(wanted) if wanted else frozenset(s for s in STATUSES if s != "retired")


def _products(catalog: Catalog, product: str | None) -> list[Product]:
    ordered = [catalog.products[pid] for pid in sorted(catalog.products)]
    if product is None:
        return ordered
    wanted = product.strip().casefold()
    found = [p for p in ordered if wanted in (p.id.casefold(), p.name.casefold())]
    if not found:
        raise _unknown("--product", "product", product, [p.id for p in ordered])
    return found


def _edition(products: Sequence[Product], edition: str | None) -> str | None:
    if edition is None:
        return None
    ids = {e.id.casefold(): e.id for p in products for e in p.editions}
    names = {e.name.casefold(): e.id for p in products for e in p.editions}
    wanted = edition.strip().casefold()
    found = ids.get(wanted) or names.get(wanted)
    if found is None:
        where = f" of {products[0].id}" if len(products) == 1 else ""
        raise _unknown("--edition", f"edition{where}", edition, ids.values())
    return found


def _currency(catalog: Catalog, currency: str, products: Sequence[Product]) -> str:
    code = currency.strip().upper()
    if code not in currency_codes():
        raise _unknown("--currency", "currency", currency, catalog.fx.rates if catalog.fx else ())
    if all(p.currency == code for p in products):
        return code
    if catalog.fx_rate(code) is None:
        known = sorted(
            {*(catalog.fx.rates if catalog.fx else ()), *([catalog.fx.base] if catalog.fx else ())}
        )
        raise InputError(
            Location("--currency"),
            f"the catalog has no FX rate for {code}, so prices cannot be shown in it"
            + (f" (rates: {', '.join(known)})" if known else " (it has no FxRates document)"),
        )
    return code


def _rates(catalog: Catalog, product: Product, shown: str) -> tuple[Decimal, Decimal]:
    if shown == product.currency:
        return ONE, ONE
    rate_from, rate_to = catalog.fx_rate(product.currency), catalog.fx_rate(shown)
    if rate_from is None or rate_to is None:
        raise InputError(
            Location("--currency"),
            f"{product.name} is priced in {product.currency}, which has no FX rate: "
            f"its prices cannot be shown in {shown}",
        )
    return rate_from, rate_to


# -- regions -------------------------------------------------------------------------------


class _Judge:
    """Decides, country by country of the asked region, what may be sold there."""

    def __init__(
        self, catalog: Catalog, name: str | None, countries: tuple[str, ...] | None
    ) -> None:
        self.catalog = catalog
        self.name = name
        self.countries = frozenset(countries) if countries is not None else None

    def expand(self, refs: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for ref in refs:
            out |= self.catalog.resolve_region(ref) or frozenset()
        return frozenset(out)

    def exclusions(
        self,
        kind: str,
        ident: str,
        name: str,
        product: Product,
        sellable_in: tuple[str, ...] | None,
        restricted_in: Iterable[Restriction],
        features: bool = False,
    ) -> list[Exclusion]:
        if self.countries is None:
            return []
        found: list[Exclusion] = []
        if sellable_in is not None:
            outside = self.countries - self.expand(sellable_in)
            if outside:
                found.append(
                    Exclusion(
                        kind,
                        ident,
                        name,
                        product.id,
                        self.label(outside, ()),
                        tuple(sorted(outside)),
                        f"sold only in {', '.join(sellable_in)}",
                        "blocker",
                    )
                )
        for restriction in restricted_in:
            hit = self.countries & self.expand(restriction.where)
            if hit:
                severity = "blocker" if features else restriction.severity
                found.append(
                    Exclusion(
                        kind,
                        ident,
                        name,
                        product.id,
                        self.label(hit, restriction.where),
                        tuple(sorted(hit)),
                        restriction.reason,
                        severity,
                        restriction.approver,
                    )
                )
        return found

    def label(self, hit: frozenset[str], names: Iterable[str]) -> str:
        """The region's own name when all of it is hit, else the restriction's group names
        that make up exactly the hit, else the countries."""
        assert self.countries is not None and self.name is not None
        if hit == self.countries:
            return self.name
        inside = [n for n in names if self.expand([n]) <= hit]
        if inside and self.expand(inside) == hit:
            return ", ".join(inside)
        return ", ".join(sorted(hit))

    @staticmethod
    def blocked(exclusions: Iterable[Exclusion]) -> frozenset[str]:
        return frozenset(c for x in exclusions if x.severity == "blocker" for c in x.countries)

    def availability(self, blocked: frozenset[str]) -> str:
        if self.countries is None or not blocked:
            return "available"
        return "unavailable" if blocked >= self.countries else "partial"


def _region_rules(
    kind: str,
    ident: str,
    name: str,
    sellable_in: tuple[str, ...] | None,
    restricted_in: Iterable[Restriction],
) -> list[RegionRule]:
    rules = []
    if sellable_in is not None:
        rules.append(RegionRule(kind, ident, name, "sellable_in", sellable_in))
    for r in restricted_in:
        rules.append(
            RegionRule(
                kind, ident, name, "restricted_in", r.where, r.reason, r.severity, r.approver
            )
        )
    return rules


# -- rows ----------------------------------------------------------------------------------


def _sku_row(
    entry: SkuEntry,
    shown: str,
    rates: tuple[Decimal, Decimal],
    bands: Sequence[Band],
    internal: bool,
    not_in: tuple[Exclusion, ...],
    floor_blocks: bool,
) -> SkuRow:
    sku = entry.sku

    def conv(amount: Decimal) -> Decimal:
        return convert(amount, *rates)

    list_price = conv(sku.list_price)
    floor = conv(sku.floor_price) if sku.floor_price is not None else None
    sku_bands = []
    for band in bands:
        highest = list_price * (ONE - band.low)
        lowest = None if band.high is None else list_price * (ONE - band.high)
        clipped = below = False
        if floor_blocks and floor is not None:
            if highest < floor or (highest == floor and not band.low_inclusive):
                below = True
            elif lowest is None or lowest < floor:
                lowest, clipped = floor, True
        sku_bands.append(SkuBand(band, highest, lowest, clipped, below))
    cost: SkuCost | None = None
    if internal:
        cost = SkuCost(
            unit_cost=conv(sku.unit_cost),
            margin_at_list=_margin(sku.list_price, sku.unit_cost),
            margin_at_floor=_margin(sku.floor_price, sku.unit_cost),
            min_margin_price=(
                conv(sku.unit_cost / (ONE - sku.min_margin))
                if sku.min_margin is not None and sku.min_margin < ONE
                else None
            ),
        )
    return SkuRow(
        sku=sku.sku,
        name=sku.name,
        product=entry.product.id,
        edition=sku.edition,
        features=tuple(sku.features or ()),
        currency=shown,
        list_price=list_price,
        floor_price=floor,
        min_margin=sku.min_margin,
        available_from=sku.available_from,
        bands=tuple(sku_bands),
        region_rules=tuple(
            _region_rules("sku", sku.sku, sku.sku, sku.sellable_in, sku.restricted_in)
        ),
        not_in=not_in,
        cost=cost,
    )


def _margin(price: Decimal | None, cost: Decimal) -> Decimal | None:
    if price is None or price <= 0:
        return None
    return (price - cost) / price


def _feature_row(
    catalog: Catalog, product: Product, feature: Feature, not_in: tuple[Exclusion, ...]
) -> FeatureRow:
    editions = tuple(
        e.id for e in product.editions if feature.id in catalog.edition_features(product, e.id)
    )
    addons = tuple(
        s.sku for s in product.skus if s.features is not None and feature.id in s.features
    )
    return FeatureRow(
        id=feature.id,
        name=feature.name,
        product=product.id,
        status=feature.status,
        target=feature.target,
        end_of_life=feature.end_of_life,
        committable=feature.is_committable,
        editions=editions,
        skus=addons,
        restricted_in=tuple(
            _region_rules("feature", feature.id, feature.name, None, feature.restricted_in)
        ),
        not_in=not_in,
    )


# -- pricing policy ------------------------------------------------------------------------


def discount_bands(rules: Iterable[CompiledRule]) -> tuple[list[Band], list[str]]:
    """The discount approval matrix: a band per enabled line rule that tests nothing but
    ``line.discount``, plus "no approval" bands for the discounts none covers; and the
    ids of the other enabled line rules (they may apply too, but are not a band)."""
    bands: list[Band] = []
    others: list[str] = []
    for rule in rules:
        spec = rule.entry.rule
        if rule.scope != "line" or not spec.enabled:
            continue
        found = discount_band(rule.condition)
        if found is None:
            others.append(rule.id)
            continue
        low, low_inc, high, high_inc = found
        if low is None or low < ZERO:
            low, low_inc = ZERO, True
        if high is not None and (high < low or (high == low and not (low_inc and high_inc))):
            continue  # never fires for a discount of 0 or more
        approver = spec.approver if spec.severity == "approval" else None
        bands.append(Band(low, low_inc, high, high_inc, spec.severity, approver, rule.id))
    bands.sort(key=_band_key)
    return sorted([*bands, *_gaps(bands)], key=_band_key), sorted(others)


def _band_key(band: Band) -> tuple[Decimal, bool, Decimal, bool, str]:
    high = band.high if band.high is not None else Decimal("Infinity")
    return band.low, not band.low_inclusive, high, band.high_inclusive, band.rule or ""


def _gaps(bands: Sequence[Band]) -> list[Band]:
    """The discounts from 0 up that no band covers."""
    gaps: list[Band] = []
    pos, pos_inc = ZERO, True  # the first discount not yet covered (inclusive or not)
    for band in bands:
        if band.low > pos or (band.low == pos and pos_inc and not band.low_inclusive):
            gaps.append(Band(pos, pos_inc, band.low, not band.low_inclusive, None))
        if band.high is None:
            return gaps
        if band.high > pos:
            pos, pos_inc = band.high, not band.high_inclusive
        elif band.high == pos:
            pos_inc = pos_inc and not band.high_inclusive
    gaps.append(Band(pos, pos_inc, None, False, None))
    return gaps


def _policies(
    catalog: Catalog, overrides: Mapping[str, BuiltinOverride] | None
) -> tuple[CheckPolicy, ...]:
    """price-below-floor and margin-below-floor as the RuleSets' ``builtin:`` tune them:
    ``overrides`` as merged by the engine, else merged here the same way (rule sets in id
    order, each field a later one sets wins)."""
    from dealcheck.checks import REGISTRY

    out = []
    for check_id in ("price-below-floor", "margin-below-floor"):
        spec = REGISTRY.get(check_id)
        if spec is None:
            continue
        if overrides is not None:
            tuning = [overrides[check_id]] if check_id in overrides else []
        else:
            tuning = [
                catalog.rulesets[r].builtin[check_id]
                for r in sorted(catalog.rulesets)
                if check_id in catalog.rulesets[r].builtin
            ]
        severity, approver, enabled = spec.severity, spec.approver, True
        for override in tuning:
            severity = override.severity or severity
            approver = override.approver or approver
            enabled = enabled if override.enabled is None else override.enabled
        out.append(
            CheckPolicy(check_id, severity, approver if severity == "approval" else None, enabled)
        )
    return tuple(out)


# -- what both renderers show --------------------------------------------------------------

Table = tuple[list[str], list[list[str]]]


def _pct(value: Decimal) -> str:
    return f"{format((value * HUNDRED).normalize(), 'f')}%"


def amount(value: Decimal) -> str:
    """Money for people: thousands separators, two places, half-even (``60,000.00``)."""
    return format(value.quantize(CENT, rounding=ROUND_HALF_EVEN), ",")


def _opt(value: Decimal | None, fmt: Any) -> str:
    return "" if value is None else str(fmt(value))


def _price_cell(b: SkuBand) -> str:
    """The lowest unit price a band allows (its approver's limit): ``420.00``,
    ``over 420.00`` when that price itself belongs to the next band, ``—`` when the
    whole band is below the floor price, ``any`` when nothing stops it."""
    if b.below_floor:
        return "—"
    if b.lowest_price is None:
        return "any"
    if b.clipped or b.band.high_inclusive:
        return amount(b.lowest_price)
    return f"over {amount(b.lowest_price)}"


def _policy_phrase(sheet: SalesSheet, check_id: str) -> str:
    for p in sheet.policies:
        if p.id != check_id:
            continue
        if not p.enabled:
            return "not checked"
        if p.severity == "blocker":
            return "blocked"
        if p.severity == "approval":
            return f"needs {p.approver or 'an'} approval"
        return f"a {p.severity}"
    return "not checked"


def _committable(f: FeatureRow) -> str:
    if not f.committable:
        return "no"
    if f.status in ("ga", "deprecated"):
        return "yes"
    return f"from {f.target}, with approval" if f.target else "with approval"


def _status_text(f: FeatureRow) -> str:
    if f.status == "planned" and f.target:
        return f"planned for {f.target}"
    if f.status == "deprecated" and f.end_of_life:
        return f"deprecated, end of life {f.end_of_life}"
    if f.target:
        return f"{f.status}, GA target {f.target}"
    return f.status


def _rule_text(r: RegionRule) -> str:
    if r.rule == "sellable_in":
        return f"only {', '.join(r.where)}"
    if r.severity == "approval":
        note = f" (needs {r.approver} approval)"
    elif r.severity == "warning":
        note = " (warning)"
    else:
        note = ""
    return f"not {', '.join(r.where)}{note}: {r.reason}"


def _not_in(items: Iterable[Exclusion]) -> str:
    where = ", ".join(x.where for x in items)
    return f" (not in {where})" if where else ""


def _product(sheet: SalesSheet, product_id: str) -> ProductRow | None:
    return next((p for p in sheet.products if p.id == product_id), None)


def _edition_names(sheet: SalesSheet, f: FeatureRow) -> str:
    prod = _product(sheet, f.product)
    return ", ".join(prod.editions.get(e, e) if prod else e for e in f.editions)


def _sku_kind(sheet: SalesSheet, s: SkuRow) -> str:
    if s.edition is None:
        return "add-on: " + ", ".join(s.features)
    prod = _product(sheet, s.product)
    return prod.editions.get(s.edition, s.edition) if prod else s.edition


def _title(sheet: SalesSheet) -> str:
    return f"Sales sheet — {sheet.region}" if sheet.region else "Sales sheet"


def _subtitle(sheet: SalesSheet) -> str:
    parts = [f"as of {sheet.as_of} (FX rates)"] if sheet.as_of else []
    parts.append(f"catalog {sheet.short_fingerprint}")
    if sheet.region and sheet.region_countries != (sheet.region,):
        n = len(sheet.region_countries)
        listed = ", ".join(sheet.region_countries) if n <= 12 else f"{n} countries"
        parts.append(f"{sheet.region} = {listed}")
    for label, value in (("product", sheet.product), ("edition", sheet.edition)):
        if value:
            parts.append(f"{label} {value}")
    parts.append(
        f"prices in {sheet.currency}" if sheet.currency else "prices in each product's currency"
    )
    if sheet.internal:
        parts.append("INTERNAL: shows unit costs, do not share")
    return " · ".join(parts)


def _pricing_note(sheet: SalesSheet) -> str:
    return (
        "Prices are per unit per year. A net price below the floor price is "
        f"{_policy_phrase(sheet, 'price-below-floor')}; a gross margin below the minimum "
        f"margin {_policy_phrase(sheet, 'margin-below-floor')}. Each discount column gives "
        "the lowest unit price that needs no more than that approval (— when the floor "
        "price comes first), for a direct deal without free months: a partner's margin "
        "and free months lower the net price that the floor and the margin are checked "
        "against."
    )


def _sku_table(sheet: SalesSheet, skus: Sequence[SkuRow], names: bool, costs: bool) -> Table:
    currency = skus[0].currency if skus else ""
    header = ["SKU", *(["Name"] if names else []), "Edition", f"List price ({currency})"]
    header += [f"{b.needs} ({b.label})" for b in sheet.discount_bands]
    header += ["Floor price", "Min margin"]
    if costs:
        header += _COST_HEADER
    rows = []
    for s in skus:
        row = [s.sku + _not_in(s.not_in)]
        if names:
            row.append(s.name + (f" (from {s.available_from})" if s.available_from else ""))
        row += [_sku_kind(sheet, s), amount(s.list_price), *(_price_cell(b) for b in s.bands)]
        row += [_opt(s.floor_price, amount), _opt(s.min_margin, percent)]
        if costs:
            row += _cost_cells(s)
        rows.append(row)
    return header, rows


_COST_HEADER = ["Unit cost", "Margin at list", "Margin at floor", "Min-margin price"]


def _cost_cells(s: SkuRow) -> list[str]:
    c = s.cost
    if c is None:
        return ["", "", "", ""]
    return [
        amount(c.unit_cost),
        _opt(c.margin_at_list, percent),
        _opt(c.margin_at_floor, percent),
        _opt(c.min_margin_price, amount),
    ]


def _cost_table(skus: Sequence[SkuRow]) -> Table:
    currency = skus[0].currency if skus else ""
    header = ["SKU", f"{_COST_HEADER[0]} ({currency})", *_COST_HEADER[1:]]
    return header, [[s.sku, *_cost_cells(s)] for s in skus]


def _feature_table(sheet: SalesSheet, features: Sequence[FeatureRow]) -> Table:
    header = [
        "Feature",
        "ID",
        "Status",
        "Commit in a contract",
        "Editions",
        "Add-on SKUs",
        "Restricted in",
    ]
    rows = [
        [
            f.name + _not_in(f.not_in),
            f.id,
            _status_text(f),
            _committable(f),
            _edition_names(sheet, f),
            ", ".join(f.skus),
            "; ".join(_rule_text(r) for r in f.restricted_in),
        ]
        for f in features
    ]
    return header, rows


def _roadmap_table(sheet: SalesSheet) -> Table:
    header = ["Feature", "ID", "Product", "Status", "Target", "Commit in a contract", "Comes with"]
    rows = [
        [
            f.name + _not_in(f.not_in),
            f.id,
            sheet.product_names.get(f.product, f.product),
            f.status,
            str(f.target or ""),
            _committable(f),
            ", ".join(x for x in (_edition_names(sheet, f), ", ".join(f.skus)) if x),
        ]
        for f in sheet.roadmap
    ]
    return header, rows


def _groups_table(sheet: SalesSheet) -> Table:
    return ["Group", "Members", "Countries"], [
        [g.name, ", ".join(g.members), ", ".join(g.countries)] for g in sheet.groups
    ]


def _where_table(sheet: SalesSheet) -> Table:
    header = ["Product", "Applies to", "Sellable in", "Not sellable in", "Reason"]
    rows = []
    for prod in sheet.products:
        if not prod.region_rules:
            rows.append([prod.name, "the product", "everywhere", "", ""])
        for r in prod.region_rules:
            item = "the product" if r.kind == "product" else f"{r.kind} {r.name}"
            if r.rule == "sellable_in":
                rows.append([prod.name, item, ", ".join(r.where), "", ""])
                continue
            where = ", ".join(r.where)
            if r.severity == "approval":
                where += f" (needs {r.approver} approval)"
            elif r.severity == "warning":
                where += " (warning)"
            rows.append([prod.name, item, "", where, r.reason or ""])
    return header, rows


def _shown(sheet: SalesSheet, prod: ProductRow) -> tuple[list[SkuRow], list[FeatureRow]]:
    skus = [s for s in sheet.skus if s.product == prod.id] if "skus" in sheet.sections else []
    features = (
        [f for f in sheet.features if f.product == prod.id and not f.on_roadmap]
        if "features" in sheet.sections
        else []
    )
    return skus, features


# -- JSON ----------------------------------------------------------------------------------


def _frac(value: Decimal | None) -> str | None:
    if value is None:
        return None
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        value = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
    return str(value)


def _cash(value: Decimal | None) -> str | None:
    return money(value) if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _exclusion_json(x: Exclusion) -> dict[str, Any]:
    return {
        "kind": x.kind,
        "id": x.id,
        "name": x.name,
        "product": x.product,
        "where": x.where,
        "countries": list(x.countries),
        "severity": x.severity,
        "approver": x.approver,
        "reason": x.reason,
        "summary": x.summary,
    }


def _rule_json(r: RegionRule) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "id": r.id,
        "rule": r.rule,
        "where": list(r.where),
        "reason": r.reason,
        "severity": r.severity,
        "approver": r.approver,
    }


def _band_json(b: Band) -> dict[str, Any]:
    return {
        "from": _frac(b.low),
        "from_inclusive": b.low_inclusive,
        "to": _frac(b.high),
        "to_inclusive": b.high_inclusive,
        "label": b.label,
        "needs": b.needs,
        "severity": b.severity,
        "approver": b.approver,
        "rule": b.rule,
    }


def _sku_json(s: SkuRow) -> dict[str, Any]:
    row: dict[str, Any] = {
        "sku": s.sku,
        "name": s.name,
        "product": s.product,
        "edition": s.edition,
        "features": list(s.features),
        "currency": s.currency,
        "list_price": _cash(s.list_price),
        "floor_price": _cash(s.floor_price),
        "min_margin": _frac(s.min_margin),
        "available_from": _day(s.available_from),
        "bands": [
            {
                "label": b.band.label,
                "needs": b.band.needs,
                "rule": b.band.rule,
                "highest_price": None if b.below_floor else _cash(b.highest_price),
                "lowest_price": None if b.below_floor else _cash(b.lowest_price),
                "below_floor": b.below_floor,
                "stops_at_floor": b.clipped,
            }
            for b in s.bands
        ],
        "region_rules": [_rule_json(r) for r in s.region_rules],
        "not_in": [_exclusion_json(x) for x in s.not_in],
    }
    if s.cost is not None:
        row["internal"] = {
            "unit_cost": _cash(s.cost.unit_cost),
            "margin_at_list": _frac(s.cost.margin_at_list),
            "margin_at_floor": _frac(s.cost.margin_at_floor),
            "min_margin_price": _cash(s.cost.min_margin_price),
        }
    return row


def _feature_json(f: FeatureRow) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.name,
        "product": f.product,
        "status": f.status,
        "target": _day(f.target),
        "end_of_life": _day(f.end_of_life),
        "committable": f.committable,
        "editions": list(f.editions),
        "addon_skus": list(f.skus),
        "restricted_in": [_rule_json(r) for r in f.restricted_in],
        "not_in": [_exclusion_json(x) for x in f.not_in],
    }


def render_json(sheet: SalesSheet) -> str:
    """The sales sheet as JSON (``schema_version`` 1): money as strings to the cent,
    fractions as exact strings, dates ISO; keys for sections not asked for are absent;
    ``not_available`` and ``conditions`` only with a region."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "dealcheck_version": __version__,
        "catalog": {"fingerprint": sheet.fingerprint, "paths": list(sheet.catalog_paths)},
        "as_of": _day(sheet.as_of),
        "filters": {
            "sections": list(sheet.sections),
            "region": sheet.region,
            "countries": list(sheet.region_countries),
            "status": list(sheet.statuses),
            "product": sheet.product,
            "edition": sheet.edition,
            "currency": sheet.currency,
            "internal": sheet.internal,
        },
        "products": [
            {
                "id": p.id,
                "name": p.name,
                "currency": p.currency,
                "editions": [{"id": k, "name": v} for k, v in p.editions.items()],
                "availability": p.availability,
                "not_in": [_exclusion_json(x) for x in p.not_in],
            }
            for p in sheet.products
        ],
    }
    if "skus" in sheet.sections:
        out["discount_approvals"] = [_band_json(b) for b in sheet.discount_bands]
        out["other_line_rules"] = list(sheet.other_line_rules)
        out["pricing_checks"] = [
            {"id": p.id, "severity": p.severity, "approver": p.approver, "enabled": p.enabled}
            for p in sheet.policies
        ]
        out["skus"] = [_sku_json(s) for s in sheet.skus]
    if "features" in sheet.sections:
        out["features"] = [_feature_json(f) for f in sheet.features]
        out["roadmap"] = [f.id for f in sheet.roadmap]
    if "regions" in sheet.sections:
        out["regions"] = {
            "groups": [
                {"name": g.name, "members": list(g.members), "countries": list(g.countries)}
                for g in sheet.groups
            ],
            "products": [
                {
                    "id": p.id,
                    "availability": p.availability,
                    "rules": [_rule_json(r) for r in p.region_rules],
                }
                for p in sheet.products
            ],
        }
    if sheet.region is not None:
        out["not_available"] = [_exclusion_json(x) for x in sheet.not_available]
        out["conditions"] = [_exclusion_json(x) for x in sheet.conditions]
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


# -- Markdown ------------------------------------------------------------------------------


def _md(value: str) -> str:
    """Running text with Markdown's markup characters escaped."""
    for ch in ("\\", "`", "*", "_", "[", "]", "<", ">", "|", "#"):
        value = value.replace(ch, "\\" + ch)
    return value


def _md_table(table: Table) -> list[str]:
    """A GitHub-flavoured Markdown table: one line per row, pipes escaped, no empty cell."""
    header, rows = table

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(_md(" ".join(c.split())) or "—" for c in cells) + " |"

    return [line(header), "|" + "|".join("---" for _ in header) + "|", *map(line, rows), ""]


def render_markdown(sheet: SalesSheet) -> str:
    """A sales sheet to publish on an intranet page: a price list and a feature table per
    product, the roadmap, the regions, and what may not be sold in the region and why."""
    md = [f"# {_md(_title(sheet))}", "", f"_{_md(_subtitle(sheet))}_", ""]
    if "skus" in sheet.sections:
        md += ["## Discount approvals", ""]
        md += _md_table(
            (["Discount off list", "Needs"], [[b.label, b.needs] for b in sheet.discount_bands])
        )
        md += [_md(_pricing_note(sheet)), ""]
        if sheet.other_line_rules:
            md += [_md(f"Other pricing rules may apply: {', '.join(sheet.other_line_rules)}."), ""]
    for prod in sheet.products:
        if prod.availability == "unavailable":
            continue
        skus, features = _shown(sheet, prod)
        if not skus and not features:
            continue
        md += [f"## {_md(prod.name)}", ""]
        if prod.not_in:
            md += [
                _md(f"Not sellable in {', '.join(x.where for x in prod.not_in)}: see below."),
                "",
            ]
        if skus:
            md += [
                f"### {_md(prod.name)} price list",
                "",
                *_md_table(_sku_table(sheet, skus, names=True, costs=sheet.internal)),
            ]
        if features:
            md += [
                f"### {_md(prod.name)} features",
                "",
                *_md_table(_feature_table(sheet, features)),
            ]
    if "features" in sheet.sections:
        md += ["## Roadmap — not yet sellable as committed", ""]
        if sheet.roadmap:
            md += _md_table(_roadmap_table(sheet))
            md += [_md("Promise a roadmap feature in a contract only where its row says so."), ""]
        else:
            md += ["Nothing on the roadmap in this selection.", ""]
    if "regions" in sheet.sections:
        md += ["## Regions", "", *_md_table(_groups_table(sheet))]
        md += ["### Where each product may be sold", "", *_md_table(_where_table(sheet))]
    if sheet.region is not None:
        md += [f"## Not available in {_md(sheet.region)}", ""]
        md += [f"- {_md(x.summary)}" for x in sheet.not_available] or [
            "Everything in this selection may be sold there."
        ]
        md.append("")
        if sheet.conditions:
            md += [f"### Conditions in {_md(sheet.region)}", ""]
            md += [f"- {_md(x.summary)}" for x in sheet.conditions] + [""]
    while md[-1] == "":
        md.pop()
    return "\n".join(md) + "\n"


# -- text (rich) ---------------------------------------------------------------------------


def render_text(sheet: SalesSheet, color: bool = False, width: int = 120) -> str:
    """The sales sheet for a terminal: rich tables; colour only when asked."""

    def draw(console: Console) -> None:
        from rich.markup import escape
        from rich.table import Table as RichTable

        def table(title: str, data: Table) -> None:
            header, rows = data
            t = RichTable(title=escape(title), title_justify="left", title_style="bold")
            for i, name in enumerate(header):
                # ids and amounts keep their width; long text wraps between words
                cells = [row[i] for row in rows]
                longest = max((len(c) for c in cells), default=0)
                word = max((len(w) for c in cells for w in c.split()), default=0)
                t.add_column(
                    escape(name), overflow="fold", min_width=longest if longest <= 20 else word
                )
            for row in rows:
                t.add_row(*(escape(v) for v in row))
            console.print(t)

        console.print(f"[bold]{escape(_title(sheet))}[/bold]")
        console.print(f"[dim]{escape(_subtitle(sheet))}[/dim]\n")
        if "skus" in sheet.sections:
            bands = "; ".join(f"{b.label}: {b.needs}" for b in sheet.discount_bands)
            console.print(f"[bold]Discount approvals[/bold]: {escape(bands or 'none')}")
            console.print(f"[dim]{escape(_pricing_note(sheet))}[/dim]")
            if sheet.other_line_rules:
                console.print(
                    f"Other pricing rules may apply: {escape(', '.join(sheet.other_line_rules))}"
                )
            console.print()
        for prod in sheet.products:
            if prod.availability == "unavailable":
                continue
            skus, features = _shown(sheet, prod)
            if not skus and not features:
                continue
            console.rule(
                f"[bold]{escape(prod.name)}[/bold] [dim]{escape(prod.id)}[/dim]", align="left"
            )
            if prod.not_in:
                where = ", ".join(x.where for x in prod.not_in)
                console.print(f"[red]not sellable in {escape(where)}[/red] (see below)")
            if skus:
                table("Price list", _sku_table(sheet, skus, names=False, costs=False))
                if sheet.internal:
                    table("Costs (internal)", _cost_table(skus))
            if features:
                table("Features", _feature_table(sheet, features))
            console.print()
        if "features" in sheet.sections:
            if sheet.roadmap:
                table("Roadmap — not yet sellable as committed", _roadmap_table(sheet))
            else:
                console.print("[bold]Roadmap[/bold]: nothing in this selection")
            console.print()
        if "regions" in sheet.sections:
            table("Region groups", _groups_table(sheet))
            table("Where each product may be sold", _where_table(sheet))
            console.print()
        if sheet.region is not None:
            console.print(f"[bold]Not available in {escape(sheet.region)}[/bold]")
            if not sheet.not_available:
                console.print("  Everything in this selection may be sold there.")
            for x in sheet.not_available:
                console.print(f"  [red]✗[/red] {escape(x.summary)}")
            for x in sheet.conditions:
                console.print(f"  [yellow]![/yellow] {escape(x.summary)}")

    return render_rich(draw, color, width)
