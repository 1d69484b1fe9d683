"""Building the sales sheet: the filters, then a row per product, SKU and feature.

The decisions it encodes are listed in :mod:`dealcheck.salessheet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, Context, Decimal

from dealcheck.catalog import Catalog, SkuEntry
from dealcheck.models import BuiltinOverride, Feature, Product
from dealcheck.pricing import CENT, ONE, convert
from dealcheck.rules import CompiledRule, compile_rules
from dealcheck.salessheet import filters
from dealcheck.salessheet.model import (
    STATUSES,
    ZERO,
    Band,
    Exclusion,
    FeatureRow,
    GroupRow,
    ProductRow,
    RegionRule,
    SalesSheet,
    SkuBand,
    SkuCost,
    SkuRow,
)
from dealcheck.salessheet.policy import check_policies, discount_bands
from dealcheck.salessheet.regions import Judge, region_rules


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
    partner_margin: Decimal = ZERO,
    free_months: int = 0,
    term_months: int = 12,
) -> SalesSheet:
    """The sales sheet of ``catalog`` for the given filters.

    ``sections``: any of :data:`SECTIONS` (none: all). ``region``: a country code or a
    region group. ``statuses``: feature statuses (each may be comma-separated).
    ``product``: an id or a name. ``edition``: an edition id. ``currency``: an ISO code
    the catalog has an FX rate for. ``internal``: show unit costs and margins.
    ``rules`` and ``overrides``: an :class:`~dealcheck.engine.Engine`'s ``rules`` and
    ``overrides``, so the sheet agrees with the checks (default: derived here). Raises
    :class:`InputError` for an unknown filter value, with a suggestion.
    ``partner_margin``, ``free_months`` of ``term_months``: the floor and the margin
    minimum are shown as the unit prices that keep them after the partner's margin and
    the free months (the discount bands do not depend on them).
    """
    kept = filters.kept(partner_margin, free_months, term_months)
    wanted_sections = filters.sections(sections)
    countries = filters.region(catalog, region)
    wanted_statuses = filters.statuses(statuses)
    products = filters.products(catalog, product)
    edition_id = filters.edition(products, edition)
    if edition_id is not None:
        products = [p for p in products if any(e.id == edition_id for e in p.editions)]
    if currency is not None:
        currency = filters.currency(catalog, currency, products)
    compiled = list(rules) if rules is not None else compile_rules(catalog)[0]
    bands, others = discount_bands(compiled)
    policies = check_policies(catalog, overrides)
    floor_blocks = any(
        p.id == "price-below-floor" and p.enabled and p.severity == "blocker" for p in policies
    )

    region_name = region.strip().upper() if region is not None else None
    judge = Judge(catalog, region_name, countries)
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
            region_rules("product", prod.id, prod.name, prod.sellable_in, prod.restricted_in)
        )
        for sku in prod.skus:
            rules_here.extend(
                region_rules("sku", sku.sku, sku.sku, sku.sellable_in, sku.restricted_in)
            )
        for feat in prod.features:
            rules_here.extend(region_rules("feature", feat.id, feat.name, None, feat.restricted_in))
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
        rate = filters.rates(catalog, prod, shown)
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
            sku_rows.append(
                _sku_row(entry, shown, rate, bands, internal, sku_own, floor_blocks, kept)
            )
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
        partner_margin=partner_margin,
        free_months=free_months,
        term_months=term_months,
    )


# -- rows ----------------------------------------------------------------------------------


def _sku_row(
    entry: SkuEntry,
    shown: str,
    rates: tuple[Decimal, Decimal],
    bands: Sequence[Band],
    internal: bool,
    not_in: tuple[Exclusion, ...],
    floor_blocks: bool,
    kept: Decimal = ONE,
) -> SkuRow:
    sku = entry.sku

    def conv(amount: Decimal) -> Decimal:
        return convert(amount, *rates)

    list_price = conv(sku.list_price)
    # the unit price that leaves the floor after the partner margin and free months
    floor = conv(sku.floor_price / kept) if sku.floor_price is not None else None
    if floor is not None and kept != ONE:  # the lowest whole-cent price that clears it
        floor = rounded_up(floor)
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
                _up(conv(sku.unit_cost / (ONE - sku.min_margin) / kept), kept)
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
            region_rules("sku", sku.sku, sku.sku, sku.sellable_in, sku.restricted_in)
        ),
        not_in=not_in,
        cost=cost,
    )


def rounded_up(price: Decimal) -> Decimal:
    """To the cent, up, whatever its size (the default context holds 28 digits)."""
    context = Context(prec=max(28, price.adjusted() + 4))
    return price.quantize(CENT, rounding=ROUND_CEILING, context=context)


def _up(price: Decimal, kept: Decimal) -> Decimal:
    """With a partner margin or free months, a price that must be reached, to the cent up."""
    return rounded_up(price) if kept != ONE else price


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
            region_rules("feature", feature.id, feature.name, None, feature.restricted_in)
        ),
        not_in=not_in,
    )
