"""GitHub workflow annotations of check results: one line per open finding, escaped."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from dealcheck.report import github_check
from dealcheck.report.results import CheckReport
from dealcheck.report.sanitize import safe_text

COMMAND = re.compile(r"^::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")
PROPS = re.compile(r"^file=[^,:]*(,line=\d+)?(,col=\d+)?,title=[^,:]*$")


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def test_examples_golden(examples_report: CheckReport, golden: Callable[[str, str], None]) -> None:
    golden("examples.github.txt", github_check.render(examples_report))


def test_one_annotation_per_open_finding(examples_report: CheckReport) -> None:
    lines = github_check.render(examples_report).splitlines()
    open_findings = [(d, f) for d in examples_report.deals for f in d.findings if f.is_open]
    assert len(lines) == len(open_findings) + 1
    levels = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "notice"}
    for line, (deal, finding) in zip(lines, open_findings, strict=False):
        match = COMMAND.match(line)
        assert match, line
        assert PROPS.match(match["props"]), line
        assert match["level"] == levels[finding.severity]
        where = f"file={finding.location.file},line={finding.location.line}"
        if finding.location.column:  # a clause in a PDF has a line but no column
            where += f",col={finding.location.column}"
        assert f"{where},title=" in line
        assert unescape(match["message"]).startswith(f"{deal.deal_id}: {finding.message}")
    counts = examples_report.summary()  # the examples change as they grow: counted here
    assert lines[-1] == (
        f"::notice title=dealcheck summary::{counts['deals']} deals: {counts['pass']} pass, "
        f"{counts['needs-approval']} need approval, {counts['blocked']} blocked"
    )


@pytest.mark.parametrize("size", ["zero", "one", "many"])
def test_sizes(size: str, sized_reports: dict[str, CheckReport]) -> None:
    text = github_check.render(sized_reports[size])
    assert text.endswith("\n")
    assert all(COMMAND.match(line) for line in text.splitlines())
    if size == "zero":
        assert text == "::notice title=dealcheck summary::No deals checked\n"


def test_hostile_strings_cannot_break_a_line_or_a_command(hostile_report: CheckReport) -> None:
    text = github_check.render(hostile_report)
    lines = text.splitlines()
    deal, broken = hostile_report.deals
    open_findings = [f for f in deal.findings if f.is_open]
    assert len(lines) == len(open_findings) + len(broken.problems) + 1
    assert text.count("\n") == len(lines) and "\r" not in text
    for line, finding in zip(lines, open_findings, strict=False):
        match = COMMAND.match(line)
        assert match and PROPS.match(match["props"]), line
        # the message as sanitised for every output: CR LF read as one line break
        message = f"{deal.deal_id}: {finding.message}\nFix: {finding.fix}"
        assert unescape(match["message"]) == safe_text(message)
        file = match["props"].split(",")[0].removeprefix("file=")
        assert unescape(file) == safe_text(finding.location.file)
    assert "line=" not in lines[1]  # a finding without a line names only the file


def test_deterministic(examples_report: CheckReport, hostile_report: CheckReport) -> None:
    assert github_check.render(examples_report) == github_check.render(examples_report)
    assert github_check.render(hostile_report) == github_check.render(hostile_report)
