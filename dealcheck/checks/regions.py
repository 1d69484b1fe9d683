"""Region checks: sell each product and SKU only where it may be sold."""

from __future__ import annotations

from dealcheck.checks.base import DealContext, check


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
    codes = ctx.country_codes()
    for facts in ctx.line_facts():
        if facts is not None and facts.sellable is not None and not codes <= facts.sellable:
            break  # a deal country where this line's product or SKU may not be sold
    else:
        return
    for target, line_index in ctx.targets():
        sellable = target.sellable
        if sellable is None or codes <= sellable:
            continue  # sellable everywhere not restricted, or in every deal country
        for country, location, role in ctx.countries():
            if country not in sellable:
                ctx.emit(
                    "region-not-sellable",
                    message=f"{target.name} may not be sold in {country} ({role}): "
                    f"it is sellable in {target.sellable_text} only",
                    location=location,
                    subject=f"{target.kind}:{target.ident}:{country}",
                    trigger=(country,),
                    evidence={
                        "country": country,
                        target.kind.lower(): target.ident,
                        "sellable_in": target.sellable_text,
                        "line": line_index,
                    },
                    fix=f"Sell {target.name} only in {target.sellable_text}, or ask "
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
    codes = ctx.country_codes()
    for facts in ctx.line_facts():
        if facts is not None and not codes.isdisjoint(facts.restricted):
            break  # a deal country where this line's product or SKU is restricted
    else:
        return
    for target, _line_index in ctx.targets():
        if codes.isdisjoint(target.restricted):
            continue  # no deal country is restricted for it (or nothing is)
        for restriction, where in target.restricted_in:
            for country, location, role in ctx.countries():
                if country not in where:
                    continue
                ctx.emit(
                    "region-restricted",
                    message=f"{target.name} may not be sold in {country} "
                    f"({role}): {restriction.reason}",
                    location=location,
                    subject=f"{target.kind}:{target.ident}:{country}",
                    trigger=(country,),
                    evidence={
                        "country": country,
                        target.kind.lower(): target.ident,
                        "reason": restriction.reason,
                    },
                    fix=f"Remove {target.name} from the deal for {country}"
                    + (
                        f", or get {restriction.approver}'s approval."
                        if restriction.approver
                        else "."
                    ),
                    severity=restriction.severity,
                    approver=restriction.approver,
                )
