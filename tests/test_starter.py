"""``dealcheck init``'s starter: a catalog that validates clean, rule tests that pass, a deal
that passes, editor schema comments that resolve, and nothing ever overwritten."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.config import find_catalog
from dealcheck.deals import iter_deals
from dealcheck.engine import Engine
from dealcheck.errors import InputError
from dealcheck.lint import lint_catalog
from dealcheck.lint.coverage import rule_coverage
from dealcheck.ruletests import run_tests
from dealcheck.run import check_input
from dealcheck.schema import render, schema_file_name, schemas
from dealcheck.starter import SCHEMA_DIR, starter_files, write_starter
from dealcheck.yamlio import load_file

TODAY = date(2026, 11, 22)
YAML_FILES = (
    "dealcheck.yaml",
    "products/example-app.yaml",
    "products/regions.yaml",
    "products/fx.yaml",
    "rules/deal-desk.yaml",
    "deals/example.yaml",
)


def engine_for(directory: Path, today: date) -> Engine:
    source = find_catalog(None, env={}, cwd=directory)
    catalog = load_catalog([directory / p for p in source.paths], today, BUILTIN_IDS)
    assert catalog.problems == [], [str(p) for p in catalog.problems]  # no warning either
    engine = Engine(catalog, today)
    assert engine.ok, [str(p) for p in engine.problems]
    return engine


# dates across year ends and quarters: the starter's dates are relative to today
@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 31), date(2031, 1, 1), date(2040, 6, 30)])
def test_the_starter_validates_clean_its_tests_pass_and_its_deal_passes(
    tmp_path: Path, today: date
) -> None:
    written = write_starter(tmp_path, today)

    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(
        [*YAML_FILES, *(f"{SCHEMA_DIR}/{schema_file_name(k)}" for k in schemas())]
    )
    engine = engine_for(tmp_path, today)
    assert set(engine.catalog.products) == {"example-app"}

    report = run_tests(engine, today)
    assert report.failed == 0 and report.exit_code == 0
    assert len(report.outcomes) == 6
    assert report.untested == []  # every rule has a test that makes it fire
    # ... and does not fire, and every edge of every band is tested exactly
    assert [(c.rule, c.gaps) for c in rule_coverage(engine, today)] == [
        ("discount-needs-manager", []),
        ("discount-needs-vp", []),
        ("payment-terms-need-finance", []),
    ]
    # the starter's policy is lint-clean: an approvers: ranking, no gaps, no inversions
    lint = lint_catalog(engine, today)
    assert lint.findings == [] and lint.exit_code == 0
    assert engine.catalog.rulesets["deal-desk-policy"].approvers == (
        "Sales Manager", "VP Sales", "Product", "Legal", "Finance", "CFO",
    )  # fmt: skip

    (item,) = iter_deals([str(tmp_path / "deals")])
    result = check_input(engine, item)
    assert result.error is None
    assert result.verdict == "pass"
    assert result.findings == []
    assert result.currency == "USD" and result.total == 33000


def test_the_config_file_points_at_the_starter_catalog(tmp_path: Path) -> None:
    write_starter(tmp_path, TODAY)
    (tmp_path / "deals" / "nested").mkdir()
    source = find_catalog(None, env={}, cwd=tmp_path / "deals" / "nested")
    assert [p.resolve() for p in source.paths] == [tmp_path / "products", tmp_path / "rules"]
    assert source.origin.endswith("dealcheck.yaml")


def test_every_yaml_file_names_its_schema_for_editors_and_matches_it(tmp_path: Path) -> None:
    write_starter(tmp_path, TODAY)
    validators = {kind: jsonschema.Draft202012Validator(s) for kind, s in schemas().items()}

    for relative in YAML_FILES:
        path = tmp_path / relative
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        docs = load_file(path)
        if relative == "dealcheck.yaml":  # settings, not a document kind
            assert "$schema" not in first_line
            continue
        (doc,) = docs
        prefix = "# yaml-language-server: $schema="
        assert first_line.startswith(prefix), relative
        schema_path = (path.parent / first_line.removeprefix(prefix)).resolve()
        assert schema_path == (tmp_path / SCHEMA_DIR / schema_file_name(doc.kind or "")).resolve()
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        assert schema == schemas()[doc.kind or ""]
        data = json.loads(json.dumps(doc.data, default=str))  # dates and decimals as text
        errors = [e.message for e in validators[doc.kind or ""].iter_errors(data)]
        assert errors == [], relative


def test_the_schemas_are_what_dealcheck_schema_writes(tmp_path: Path) -> None:
    files = starter_files(TODAY)
    for kind, schema in schemas().items():
        assert files[f"{SCHEMA_DIR}/{schema_file_name(kind)}"] == render(schema)
    assert not any(name.startswith(SCHEMA_DIR) for name in starter_files(TODAY, with_schemas=False))


def test_the_starter_is_deterministic_for_a_day() -> None:
    assert starter_files(TODAY) == starter_files(TODAY)
    files = starter_files(TODAY)
    assert "as_of: 2026-11-22" in files["products/fx.yaml"]
    assert "start_date: 2026-12-01" in files["deals/example.yaml"]
    assert "target: 2027-Q3" in files["products/example-app.yaml"]
    assert "@" not in "".join(files[name] for name in YAML_FILES)  # every placeholder filled


def test_an_existing_file_is_never_overwritten_and_nothing_is_written(tmp_path: Path) -> None:
    deal = tmp_path / "deals" / "example.yaml"
    deal.parent.mkdir()
    deal.write_text("my own deal\n", encoding="utf-8")

    with pytest.raises(InputError, match="already exists; dealcheck init never overwrites") as info:
        write_starter(tmp_path, TODAY)

    assert info.value.location.file.endswith("deals/example.yaml")
    assert deal.read_text(encoding="utf-8") == "my own deal\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "deals",
        "deals/example.yaml",
    ]


def test_running_it_twice_refuses_the_second_time(tmp_path: Path) -> None:
    write_starter(tmp_path, TODAY)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(InputError, match="dealcheck.yaml"):
        write_starter(tmp_path, TODAY)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_schemas_already_written_by_dealcheck_schema_are_fine(tmp_path: Path) -> None:
    schema_dir = tmp_path / SCHEMA_DIR
    schema_dir.mkdir(parents=True)
    for kind, schema in schemas().items():
        (schema_dir / schema_file_name(kind)).write_text(render(schema), encoding="utf-8")

    written = write_starter(tmp_path, TODAY)

    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(YAML_FILES)


def test_a_schema_file_with_other_content_is_not_overwritten(tmp_path: Path) -> None:
    stale = tmp_path / SCHEMA_DIR / "deal.schema.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="deal.schema.json: already exists"):
        write_starter(tmp_path, TODAY)
    assert stale.read_text(encoding="utf-8") == "{}"
    assert not (tmp_path / "dealcheck.yaml").exists()


def test_a_file_where_the_directory_should_be_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "starter"
    target.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="is not a directory"):
        write_starter(target, TODAY)


def test_the_directory_is_created_when_missing(tmp_path: Path) -> None:
    written = write_starter(tmp_path / "new" / "catalog", TODAY)
    assert all(p.is_file() for p in written)
    engine_for(tmp_path / "new" / "catalog", TODAY)
