"""What the text and Markdown sales sheets both show, as plain strings: the title, the
notes and each table as a header and rows. The renderers only lay them out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck.pricing import percent
from dealcheck.report.money import amount

if TYPE_CHECKING:  # dealcheck.salessheet re-exports the renderers: a runtime import would cycle
    from dealcheck.salessheet.model import (
        Exclusion,
        FeatureRow,
        ProductRow,
        RegionRule,
        SalesSheet,
        SkuBand,
        SkuRow,
    )

Table = tuple[list[str], list[list[str]]]  # a header and rows of cells


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
    return f"not {_restricted_where(r)}: {r.reason}"


def _restricted_where(r: RegionRule) -> str:
    """``AU``, ``AU (needs Legal approval)`` or ``AU (warning)``."""
    if r.severity == "approval":
        return f"{', '.join(r.where)} (needs {r.approver} approval)"
    if r.severity == "warning":
        return f"{', '.join(r.where)} (warning)"
    return ", ".join(r.where)


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


def title(sheet: SalesSheet) -> str:
    """``Sales sheet — AU``, or ``Sales sheet`` without a region."""
    return f"Sales sheet — {sheet.region}" if sheet.region else "Sales sheet"


def subtitle(sheet: SalesSheet) -> str:
    """The FX date, the catalog, the filters and the currency, ``·``-separated."""
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


def pricing_note(sheet: SalesSheet) -> str:
    """How to read the price columns, with how floor and margin are checked."""
    if sheet.partner_margin or sheet.free_months:
        return (
            "Prices are per unit per year. A net price below the floor price is "
            f"{_policy_phrase(sheet, 'price-below-floor')}; a gross margin below the minimum "
            f"margin {_policy_phrase(sheet, 'margin-below-floor')}. Here the partner keeps "
            f"{percent(sheet.partner_margin)} and {sheet.free_months} of "
            f"{sheet.term_months} months are free: the floor price shown is the unit price "
            "that leaves the floor after both, and each discount column gives the lowest "
            "unit price that needs no more than that approval (— when that floor comes "
            "first)."
        )
    return (
        "Prices are per unit per year. A net price below the floor price is "
        f"{_policy_phrase(sheet, 'price-below-floor')}; a gross margin below the minimum "
        f"margin {_policy_phrase(sheet, 'margin-below-floor')}. Each discount column gives "
        "the lowest unit price that needs no more than that approval (— when the floor "
        "price comes first), for a direct deal without free months: a partner's margin "
        "and free months lower the net price that the floor and the margin are checked "
        "against."
    )


def sku_table(sheet: SalesSheet, skus: Sequence[SkuRow], names: bool, costs: bool) -> Table:
    """A product's price list: a column per approval band, with SKU names and internal
    costs when asked."""
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


def cost_table(skus: Sequence[SkuRow]) -> Table:
    """Internal only: each SKU's unit cost and margins."""
    currency = skus[0].currency if skus else ""
    header = ["SKU", f"{_COST_HEADER[0]} ({currency})", *_COST_HEADER[1:]]
    return header, [[s.sku, *_cost_cells(s)] for s in skus]


def feature_table(sheet: SalesSheet, features: Sequence[FeatureRow]) -> Table:
    """A product's features: status, whether a contract may commit to it, where it is."""
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


def roadmap_table(sheet: SalesSheet) -> Table:
    """Every product's beta, preview and planned features."""
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


def groups_table(sheet: SalesSheet) -> Table:
    """The region groups and the countries they stand for."""
    return ["Group", "Members", "Countries"], [
        [g.name, ", ".join(g.members), ", ".join(g.countries)] for g in sheet.groups
    ]


def where_table(sheet: SalesSheet) -> Table:
    """Each product's, SKU's and feature's ``sellable_in`` and restrictions."""
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
            rows.append([prod.name, item, "", _restricted_where(r), r.reason or ""])
    return header, rows


def products_shown(
    sheet: SalesSheet,
) -> Iterator[tuple[ProductRow, list[SkuRow], list[FeatureRow]]]:
    """Each product with a section of its own, with its SKUs and (non-roadmap) features in
    the sections asked for: one not wholly unavailable in the region, with something to
    show."""
    for prod in sheet.products:
        if prod.availability == "unavailable":
            continue
        skus = [s for s in sheet.skus if s.product == prod.id] if "skus" in sheet.sections else []
        features = (
            [f for f in sheet.features if f.product == prod.id and not f.on_roadmap]
            if "features" in sheet.sections
            else []
        )
        if skus or features:
            yield prod, skus, features
