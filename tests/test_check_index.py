"""The checks' catalog index (dealcheck.checks.index) against the straightforward answers.

The index works out once per catalog what the region, feature and margin checks used to
work out per deal; each test here recomputes it the long way (the catalog's own queries,
as the checks asked them) for every SKU of the sample catalog and of a small catalog with
nested region groups, and the checks over that catalog are pinned end to end.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest

from dealcheck.catalog import Catalog
from dealcheck.checks.base import DealContext
from dealcheck.checks.index import PERCENT_PLACES, CatalogIndex, Target
from dealcheck.checks.margins import _percents
from dealcheck.engine import Engine
from dealcheck.errors import Location
from dealcheck.models import Product, Restriction, Sku
from dealcheck.models.fields import country_codes
from dealcheck.pricing import money, percent, percents
from dealcheck.yamlio import SourceMap
from tests.check_index_catalog import nested_engine


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return nested_engine(tmp_path_factory.mktemp("nested"))


@pytest.fixture(params=["sample", "nested"])
def catalog(request: pytest.FixtureRequest, sample_engine: Engine, nested: Engine) -> Catalog:
    return (sample_engine if request.param == "sample" else nested).catalog


def _inside(catalog: Catalog, regions: Iterable[str]) -> set[str]:
    """Every country ``in_region`` of one of ``regions``, asked country by country."""
    regions = tuple(regions)
    return {c for c in country_codes() if any(catalog.in_region(c, r) for r in regions)}


def _restrictions(catalog: Catalog, restricted_in: tuple[Restriction, ...]) -> list[Any]:
    return [(r, _inside(catalog, r.where)) for r in restricted_in]


def _target(target: Target) -> dict[str, Any]:
    """A target with plain sets, to compare with :func:`_expected_target`."""
    return {
        "kind": target.kind,
        "ident": target.ident,
        "name": target.name,
        "sellable_in": target.sellable_in,
        "sellable": None if target.sellable is None else set(target.sellable),
        "sellable_text": target.sellable_text,
        "restricted_in": [(r, set(countries)) for r, countries in target.restricted_in],
        "restricted": set(target.restricted),
    }


def _expected_target(
    catalog: Catalog, kind: str, ident: str, name: str, owner: Product | Sku
) -> dict[str, Any]:
    restricted = _restrictions(catalog, owner.restricted_in)
    sellable_in = owner.sellable_in
    return {
        "kind": kind,
        "ident": ident,
        "name": name,
        "sellable_in": sellable_in,
        "sellable": None if sellable_in is None else _inside(catalog, sellable_in),
        "sellable_text": "" if sellable_in is None else ", ".join(sellable_in),
        "restricted_in": restricted,
        "restricted": set().union(*(countries for _r, countries in restricted)),
    }


def test_every_sku_s_facts_agree_with_the_catalog_s_own_answers(catalog: Catalog) -> None:
    index = CatalogIndex(catalog)
    assert catalog.skus
    for sku_id, entry in catalog.skus.items():
        facts = index.sku(entry)
        product, sku = entry.product, entry.sku
        assert facts.sku == sku_id
        name = catalog.products[product.id].name
        expected_product = _expected_target(catalog, "product", product.id, name, product)
        expected_sku = _expected_target(catalog, "SKU", sku_id, sku_id, sku)
        assert _target(facts.product) == expected_product
        assert _target(facts.target) == expected_sku
        # a line may be sold where both the product's and the SKU's sellable_in allow
        limits = [
            t["sellable"] for t in (expected_product, expected_sku) if t["sellable"] is not None
        ]
        assert facts.sellable == (set.intersection(*limits) if limits else None)
        assert facts.restricted == expected_product["restricted"] | expected_sku["restricted"]
        # what it brings
        features = sorted(catalog.sku_features(entry))
        assert list(facts.features) == features
        assert facts.feature_set == set(features)
        retiring = [
            f
            for f in features
            if catalog.features[f].feature.status != "retired"
            and catalog.features[f].feature.end_of_life is not None
        ]
        assert [e.feature.id for e in facts.retiring] == retiring
        ends = [catalog.features[f].feature.end_of_life for f in retiring]
        assert facts.first_end_of_life == min(ends, default=None)
        restricted = [f for f in features if catalog.features[f].feature.restricted_in]
        assert [f.entry.feature.id for f in facts.restricted_features] == restricted
        countries: set[str] = set()
        for f in facts.restricted_features:
            assert f.entry is catalog.features[f.entry.feature.id]
            expected = _restrictions(catalog, f.entry.feature.restricted_in)
            assert [(r, set(c)) for r, c in f.restricted_in] == expected
            assert f.restricted == set().union(*(c for _r, c in expected))
            countries |= f.restricted
        assert facts.restricted_features_in == countries
        # message texts
        assert facts.floor_price is sku.floor_price
        assert facts.floor_text == (None if sku.floor_price is None else money(sku.floor_price))
        assert facts.min_margin is sku.min_margin
        minimum = sku.min_margin
        places = PERCENT_PLACES
        assert facts.min_margin_texts == (
            () if minimum is None else tuple(percent(minimum, p) for p in places)
        )
        assert index.sku(entry) is facts  # worked out once
        assert index.skus([None, entry]) == [None, facts]


def test_the_nested_catalog_exercises_what_the_index_expands(nested: Engine) -> None:
    """The hand-built catalog is not vacuous: groups of groups, restricted and retiring
    features, a SKU narrower than its product."""
    facts = CatalogIndex(nested.catalog).sku(nested.catalog.skus["GZ-STD"])
    assert facts.sellable == {"DE", "FR", "NL", "CH"}
    assert facts.restricted == {"SE", "DK", "NO", "FI"}
    assert [e.feature.id for e in facts.retiring] == ["old-api"]  # "gone" is retired
    pro = CatalogIndex(nested.catalog).sku(nested.catalog.skus["GZ-PRO"])
    assert [e.feature.id for e in pro.retiring] == ["old-api", "sunset"]
    assert str(pro.first_end_of_life) == "2027-03-31"
    assert pro.restricted_features_in == {"DE", "FR", "NL", "GB", "SE", "DK"}
    assert pro.product.sellable is not None and "NO" in pro.product.sellable


def test_countries_of_is_in_region_for_every_country(catalog: Catalog) -> None:
    index = CatalogIndex(catalog)
    names = [*catalog.groups, "DE", "AU", "ZZ", "NOWHERE"]
    for size in (1, 2):
        for regions in itertools.combinations(names, size):
            assert index.countries_of(regions) == _inside(catalog, regions), regions


@pytest.mark.parametrize(
    ("margin", "minimum"),
    [
        *(
            (Decimal(m), Decimal(n))
            for m in ("0.5", "0.54999", "0.55", "0.549999", "-1.25", "0")
            for n in ("0.55", "0.6", "0.54999", "0")
        ),
        (Decimal("0.123456"), Decimal("0.1234564")),  # equal to four places: the last pair
    ],
)
def test_percents_from_the_index_are_pricing_percents(margin: Decimal, minimum: Decimal) -> None:
    class Facts:  # what _percents reads of a SKU's facts
        min_margin = minimum
        min_margin_texts = tuple(percent(minimum, p) for p in PERCENT_PLACES)

    assert _percents(margin, minimum, Facts()) == percents(margin, minimum)
    assert _percents(margin, minimum, None) == percents(margin, minimum)


# -- the per-deal context -----------------------------------------------------------------


def _context(engine: Engine, source: SourceMap) -> DealContext:
    return DealContext(
        deal=None,  # what line_location reads is all in the source map
        catalog=engine.catalog,
        today=engine.today,
        file=source.file,
        source=source,
        lines=[],
        line_skus=[],
        commitments=[],
        clauses=[],
        uptimes=[],
        overrides={},
        min_deal_margin=None,
        deal_margin=None,
    )


def _line_location_the_long_way(source: SourceMap, index: int, key: str | None) -> Location:
    path: tuple[str | int, ...] = ("lines", index - 1)
    if key is not None and source.has((*path, key)):
        path = (*path, key)
    return source.locate(path)


def _maps() -> list[SourceMap]:
    full = SourceMap("deal.yaml")
    full.values.update({(): (1, 1), ("lines",): (5, 1), ("lines", 0): (6, 5)})
    full.values.update({("lines", 0, "sku"): (6, 10), ("lines", 1, "discount"): (8, 17)})
    root_only = SourceMap("deals.jsonl", {(): (41, 1)})
    no_lines = SourceMap("deal.yaml", {(): (3, 1)})
    empty = SourceMap("empty.yaml")
    quoted = SourceMap("deal.yaml", dict(full.values))
    quoted.elsewhere[("lines", 1)] = Location("quote.csv", 3, 1)
    quoted.elsewhere[("lines", 2, "sku")] = Location("quote.csv", 4, 2)
    return [full, root_only, no_lines, empty, quoted]


@pytest.mark.parametrize("source", _maps(), ids=["full", "jsonl", "no-lines", "empty", "quote"])
def test_line_location_is_the_nearest_located_ancestor(
    source: SourceMap, sample_engine: Engine
) -> None:
    ctx = _context(sample_engine, source)
    for index, key in itertools.product((1, 2, 3), (None, "sku", "discount", "unit_price")):
        expected = _line_location_the_long_way(source, index, key)
        assert ctx.line_location(index, key) == expected, (index, key)
