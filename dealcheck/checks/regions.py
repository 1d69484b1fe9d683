"""Region checks: sell each product and SKU only where it may be sold."""

from __future__ import annotations

from collections.abc import Iterable

from dealcheck.checks.base import DealContext, check
from dealcheck.models import Restriction


def _targets(
    ctx: DealContext,
) -> Iterable[tuple[str, str, tuple[str, ...] | None, tuple[Restriction, ...], int]]:
    """(kind, id, sellable_in, restricted_in, first line) for each product and SKU bought."""
    seen: set[str] = set()
    for line, entry in zip(ctx.lines, ctx.line_skus, strict=True):
        if entry is None:
            continue
        product = entry.product
        if product.id not in seen:
            seen.add(product.id)
            yield "product", product.id, product.sellable_in, product.restricted_in, line.index
        if entry.sku.sku not in seen:
            seen.add(entry.sku.sku)
            yield "SKU", entry.sku.sku, entry.sku.sellable_in, entry.sku.restricted_in, line.index


def _name(ctx: DealContext, kind: str, ident: str) -> str:
    if kind == "product":
        return ctx.catalog.products[ident].name
    return ident


@check("region-not-sellable", "region", "blocker")
def region_not_sellable(ctx: DealContext) -> None:
    """A deal country is outside where the product or SKU may be sold.

    What it does:
        For every product and SKU bought, checks each deal country (customer,
        deployment and partner countries) against its ``sellable_in`` list of countries
        and region groups. No ``sellable_in`` means everywhere not restricted.

    Why it matters:
        Selling where the company has no entity, no tax registration, no support or no
        legal clearance exposes it to fines and to contracts it cannot perform.

    Example:
        A product sellable_in: [AMER, EMEA] sold to a customer in SG

    How to fix:
        Sell through an entity or partner in a supported region, or ask Product and
        Legal to extend ``sellable_in``.
    """
    for kind, ident, sellable_in, _restricted, line_index in _targets(ctx):
        if sellable_in is None:
            continue
        inside = {entry[0] for entry in ctx.countries_in(sellable_in)}
        for country, location, role in ctx.countries():
            if country not in inside:
                ctx.emit(
                    "region-not-sellable",
                    message=f"{_name(ctx, kind, ident)} may not be sold in {country} ({role}): "
                    f"it is sellable in {', '.join(sellable_in)} only",
                    location=location,
                    subject=f"{kind}:{ident}:{country}",
                    trigger=(country,),
                    evidence={
                        "country": country,
                        kind.lower(): ident,
                        "sellable_in": ", ".join(sellable_in),
                        "line": line_index,
                    },
                    fix=f"Sell {_name(ctx, kind, ident)} only in {', '.join(sellable_in)}, or ask "
                    "Product and Legal to extend where it may be sold.",
                )


@check("region-restricted", "region", "blocker")
def region_restricted(ctx: DealContext) -> None:
    """A deal country matches a restriction of the product or SKU.

    What it does:
        Matches each deal country against the ``restricted_in`` entries of every
        product and SKU bought; the finding takes the restriction's severity, reason
        and approver.

    Why it matters:
        "We're not allowed to sell that in Australia": a restriction records a legal,
        regulatory or contractual reason the product may not be sold or deployed there.

    Example:
        customer.country: AU for a product restricted_in: [{where: [AU], reason: Not IRAP assessed}]

    How to fix:
        Do not sell the product there; where the restriction's severity is
        ``approval``, get the named approver's sign-off and record it.
    """
    for kind, ident, _sellable, restricted_in, _line_index in _targets(ctx):
        for restriction in restricted_in:
            for country, location, role in ctx.countries_in(restriction.where):
                ctx.emit(
                    "region-restricted",
                    message=f"{_name(ctx, kind, ident)} may not be sold in {country} "
                    f"({role}): {restriction.reason}",
                    location=location,
                    subject=f"{kind}:{ident}:{country}",
                    trigger=(country,),
                    evidence={
                        "country": country,
                        kind.lower(): ident,
                        "reason": restriction.reason,
                    },
                    fix=f"Remove {_name(ctx, kind, ident)} from the deal for {country}"
                    + (
                        f", or get {restriction.approver}'s approval."
                        if restriction.approver
                        else "."
                    ),
                    severity=restriction.severity,
                    approver=restriction.approver,
                )
