"""What the built-in checks derive from the catalog alone, worked out once per engine.

A deal asks the same questions of the same few SKUs as the deal before it: in which
countries may this product be sold, where is it restricted, which of the features a SKU
brings are going away or restricted somewhere, how its floor price reads in a message.
:class:`CatalogIndex` answers each once per SKU, feature or region list (on first use: a
big catalog has tens of thousands of SKUs, a deal a few), and every deal the engine
checks reads the answers; nothing here depends on a deal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from dealcheck.catalog import Catalog, FeatureEntry, SkuEntry
from dealcheck.models import Product, Restriction
from dealcheck.pricing import money, percent

#: The places ``pricing.percents`` tries, in order, to tell two percentages apart.
PERCENT_PLACES = (1, 2, 3, 4)

#: Suggestions remembered per catalog (a typo tends to repeat across a batch of deals).
MAX_REMEMBERED_SUGGESTIONS = 4096


class Restricted(NamedTuple):
    """A restriction with the countries its ``where`` names (region groups expanded)."""

    restriction: Restriction
    countries: frozenset[str]


class Target(NamedTuple):
    """A product or a SKU as the region checks see it."""

    kind: str  # "product" | "SKU"
    ident: str
    #: how messages name it: the product's name, the SKU's id
    name: str
    sellable_in: tuple[str, ...] | None
    #: the countries of ``sellable_in`` (None: sellable everywhere not restricted)
    sellable: frozenset[str] | None
    #: ``sellable_in`` as messages show it
    sellable_text: str
    restricted_in: tuple[Restricted, ...]
    #: every country of ``restricted_in``
    restricted: frozenset[str]


class FeatureFacts(NamedTuple):
    """A catalog feature with the countries of each of its restrictions."""

    entry: FeatureEntry
    restricted_in: tuple[Restricted, ...]
    #: every country of ``restricted_in``
    restricted: frozenset[str]


class SkuFacts(NamedTuple):
    """What the checks need of a catalog SKU, worked out once."""

    sku: str
    product: Target
    target: Target
    #: the countries both the product and the SKU may be sold in (None: no limit)
    sellable: frozenset[str] | None
    #: every country the product or the SKU is restricted in
    restricted: frozenset[str]
    #: the features the SKU brings (its edition's, or its add-on list), sorted
    features: tuple[str, ...]
    feature_set: frozenset[str]
    #: of those, the ones with an end of life that are not retired, by id
    retiring: tuple[FeatureEntry, ...]
    #: the earliest ``end_of_life`` of ``retiring`` (None: nothing is retiring)
    first_end_of_life: date | None
    #: of ``features``, the ones restricted somewhere, by id
    restricted_features: tuple[FeatureFacts, ...]
    #: every country one of ``restricted_features`` is restricted in
    restricted_features_in: frozenset[str]
    #: the floor price and ``money(floor_price)`` (None: the SKU has no floor)
    floor_price: Decimal | None
    floor_text: str | None
    #: the minimum margin and ``percent(min_margin, places)`` for each of PERCENT_PLACES
    min_margin: Decimal | None
    min_margin_texts: tuple[str, ...]


@dataclass
class CatalogIndex:
    """What the checks derive from the catalog alone: built on first use and shared by
    every deal an engine checks, never rebuilt per deal."""

    catalog: Catalog
    _deprecated: frozenset[str] | None = None
    _restricted: frozenset[str] | None = None
    _suggestions: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _regions: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False)
    _skus: dict[str, SkuFacts] = field(default_factory=dict, repr=False)
    _features: dict[str, FeatureFacts] = field(default_factory=dict, repr=False)

    def deprecated(self) -> frozenset[str]:
        """Ids of the features with an end of life that are not retired yet (deprecated
        ones, and any other status whose ``end_of_life`` is set)."""
        if self._deprecated is None:
            self._deprecated = frozenset(
                fid
                for fid, e in self.catalog.features.items()
                if e.feature.status != "retired" and e.feature.end_of_life is not None
            )
        return self._deprecated

    def restricted(self) -> frozenset[str]:
        """Ids of the features restricted somewhere."""
        if self._restricted is None:
            self._restricted = frozenset(
                fid for fid, e in self.catalog.features.items() if e.feature.restricted_in
            )
        return self._restricted

    def suggest(self, kind: str, word: str) -> str | None:
        """``Catalog.suggest_feature`` / ``suggest_sku``, remembered."""
        key = (kind, word)
        if key in self._suggestions:
            return self._suggestions[key]
        if kind == "feature":
            hint = self.catalog.suggest_feature(word)
        else:
            hint = self.catalog.suggest_sku(word)
        if len(self._suggestions) < MAX_REMEMBERED_SUGGESTIONS:
            self._suggestions[key] = hint
        return hint

    # -- regions -------------------------------------------------------------------------

    def countries_of(self, regions: tuple[str, ...]) -> frozenset[str]:
        """The countries inside any of ``regions`` (countries or region groups): a country
        is in it exactly when ``Catalog.in_region(country, r)`` for one of them."""
        members = self._regions.get(regions)
        if members is None:
            found: set[str] = set()
            for region in regions:
                found.update(self.catalog.resolve_region(region) or ())
            members = self._regions[regions] = frozenset(found)
        return members

    def _restricted_in(self, restrictions: tuple[Restriction, ...]) -> tuple[Restricted, ...]:
        return tuple(Restricted(r, self.countries_of(r.where)) for r in restrictions)

    def _target(
        self,
        kind: str,
        ident: str,
        name: str,
        sellable_in: tuple[str, ...] | None,
        restricted_in: tuple[Restriction, ...],
    ) -> Target:
        restricted = self._restricted_in(restricted_in)
        return Target(
            kind,
            ident,
            name,
            sellable_in,
            None if sellable_in is None else self.countries_of(sellable_in),
            ", ".join(sellable_in or ()),
            restricted,
            frozenset().union(*(r.countries for r in restricted)),
        )

    def _product_target(self, product: Product) -> Target:
        name = self.catalog.products.get(product.id, product).name
        return self._target("product", product.id, name, product.sellable_in, product.restricted_in)

    # -- features and SKUs ---------------------------------------------------------------

    def feature(self, entry: FeatureEntry) -> FeatureFacts:
        """A catalog feature with its restrictions' countries (worked out once)."""
        feature_id = entry.feature.id
        facts = self._features.get(feature_id)
        if facts is None or facts.entry is not entry:
            restricted = self._restricted_in(entry.feature.restricted_in)
            facts = FeatureFacts(
                entry, restricted, frozenset().union(*(r.countries for r in restricted))
            )
            self._features[feature_id] = facts
        return facts

    def sku(self, entry: SkuEntry) -> SkuFacts:
        """What the checks need of a catalog SKU (worked out on its first deal)."""
        facts = self._skus.get(entry.sku.sku)
        return facts if facts is not None else self._sku_facts(entry)

    def skus(self, entries: list[SkuEntry | None]) -> list[SkuFacts | None]:
        """:meth:`sku` of each entry (None for None): the facts of a deal's lines."""
        known = self._skus
        out: list[SkuFacts | None] = []
        for entry in entries:
            if entry is None:
                out.append(None)
            else:
                facts = known.get(entry.sku.sku)
                out.append(facts if facts is not None else self._sku_facts(entry))
        return out

    def _sku_facts(self, entry: SkuEntry) -> SkuFacts:
        catalog = self.catalog
        sku_id = entry.sku.sku
        features = tuple(sorted(catalog.sku_features(entry)))
        deprecated = self.deprecated()
        retiring = tuple(catalog.features[f] for f in features if f in deprecated)
        ends = [e.feature.end_of_life for e in retiring if e.feature.end_of_life is not None]
        restricted_ids = self.restricted()
        restricted = tuple(
            self.feature(catalog.features[f]) for f in features if f in restricted_ids
        )
        product = self._product_target(entry.product)
        target = self._target("SKU", sku_id, sku_id, entry.sku.sellable_in, entry.sku.restricted_in)
        limits = [t.sellable for t in (product, target) if t.sellable is not None]
        floor, minimum = entry.sku.floor_price, entry.sku.min_margin
        facts = self._skus[sku_id] = SkuFacts(
            sku_id,
            product,
            target,
            frozenset.intersection(*limits) if limits else None,
            product.restricted | target.restricted,
            features,
            frozenset(features),
            retiring,
            min(ends) if ends else None,
            restricted,
            frozenset().union(*(f.restricted for f in restricted)),
            floor,
            None if floor is None else money(floor),
            minimum,
            () if minimum is None else tuple(percent(minimum, p) for p in PERCENT_PLACES),
        )
        return facts
