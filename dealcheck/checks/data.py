"""Data checks: quote lines must name real, available SKUs in a currency we can convert."""

from __future__ import annotations

from dealcheck.checks.base import DealContext, check


@check("sku-unknown", "data", "blocker")
def sku_unknown(ctx: DealContext) -> None:
    """A quote line names a SKU that is not in the catalog.

    What it does:
        Looks up every line's ``sku`` in the catalog and reports the ones that are not
        there, with the nearest catalog SKU as a suggestion.

    Why it matters:
        A SKU that does not exist cannot be provisioned, priced or billed; nothing else
        about the line (discount, floor, margin) can be checked either.

    Example:
        lines: [{sku: AA-ENT-USR-Y, quantity: 10, discount: 0.1}]   # typo of AA-ENT-USER-Y

    How to fix:
        Use the SKU exactly as the catalog spells it (``dealcheck catalog skus`` lists
        them), or ask Product to add the SKU to the catalog.
    """
    for line in ctx.lines:
        if ctx.line_skus[line.index - 1] is None:
            hint = ctx.catalog_index.suggest("sku", line.sku)
            ctx.emit(
                "sku-unknown",
                message=f"Line {line.index}: SKU {line.sku} is not in the catalog"
                + (f" (did you mean {hint}?)" if hint else ""),
                location=ctx.line_location(line.index, "sku"),
                subject=f"line:{line.index}:{line.sku}",
                trigger=(line.sku,),
                evidence={"line": line.index, "sku": line.sku, "suggestion": hint},
                fix=f"Use {hint}, the nearest catalog SKU."
                if hint
                else "Use a SKU from the catalog.",
            )


@check("sku-not-yet-available", "data", "blocker")
def sku_not_yet_available(ctx: DealContext) -> None:
    """A line sells a SKU before the date it becomes available.

    What it does:
        Compares the deal's ``start_date`` with each SKU's ``available_from``.

    Why it matters:
        The service cannot be delivered from day one of the contract: the customer pays
        for something that is not there yet.

    Example:
        start_date: 2027-01-01, SKU with available_from: 2027-04-01

    How to fix:
        Move the start date to on or after ``available_from``, or sell a SKU that is
        available now and add the new one at renewal.
    """
    for line in ctx.lines:
        entry = ctx.line_skus[line.index - 1]
        if entry is None or entry.sku.available_from is None:
            continue
        available = entry.sku.available_from
        if ctx.deal.start_date < available:
            ctx.emit(
                "sku-not-yet-available",
                message=f"Line {line.index}: {entry.sku.sku} is available from {available}, "
                f"but the deal starts {ctx.deal.start_date}",
                location=ctx.line_location(line.index, "sku"),
                subject=f"line:{line.index}:{line.sku}",
                trigger=(ctx.deal.start_date, available),
                evidence={
                    "sku": line.sku,
                    "available_from": available,
                    "start_date": ctx.deal.start_date,
                },
                fix=f"Start the deal on or after {available}, or quote an available SKU.",
            )


@check("currency-unsupported", "data", "blocker")
def currency_unsupported(ctx: DealContext) -> None:
    """The deal is in a currency the catalog has no FX rate for.

    What it does:
        Checks that the deal currency can be converted into every bought product's
        currency through the catalog's ``FxRates``.

    Why it matters:
        Without a rate, list prices, discounts, floors and margins cannot be computed:
        the deal desk would approve numbers nobody checked.

    Example:
        currency: BRL   # and FxRates has no BRL rate

    How to fix:
        Quote in a supported currency, or ask Finance to add the rate to the FxRates
        document.
    """
    deal = ctx.deal
    if ctx.catalog.fx_rate(deal.currency) is not None:
        return
    other = {entry.product.currency for entry in ctx.line_skus if entry is not None}
    if other and other <= {deal.currency}:
        return  # everything is priced in the deal currency: nothing to convert
    supported = sorted([ctx.catalog.fx.base, *ctx.catalog.fx.rates] if ctx.catalog.fx else {*other})
    ctx.emit(
        "currency-unsupported",
        message=f"No FX rate for {deal.currency}; prices cannot be converted",
        location=ctx.locate("currency"),
        subject=f"currency:{deal.currency}",
        trigger=(deal.currency,),
        evidence={"currency": deal.currency, "supported": ", ".join(supported)},
        fix=f"Quote in one of {', '.join(supported)}, or add a {deal.currency} rate to FxRates.",
    )
