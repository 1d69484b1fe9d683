"""The catalog (SPEC §1, §2): discovery, assembly, every cross-reference error at its line:column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dealcheck.catalog import Catalog, iter_yaml_files, load_catalog
from dealcheck.errors import Location, Problem

FIXTURES = Path(__file__).parent / "fixtures" / "catalogs"
TODAY = date(2026, 11, 22)

REGIONS = """\
kind: Regions
groups:
  EU: [DE, FR]
  EMEA: [EU, GB]
"""

FX = """\
kind: FxRates
base: USD
as_of: 2026-11-01
rates: {EUR: 0.92}
"""

# Line numbers matter: the tests below edit single lines and assert positions in them.
GADGETS = """\
kind: Product
id: gadgets
name: Gadgets
currency: USD
features:
  - id: alpha
    name: Alpha
    status: ga
  - id: beta
    name: Beta
    status: ga
    aliases: [B]
editions:
  - id: basic
    name: Basic
    features: [alpha]
  - id: pro
    name: Pro
    includes: [basic]
    features: [beta]
skus:
  - sku: G-PRO
    name: Gadgets Pro
    edition: pro
    list_price: 100
    unit_cost: 20
"""


def edit(text: str, line: int, new: str) -> str:
    """``text`` with its 1-based ``line`` replaced by ``new`` (several lines allowed)."""
    lines = text.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``cat/`` under a temporary working directory, holding regions and FX rates."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "cat"
    root.mkdir()
    (root / "regions.yaml").write_text(REGIONS, encoding="utf-8")
    (root / "fx.yaml").write_text(FX, encoding="utf-8")
    return root


def load(root: Path, gadgets: str | None = GADGETS, today: date | None = TODAY) -> Catalog:
    if gadgets is not None:
        (root / "gadgets.yaml").write_text(gadgets, encoding="utf-8")
    return load_catalog([Path(root.name)], today)


def problems_at(catalog: Catalog, where: str) -> list[str]:
    return [p.message for p in catalog.problems if str(p.location) == where]


def assert_only(catalog: Catalog, where: str, message: str, severity: str = "error") -> None:
    """Exactly one problem in the catalog: ``message`` at ``where``."""
    assert [(str(p.location), p.severity, p.message) for p in catalog.problems] == [
        (where, severity, message)
    ]


# -- a valid catalog --------------------------------------------------------------------------


def test_the_base_catalog_is_valid(catalog_dir: Path) -> None:
    catalog = load(catalog_dir)
    assert catalog.problems == []
    assert set(catalog.products) == {"gadgets"}
    assert set(catalog.skus) == {"G-PRO"}
    assert catalog.fx_rate("EUR") == Decimal("0.92")
    assert catalog.fx_rate("USD") == 1
    assert catalog.fx_rate("GBP") is None


def test_the_fixture_catalog_is_valid_and_indexed() -> None:
    catalog = load_catalog([FIXTURES / "valid"], TODAY)
    assert catalog.problems == []
    assert set(catalog.products) == {"widgets"}
    assert set(catalog.features) == {"dashboards", "sso-saml", "eu-residency", "legacy-api"}
    assert set(catalog.rules) == {"long-payment-terms"}
    # editions include editions; groups include groups
    enterprise = catalog.sku_features(catalog.skus["W-ENT-Y"])
    assert enterprise == {"dashboards", "legacy-api", "sso-saml"}
    assert catalog.resolve_region("EMEA") == {"DE", "FR", "NL", "GB", "NO"}
    assert catalog.in_region("NO", "EMEA") and not catalog.in_region("AU", "EMEA")
    assert catalog.resolve_region("AU") == {"AU"}
    assert catalog.resolve_region("MARS") is None
    assert catalog.features["eu-residency"].feature.target == date(2027, 6, 30)


# -- editions and SKUs ------------------------------------------------------------------------


def test_edition_feature_must_exist(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 16, "    features: [alpha, alpah]"))
    assert_only(
        catalog, "cat/gadgets.yaml:16:23", "unknown feature 'alpah' (did you mean 'alpha'?)"
    )


def test_edition_include_must_exist(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 19, "    includes: [basic, premium]"))
    assert_only(catalog, "cat/gadgets.yaml:19:23", "edition 'premium' is not an edition of gadgets")


def test_edition_include_cycle_is_reported_once(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 16, "    includes: [pro]"))
    assert_only(
        catalog,
        "cat/gadgets.yaml:16:15",
        "editions include each other in a cycle: basic → pro → basic",
    )
    assert catalog.problems[0].code == "cycle"


def test_an_edition_including_itself_is_a_cycle(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 19, "    includes: [basic, pro]"))
    assert_only(
        catalog, "cat/gadgets.yaml:19:15", "editions include each other in a cycle: pro → pro"
    )


def test_sku_edition_must_exist(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 24, "    edition: prro"))
    assert_only(
        catalog,
        "cat/gadgets.yaml:24:14",
        "SKU G-PRO: edition 'prro' is not an edition of gadgets (did you mean 'pro'?)",
    )


def test_add_on_sku_features_must_exist(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 24, "    features: [beta, teleport]"))
    assert_only(catalog, "cat/gadgets.yaml:24:22", "unknown feature 'teleport'")


def test_sku_floor_price_above_list_price_is_an_error(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, GADGETS + "    floor_price: 150\n")
    assert_only(
        catalog, "cat/gadgets.yaml:27:18", "SKU G-PRO: floor_price 150 is above list_price 100"
    )


# -- regions ----------------------------------------------------------------------------------


def test_region_members_must_be_countries_or_groups(catalog_dir: Path) -> None:
    (catalog_dir / "regions.yaml").write_text(edit(REGIONS, 4, "  EMEA: [EU, GB, XX]"))
    catalog = load(catalog_dir)
    assert_only(
        catalog, "cat/regions.yaml:4:18", "'XX' is neither a country code nor a region group"
    )


def test_region_member_typo_gets_a_suggestion(catalog_dir: Path) -> None:
    (catalog_dir / "regions.yaml").write_text(edit(REGIONS, 4, "  EMEA: [EUU, GB]"))
    catalog = load(catalog_dir)
    assert_only(
        catalog,
        "cat/regions.yaml:4:10",
        "'EUU' is neither a country code nor a region group (did you mean 'EU'?)",
    )


def test_product_and_sku_region_references_must_exist(catalog_dir: Path) -> None:
    text = (
        GADGETS
        + "    sellable_in: [ATLANTIS]\nrestricted_in:\n  - where: [EMEAA]\n    reason: Export rules.\n"
    )
    catalog = load(catalog_dir, text)
    assert problems_at(catalog, "cat/gadgets.yaml:27:19") == [
        "'ATLANTIS' is neither a country code nor a region group"
    ]
    assert problems_at(catalog, "cat/gadgets.yaml:29:13") == [
        "'EMEAA' is neither a country code nor a region group (did you mean 'EMEA'?)"
    ]
    assert len(catalog.problems) == 2


def test_region_group_cycle_is_an_error_reported_once(catalog_dir: Path) -> None:
    (catalog_dir / "regions.yaml").write_text(REGIONS + "  LOOP: [POOL]\n  POOL: [LOOP, DE]\n")
    catalog = load(catalog_dir)
    assert_only(
        catalog,
        "cat/regions.yaml:5:3",
        "region groups include each other in a cycle: LOOP → POOL → LOOP",
    )
    assert catalog.resolve_region("POOL") == {"DE"}  # expanding a cycle still terminates


def test_a_group_named_like_a_country_code_is_an_error(catalog_dir: Path) -> None:
    (catalog_dir / "regions.yaml").write_text(REGIONS + "  NA: [US, CA]\n")
    catalog = load(catalog_dir)
    assert_only(
        catalog,
        "cat/regions.yaml:5:3",
        "region group 'NA' is the ISO code of Namibia; choose a group name that is not a country code",
    )


def test_a_group_name_must_be_upper_case(catalog_dir: Path) -> None:
    (catalog_dir / "regions.yaml").write_text(REGIONS + "  Nordics: [NO, SE]\n")
    catalog = load(catalog_dir)
    assert_only(catalog, "cat/regions.yaml:5:3", "region group 'Nordics' must be upper case")


# -- FX ---------------------------------------------------------------------------------------


def test_product_currency_needs_an_fx_rate(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 4, "currency: GBP"))
    assert_only(catalog, "cat/gadgets.yaml:4:11", "product currency GBP has no FX rate")


def test_product_in_the_base_currency_or_a_quoted_one_is_fine(catalog_dir: Path) -> None:
    assert load(catalog_dir, edit(GADGETS, 4, "currency: EUR")).problems == []


def test_a_catalog_has_one_fx_rates_document(catalog_dir: Path) -> None:
    (catalog_dir / "more-fx.yaml").write_text(FX, encoding="utf-8")
    catalog = load(catalog_dir)
    assert_only(
        catalog,
        "cat/more-fx.yaml:1:1",
        "a catalog has one FxRates document (the first is at cat/fx.yaml:1:1)",
    )


# -- feature status ---------------------------------------------------------------------------


def test_planned_feature_needs_a_target(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 8, "    status: planned"))
    assert_only(catalog, "cat/gadgets.yaml:6:5", "planned feature 'alpha' needs a 'target' date")


def test_deprecated_feature_needs_an_end_of_life(catalog_dir: Path) -> None:
    catalog = load(catalog_dir, edit(GADGETS, 8, "    status: deprecated"))
    assert_only(
        catalog, "cat/gadgets.yaml:6:5", "deprecated feature 'alpha' needs an 'end_of_life' date"
    )


def test_retired_feature_cannot_be_committable(catalog_dir: Path) -> None:
    text = edit(edit(GADGETS, 11, "    status: retired"), 12, "    committable: true")
    catalog = load(catalog_dir, text)
    assert_only(
        catalog,
        "cat/gadgets.yaml:12:18",
        "retired feature 'beta' cannot be committable: it no longer exists",
    )


def test_retired_feature_may_say_it_is_not_committable(catalog_dir: Path) -> None:
    text = edit(edit(GADGETS, 11, "    status: retired"), 12, "    committable: false")
    catalog = load(catalog_dir, text)
    assert catalog.problems == []
    assert catalog.features["beta"].feature.is_committable is False


def test_stale_roadmap_target_is_a_warning(catalog_dir: Path) -> None:
    text = edit(edit(GADGETS, 11, "    status: planned"), 12, "    target: 2026-Q1")
    catalog = load(catalog_dir, text)
    assert_only(
        catalog,
        "cat/gadgets.yaml:12:13",
        "stale roadmap: planned feature 'beta' has a target (2026-03-31) before today "
        "(2026-11-22); update the target or the status",
        severity="warning",
    )
    assert catalog.errors == []


@pytest.mark.parametrize("target", ["2026-11-22", "2027-Q1"])
def test_a_target_today_or_later_is_not_stale(catalog_dir: Path, target: str) -> None:
    text = edit(edit(GADGETS, 11, "    status: planned"), 12, f"    target: {target}")
    assert load(catalog_dir, text).problems == []


def test_without_today_no_staleness_is_judged(catalog_dir: Path) -> None:
    text = edit(edit(GADGETS, 11, "    status: planned"), 12, "    target: 2020-Q1")
    assert load(catalog_dir, text, today=None).problems == []


# -- duplicate ids ----------------------------------------------------------------------------

GIZMOS = """\
kind: Product
id: gizmos
name: Gizmos
currency: USD
features:
  - id: alpha
    name: Alpha again
    status: ga
skus:
  - sku: G-PRO
    name: Gizmo Pro
    features: [alpha]
    list_price: 10
    unit_cost: 1
"""


def test_duplicate_feature_and_sku_across_files_name_both_places(catalog_dir: Path) -> None:
    (catalog_dir / "gizmos.yaml").write_text(GIZMOS, encoding="utf-8")
    catalog = load(catalog_dir)
    assert [(str(p.location), p.message, p.code) for p in catalog.problems] == [
        (
            "cat/gizmos.yaml:6:9",
            "duplicate feature id 'alpha' (also defined at cat/gadgets.yaml:6:9)",
            "duplicate-id",
        ),
        (
            "cat/gizmos.yaml:10:10",
            "duplicate SKU 'G-PRO' (also defined at cat/gadgets.yaml:22:10)",
            "duplicate-id",
        ),
    ]


def test_duplicate_product_id_names_both_places(catalog_dir: Path) -> None:
    (catalog_dir / "gizmos.yaml").write_text(edit(GIZMOS, 2, "id: gadgets"), encoding="utf-8")
    catalog = load(catalog_dir)
    assert problems_at(catalog, "cat/gizmos.yaml:2:5") == [
        "duplicate product id 'gadgets' (also defined at cat/gadgets.yaml:2:5)"
    ]


def test_duplicate_region_group_across_files_names_both_places(catalog_dir: Path) -> None:
    (catalog_dir / "zz-regions.yaml").write_text(
        "kind: Regions\ngroups:\n  ANZ: [AU, NZ]\n  EU: [DE]\n", encoding="utf-8"
    )
    catalog = load(catalog_dir)
    assert_only(
        catalog,
        "cat/zz-regions.yaml:4:3",
        "duplicate region group 'EU' (also defined at cat/regions.yaml:3:3)",
    )


def test_duplicate_rule_id_across_rule_sets_names_both_places(catalog_dir: Path) -> None:
    rule = "rules:\n  - id: long-terms\n    when: deal.payment_terms_days > 60\n"
    (catalog_dir / "a.yaml").write_text(f"kind: RuleSet\nid: a\n{rule}", encoding="utf-8")
    (catalog_dir / "b.yaml").write_text(f"kind: RuleSet\nid: b\n{rule}", encoding="utf-8")
    catalog = load(catalog_dir)
    assert_only(
        catalog,
        "cat/b.yaml:4:9",
        "duplicate rule id 'long-terms' (also defined at cat/a.yaml:4:9)",
    )


def test_a_rule_may_not_take_a_built_in_check_id(catalog_dir: Path) -> None:
    (catalog_dir / "a.yaml").write_text(
        "kind: RuleSet\nid: a\nrules:\n  - id: sku-unknown\n    when: 'true'\n", encoding="utf-8"
    )
    (catalog_dir / "gadgets.yaml").write_text(GADGETS, encoding="utf-8")
    catalog = load_catalog([Path("cat")], TODAY, builtin_ids=["sku-unknown"])
    assert_only(
        catalog,
        "cat/a.yaml:4:9",
        "rule id 'sku-unknown' is the id of a built-in check; choose another",
    )


# -- loading never stops at the first problem -------------------------------------------------


def test_one_bad_file_never_hides_the_others(catalog_dir: Path) -> None:
    (catalog_dir / "broken.yaml").write_text("kind: Product\nid: [oops\n", encoding="utf-8")
    (catalog_dir / "typo.yaml").write_text("kind: RuleSet\nid: r\nrulez: []\n", encoding="utf-8")
    catalog = load(catalog_dir, edit(GADGETS, 16, "    features: [alpah]"))
    files = {p.location.file for p in catalog.problems}
    assert files == {"cat/broken.yaml", "cat/gadgets.yaml", "cat/typo.yaml"}
    assert [p.code for p in catalog.unreadable] == ["unreadable"]
    assert problems_at(catalog, "cat/typo.yaml:3:1") == [
        "unknown key 'rulez' (did you mean 'rules'?)"
    ]


def test_problems_come_sorted_by_file_and_position(catalog_dir: Path) -> None:
    (catalog_dir / "regions.yaml").write_text(edit(REGIONS, 4, "  EMEA: [EU, XX, YY]"))
    catalog = load(catalog_dir, edit(GADGETS, 16, "    features: [alpah]"))
    locations = [p.location for p in catalog.problems]
    assert locations == sorted(locations)
    assert len(locations) == 3


def test_a_missing_catalog_path_is_unreadable(catalog_dir: Path) -> None:
    catalog = load_catalog([Path("nowhere")], TODAY)
    assert catalog.problems == [
        Problem(Location("nowhere"), "catalog path does not exist", "error", "unreadable")
    ]


def test_overlapping_catalog_paths_load_each_file_once(catalog_dir: Path) -> None:
    (catalog_dir / "gadgets.yaml").write_text(GADGETS, encoding="utf-8")
    catalog = load_catalog([Path("cat"), Path("cat/gadgets.yaml"), Path("./cat/")], TODAY)
    assert catalog.problems == []
    assert catalog.files.count("cat/gadgets.yaml") == 1


def test_deals_under_catalog_paths_are_not_part_of_the_catalog(catalog_dir: Path) -> None:
    (catalog_dir / "deal.yaml").write_text("kind: Deal\nid: Q-1\n", encoding="utf-8")
    catalog = load(catalog_dir)
    assert [d.file for d in catalog.deal_documents] == ["cat/deal.yaml"]
    assert all(type(m).__name__ != "Deal" for m, _ in catalog.documents)
    assert catalog.problems == []


# -- discovery and fingerprint ----------------------------------------------------------------


def test_discovery_is_recursive_sorted_and_skips_hidden_and_other_files(tmp_path: Path) -> None:
    for name in [
        "b.yaml",
        "a.yml",
        "sub/deeper/c.json",
        "sub/readme.md",
        "notes.txt",
        ".hidden.yaml",
        ".git/config.yaml",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: Regions\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_yaml_files(tmp_path)]
    assert found == ["a.yml", "b.yaml", "sub/deeper/c.json"]
    assert list(iter_yaml_files(tmp_path / "notes.txt")) == [tmp_path / "notes.txt"]


def test_fingerprint_depends_on_content_not_on_file_layout(
    catalog_dir: Path, tmp_path: Path
) -> None:
    first = load(catalog_dir).fingerprint
    assert first.startswith("sha256:") and len(first) == len("sha256:") + 64

    other = tmp_path / "other"
    other.mkdir()
    (other / "everything.yaml").write_text(f"{GADGETS}---\n{FX}---\n{REGIONS}", encoding="utf-8")
    assert load_catalog([Path("other")], TODAY).fingerprint == first

    cheaper = load(catalog_dir, GADGETS.replace("list_price: 100", "list_price: 99"))
    assert cheaper.fingerprint != first
