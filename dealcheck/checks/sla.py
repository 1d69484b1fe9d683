"""SLA checks: never commit to more uptime than the product can deliver."""

from __future__ import annotations

from decimal import Decimal

from dealcheck.checks.base import DealContext, UptimeRef, check
from dealcheck.clauses.model import Revision


def _tracked(uptime: UptimeRef) -> tuple[str, dict[str, str | None]]:
    """Message suffix and evidence for an uptime a tracked change put in the contract."""
    revision = uptime.revision  # set on uptimes found in a redlined clause
    if not isinstance(revision, Revision):
        return "", {}
    from dealcheck.contract import tracked_change, tracked_evidence

    return tracked_change(revision), tracked_evidence(revision)


def _pct(value: Decimal) -> str:
    """An uptime as written by people: 99.95, never 9.995E+1."""
    return format(value.normalize(), "f")


@check("sla-above-catalog", "clause", "blocker")
def sla_above_catalog(ctx: DealContext) -> None:
    """The deal commits to more uptime than any bought product offers.

    What it does:
        Compares the deal's ``sla_uptime`` and every uptime percentage committed in a
        clause with the highest ``sla.uptime`` among the products bought.

    Why it matters:
        Each extra nine is an order of magnitude less downtime allowed. An SLA the
        platform cannot meet turns into service credits or termination rights.

    Example:
        sla_uptime: 99.99 when the product's sla.uptime is 99.9

    How to fix:
        Commit to at most the catalog uptime, or ask Product and Engineering whether
        a higher tier (and its price) exists.
    """
    if not ctx.uptimes:
        return  # nothing committed: the products' SLAs need not be looked up
    products = ctx.products_bought()
    offered = [p.sla.uptime for p in products.values() if p.sla is not None]
    best = max(offered) if offered else None
    names = ", ".join(p.name for p in products.values()) or "no product"
    for uptime in ctx.uptimes:
        if best is None or uptime.value > best:
            shown = _pct(uptime.value)
            limit = f"{_pct(best)}%" if best is not None else "no SLA"
            suffix, tracked = _tracked(uptime)
            # cite the clause as the contract numbers it, where the deal desk will look
            where = f"Clause {uptime.clause} commits to" if uptime.clause else "Committed"
            ctx.emit(
                "sla-above-catalog",
                message=f"{where} uptime {shown}%, more than {names} offers ({limit})" + suffix,
                location=uptime.location,
                subject=f"sla:{uptime.clause or 'deal'}",
                trigger=(uptime.value, best),
                evidence={
                    "uptime": uptime.value,
                    "catalog_uptime": best,
                    "clause": uptime.clause,
                    "text": uptime.text,
                    **tracked,
                },
                fix=f"Commit to at most {best}% uptime."
                if best is not None
                else "Remove the uptime commitment.",
            )


@check("sla-mismatch", "clause", "warning")
def sla_mismatch(ctx: DealContext) -> None:
    """The deal's ``sla_uptime`` disagrees with the uptime written in the contract.

    What it does:
        Compares the structured ``sla_uptime`` with every uptime percentage committed
        in a clause and reports each clause that says something else.

    Why it matters:
        The deal desk approves the structured number; the customer holds the company to
        the contract text. When they differ, one of them is wrong.

    Example:
        sla_uptime: 99.9 and clause 9.1 "Provider guarantees 99.95% monthly uptime"

    How to fix:
        Make ``sla_uptime`` and the clause say the same figure.
    """
    stated = ctx.deal.sla_uptime
    if stated is None:
        return
    for uptime in ctx.uptimes:
        if uptime.clause is not None and uptime.value != stated:
            suffix, tracked = _tracked(uptime)
            ctx.emit(
                "sla-mismatch",
                message=f"Clause {uptime.clause} commits to {_pct(uptime.value)}% uptime but the "
                f"deal's sla_uptime is {_pct(stated)}%" + suffix,
                location=uptime.location,
                subject=f"sla-mismatch:{uptime.clause}",
                trigger=(uptime.value, stated),
                evidence={
                    "clause": uptime.clause,
                    "clause_uptime": uptime.value,
                    "sla_uptime": stated,
                    "text": uptime.text,
                    **tracked,
                },
                fix="Make sla_uptime and the clause text state the same uptime.",
            )
