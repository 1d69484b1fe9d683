"""JUnit XML: a suite per deal (per file for ``validate``), a case per rule, failures at or
above ``--fail-on``, load errors as ``<error>``; parsed back with ``junitparser`` and
validated against the schema Jenkins' xUnit plugin enforces (``schemas/junit-10.xsd``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml, TestSuite
from render_cases import HOSTILE, ROOT, TODAY, subset

from dealcheck.checks import BUILTIN_IDS
from dealcheck.engine import Engine
from dealcheck.errors import Location, Problem
from dealcheck.findings import SEVERITY_RANK, DealResult
from dealcheck.report import junit
from dealcheck.report.results import CheckReport
from dealcheck.report.sanitize import one_line
from dealcheck.rules import catalog_checks
from dealcheck.run import check_targets
from dealcheck.validate import ValidationReport, validate

# Jenkins' xUnit plugin validates every JUnit report against this schema and skips the
# whole file when it does not validate (see schemas/README.md for its source).
JENKINS_XSD = Path(__file__).resolve().parent / "schemas" / "junit-10.xsd"


def parse(text: str) -> list[TestSuite]:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return list(JUnitXml.fromstring(text.encode("utf-8")))


@pytest.fixture(scope="module")
def jenkins_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(JENKINS_XSD))


def schema_errors(schema: xmlschema.XMLSchema, text: str) -> list[str]:
    """Every reason the schema rejects ``text`` (with the element's path), none if valid."""
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(text.encode("utf-8"))]


def jenkins_class(classname: str) -> tuple[str, str]:
    """(package, class) as Jenkins shows them: ``classname`` split at its last ``.``."""
    package, dot, cls = classname.rpartition(".")
    return (package if dot else "(root)"), cls


def unreadable_deals(engine: Engine, tmp_path: Path) -> list[DealResult]:
    """Two deals that cannot be read: broken YAML, and a file that is not there."""
    bad = tmp_path / "broken.deal.yaml"
    bad.write_text("kind: Deal\nid: [unclosed\n", encoding="utf-8")
    deals = list(check_targets(engine, [str(bad)]))
    deals.append(
        DealResult.failed(
            "deals/gone.yaml",
            Problem(Location("deals/gone.yaml"), "no such file or directory", code="unreadable"),
        )
    )
    assert all(d.error is not None for d in deals)
    return deals


@pytest.fixture(scope="module")
def clean_validation() -> ValidationReport:
    """``dealcheck validate`` of the shipped catalog alone: no errors."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        report = validate(
            [Path("products"), Path("rules")], [], TODAY, BUILTIN_IDS, catalog_checks()
        )
    assert report.files and report.errors == 0, report.problems
    return report


def properties(suite: TestSuite) -> dict[str, str]:
    return {p.name: p.value for p in suite.properties()}  # type: ignore[no-untyped-call]


def failing_rules(deal: DealResult, fail_on: str) -> set[str]:
    limit = SEVERITY_RANK[fail_on]
    return {f.rule for f in deal.findings if f.is_open and SEVERITY_RANK[f.severity] <= limit}


def test_examples_golden(examples_report: CheckReport, golden: Callable[[str, str], None]) -> None:
    golden("examples.junit.xml", junit.render(examples_report))


def test_validate_golden(
    validation_report: ValidationReport, golden: Callable[[str, str], None]
) -> None:
    golden("validate.junit.xml", junit.render_validation(validation_report))


@pytest.mark.parametrize("fail_on", [None, "blocker", "approval", "warning"])
def test_suites_cases_and_failures(examples_report: CheckReport, fail_on: str | None) -> None:
    report = subset(examples_report, examples_report.deals)
    report.fail_on = fail_on  # type: ignore[assignment]
    text = junit.render(report)
    suites = parse(text)
    assert [s.name for s in suites] == [d.deal_id for d in report.deals]
    total_failures = 0
    for suite, deal in zip(suites, report.deals, strict=True):
        cases = list(suite)
        assert [c.name for c in cases] == list(report.rules)
        assert {c.classname for c in cases} == {f"dealcheck.check.{deal.deal_id}"}
        failed = {c.name for c in cases if any(isinstance(r, Failure) for r in c.result)}
        assert failed == failing_rules(deal, fail_on or "approval")
        assert suite.tests == len(cases)
        assert suite.failures == len(failed)
        assert suite.errors == 0
        assert not any(c.is_skipped for c in cases)
        total_failures += len(failed)
    root = ET.fromstring(text)
    assert root.get("tests") == str(len(report.deals) * len(report.rules))
    assert root.get("failures") == str(total_failures)


def test_default_fails_exactly_the_deals_that_do_not_pass(examples_report: CheckReport) -> None:
    suites = parse(junit.render(examples_report))
    for suite, deal in zip(suites, examples_report.deals, strict=True):
        assert (suite.failures > 0) == (deal.verdict != "pass")


def test_a_deal_that_cannot_be_read_is_an_error(
    engine: Engine, examples_report: CheckReport, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("kind: Deal\nid: [unclosed\n", encoding="utf-8")
    deals = list(check_targets(engine, [str(bad)]))
    assert deals[0].error is not None
    (suite,) = parse(junit.render(subset(examples_report, deals)))
    assert suite.errors == 1 and suite.tests == 1
    (case,) = list(suite)
    (error,) = case.result
    assert isinstance(error, Error)
    assert error.message == deals[0].error.message


@pytest.mark.parametrize("size", ["zero", "one", "many"])
def test_sizes_parse(size: str, sized_reports: dict[str, CheckReport]) -> None:
    report = sized_reports[size]
    assert len(parse(junit.render(report))) == len(report.deals)


def test_hostile_strings_are_escaped(hostile_report: CheckReport) -> None:
    text = junit.render(hostile_report)
    assert "<script>" not in text
    suites = parse(text)
    deal, broken = hostile_report.deals
    assert suites[0].name == one_line(deal.deal_id)
    props = properties(suites[0])
    assert props["customer"] == one_line(HOSTILE)  # attributes are one line
    cases = {c.name: c for c in suites[0]}
    rule = one_line(deal.findings[0].rule)  # the rule id holds a CR LF
    assert set(cases) == {rule, "approval-stale", "info-thing"}
    assert {jenkins_class(c.classname) for c in suites[0]} == {
        ("dealcheck.check", one_line(deal.deal_id))
    }
    (failure,) = cases[rule].result
    assert isinstance(failure, Failure)
    assert failure.type == "blocker"
    assert one_line(HOSTILE) in failure.message
    assert HOSTILE in (failure.text or "")  # element text keeps its line breaks
    # Waived and approved findings do not fail; they are reported in system-out.
    assert cases["approval-stale"].result == []
    assert "waived" in (cases["approval-stale"].system_out or "")
    assert suites[1].errors == 1


def test_control_characters_are_replaced(examples_report: CheckReport) -> None:
    deal = examples_report.deals[0]
    odd = DealResult(
        f"Q-\x00\x1b\uffff{deal.deal_id}", deal.file, deal.location, customer="a\x0bb\ufffe"
    )
    text = junit.render(subset(examples_report, [odd]))
    (suite,) = parse(text)
    assert suite.name == f"Q-\ufffd\ufffd\ufffd{deal.deal_id}"
    assert properties(suite)["customer"] == "a\ufffdb\ufffd"


def test_validation_suites(
    validation_report: ValidationReport, hostile_validation: ValidationReport
) -> None:
    suites = parse(junit.render_validation(validation_report))
    files = list(validation_report.files)
    files += [p.location.file for p in validation_report.problems if p.location.file not in files]
    assert [s.name for s in suites] == list(dict.fromkeys(files))
    with_errors = {p.location.file for p in validation_report.problems if p.severity == "error"}
    assert {s.name for s in suites if s.failures or s.errors} == with_errors
    hostile = parse(junit.render_validation(hostile_validation))
    assert [s.errors for s in hostile] == [0, 1]  # the unreadable file is an error
    assert [s.failures for s in hostile] == [1, 0]


def test_deterministic(examples_report: CheckReport, hostile_report: CheckReport) -> None:
    assert junit.render(examples_report) == junit.render(examples_report)
    assert junit.render(hostile_report) == junit.render(hostile_report)


# --- Jenkins (xUnit plugin) -----------------------------------------------------------


@pytest.mark.parametrize("fail_on", [None, "blocker", "warning"])
def test_check_validates_against_jenkins_schema(
    jenkins_schema: xmlschema.XMLSchema,
    engine: Engine,
    examples_report: CheckReport,
    tmp_path: Path,
    fail_on: str | None,
) -> None:
    deals = [*examples_report.deals, *unreadable_deals(engine, tmp_path)]
    report = subset(examples_report, deals)
    report.fail_on = fail_on  # type: ignore[assignment]
    # What the report covers: every verdict, waived and approved findings, unreadable deals.
    assert {d.verdict for d in deals} == {"pass", "needs-approval", "blocked", "error"}
    assert {"waived", "approved", "open"} <= {f.status for d in deals for f in d.findings}
    text = junit.render(report)
    assert schema_errors(jenkins_schema, text) == []
    suites = parse(text)
    assert sum(s.errors for s in suites) == 2
    assert sum(s.failures for s in suites) > 0


def test_hostile_check_validates_against_jenkins_schema(
    jenkins_schema: xmlschema.XMLSchema, hostile_report: CheckReport
) -> None:
    assert schema_errors(jenkins_schema, junit.render(hostile_report)) == []


def test_validate_validates_against_jenkins_schema(
    jenkins_schema: xmlschema.XMLSchema,
    clean_validation: ValidationReport,
    validation_report: ValidationReport,
    hostile_validation: ValidationReport,
) -> None:
    clean = junit.render_validation(clean_validation)
    assert schema_errors(jenkins_schema, clean) == []
    assert all(s.failures == 0 and s.errors == 0 for s in parse(clean))
    assert len(parse(clean)) == len(clean_validation.files)
    with_errors = junit.render_validation(validation_report)
    assert schema_errors(jenkins_schema, with_errors) == []
    assert any(s.failures for s in parse(with_errors))
    hostile = junit.render_validation(hostile_validation)
    assert schema_errors(jenkins_schema, hostile) == []
    assert any(s.errors for s in parse(hostile))


def test_the_schema_rejects_what_jenkins_rejects(jenkins_schema: xmlschema.XMLSchema) -> None:
    """The copy of the schema is the strict one: the attributes we used to write fail it."""
    for bad in (
        '<testsuites skipped="0"/>',
        '<testsuites><testsuite name="s" tests="1" failures="0" errors="0">'
        '<testcase name="c" file="a.yaml"/></testsuite></testsuites>',
        '<testsuites><testsuite name="s" tests="1" failures="0" errors="0">'
        '<testcase name="c" line="3"/></testsuite></testsuites>',
    ):
        assert schema_errors(jenkins_schema, bad), bad


def test_jenkins_class_names_are_the_deal_ids(
    engine: Engine, examples_report: CheckReport, tmp_path: Path
) -> None:
    deals = [*examples_report.deals, *unreadable_deals(engine, tmp_path)]
    suites = parse(junit.render(subset(examples_report, deals)))
    for suite, deal in zip(suites, deals, strict=True):
        for case in suite:
            package, cls = jenkins_class(case.classname)
            assert package == "dealcheck.check"
            if deal.error is None:
                assert cls == deal.deal_id  # e.g. Q-2026-0142, as the deal spells it
            else:  # no id: the file, its dots replaced so that the class is not "yaml"
                assert cls == deal.file.replace(".", "_")
                assert cls.endswith("_yaml") and len(cls) > len("_yaml")


def test_dots_in_a_deal_id_do_not_split_the_class(examples_report: CheckReport) -> None:
    deal = examples_report.deals[0]
    dotted = DealResult("Q.2026.v2", "deals/q.2026.yaml", deal.location, customer="x")
    (suite,) = parse(junit.render(subset(examples_report, [dotted])))
    assert suite.name == "Q.2026.v2"  # the suite keeps the id as written
    assert {jenkins_class(c.classname) for c in suite} == {("dealcheck.check", "Q_2026_v2")}


def test_jenkins_class_names_of_validate_are_the_files(
    clean_validation: ValidationReport, validation_report: ValidationReport
) -> None:
    for report in (clean_validation, validation_report):
        for suite in parse(junit.render_validation(report)):
            (case,) = list(suite)
            package, cls = jenkins_class(case.classname)
            assert package == "dealcheck.validate"
            assert cls == suite.name.replace(".", "_")  # e.g. products/acme-analytics_yaml
            assert cls.endswith("_yaml") and "/" in cls


def test_locations_are_in_the_failure_text_and_properties(examples_report: CheckReport) -> None:
    suites = parse(junit.render(examples_report))
    limit = SEVERITY_RANK["approval"]
    seen = 0
    for suite, deal in zip(suites, examples_report.deals, strict=True):
        props = properties(suite)
        assert props["file"] == deal.file
        cases = {c.name: c for c in suite}
        for f in deal.findings:
            case = cases[f.rule]
            if f.is_open and SEVERITY_RANK[f.severity] <= limit:
                (failure,) = case.result
                assert isinstance(failure, Failure)
                assert f"at {f.location}" in (failure.text or "")
                seen += 1
            else:
                assert f"at {f.location}" in (case.system_out or "")
    assert seen > 0


def test_validate_locations_are_in_the_failure_text(validation_report: ValidationReport) -> None:
    suites = {s.name: s for s in parse(junit.render_validation(validation_report))}
    for p in validation_report.problems:
        (case,) = list(suites[p.location.file])
        if p.severity == "error":
            (outcome,) = case.result
            assert str(p.location) in (outcome.text or "")
        else:
            assert str(p.location) in (case.system_out or "")
