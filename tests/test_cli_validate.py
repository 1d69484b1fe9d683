"""``dealcheck validate``, ``schema`` and ``--version`` end to end: exit codes and output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from dealcheck import __version__
from dealcheck.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "catalogs"
TODAY = "2026-11-22"
KINDS = ("Deal", "FxRates", "Product", "Regions", "RuleSet")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding ``cat/`` (a valid catalog) and ``deals/``."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEALCHECK_CATALOG", raising=False)
    shutil.copytree(FIXTURES / "valid", tmp_path / "cat")
    shutil.copytree(FIXTURES / "deals", tmp_path / "deals")
    return tmp_path


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    runner = CliRunner(env={"NO_COLOR": "1", "FORCE_COLOR": None, **(env or {})})
    result = runner.invoke(app, list(args))
    # Anything but a clean exit (an exception escaping the CLI) is a bug.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def replace_in(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def break_catalog(work: Path) -> None:
    """Two cross-reference errors in two files."""
    replace_in(work / "cat/widgets.yaml", "features: [sso-saml]", "features: [sso-saml, audit-log]")
    replace_in(work / "cat/regions.yaml", "EMEA: [EU, GB, NO]", "EMEA: [EU, GB, NOPE]")


# -- validate: exit codes and text ------------------------------------------------------------


def test_valid_catalog_exits_0(work: Path) -> None:
    result = invoke("validate", "--catalog", "cat", "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout == "✓ 4 files valid\n"
    assert result.stderr == ""


def test_catalog_with_errors_exits_1_and_prints_each_problem_located(work: Path) -> None:
    break_catalog(work)
    result = invoke("validate", "--catalog", "cat", "--today", TODAY)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "cat/regions.yaml:4:18: error: 'NOPE' is neither a country code nor a region group"
        in "\n".join(lines)
    )
    assert any(
        line.startswith("cat/widgets.yaml:37:26: error: unknown feature 'audit-log'")
        for line in lines
    )
    assert lines[-1] == "2 errors, 0 warnings in 4 files"


def test_malformed_yaml_exits_2_with_one_clear_message(work: Path) -> None:
    (work / "cat/broken.yaml").write_text("kind: Product\nid: [oops\nname: x\n", encoding="utf-8")
    result = invoke("validate", "--catalog", "cat", "--today", TODAY)
    assert result.exit_code == 2
    mentions = [line for line in result.stdout.splitlines() if "broken.yaml:" in line]
    assert mentions == [
        "cat/broken.yaml:3:5: error: invalid YAML: did not find expected ',' or ']' [unreadable]"
    ]
    # and once on stderr, where a CI log or a script looks for why the run failed
    assert result.stderr.splitlines() == [
        "cat/broken.yaml:3:5: error: invalid YAML: did not find expected ',' or ']'"
    ]


def test_several_bad_files_are_all_reported_in_one_run(work: Path) -> None:
    (work / "cat/broken.yaml").write_text("kind: Product\nid: [oops\n", encoding="utf-8")
    (work / "cat/latin1.yaml").write_bytes(b"kind: Regions\nnotes: caf\xe9\n")
    (work / "cat/evil.yaml").write_text("kind: !!python/object/apply:os.system [ls]\n")
    (work / "cat/typo.yaml").write_text("kind: RuleSet\nid: r\nrulez: []\n", encoding="utf-8")
    break_catalog(work)

    result = invoke("validate", "--catalog", "cat", "--today", TODAY)

    assert result.exit_code == 2  # some input could not be read at all
    out = result.stdout
    assert "cat/broken.yaml:3:1: error: invalid YAML" in out
    assert "cat/latin1.yaml:2:11: error: not valid UTF-8" in out
    assert "cat/evil.yaml:1:7: error: tag !!python/object/apply:os.system is not allowed" in out
    assert "cat/typo.yaml:3:1: error: unknown key 'rulez' (did you mean 'rules'?)" in out
    assert "cat/widgets.yaml:37:26: error: unknown feature 'audit-log'" in out
    assert "cat/regions.yaml:4:18: error:" in out


def test_stale_roadmap_is_a_warning_and_still_exits_0(work: Path) -> None:
    result = invoke("validate", "--catalog", "cat", "--today", "2027-07-01")
    assert result.exit_code == 0
    assert (
        "cat/widgets.yaml:25:13: warning: stale roadmap: planned feature 'eu-residency' has a "
        "target (2027-06-30) before today (2027-07-01)"
    ) in result.stdout
    assert result.stdout.splitlines()[-1] == "0 errors, 1 warning in 4 files"


# -- validate: given files --------------------------------------------------------------------


def test_validate_a_deal_file(work: Path) -> None:
    result = invoke("validate", "--catalog", "cat", "deals/fjord.yaml")
    assert result.exit_code == 0
    assert result.stdout == "✓ 1 file valid\n"


def test_validate_a_deal_file_with_errors(work: Path) -> None:
    replace_in(work / "deals/fjord.yaml", "unit_price: 0.1", "unit_prise: 0.1")
    replace_in(work / "deals/fjord.yaml", "country: NO", "country: Norway")
    result = invoke("validate", "--catalog", "cat", "deals/fjord.yaml")
    assert result.exit_code == 1
    assert (
        "deals/fjord.yaml:5:12: error: 'country': 'Norway' is not an ISO 3166-1 alpha-2 "
        "country code (did you mean NO?)"
    ) in result.stdout
    assert (
        "deals/fjord.yaml:12:5: error: unknown key 'unit_prise' (did you mean 'unit_price'?)"
        in result.stdout
    )


def test_only_the_given_files_are_reported(work: Path) -> None:
    break_catalog(work)
    result = invoke("validate", "--catalog", "cat", "deals/fjord.yaml")
    assert result.exit_code == 0
    assert "widgets.yaml" not in result.stdout


def test_validating_a_file_of_the_configured_catalog_does_not_clash_with_itself(
    work: Path,
) -> None:
    for spelling in ("cat/widgets.yaml", "./cat/widgets.yaml", str(work / "cat/widgets.yaml")):
        result = invoke("validate", "--catalog", "cat", spelling)
        assert result.exit_code == 0, result.stdout
        assert "duplicate" not in result.stdout


def test_a_given_catalog_file_is_checked_against_the_configured_catalog(work: Path) -> None:
    (work / "new.yaml").write_text(
        "kind: Product\nid: gizmos\nname: Gizmos\ncurrency: USD\nsellable_in: [EMEA, MARSX]\n",
        encoding="utf-8",
    )
    result = invoke("validate", "--catalog", "cat", "new.yaml")
    assert result.exit_code == 1
    assert (
        "new.yaml:5:21: error: 'MARSX' is neither a country code nor a region group"
        in result.stdout
    )


def test_a_missing_path_exits_2(work: Path) -> None:
    result = invoke("validate", "--catalog", "cat", "deals/nope.yaml")
    assert result.exit_code == 2
    assert "deals/nope.yaml: error: no such file or directory" in result.stdout


def test_without_any_catalog_exits_2_naming_the_missing_paths(work: Path) -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert "products: error: catalog path does not exist" in result.stdout
    assert "rules: error: catalog path does not exist" in result.stdout


# -- where the catalog comes from -------------------------------------------------------------


def test_environment_and_config_file_choose_the_catalog(work: Path) -> None:
    shutil.copytree(work / "cat", work / "other")
    break_catalog(work)  # cat/ is broken, other/ is valid
    assert invoke("validate", env={"DEALCHECK_CATALOG": "other"}).exit_code == 0
    assert invoke("validate", "--catalog", "cat", env={"DEALCHECK_CATALOG": "other"}).exit_code == 1
    (work / "dealcheck.yaml").write_text("catalog: [other]\n", encoding="utf-8")
    assert invoke("validate").exit_code == 0
    assert invoke("validate", env={"DEALCHECK_CATALOG": "cat"}).exit_code == 1


def test_a_broken_config_file_exits_2_with_its_location(work: Path) -> None:
    (work / "dealcheck.yaml").write_text("catalogue: [cat]\n", encoding="utf-8")
    result = invoke("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("dealcheck: error: dealcheck.yaml:1:1: unknown key 'catalogue'")


# -- formats ----------------------------------------------------------------------------------


def test_json_format_parses_and_has_the_documented_keys(work: Path) -> None:
    break_catalog(work)
    result = invoke("validate", "--catalog", "cat", "--today", TODAY, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {
        "schema_version",
        "dealcheck_version",
        "catalog",
        "files",
        "valid",
        "problems",
        "summary",
    }
    assert report["schema_version"] == 1
    assert report["dealcheck_version"] == __version__
    assert report["catalog"]["paths"] == ["cat"]
    assert report["catalog"]["fingerprint"].startswith("sha256:")
    assert report["valid"] is False
    assert report["summary"] == {"files": 4, "errors": 2, "warnings": 0}
    assert {
        "file": "cat/widgets.yaml",
        "line": 37,
        "column": 26,
        "severity": "error",
        "code": "reference",
        "message": "unknown feature 'audit-log'",
    } in report["problems"]
    for problem in report["problems"]:
        assert set(problem) == {"file", "line", "column", "severity", "code", "message"}


def test_json_format_of_a_valid_catalog(work: Path) -> None:
    report = json.loads(invoke("validate", "--catalog", "cat", "--format", "json").stdout)
    assert report["valid"] is True
    assert report["problems"] == []
    assert sorted(report["files"]) == [
        "cat/fx.yaml",
        "cat/policy.yaml",
        "cat/regions.yaml",
        "cat/widgets.yaml",
    ]


def test_github_format_emits_workflow_annotations(work: Path) -> None:
    break_catalog(work)
    result = invoke("validate", "--catalog", "cat", "--today", "2027-07-01", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    errors = [line for line in lines if line.startswith("::error file=")]
    warnings = [line for line in lines if line.startswith("::warning file=")]
    assert len(errors) == 2 and len(warnings) == 1
    assert any(line.startswith("::error file=cat/widgets.yaml,line=37,col=26,") for line in errors)
    assert warnings[0].startswith("::warning file=cat/widgets.yaml,line=25,col=13,")


def test_output_file_gets_the_report_and_stdout_stays_empty(work: Path) -> None:
    result = invoke("validate", "--catalog", "cat", "--format", "json", "--output", "report.json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads((work / "report.json").read_text(encoding="utf-8"))["valid"] is True


def test_a_bad_today_exits_2(work: Path) -> None:
    result = invoke("validate", "--catalog", "cat", "--today", "2026-13-45")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == "dealcheck: error: --today: '2026-13-45' is not a date (expected YYYY-MM-DD)\n"
    )


def test_an_unknown_format_is_a_usage_error(work: Path) -> None:
    assert invoke("validate", "--catalog", "cat", "--format", "xml").exit_code == 2


# -- --version and schema ---------------------------------------------------------------------


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"dealcheck {__version__}\n"


def test_schema_prints_a_valid_json_schema_per_kind() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schemas = json.loads(result.stdout)
    assert sorted(schemas) == list(KINDS)
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_of_one_kind() -> None:
    schema = json.loads(invoke("schema", "--kind", "deal").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["kind"]["const"] == "Deal"


def test_schema_out_writes_one_file_per_kind(tmp_path: Path) -> None:
    out = tmp_path / "schemas" / "v1"
    result = invoke("schema", "--out", str(out))
    assert result.exit_code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{kind.lower()}.schema.json" for kind in KINDS)
    for file in out.iterdir():
        schema = json.loads(file.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(file.name)


def test_schema_with_an_unknown_kind_exits_2() -> None:
    result = invoke("schema", "--kind", "Quote")
    assert result.exit_code == 2
    assert "unknown kind 'Quote'" in result.stderr


# -- true subprocess runs ---------------------------------------------------------------------


def dealcheck_command() -> list[str]:
    """The installed console script for this interpreter (else the entry point via -c)."""
    script = Path(sys.executable).parent / "dealcheck"
    if script.is_file():
        return [str(script)]
    found = shutil.which("dealcheck")
    if found:
        return [found]
    return [sys.executable, "-c", "from dealcheck.cli import main; main()"]


def run(
    cwd: Path, *args: str, command: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEALCHECK_CATALOG", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [*(command or dealcheck_command()), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_subprocess_valid_catalog_exits_0(work: Path) -> None:
    proc = run(work, "validate", "--catalog", "cat", "--today", TODAY)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "✓ 4 files valid\n"


def test_subprocess_malformed_yaml_exits_2_without_traceback(work: Path) -> None:
    (work / "cat/broken.yaml").write_text("kind: Product\nid: [oops\n", encoding="utf-8")
    proc = run(work, "validate", "--catalog", "cat", "--format", "github")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.startswith("::error file=cat/broken.yaml,line=3,col=1,")


def test_subprocess_python_tag_in_a_deal_runs_nothing(work: Path) -> None:
    marker = work / "pwned"
    (work / "evil.yaml").write_text(
        f'kind: Deal\nid: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    python_c = [sys.executable, "-c", "from dealcheck.cli import main; main()"]
    proc = run(work, "validate", "--catalog", "cat", "evil.yaml", command=python_c)
    assert proc.returncode == 2
    assert "evil.yaml:2:5: error: tag !!python/object/apply:os.system is not allowed" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not marker.exists()


def test_subprocess_version(work: Path) -> None:
    proc = run(work, "--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"dealcheck {__version__}"
