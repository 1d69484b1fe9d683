"""Cross-reference checks of an assembled catalog (SPEC §1, §2): every reference resolves,
nothing includes itself, prices and roadmap dates make sense."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dealcheck.catalog.model import Catalog, Where
from dealcheck.errors import Location, Problem
from dealcheck.models import Edition, Feature, Product, Restriction, Sku
from dealcheck.models.fields import country_codes
from dealcheck.suggestions import suggest
from dealcheck.yamlio import PathKey


class References:
    """Checks every cross-reference of the catalog, collecting each problem located."""

    def __init__(self, catalog: Catalog, today: date | None, builtin_ids: frozenset[str]) -> None:
        self.catalog = catalog
        self.today = today
        self.builtin_ids = builtin_ids
        self.edition_cycles: set[frozenset[str]] = set()  # each cycle is reported once

    def error(self, location: Location, message: str, code: str = "reference") -> None:
        self.catalog.problems.append(Problem(location, message, "error", code))

    def warning(self, location: Location, message: str, code: str) -> None:
        self.catalog.problems.append(Problem(location, message, "warning", code))

    def unchecked(self, kind: str, ident: str) -> bool:
        """Whether ``ident`` is defined in a part of a document that failed validation: a
        reference to it is not reported again (its definition's problem already is)."""
        return ident in self.catalog.unchecked.get(kind, ())

    def check_product(self, product: Product) -> None:
        cat = self.catalog
        here = cat.where[("product", product.id)]
        self.check_regions_ref(product.sellable_in, here, ("sellable_in",))
        self.check_restrictions(product.restricted_in, here, ("restricted_in",))
        for i, feature in enumerate(product.features):
            self.check_feature(feature, Where(here.source, ("features", i)))
        editions = {e.id: e for e in product.editions}
        for i, edition in enumerate(product.editions):
            self.check_edition(product, edition, editions, Where(here.source, ("editions", i)))
        for i, sku in enumerate(product.skus):
            self.check_sku(product, sku, editions, Where(here.source, ("skus", i)))

    def check_feature(self, feature: Feature, where: Where) -> None:
        if feature.status == "planned" and feature.target is None:
            self.error(where.locate(), f"planned feature '{feature.id}' needs a 'target' date")
        if feature.status == "deprecated" and feature.end_of_life is None:
            self.error(
                where.locate(), f"deprecated feature '{feature.id}' needs an 'end_of_life' date"
            )
        if feature.status == "retired" and feature.committable:
            self.error(
                where.locate("committable"),
                f"retired feature '{feature.id}' cannot be committable: it no longer exists",
            )
        if (
            self.today is not None
            and feature.status == "planned"
            and feature.target is not None
            and feature.target < self.today
        ):
            self.warning(
                where.locate("target"),
                f"stale roadmap: planned feature '{feature.id}' has a target "
                f"({feature.target}) before today ({self.today}); update the target or the status",
                code="stale-roadmap",
            )
        self.check_restrictions(feature.restricted_in, where, ("restricted_in",))

    def check_edition(
        self, product: Product, edition: Edition, editions: dict[str, Edition], where: Where
    ) -> None:
        for j, feature_id in enumerate(edition.features):
            self.check_feature_ref(feature_id, where, ("features", j))
        for j, included in enumerate(edition.includes):
            if included not in editions and not self.unchecked(
                "edition", f"{product.id}/{included}"
            ):
                hint = suggest(included, editions)
                self.error(
                    where.locate("includes", j),
                    f"edition '{included}' is not an edition of {product.id}"
                    + (f" (did you mean '{hint}'?)" if hint else ""),
                )
        cycle = _find_cycle(edition.id, {e.id: e.includes for e in editions.values()})
        key = frozenset(f"{product.id}/{e}" for e in cycle or ())
        if cycle and key not in self.edition_cycles:
            self.edition_cycles.add(key)
            self.error(
                where.locate("includes"),
                f"editions include each other in a cycle: {' → '.join(cycle)}",
                code="cycle",
            )

    def check_sku(
        self, product: Product, sku: Sku, editions: dict[str, Edition], where: Where
    ) -> None:
        if (
            sku.edition is not None
            and sku.edition not in editions
            and not self.unchecked("edition", f"{product.id}/{sku.edition}")
        ):
            hint = suggest(sku.edition, editions)
            self.error(
                where.locate("edition"),
                f"SKU {sku.sku}: edition '{sku.edition}' is not an edition of {product.id}"
                + (f" (did you mean '{hint}'?)" if hint else ""),
            )
        for j, feature_id in enumerate(sku.features or ()):
            self.check_feature_ref(feature_id, where, ("features", j))
        if sku.floor_price is not None and sku.floor_price > sku.list_price:
            self.error(
                where.locate("floor_price"),
                f"SKU {sku.sku}: floor_price {sku.floor_price} is above list_price {sku.list_price}",
                code="pricing",
            )
        if sku.unit_cost > sku.list_price:
            self.warning(
                where.locate("unit_cost"),
                f"SKU {sku.sku}: unit_cost {sku.unit_cost} is above list_price {sku.list_price}",
                code="pricing",
            )
        self.check_regions_ref(sku.sellable_in, where, ("sellable_in",))
        self.check_restrictions(sku.restricted_in, where, ("restricted_in",))

    def check_feature_ref(self, feature_id: str, where: Where, path: PathKey) -> None:
        if feature_id not in self.catalog.features and not self.unchecked("feature", feature_id):
            hint = suggest(feature_id, self.catalog.features)
            self.error(
                where.locate(*path),
                f"unknown feature '{feature_id}'" + (f" (did you mean '{hint}'?)" if hint else ""),
            )

    # -- regions ---------------------------------------------------------------------------

    def check_regions(self) -> None:
        cat = self.catalog
        countries = country_codes()
        for name, members in cat.groups.items():
            where = cat.where[("group", name)]
            if name in countries:
                self.error(
                    where.locate_key(),
                    f"region group '{name}' is the ISO code of {countries[name]}; "
                    "choose a group name that is not a country code",
                    code="region",
                )
            elif name != name.upper():
                self.error(
                    where.locate_key(), f"region group '{name}' must be upper case", "region"
                )
            for j, member in enumerate(members):
                if (
                    member not in countries
                    and member not in cat.groups
                    and not self.unchecked("group", member)
                ):
                    hint = suggest(member, [*cat.groups, *countries])
                    self.error(
                        where.locate(j),
                        f"'{member}' is neither a country code nor a region group"
                        + (f" (did you mean '{hint}'?)" if hint else ""),
                        code="region",
                    )
        graph = {
            name: tuple(m for m in members if m in cat.groups)
            for name, members in cat.groups.items()
        }
        reported: set[frozenset[str]] = set()
        for name in cat.groups:
            cycle = _find_cycle(name, graph)
            if cycle and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                self.error(
                    cat.where[("group", name)].locate_key(),
                    f"region groups include each other in a cycle: {' → '.join(cycle)}",
                    code="cycle",
                )
        for name in cat.groups:
            cat._expanded[name] = _expand(name, cat.groups)

    def check_regions_ref(self, refs: Iterable[str] | None, where: Where, path: PathKey) -> None:
        cat = self.catalog
        for j, ref in enumerate(refs or ()):
            if cat.resolve_region(ref) is None and not self.unchecked("group", ref):
                hint = suggest(ref, [*cat.groups, *country_codes()])
                self.error(
                    where.locate(*path, j),
                    f"'{ref}' is neither a country code nor a region group"
                    + (f" (did you mean '{hint}'?)" if hint else ""),
                    code="region",
                )

    def check_restrictions(
        self, restrictions: Iterable[Restriction], where: Where, path: PathKey
    ) -> None:
        for i, restriction in enumerate(restrictions):
            self.check_regions_ref(restriction.where, where, (*path, i, "where"))

    # -- fx and rule sets --------------------------------------------------------------------

    def check_fx(self) -> None:
        cat = self.catalog
        if self.unchecked("fx", ""):
            return  # the FxRates document failed validation: its problems are reported
        # A currency that failed validation (the product holds a stand-in) is not checked
        # again, nor counted as a second currency of the catalog.
        products = [p for p in cat.products.values() if not self.unchecked("currency", p.id)]
        currencies = {p.currency for p in products}
        for product in products:
            if self.unchecked("rate", product.currency):
                continue  # its rate failed validation where it is written
            if cat.fx_rate(product.currency) is None and (
                cat.fx is not None or len(currencies) > 1
            ):
                self.error(
                    cat.where[("product", product.id)].locate("currency"),
                    f"product currency {product.currency} has no FX rate"
                    + ("" if cat.fx else " (the catalog has no FxRates document)"),
                    code="fx",
                )

    def check_rulesets(self) -> None:
        cat = self.catalog
        known = set(cat.rules) | set(self.builtin_ids)
        for ruleset in cat.rulesets.values():
            where = cat.where[("ruleset", ruleset.id)]
            if self.builtin_ids:
                for name in ruleset.builtin:
                    if name not in self.builtin_ids:
                        hint = suggest(name, self.builtin_ids)
                        self.error(
                            where.locate_key("builtin", name),
                            f"'{name}' is not a built-in check"
                            + (f" (did you mean '{hint}'?)" if hint else ""),
                        )
            names: set[str] = set()
            for i, test in enumerate(ruleset.tests):
                if test.name in names:
                    self.error(
                        where.locate("tests", i, "name"),
                        f"duplicate test name '{test.name}' in rule set {ruleset.id}",
                        code="duplicate-id",
                    )
                names.add(test.name)
                for key in ("expect", "expect_not"):
                    for j, rule_id in enumerate(getattr(test, key)):
                        if known and rule_id not in known and not self.unchecked("rule", rule_id):
                            hint = suggest(rule_id, known)
                            self.error(
                                where.locate("tests", i, key, j),
                                f"test '{test.name}' names unknown rule '{rule_id}'"
                                + (f" (did you mean '{hint}'?)" if hint else ""),
                            )


def _find_cycle(start: str, graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    """A cycle through ``start`` in ``graph`` (iterative DFS), as a path ending at ``start``."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in visited:
                visited.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _expand(name: str, groups: dict[str, tuple[str, ...]]) -> frozenset[str]:
    countries: set[str] = set()
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for member in groups.get(current, ()):
            if member in groups:
                todo.append(member)
            else:
                countries.add(member)
    return frozenset(countries)
