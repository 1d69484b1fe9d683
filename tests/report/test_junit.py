"""JUnit XML: a suite per deal (per file for ``validate``), a case per rule, failures at or
above ``--fail-on``, load errors as ``<error>``; parsed back with ``junitparser``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, TestSuite
from render_cases import HOSTILE, subset

from dealcheck.engine import Engine
from dealcheck.findings import SEVERITY_RANK, DealResult
from dealcheck.report import junit
from dealcheck.report.results import CheckReport
from dealcheck.run import check_targets
from dealcheck.validate import ValidationReport


def parse(text: str) -> list[TestSuite]:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return list(JUnitXml.fromstring(text.encode("utf-8")))


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
        assert {c.classname for c in cases} == {deal.deal_id}
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
    assert suites[0].name == deal.deal_id
    props = {p.name: p.value for p in suites[0].properties()}
    assert props["customer"] == HOSTILE
    cases = {c.name: c for c in suites[0]}
    rule = deal.findings[0].rule
    assert set(cases) == {rule, "approval-stale", "info-thing"}
    (failure,) = cases[rule].result
    assert isinstance(failure, Failure)
    assert failure.type == "blocker"
    assert HOSTILE.replace("\n", " ") in failure.message.replace("\n", " ")
    # Waived and approved findings do not fail; they are reported in system-out.
    assert cases["approval-stale"].result == []
    assert "waived" in (cases["approval-stale"].system_out or "")
    assert suites[1].errors == 1


def test_control_characters_are_replaced(examples_report: CheckReport) -> None:
    deal = examples_report.deals[0]
    odd = DealResult(f"Q-\x00\x1b{deal.deal_id}", deal.file, deal.location, customer="a\x0bb")
    text = junit.render(subset(examples_report, [odd]))
    (suite,) = parse(text)
    assert suite.name == f"Q-\ufffd\ufffd{deal.deal_id}"


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
