"""The assembled catalog: its indexes by id, where each entity is defined, and the
queries every check asks of it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from dealcheck.errors import Location, Problem
from dealcheck.models import DocumentModel, Feature, FxRates, Product, Rule, RuleSet, Sku
from dealcheck.models.fields import country_codes
from dealcheck.suggestions import Suggester
from dealcheck.yamlio import Document, PathKey, SourceMap

# The entries are named tuples, not frozen dataclasses: a big catalog makes one per
# feature and SKU (tens of thousands), and a tuple is made several times faster.


class Where(NamedTuple):
    """Where a catalog entity is defined: its document's source map and its path in it."""

    source: SourceMap
    path: PathKey

    def locate(self, *sub: str | int) -> Location:
        return self.source.locate((*self.path, *sub))

    def locate_key(self, *sub: str | int) -> Location:
        return self.source.locate_key((*self.path, *sub))


class FeatureEntry(NamedTuple):
    feature: Feature
    product: Product
    where: Where


class SkuEntry(NamedTuple):
    sku: Sku
    product: Product
    where: Where


class RuleEntry(NamedTuple):
    rule: Rule
    ruleset: RuleSet
    where: Where


@dataclass
class Catalog:
    """Every catalog document, indexed by id, with the problems found assembling it."""

    paths: list[str] = field(default_factory=list)
    products: dict[str, Product] = field(default_factory=dict)
    features: dict[str, FeatureEntry] = field(default_factory=dict)
    skus: dict[str, SkuEntry] = field(default_factory=dict)
    rulesets: dict[str, RuleSet] = field(default_factory=dict)
    rules: dict[str, RuleEntry] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fx: FxRates | None = None
    where: dict[tuple[str, str], Where] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # The documents that validate: the catalog proper (fingerprinted, used for deals).
    documents: list[tuple[DocumentModel, Document]] = field(default_factory=list)
    # Every document that could be read, in file order: those that validate, and what
    # validates of the others (see dealcheck.models.salvage), for the cross-checks.
    parsed: list[tuple[DocumentModel, Document]] = field(default_factory=list)
    # Ids (kind → ids) defined in parts that failed validation: not reported as unknown.
    unchecked: dict[str, set[str]] = field(default_factory=dict)
    deal_documents: list[Document] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    _expanded: dict[str, frozenset[str]] = field(default_factory=dict)
    _sku_features: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _feature_skus: dict[str, list[str]] | None = field(default=None, repr=False)
    _feature_names: dict[str, str] | None = field(default=None, repr=False)
    _feature_suggester: Suggester | None = field(default=None, repr=False)
    _sku_suggester: Suggester | None = field(default=None, repr=False)

    # -- queries ------------------------------------------------------------------------

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def unreadable(self) -> list[Problem]:
        """Problems that mean the input could not be read at all (exit 2)."""
        return [p for p in self.problems if p.code == "unreadable"]

    def resolve_region(self, name: str) -> frozenset[str] | None:
        """Countries of a group (recursively), ``{code}`` for a country, ``None`` if unknown."""
        if name in self._expanded:
            return self._expanded[name]
        if name in country_codes():
            return frozenset({name})
        return None

    def in_region(self, country: str, region: str) -> bool:
        members = self.resolve_region(region)
        return members is not None and country in members

    def edition_features(self, product: Product, edition_id: str) -> frozenset[str]:
        """Every feature of an edition, including those of the editions it includes."""
        editions = {e.id: e for e in product.editions}
        seen: set[str] = set()
        features: set[str] = set()
        todo = [edition_id]
        while todo:
            current = todo.pop()
            if current in seen or current not in editions:
                continue
            seen.add(current)
            features.update(editions[current].features)
            todo.extend(editions[current].includes)
        return frozenset(features)

    def sku_features(self, entry: SkuEntry) -> frozenset[str]:
        """Features a SKU entitles the buyer to: its edition's, or its add-on list
        (computed once per SKU: every deal asks)."""
        cached = self._sku_features.get(entry.sku.sku)
        if cached is None:
            if entry.sku.edition is not None:
                cached = self.edition_features(entry.product, entry.sku.edition)
            else:
                cached = frozenset(entry.sku.features or ())
            self._sku_features[entry.sku.sku] = cached
        return cached

    def skus_with_feature(self, feature_id: str) -> list[str]:
        """The SKUs that include a feature, sorted (an index built on first use)."""
        if self._feature_skus is None:
            index: dict[str, list[str]] = {}
            for sku_id in sorted(self.skus):
                for fid in self.sku_features(self.skus[sku_id]):
                    index.setdefault(fid, []).append(sku_id)
            self._feature_skus = index
        return self._feature_skus.get(feature_id, [])

    def suggest_feature(self, word: str) -> str | None:
        """The feature id nearest to ``word``: by name or alias first, else by spelling."""
        by_name = self.feature_by_name(word)
        if by_name is not None:
            return by_name
        if self._feature_suggester is None:
            self._feature_suggester = Suggester(self.features)
        return self._feature_suggester(word)

    def suggest_sku(self, word: str) -> str | None:
        """The catalog SKU nearest to ``word``."""
        if self._sku_suggester is None:
            self._sku_suggester = Suggester(self.skus)
        return self._sku_suggester(word)

    def feature_by_name(self, text: str) -> str | None:
        """The feature whose id, name or alias is ``text`` (case-insensitive), if any."""
        if self._feature_names is None:
            names: dict[str, str] = {}
            for fid, e in self.features.items():
                names.setdefault(e.feature.name.lower(), fid)
                for alias in e.feature.aliases:
                    names.setdefault(alias.lower(), fid)
            self._feature_names = names
        return self._feature_names.get(text.lower())

    def fx_rate(self, currency: str) -> Decimal | None:
        """Units of ``currency`` per one base unit; ``None`` when there is no rate."""
        if self.fx is None:
            return None
        if currency == self.fx.base:
            return Decimal(1)
        return self.fx.rates.get(currency)

    def locate(self, kind: str, ident: str, *sub: str | int) -> Location:
        where = self.where.get((kind, ident))
        return where.locate(*sub) if where else Location(self.paths[0] if self.paths else "")

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the catalog's documents in a canonical order (kind, then id)."""
        digest = hashlib.sha256()
        canonical = sorted(
            (
                model.__class__.__name__,
                str(getattr(model, "id", "")),
                json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":")),
            )
            for model, _doc in self.documents
        )
        for kind, ident, body in canonical:
            digest.update(f"{kind}\0{ident}\0{body}\n".encode())
        return f"sha256:{digest.hexdigest()}"
