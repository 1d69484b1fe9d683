"""The catalog: discovery of its files, assembly into indexes, cross-references, fingerprint.

A catalog is every ``Product``, ``Regions``, ``FxRates`` and ``RuleSet`` document under
the catalog paths (SPEC §1). Loading never stops at the first problem: every file is
read and every problem is collected with its ``file:line:column``, so one bad file
never hides the others.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from dealcheck.errors import InputError, Location, Problem
from dealcheck.models import (
    CATALOG_KINDS,
    DocumentModel,
    Edition,
    Feature,
    FxRates,
    Product,
    Regions,
    Restriction,
    Rule,
    RuleSet,
    Sku,
    parse_document,
)
from dealcheck.models.fields import Suggester, country_codes, suggest
from dealcheck.yamlio import Document, PathKey, SourceMap, load_file

YAML_SUFFIXES = (".yaml", ".yml", ".json")


def display_path(path: Path | str) -> str:
    """A path as shown to users: relative to the working directory when below it, with ``/``."""
    p = Path(path)
    try:
        shown = os.path.relpath(p) if p.is_absolute() else str(p)
    except ValueError:  # another drive on Windows
        shown = str(p)
    if shown.startswith(".."):
        shown = str(p)
    return shown.replace(os.sep, "/")


def real_path(path: Path) -> Path:
    """``path`` with symlinks and ``..`` resolved; a symlink loop (``RuntimeError`` before
    Python 3.13) or another OS error leaves it absolute but unresolved, for the reader to
    report."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def exists(path: Path) -> bool:
    """``path.exists()``, but false rather than an exception for a name the file system
    cannot look up at all (longer than the system allows, or with a NUL byte)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def iter_yaml_files(root: Path) -> Iterator[Path]:
    """YAML/JSON files under ``root`` (or ``root`` itself), sorted, never following symlinked
    directories (so a symlink loop cannot trap the walk); hidden directories are skipped."""
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                yield Path(dirpath) / name


@dataclass(frozen=True)
class Where:
    """Where a catalog entity is defined: its document's source map and its path in it."""

    source: SourceMap
    path: PathKey

    def locate(self, *sub: str | int) -> Location:
        return self.source.locate((*self.path, *sub))

    def locate_key(self, *sub: str | int) -> Location:
        return self.source.locate_key((*self.path, *sub))


@dataclass(frozen=True)
class FeatureEntry:
    feature: Feature
    product: Product
    where: Where


@dataclass(frozen=True)
class SkuEntry:
    sku: Sku
    product: Product
    where: Where


@dataclass(frozen=True)
class RuleEntry:
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
    documents: list[tuple[DocumentModel, Document]] = field(default_factory=list)
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


# -- discovery -------------------------------------------------------------------------------


def load_catalog(
    paths: Iterable[Path], today: date | None = None, builtin_ids: Iterable[str] = ()
) -> Catalog:
    """Load, assemble and cross-check the catalog under ``paths``."""
    paths = list(paths)
    catalog = Catalog(paths=[display_path(p) for p in paths])
    loaded: set[Path] = set()
    for root in paths:
        if not exists(root):
            catalog.problems.append(
                Problem(
                    Location(display_path(root)), "catalog path does not exist", code="unreadable"
                )
            )
            continue
        for file in iter_yaml_files(root):
            # Overlapping paths (a directory and a file in it, `validate products/x.yaml`
            # with ./products configured) must not load a file twice: every id in it
            # would be reported as a duplicate of itself.
            real = real_path(file)
            if real not in loaded:
                loaded.add(real)
                _load_catalog_file(catalog, file)
    _Assembler(catalog, today, frozenset(builtin_ids)).run()
    catalog.problems.sort(key=lambda p: (p.location, p.message))
    return catalog


def _load_catalog_file(catalog: Catalog, file: Path) -> None:
    name = display_path(file)
    catalog.files.append(name)
    try:
        docs = load_file(file, name)
    except InputError as err:
        catalog.problems.append(Problem.from_input_error(err))
        return
    for doc in docs:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "Deal":
            catalog.deal_documents.append(doc)  # never part of the catalog
            continue
        model, problems = parse_document(doc, CATALOG_KINDS)
        catalog.problems.extend(problems)
        if model is not None:
            catalog.documents.append((model, doc))


class _Assembler:
    """Builds the indexes and checks every cross-reference (SPEC §1, §2)."""

    def __init__(self, catalog: Catalog, today: date | None, builtin_ids: frozenset[str]) -> None:
        self.catalog = catalog
        self.today = today
        self.builtin_ids = builtin_ids
        self.edition_cycles: set[frozenset[str]] = set()  # each cycle is reported once

    def error(self, location: Location, message: str, code: str = "reference") -> None:
        self.catalog.problems.append(Problem(location, message, "error", code))

    def warning(self, location: Location, message: str, code: str) -> None:
        self.catalog.problems.append(Problem(location, message, "warning", code))

    def claim(
        self, kind: str, ident: str, where: Where, label: str, key: str | None = "id"
    ) -> bool:
        """Register a catalog-wide id; a duplicate is an error naming both places.

        Both places are the id itself: the ``key`` field of the entity, or (``key=None``)
        the mapping key that names it, as for region groups.
        """
        first = self.catalog.where.get((kind, ident))
        if first is not None:

            def at(w: Where) -> Location:
                return w.locate(key) if key else w.locate_key()

            self.error(
                at(where),
                f"duplicate {label} '{ident}' (also defined at {at(first)})",
                code="duplicate-id",
            )
            return False
        self.catalog.where[(kind, ident)] = where
        return True

    def run(self) -> None:
        cat = self.catalog
        fx_docs: list[tuple[FxRates, Document]] = []
        for model, doc in cat.documents:
            root = Where(doc.source, ())
            if isinstance(model, Regions):
                for name, members in model.groups.items():
                    if self.claim(
                        "group", name, Where(doc.source, ("groups", name)), "region group", None
                    ):
                        cat.groups[name] = members
            elif isinstance(model, FxRates):
                fx_docs.append((model, doc))
            elif isinstance(model, Product):
                self.index_product(model, doc.source)
            elif isinstance(model, RuleSet) and self.claim(
                "ruleset", model.id, root, "rule set id"
            ):
                cat.rulesets[model.id] = model
                for i, rule in enumerate(model.rules):
                    where = Where(doc.source, ("rules", i))
                    if rule.id in self.builtin_ids:
                        self.error(
                            where.locate("id"),
                            f"rule id '{rule.id}' is the id of a built-in check; choose another",
                            code="duplicate-id",
                        )
                    elif self.claim("rule", rule.id, where, "rule id"):
                        cat.rules[rule.id] = RuleEntry(rule, model, where)
        if fx_docs:
            cat.fx = fx_docs[0][0]
            self.catalog.where[("fx", "")] = Where(fx_docs[0][1].source, ())
            for _, extra in fx_docs[1:]:
                self.error(
                    extra.source.locate(),
                    f"a catalog has one FxRates document (the first is at {fx_docs[0][1].source.locate()})",
                    code="duplicate-id",
                )
        self.check_regions()
        for product in cat.products.values():
            self.check_product(product)
        self.check_fx()
        self.check_rulesets()

    # -- products --------------------------------------------------------------------------

    def index_product(self, product: Product, source: SourceMap) -> None:
        cat = self.catalog
        if not self.claim("product", product.id, Where(source, ()), "product id"):
            return
        cat.products[product.id] = product
        for i, feature in enumerate(product.features):
            where = Where(source, ("features", i))
            if self.claim("feature", feature.id, where, "feature id"):
                cat.features[feature.id] = FeatureEntry(feature, product, where)
        for i, sku in enumerate(product.skus):
            where = Where(source, ("skus", i))
            if self.claim("sku", sku.sku, where, "SKU", "sku"):
                cat.skus[sku.sku] = SkuEntry(sku, product, where)
        for i, edition in enumerate(product.editions):
            where = Where(source, ("editions", i))
            self.claim("edition", f"{product.id}/{edition.id}", where, f"edition of {product.id}")

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
            if included not in editions:
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
        if sku.edition is not None and sku.edition not in editions:
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
        if feature_id not in self.catalog.features:
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
                if member not in countries and member not in cat.groups:
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
            if cat.resolve_region(ref) is None:
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
        for product in cat.products.values():
            if cat.fx_rate(product.currency) is None and (
                cat.fx is not None or len({p.currency for p in cat.products.values()}) > 1
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
                        if known and rule_id not in known:
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
