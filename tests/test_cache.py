"""The catalog cache (dealcheck.catalog.cache) and the fast JSON Lines path (dealcheck.jsonfast).

The cache must give exactly the catalog a fresh load gives, never keep a catalog with
errors, ignore (and rebuild) anything it cannot trust, and stay out of the real home.
The fast path must give exactly the data of the positioned loader, or leave the line to it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealcheck.catalog import Catalog, load_catalog
from dealcheck.catalog.cache import (
    CachedCatalog,
    CatalogCache,
    cache_dir,
    load_matcher,
    store_matcher,
)
from dealcheck.checks import BUILTIN_IDS
from dealcheck.cli import app
from dealcheck.contract import feature_matcher
from dealcheck.engine import Engine
from dealcheck.errors import InputError
from dealcheck.jsonfast import decode_line
from dealcheck.yamlio import load_jsonl_line

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A copy of the sample catalog that a test may change."""
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "products", root / "products")
    shutil.copytree(REPO / "rules", root / "rules")
    return root


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("DEALCHECK_CACHE_DIR", str(directory))
    return directory


def load(root: Path, cache: bool = True) -> Catalog:
    return load_catalog([root], TODAY, BUILTIN_IDS, cache=cache)


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("catalog-*.json")) if directory.exists() else []


def same_catalog(a: Catalog, b: Catalog) -> None:
    assert a.fingerprint == b.fingerprint
    assert a.files == b.files
    assert a.problems == b.problems
    assert [(m, d.data, d.index, d.file) for m, d in a.documents] == [
        (m, d.data, d.index, d.file) for m, d in b.documents
    ]
    assert sorted(a.where) == sorted(b.where)
    for key, where in a.where.items():  # positions are read lazily on a hit
        assert where.locate() == b.where[key].locate()
        assert where.locate_key() == b.where[key].locate_key()


def test_a_hit_is_the_catalog_a_fresh_load_gives(catalog_dir: Path, cache: Path) -> None:
    fresh = load(catalog_dir, cache=False)
    assert entries(cache) == []
    stored = load(catalog_dir)
    assert isinstance(stored, CachedCatalog) and not stored.hit
    assert len(entries(cache)) == 1
    hit = load(catalog_dir)
    assert isinstance(hit, CachedCatalog) and hit.hit
    same_catalog(fresh, stored)
    same_catalog(fresh, hit)


def test_changing_a_file_is_a_new_entry(catalog_dir: Path, cache: Path) -> None:
    load(catalog_dir)
    fx = catalog_dir / "products" / "fx.yaml"
    fx.write_text(fx.read_text(encoding="utf-8").replace("EUR: 0.92", "EUR: 0.93"), "utf-8")
    changed = load(catalog_dir)
    assert isinstance(changed, CachedCatalog) and not changed.hit
    assert changed.fx is not None and changed.fx.rates["EUR"] == Decimal("0.93")
    assert len(entries(cache)) == 2
    again = load(catalog_dir)
    assert isinstance(again, CachedCatalog) and again.hit and again.fx is not None
    assert again.fx.rates["EUR"] == Decimal("0.93")


def test_a_catalog_with_errors_is_never_cached(catalog_dir: Path, cache: Path) -> None:
    fx = catalog_dir / "products" / "fx.yaml"
    fx.write_text(fx.read_text(encoding="utf-8").replace("EUR: 0.92", "EUR: -1"), "utf-8")
    first = load(catalog_dir)
    assert first.errors
    assert entries(cache) == []
    second = load(catalog_dir)
    assert isinstance(second, CachedCatalog) and not second.hit
    assert second.problems == first.problems


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw.replace(b'"EUR"', b'"EUX"'),  # changed without fixing the digest
        lambda raw: b"not json\n" + raw,
        lambda raw: b"",
        lambda raw: raw.split(b"\n", 1)[0] + b"\n[]",
    ],
)
def test_an_untrustworthy_entry_is_rebuilt(catalog_dir: Path, cache: Path, damage: Any) -> None:
    fresh = load(catalog_dir, cache=False)
    load(catalog_dir)
    (entry,) = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    rebuilt = load(catalog_dir)
    assert isinstance(rebuilt, CachedCatalog) and not rebuilt.hit
    same_catalog(fresh, rebuilt)
    again = load(catalog_dir)  # and written again
    assert isinstance(again, CachedCatalog) and again.hit


def test_the_entry_is_plain_json_with_exact_numbers_and_dates(
    catalog_dir: Path, cache: Path
) -> None:
    load(catalog_dir)
    (entry,) = entries(cache)
    head, body = entry.read_bytes().split(b"\n", 1)
    assert json.loads(head)["key"]
    json.loads(body)  # plain JSON: no pickle, no code
    hit = load(catalog_dir)
    assert hit.fx is not None
    assert hit.fx.as_of == date(2026, 11, 2)
    assert hit.fx.rates["JPY"] == Decimal("151.3")
    assert str(hit.fx.rates["EUR"]) == "0.92"


def test_unreadable_cache_directory_is_no_error(
    catalog_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("DEALCHECK_CACHE_DIR", str(blocker / "cache"))
    catalog = load(catalog_dir)
    assert not catalog.errors
    assert catalog.fingerprint == load(catalog_dir, cache=False).fingerprint


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DEALCHECK_CACHE_DIR", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"
    monkeypatch.delenv("DEALCHECK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "dealcheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "dealcheck"


def test_the_test_suite_never_writes_to_the_real_home() -> None:
    real = Path.home() / ".cache"
    assert not Path(os.environ["DEALCHECK_CACHE_DIR"]).is_relative_to(real)
    # what a subprocess without the DEALCHECK_* variables uses
    assert not Path(os.environ["XDG_CACHE_HOME"]).is_relative_to(real)


def test_concurrent_writers_leave_one_whole_entry(catalog_dir: Path, cache: Path) -> None:
    files = [(f, f.name) for f in sorted(catalog_dir.rglob("*.yaml"))]
    fresh = load(catalog_dir, cache=False)
    documents = {d.file: [] for _m, d in fresh.documents}
    for _model, doc in fresh.documents:
        documents[doc.file].append(doc)
    for _ in range(3):
        CatalogCache(files, cache).store(documents, fresh.fingerprint)
    assert len(entries(cache)) == 1
    assert not list(cache.glob(".catalog-*"))  # no temporary file left behind


def test_check_uses_the_cache_and_no_cache_skips_it(catalog_dir: Path, cache: Path) -> None:
    runner = CliRunner()
    deal = str(REPO / "examples" / "deals" / "ridgeway-retail.yaml")
    args = ["check", deal, "--catalog", str(catalog_dir), "--today", "2026-11-22", "-f", "json"]
    first = runner.invoke(app, [*args, "--no-cache"])
    assert entries(cache) == []
    second = runner.invoke(app, args)
    assert len(entries(cache)) == 1
    third = runner.invoke(app, args)
    assert first.exit_code == second.exit_code == third.exit_code == 3
    assert first.stdout == second.stdout == third.stdout


def test_the_clause_matcher_is_kept_with_the_entry(catalog_dir: Path, cache: Path) -> None:
    text = (
        "Provider shall make EU data residency and the AI assistant available, with "
        "single-sign-on (SSO's) and dashboards, by 31 March 2027."
    )
    fresh = feature_matcher(load(catalog_dir, cache=False))
    assert load_matcher(load(catalog_dir)) is None  # stored, but no matcher yet
    hit = load(catalog_dir)
    assert load_matcher(hit) is None
    store_matcher(hit, feature_matcher(hit))
    kept = load_matcher(load(catalog_dir))
    assert kept is not None
    assert kept.find(text) == fresh.find(text) != []
    assert kept.roadmap == fresh.roadmap
    (side,) = cache.glob("*.matcher")
    side.write_bytes(side.read_bytes()[:-10])  # damaged: ignored
    assert load_matcher(load(catalog_dir)) is None


def test_an_engine_over_a_cached_catalog_keeps_its_matcher(catalog_dir: Path, cache: Path) -> None:
    load(catalog_dir)
    assert Engine(load(catalog_dir), TODAY).matcher is not None  # built and kept
    assert len(list(cache.glob("*.matcher"))) == 1
    assert load_matcher(load(catalog_dir)) is not None


# -- the fast JSON Lines path -----------------------------------------------------------------


def slow(text: str) -> Any:
    try:
        return ("ok", load_jsonl_line(text, "d.jsonl", 1).data)
    except InputError as err:
        return ("error", str(err))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": {"b": 1, "c": {"b": 2, "b": 3}}}',
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"a": 1e999}',
        '{"a": "\\ud800"}',
        '{"\\udfff": 1}',
        '{"a": 12345678901234567890123456789012345678901}',
        '{"a": 1.2345678901234567890123456789012345678901}',
        "[" * 70 + "]" * 70,
        '{"a": ' + "[" * 64 + "1" + "]" * 64 + "}",  # a value at depth 65
        '{"a": 1',
        '{"a": 1} x',
    ],
)
def test_the_fast_path_leaves_what_it_cannot_vouch_for(text: str) -> None:
    assert decode_line(text) is None
    slow(text)  # the positioned loader explains (or accepts) it


@pytest.mark.parametrize(
    "text",
    [
        '{"quantity": 10, "discount": 0.35, "price": 1.50, "big": 1E+3, "neg": -0.0}',
        '{"s": "\\u00e9\\n\\"", "n": null, "t": true, "l": [1, 2.0, {"x": "y"}]}',
        '{"date": "2027-01-01", "pct": "35%", "k": {"a": 1, "b": 1}}',
        '{"lines": [' + ", ".join('{"sku": "X", "quantity": 1}' for _ in range(100)) + "]}",
        "[" * 64 + "1" + "]" * 64,  # depth 64: allowed
    ],
)
def test_the_fast_path_gives_the_loaders_data(text: str) -> None:
    fast = decode_line(text)
    assert fast is not None
    assert slow(text) == ("ok", fast)
    assert repr(slow(text)[1]) == repr(fast)  # Decimal('1.50') stays 1.50, 1E+3 stays 1E+3


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**45), 10**45)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_fast_and_positioned_loaders_agree(value: Any, duplicate: bool) -> None:
    text = json.dumps(value)
    if duplicate and text.startswith("{") and text != "{}":
        text = text[:-1] + ", " + text[1:]  # every key twice
    fast = decode_line(text)
    if fast is not None:
        assert slow(text) == ("ok", fast)
        assert repr(slow(text)[1]) == repr(fast)


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.decimals(allow_nan=False)
    | st.sampled_from([Decimal("Infinity"), Decimal("-Infinity"), Decimal("5"), Decimal("-0")])
    | st.dates()
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(yaml_values)
def test_the_entry_encoding_gives_back_the_same_data(value: Any) -> None:
    """What the YAML loader makes (int, exact Decimal, date, text) survives the entry's
    JSON exactly: types, exponents and signs; written by orjson, or by json.dumps where
    orjson is not installed (a Python it has no wheel for)."""
    from dealcheck.catalog.cache import _DECODER, encode_entry

    for installed in (True, False):
        with mock.patch.dict(sys.modules, {} if installed else {"orjson": None}):
            back = _DECODER.decode(encode_entry(value).decode())
        assert repr(back) == repr(value)


@pytest.mark.parametrize(
    "value",
    [
        {"name": "\udffe5", "price": Decimal("5")},  # a string that looks like a mark
        {"c": "\ud83d\ude00"},  # two lone surrogates would read back as one emoji
        {"b": {"\udfffdate": "2020-01-01"}},  # a key that looks like a date's
    ],
)
def test_without_orjson_a_lone_surrogate_is_not_cached(value: Any) -> None:
    """PyYAML's pure-Python loader lets ``"\\ud800"`` through; orjson refuses such text,
    and so does the json.dumps path, rather than read it back as something else."""
    from dealcheck.catalog.cache import encode_entry

    for installed in (True, False):
        blocked = {} if installed else {"orjson": None}
        with mock.patch.dict(sys.modules, blocked), pytest.raises((ValueError, TypeError)):
            encode_entry(value)


def test_without_orjson_the_cache_still_hits(
    catalog_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "orjson", None)
    fresh = load(catalog_dir, cache=False)
    stored = load(catalog_dir)
    hit = load(catalog_dir)
    assert isinstance(hit, CachedCatalog) and hit.hit
    same_catalog(fresh, stored)
    same_catalog(fresh, hit)


def test_an_oversized_catalog_file_is_reported_not_hashed(catalog_dir: Path, cache: Path) -> None:
    big = catalog_dir / "products" / "huge.yaml"
    with big.open("wb") as fh:
        fh.truncate(11 * 1024 * 1024)  # sparse: 11 MiB of NULs, over the 10 MiB limit
    catalog = load(catalog_dir)
    assert any("10 MiB" in p.message for p in catalog.problems)
    assert entries(cache) == []
