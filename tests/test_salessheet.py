"""The sales sheet (``dealcheck catalog``): what may be sold where, at what price, on the
sample catalog; its filters, its approval bands, and its three renderings."""

from __future__ import annotations

import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from dealcheck.catalog import Catalog, load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.engine import Engine
from dealcheck.errors import InputError
from dealcheck.models import BuiltinOverride
from dealcheck.report.salessheet_json import render_json
from dealcheck.report.salessheet_markdown import render_markdown
from dealcheck.report.salessheet_text import render_text
from dealcheck.rules import compile_rules
from dealcheck.salessheet import SECTIONS, SalesSheet, build_sales_sheet
from dealcheck.salessheet.model import Band, FeatureRow, ProductRow, SkuRow
from dealcheck.salessheet.policy import discount_bands

REPO = Path(__file__).resolve().parent.parent


def sku(sheet: SalesSheet, sku_id: str) -> SkuRow:
    (row,) = [s for s in sheet.skus if s.sku == sku_id]
    return row


def feature(sheet: SalesSheet, feature_id: str) -> FeatureRow:
    (row,) = [f for f in sheet.features if f.id == feature_id]
    return row


def product(sheet: SalesSheet, product_id: str) -> ProductRow:
    (row,) = [p for p in sheet.products if p.id == product_id]
    return row


def all_renderings(sheet: SalesSheet) -> str:
    return render_text(sheet) + render_json(sheet) + render_markdown(sheet)


# -- regions -----------------------------------------------------------------------------------


def test_australia_shows_acme_analytics_as_not_sellable_with_its_reason_and_prices_in_aud(
    sample_catalog: Catalog,
) -> None:
    sheet = build_sales_sheet(sample_catalog, region="AU", currency="AUD")

    assert product(sheet, "acme-analytics").availability == "unavailable"
    assert not [s for s in sheet.skus if s.product == "acme-analytics"]
    assert not [f for f in sheet.features if f.product == "acme-analytics"]
    reasons = [x.summary for x in sheet.not_available]
    assert (
        "not sellable in AU: Acme Analytics — Not IRAP assessed; Legal has not cleared resale "
        "in Australia." in reasons
    )
    assert "not sellable in AU: Acme Vault — sold only in EEA, GB, CH, NORAM" in reasons

    enterprise = sku(sheet, "AC-ENT-INST-Y")
    assert enterprise.currency == "AUD"
    assert enterprise.list_price == Decimal("91200.00")  # 60,000 USD x 1.52, exactly
    assert enterprise.floor_price == Decimal("59280.00")
    assert {s.currency for s in sheet.skus} == {"AUD"}

    markdown = render_markdown(sheet)
    assert "## Not available in AU" in markdown
    assert "- not sellable in AU: Acme Analytics — Not IRAP assessed" in markdown
    assert "List price (AUD)" in markdown and "91,200.00" in markdown
    text = render_text(sheet)
    assert "Not available in AU" in text and "Not IRAP assessed" in text
    payload = json.loads(render_json(sheet))
    assert payload["filters"]["currency"] == "AUD"
    assert {x["id"] for x in payload["not_available"]} == {"acme-analytics", "acme-vault"}
    assert {s["currency"] for s in payload["skus"]} == {"AUD"}


@pytest.mark.parametrize("region", ["EMBARGOED", "CU", "kp"])
def test_where_nothing_may_be_sold_everything_is_listed_as_not_sellable(
    sample_catalog: Catalog, region: str
) -> None:
    sheet = build_sales_sheet(sample_catalog, region=region)

    assert {p.availability for p in sheet.products} == {"unavailable"}
    assert sheet.skus == () and sheet.features == () and sheet.roadmap == ()
    assert {x.id for x in sheet.not_available} == set(sample_catalog.products)
    assert all(x.kind == "product" and x.severity == "blocker" for x in sheet.not_available)
    assert "Export controls (EAR / OFAC sanctions)." in {x.reason for x in sheet.not_available}
    markdown = render_markdown(sheet)
    assert f"## Not available in {region.upper()}" in markdown
    assert "price list" not in markdown


def test_a_region_group_keeps_what_may_be_sold_in_part_of_it_and_says_where_not(
    sample_catalog: Catalog,
) -> None:
    sheet = build_sales_sheet(sample_catalog, region="ANZ")

    assert sheet.region_countries == ("AU", "NZ")
    analytics = product(sheet, "acme-analytics")
    assert analytics.availability == "partial"
    assert [(x.where, x.countries) for x in analytics.not_in] == [("AU", ("AU",))]
    assert sku(sheet, "AA-ENT-USER-Y").list_price == Decimal("600.00")  # still sold in NZ
    assert product(sheet, "acme-vault").availability == "unavailable"
    assert product(sheet, "acme-connect").availability == "available"
    assert [g.name for g in sheet.groups] == ["ANZ", "APAC"]  # groups that overlap the region
    assert "Not sellable in AU: see below." in render_markdown(sheet)


def test_a_restricted_feature_is_left_out_where_it_may_not_be_offered(
    sample_catalog: Catalog,
) -> None:
    germany = build_sales_sheet(sample_catalog, region="DE", sections=["features"])
    assert "ai-assistant" not in {f.id for f in germany.features}
    (excluded,) = [x for x in germany.not_available if x.id == "ai-assistant"]
    assert excluded.kind == "feature" and excluded.where == "DE"
    assert excluded.summary.startswith("not sellable in DE: AI assistant — Not yet assessed")

    emea = build_sales_sheet(sample_catalog, region="EMEA", sections=["features"])
    row = feature(emea, "ai-assistant")  # sellable in the rest of EMEA
    assert [x.where for x in row.not_in] == ["EU"]
    assert "AI assistant (not in EU)" in render_markdown(emea)


def test_a_restriction_that_needs_approval_is_a_condition_not_an_exclusion(
    sample_catalog: Catalog,
) -> None:
    sheet = build_sales_sheet(sample_catalog, region="FR")

    assert sku(sheet, "AV-BYOK-Y")  # still listed
    (condition,) = sheet.conditions
    assert (condition.id, condition.severity, condition.approver) == (
        "AV-BYOK-Y",
        "approval",
        "Export Compliance",
    )
    assert condition.summary.startswith("needs Export Compliance approval in FR: AV-BYOK-Y")
    assert "### Conditions in FR" in render_markdown(sheet)


def test_the_regions_section_expands_groups_and_lists_every_product_rule(
    sample_catalog: Catalog,
) -> None:
    sheet = build_sales_sheet(sample_catalog, sections=["regions"])

    groups = {g.name: g for g in sheet.groups}
    assert groups["EEA"].members == ("EU", "IS", "LI", "NO")
    assert len(groups["EEA"].countries) == 30 and "NO" in groups["EEA"].countries
    assert list(groups) == sorted(groups)
    vault = product(sheet, "acme-vault")
    assert [(r.kind, r.rule, r.where) for r in vault.region_rules] == [
        ("product", "sellable_in", ("EEA", "GB", "CH", "NORAM")),
        ("sku", "restricted_in", ("FR",)),
        ("sku", "sellable_in", ("EEA", "CH")),
    ]
    payload = json.loads(render_json(sheet))
    assert set(payload) >= {"regions", "products"} and "skus" not in payload
    assert "features" not in payload and "not_available" not in payload


# -- prices and approvals ----------------------------------------------------------------------


def test_approval_bands_are_those_of_the_deal_desk_rules(sample_catalog: Catalog) -> None:
    sheet = build_sales_sheet(sample_catalog, sections=["skus"])

    assert [(b.label, b.needs) for b in sheet.discount_bands] == [
        ("up to 20%", "no approval"),
        ("20–30%", "Sales Manager"),
        ("30–40%", "VP Sales"),
        ("over 40%", "CFO"),
    ]
    manager = sheet.discount_bands[1]
    assert (manager.low, manager.low_inclusive, manager.high, manager.high_inclusive) == (
        Decimal("0.20"),
        False,
        Decimal("0.30"),
        True,
    )
    assert [b.rule for b in sheet.discount_bands] == [
        None,
        "discount-needs-manager",
        "discount-needs-vp",
        "discount-needs-cfo",
    ]
    assert sheet.other_line_rules == ()
    policies = {p.id: (p.severity, p.approver) for p in sheet.policies}
    assert policies == {
        "price-below-floor": ("blocker", None),
        "margin-below-floor": ("approval", "CFO"),
    }


def test_the_sheet_agrees_with_an_engine_it_is_given(sample_engine: Engine) -> None:
    derived = build_sales_sheet(sample_engine.catalog)
    given = build_sales_sheet(
        sample_engine.catalog, rules=sample_engine.rules, overrides=sample_engine.overrides
    )
    assert given == derived
    tuned = build_sales_sheet(
        sample_engine.catalog,
        rules=[r for r in sample_engine.rules if r.id != "discount-needs-vp"],
        overrides={"price-below-floor": BuiltinOverride(severity="warning")},
    )
    assert [b.needs for b in tuned.discount_bands] == [
        "no approval",
        "Sales Manager",
        "no approval",
        "CFO",
    ]
    assert "A net price below the floor price is a warning" in render_markdown(tuned)
    assert not any(b.clipped or b.below_floor for s in tuned.skus for b in s.bands)


def test_each_sku_shows_the_lowest_unit_price_of_each_band_down_to_its_floor(
    sample_catalog: Catalog,
) -> None:
    sheet = build_sales_sheet(sample_catalog, product="acme-analytics", sections=["skus"])

    enterprise = sku(sheet, "AA-ENT-USER-Y")  # list 600, floor 330 (45 % off)
    assert [(b.lowest_price, b.clipped, b.below_floor) for b in enterprise.bands] == [
        (Decimal("480.00"), False, False),
        (Decimal("420.00"), False, False),
        (Decimal("360.00"), False, False),
        (Decimal("330.00"), True, False),
    ]
    embedded = sku(sheet, "AA-EMBED-Y")  # list 5,000, floor 3,000 (40 % off): CFO band is below it
    assert embedded.bands[-1].below_floor
    line = next(x for x in render_markdown(sheet).splitlines() if x.startswith("| AA-ENT-USER-Y "))
    assert "| 600.00 | 480.00 | 420.00 | 360.00 | 330.00 | 330.00 | 60.0% |" in line
    assert "| 5,000.00 | 4,000.00 | 3,500.00 | 3,000.00 | — | 3,000.00 |" in render_markdown(sheet)


def test_prices_convert_exactly_into_any_catalog_currency(sample_catalog: Catalog) -> None:
    sheet = build_sales_sheet(sample_catalog, currency="jpy", product="Acme Analytics")

    assert sheet.currency == "JPY"
    assert sku(sheet, "AA-ENT-USER-Y").list_price == Decimal("90780.000")  # 600 x 151.3
    assert sku(sheet, "AA-ENT-USER-Y").floor_price == Decimal("49929.000")
    assert "90,780.00" in render_markdown(sheet)
    assert json.loads(render_json(sheet))["skus"][2]["list_price"] == "90780.00"


def test_a_currency_without_an_fx_rate_is_refused(sample_catalog: Catalog) -> None:
    with pytest.raises(InputError, match="no FX rate for BRL") as info:
        build_sales_sheet(sample_catalog, currency="BRL")
    assert str(info.value.location) == "--currency"
    with pytest.raises(InputError, match=r"unknown currency 'AUS' \(did you mean 'AUD'\?\)"):
        build_sales_sheet(sample_catalog, currency="AUS")


def test_unit_cost_is_never_shown_unless_internal(sample_catalog: Catalog) -> None:
    public = build_sales_sheet(sample_catalog, product="acme-analytics")
    assert all(s.cost is None for s in public.skus)
    shown = all_renderings(public)
    for secret in ("Unit cost", "unit_cost", "Margin at list", "Min-margin price", "margin_at"):
        assert secret not in shown
    assert all("internal" not in row for row in json.loads(render_json(public))["skus"])
    assert "140.00" not in shown and "350.00" not in shown  # AA-ENT's cost and min-margin price

    internal = build_sales_sheet(sample_catalog, product="acme-analytics", internal=True)
    cost = sku(internal, "AA-ENT-USER-Y").cost
    assert cost is not None
    assert cost.unit_cost == Decimal("140.00")
    assert cost.margin_at_list == (Decimal(600) - 140) / 600
    assert cost.margin_at_floor == (Decimal(330) - 140) / 330
    assert cost.min_margin_price == Decimal("350.00")  # 140 / (1 - 0.60)
    assert "Unit cost" in render_markdown(internal) and "Costs (internal)" in render_text(internal)
    row = json.loads(render_json(internal))["skus"][2]
    assert row["internal"] == {
        "unit_cost": "140.00",
        "margin_at_list": "0.766667",
        "margin_at_floor": "0.575758",
        "min_margin_price": "350.00",
    }
    assert "INTERNAL" in render_markdown(internal)


# -- discount bands from any policy ----------------------------------------------------------------


def policy_catalog(tmp_path: Path, rules: str) -> Catalog:
    (tmp_path / "policy.yaml").write_text(
        "kind: RuleSet\nid: test-policy\nrules:\n" + textwrap.indent(textwrap.dedent(rules), "  "),
        encoding="utf-8",
    )
    catalog = load_catalog([REPO / "products", tmp_path / "policy.yaml"], None, BUILTIN_IDS)
    assert catalog.errors == []
    return catalog


def bands_of(catalog: Catalog) -> tuple[list[tuple[str, str]], list[str]]:
    bands, others = discount_bands(compile_rules(catalog)[0])
    return [(b.label, b.needs) for b in bands], others


def test_bands_cover_every_discount_from_zero_and_name_rules_that_are_not_bands(
    tmp_path: Path,
) -> None:
    catalog = policy_catalog(
        tmp_path,
        """\
        - {id: any-discount, scope: line, when: line.discount > 0, severity: approval, approver: Manager}
        - {id: big, scope: line, when: "line.discount >= 0.5", severity: blocker}
        - {id: by-product, scope: line, when: "line.discount > 0.1 and product.id == 'acme-vault'", severity: warning}
        - {id: off, scope: line, when: line.discount > 0.9, severity: blocker, enabled: false}
        - {id: deal-rule, scope: deal, when: deal.term_months > 36}
        """,
    )
    bands, others = bands_of(catalog)
    assert bands == [
        ("exactly 0%", "no approval"),
        ("over 0%", "Manager"),
        ("50% or more", "not allowed"),
    ]
    assert others == ["by-product"]


def test_bands_with_a_gap_in_the_middle_and_reversed_comparisons(tmp_path: Path) -> None:
    catalog = policy_catalog(
        tmp_path,
        """\
        - {id: small, scope: line, when: "0.10 < line.discount and line.discount < 0.2", severity: warning}
        - {id: large, scope: line, when: "line.discount >= 0.25", severity: approval, approver: CFO}
        """,
    )
    bands, _ = bands_of(catalog)
    assert bands == [
        ("up to 10%", "no approval"),
        ("10–20%", "warning"),
        ("20–25%", "no approval"),
        ("25% or more", "CFO"),
    ]


def test_no_line_rules_means_no_approval_at_any_discount(tmp_path: Path) -> None:
    catalog = policy_catalog(tmp_path, "- {id: r, scope: deal, when: deal.term_months > 36}\n")
    bands, others = discount_bands(compile_rules(catalog)[0])
    assert bands == [Band(Decimal(0), True, None, False, None)]
    assert bands[0].label == "0% or more" and others == []


# -- features --------------------------------------------------------------------------------------


def test_features_show_status_dates_commitment_and_what_includes_them(
    sample_catalog: Catalog,
) -> None:
    sheet = build_sales_sheet(sample_catalog, product="acme-analytics", sections=["features"])

    assert feature(sheet, "dashboards").editions == ("standard", "professional", "enterprise")
    assert feature(sheet, "sso-saml").editions == ("professional", "enterprise")
    legacy = feature(sheet, "legacy-reports-api")
    assert (legacy.status, str(legacy.end_of_life), legacy.editions, legacy.skus) == (
        "deprecated",
        "2027-06-30",
        (),
        ("AA-API-Y",),
    )
    anomaly = feature(sheet, "anomaly-detection")
    assert (anomaly.status, str(anomaly.target), anomaly.committable) == (
        "planned",
        "2027-03-31",
        True,
    )
    assert feature(sheet, "eu-data-residency").committable is False
    assert [f.id for f in sheet.roadmap] == [
        "embedded-analytics",
        "predictive-forecasting",
        "anomaly-detection",
        "eu-data-residency",
    ]
    assert "flash-charts" not in {f.id for f in sheet.features}  # retired: not on a sales sheet
    markdown = render_markdown(sheet)
    roadmap = markdown.split("## Roadmap — not yet sellable as committed", 1)[1]
    assert (
        "| Anomaly detection | anomaly-detection | Acme Analytics | planned | 2027-03-31 | from 2027-03-31, with approval | Enterprise |"
        in roadmap
    )
    assert (
        "| EU data residency | eu-data-residency | Acme Analytics | planned | 2027-06-30 | no | Enterprise |"
        in roadmap
    )


def test_status_and_edition_filters(sample_catalog: Catalog) -> None:
    planned = build_sales_sheet(sample_catalog, statuses=["planned"])
    assert {f.status for f in planned.features} == {"planned"}
    assert len(planned.features) == 6
    retired = build_sales_sheet(sample_catalog, statuses=["retired, deprecated"])
    assert {f.id for f in retired.features if f.status == "retired"} == {
        "flash-charts",
        "ftp-connector",
        "java-uploader",
    }

    pro = build_sales_sheet(sample_catalog, product="acme-analytics", edition="Professional")
    assert pro.edition == "professional"
    assert [s.sku for s in pro.skus] == ["AA-PRO-USER-Y"]  # no add-ons
    analytics = sample_catalog.products["acme-analytics"]
    assert {f.id for f in pro.features} == sample_catalog.edition_features(
        analytics, "professional"
    )

    enterprise = build_sales_sheet(sample_catalog, edition="enterprise", sections=["skus"])
    assert [s.sku for s in enterprise.skus] == ["AA-ENT-USER-Y", "AC-ENT-INST-Y", "AV-ENT-USER-Y"]


@pytest.mark.parametrize(
    ("options", "option", "hint"),
    [
        ({"region": "AUS"}, "--region", "did you mean"),
        ({"region": "EMEAA"}, "--region", "did you mean 'EMEA'?"),
        ({"product": "acme-analytic"}, "--product", "did you mean 'acme-analytics'?"),
        ({"edition": "enterprize"}, "--edition", "did you mean 'enterprise'?"),
        ({"product": "acme-vault", "edition": "team"}, "--edition", "edition of acme-vault"),
        ({"statuses": ["plannd"]}, "--status", "did you mean 'planned'?"),
        ({"sections": ["sku"]}, "SECTION", "did you mean 'skus'?"),
    ],
)
def test_unknown_filter_values_are_input_errors_with_a_suggestion(
    sample_catalog: Catalog, options: dict[str, object], option: str, hint: str
) -> None:
    with pytest.raises(InputError) as info:
        build_sales_sheet(sample_catalog, **options)  # type: ignore[arg-type]
    assert info.value.location.file == option
    assert hint in info.value.message


# -- renderings ------------------------------------------------------------------------------------


def markdown_tables(markdown: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def cells(row: str) -> list[str]:
    assert row.startswith("| ") or row.startswith("|-"), row
    assert row.endswith(" |") or row.endswith("-|"), row
    return re.split(r"(?<!\\)\|", row)[1:-1]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"region": "ANZ", "currency": "AUD", "internal": True},
        {"region": "EMEA", "statuses": ["ga", "planned"]},
        {"region": "EMBARGOED"},
    ],
)
def test_markdown_is_well_formed_tables(
    sample_catalog: Catalog, options: dict[str, object]
) -> None:
    markdown = render_markdown(build_sales_sheet(sample_catalog, **options))  # type: ignore[arg-type]

    assert markdown.startswith("# Sales sheet")
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")
    assert re.search(
        r"^_as of 2026-11-02 \(FX rates\) · catalog sha256:[0-9a-f]{12} · ", markdown, re.M
    )
    for table in markdown_tables(markdown):
        header = cells(table[0])
        assert re.fullmatch(r"\|(---\|)+", table[1]), table[1]
        assert table[1].count("---") == len(header)
        for row in table[2:]:
            assert len(cells(row)) == len(header), row
            assert all(c.strip() for c in cells(row)), row  # no empty cell
    lines = markdown.splitlines()
    for i, line in enumerate(lines):  # a table is set off by blank lines
        if line.startswith("|") and i and not lines[i - 1].startswith("|"):
            assert lines[i - 1] == ""


def test_markdown_escapes_what_catalog_text_could_break(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        textwrap.dedent(
            """\
            kind: Product
            id: pipe-product
            name: "Pipe | *Product*"
            currency: USD
            restricted_in:
              - where: [AU]
                reason: "Reason with | a pipe and <b>html</b>"
            features:
              - {id: f1, name: "Feature | one", status: ga}
            editions:
              - {id: base, name: "Base_edition", features: [f1]}
            skus:
              - {sku: P-1, name: "SKU | name", edition: base, list_price: 10, unit_cost: 1}
            """
        ),
        encoding="utf-8",
    )
    catalog = load_catalog([tmp_path], None, BUILTIN_IDS)
    assert catalog.errors == []
    markdown = render_markdown(build_sales_sheet(catalog, region="NZ"))
    for table in markdown_tables(markdown):
        width = len(cells(table[0]))
        assert all(len(cells(row)) == width for row in table)
    assert "Reason with \\| a pipe and \\<b\\>html\\</b\\>" in markdown
    assert "## Pipe \\| \\*Product\\*" in markdown


def test_renderings_are_deterministic_and_the_json_is_versioned(sample_catalog: Catalog) -> None:
    first = build_sales_sheet(sample_catalog, region="EMEA", internal=True)
    again = build_sales_sheet(sample_catalog, region="EMEA", internal=True)
    assert all_renderings(first) == all_renderings(again)

    payload = json.loads(render_json(first))
    assert payload["schema_version"] == 1
    assert payload["catalog"]["fingerprint"] == sample_catalog.fingerprint
    assert payload["as_of"] == "2026-11-02"
    assert payload["filters"]["sections"] == list(SECTIONS)
    assert [p["id"] for p in payload["products"]] == sorted(sample_catalog.products)
    assert payload["discount_approvals"][1] == {
        "from": "0.20",
        "from_inclusive": False,
        "to": "0.30",
        "to_inclusive": True,
        "label": "20–30%",
        "needs": "Sales Manager",
        "severity": "approval",
        "approver": "Sales Manager",
        "rule": "discount-needs-manager",
    }
    assert [x["summary"] for x in payload["not_available"]] == [
        x.summary for x in first.not_available
    ]


def test_text_has_colour_only_when_asked(sample_catalog: Catalog) -> None:
    sheet = build_sales_sheet(sample_catalog, region="AU")
    assert "\x1b[" not in render_text(sheet)
    assert "\x1b[" in render_text(sheet, color=True)
