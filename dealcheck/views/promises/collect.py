"""From engine results to promises: each commitment of a checked deal becomes a
:class:`~dealcheck.views.promises.model.Promise`, sharing one
:class:`~dealcheck.views.promises.model.DealFacts` with the deal's other promises.

Values are the deal's contract value over the term and per year, in the catalog's base
currency (the ``FxRates`` base; without one, the currency every product uses), exact
``Decimal`` converted as ``amount / rate(deal currency)``; ``None`` when it cannot be
derived (an unknown SKU, no rate). A feature's value counts each deal once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from dealcheck.views.promises.model import DealFacts, Promise

if TYPE_CHECKING:
    from dealcheck.catalog import Catalog
    from dealcheck.checks.base import CommitmentRef
    from dealcheck.findings import DealResult
    from dealcheck.models import DealBody

TWELVE = Decimal(12)


class Valuation:
    """Deal totals in the catalog's base currency."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        if catalog.fx is not None:
            self.currency: str | None = catalog.fx.base
        else:
            currencies = {p.currency for p in catalog.products.values()}
            self.currency = currencies.pop() if len(currencies) == 1 else None

    def base(self, amount: Decimal | None, currency: str) -> Decimal | None:
        if amount is None or self.currency is None:
            return None
        if currency == self.currency:
            return amount
        rate = self.catalog.fx_rate(currency)
        return amount / rate if rate else None


def promises_of(
    deal: DealBody, result: DealResult, seq: int, valuation: Valuation
) -> list[Promise]:
    """The promises of one checked deal: every commitment the engine judged."""
    commitments: Sequence[CommitmentRef] = result.commitments
    if not commitments:
        return []
    value = valuation.base(result.total, deal.currency)
    facts = DealFacts(
        seq=seq,
        id=deal.id,
        file=result.file,
        location=result.location,
        customer=deal.customer.name,
        owner=deal.owner,
        stage=deal.stage,
        verdict=result.verdict,
        currency=deal.currency,
        end_date=deal.end_date,
        value=value,
        annual=value * TWELVE / deal.term_months if value is not None else None,
    )
    out = []
    for c in commitments:
        revision = c.revision  # on a commitment found in a redlined clause
        out.append(
            Promise(
                feature=c.feature,
                due=c.due,
                source=c.source,
                clause=c.clause,
                location=c.location,
                text=c.text,
                deal=facts,
                revision=revision.kind if revision is not None else None,
                revised_by=revision.author if revision is not None else None,
                revised_on=revision.date[:10] if revision is not None and revision.date else None,
            )
        )
    return out
