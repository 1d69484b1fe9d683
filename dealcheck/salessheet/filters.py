"""The sales sheet's filter options, checked and resolved: an unknown value is an
:class:`InputError` located at its option, with a suggestion."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from dealcheck.catalog import Catalog
from dealcheck.errors import InputError, Location
from dealcheck.models import Product
from dealcheck.models.fields import country_codes, currency_codes
from dealcheck.pricing import ONE
from dealcheck.salessheet.model import SECTIONS, STATUSES
from dealcheck.suggestions import suggest


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


def sections(sections: Iterable[str]) -> tuple[str, ...]:
    """The sections asked for, in :data:`SECTIONS` order; none asked for: all."""
    wanted = set()
    for section in sections:
        name = section.strip().lower()
        if name not in SECTIONS:
            raise _unknown("SECTION", "section", section, SECTIONS)
        wanted.add(name)
    return tuple(s for s in SECTIONS if s in wanted) or SECTIONS


def region(catalog: Catalog, region: str | None) -> tuple[str, ...] | None:
    """The countries of a country code or region group, sorted; ``None``: no region."""
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


def statuses(statuses: Iterable[str]) -> frozenset[str]:
    """The feature statuses asked for (each item may be comma-separated); none: all but
    ``retired``."""
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


def products(catalog: Catalog, product: str | None) -> list[Product]:
    """The products by id, or the one whose id or name is ``product``."""
    ordered = [catalog.products[pid] for pid in sorted(catalog.products)]
    if product is None:
        return ordered
    wanted = product.strip().casefold()
    found = [p for p in ordered if wanted in (p.id.casefold(), p.name.casefold())]
    if not found:
        raise _unknown("--product", "product", product, [p.id for p in ordered])
    return found


def edition(products: Sequence[Product], edition: str | None) -> str | None:
    """The id of the edition named by id or name in one of ``products``."""
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


def currency(catalog: Catalog, currency: str, products: Sequence[Product]) -> str:
    """The ISO code to show prices in; it needs an FX rate unless every product is
    priced in it."""
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


def rates(catalog: Catalog, product: Product, shown: str) -> tuple[Decimal, Decimal]:
    """The FX rates (from, to) that show ``product``'s prices in ``shown``."""
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


def kept(partner_margin: Decimal, free_months: int, term_months: int) -> Decimal:
    """The share of a unit price the company keeps, ``(1 − partner) × (T − free) / T``;
    InputError for a partner margin outside [0, 1) or free months outside [0, T)."""
    if not 0 <= partner_margin < 1:
        raise InputError(
            Location("--partner-margin"),
            f"must be at least 0 and below 100% (20% or 0.2), got {partner_margin}",
        )
    if term_months < 1:
        raise InputError(Location("--term-months"), f"must be 1 or more, got {term_months}")
    if not 0 <= free_months < term_months:
        raise InputError(
            Location("--free-months"),
            f"must be 0 or more and less than the {term_months}-month term, got {free_months}",
        )
    term = Decimal(term_months)
    return (1 - partner_margin) * (term - free_months) / term
