"""What may be sold where: an item's ``sellable_in`` and restrictions, country by country."""

from __future__ import annotations

from collections.abc import Iterable

from dealcheck.catalog import Catalog
from dealcheck.models import Product, Restriction
from dealcheck.salessheet.model import Exclusion, RegionRule


class Judge:
    """Decides, country by country of the asked region, what may be sold there."""

    def __init__(
        self, catalog: Catalog, name: str | None, countries: tuple[str, ...] | None
    ) -> None:
        self.catalog = catalog
        self.name = name
        self.countries = frozenset(countries) if countries is not None else None

    def expand(self, refs: Iterable[str]) -> frozenset[str]:
        """The countries of country codes and region groups."""
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
        """Where in the region an item may not be sold (or only on a condition), and why.
        ``features``: every restriction is a blocker (a contract may not commit to it)."""
        if self.countries is None:
            return []
        # (countries hit, the names that hit them, reason, severity, approver)
        hits: list[tuple[frozenset[str], Iterable[str], str, str, str | None]] = []
        if sellable_in is not None:
            outside = self.countries - self.expand(sellable_in)
            if outside:
                reason = f"sold only in {', '.join(sellable_in)}"
                hits.append((outside, (), reason, "blocker", None))
        for r in restricted_in:
            hit = self.countries & self.expand(r.where)
            if hit:
                severity = "blocker" if features else r.severity
                hits.append((hit, r.where, r.reason, severity, r.approver))
        return [
            Exclusion(
                kind,
                ident,
                name,
                product.id,
                self.label(hit, names),
                tuple(sorted(hit)),
                reason,
                severity,
                approver,
            )
            for hit, names, reason, severity, approver in hits
        ]

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
        """The countries the blocker exclusions cover."""
        return frozenset(c for x in exclusions if x.severity == "blocker" for c in x.countries)

    def availability(self, blocked: frozenset[str]) -> str:
        """``available``, ``partial`` or ``unavailable`` in the region, given ``blocked``."""
        if self.countries is None or not blocked:
            return "available"
        return "unavailable" if blocked >= self.countries else "partial"


def region_rules(
    kind: str,
    ident: str,
    name: str,
    sellable_in: tuple[str, ...] | None,
    restricted_in: Iterable[Restriction],
) -> list[RegionRule]:
    """An item's ``sellable_in`` list and restrictions as they are written (any region)."""
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
