"""Markdown summary: parsed back with markdown-it-py (CommonMark + GFM tables), tables keep
one row per finding and their columns whatever the strings, and no raw HTML gets through."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from markdown_it import MarkdownIt
from render_cases import HOSTILE, subset

from dealcheck.findings import DealResult
from dealcheck.report import markdown, packet
from dealcheck.report.results import CheckReport

FINDINGS_COLUMNS = 6
QUOTE_COLUMNS = 7
WATERFALL_COLUMNS = 4


def deal_tables(deal: DealResult) -> list[list[int]]:
    """The tables a deal's section has: findings; quote (a row per line); waterfall (a row
    per step of each line and its margin summary, or one row when it has no prices)."""
    out: list[list[int]] = []
    if deal.findings:
        out.append([FINDINGS_COLUMNS] * (len(deal.findings) + 1))
    if deal.lines:
        out.append([QUOTE_COLUMNS] * (len(deal.lines) + 1))
        rows = sum(
            len(s) + 1 if s else 1 for s in (packet.waterfall(deal, li)[0] for li in deal.lines)
        )
        out.append([WATERFALL_COLUMNS] * (rows + 1))
    return out


def parse(text: str) -> tuple[str, list[list[int]]]:
    """The HTML (raw HTML allowed, as GitHub renders it) and each table's cells per row."""
    md = MarkdownIt("commonmark").enable("table")
    tables: list[list[int]] = []
    for token in md.parse(text):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    return md.render(text), tables


def test_examples_golden(examples_report: CheckReport, golden: Callable[[str, str], None]) -> None:
    golden("examples.md", markdown.render(examples_report))


@pytest.mark.parametrize("size", ["zero", "one", "many"])
def test_sizes(size: str, sized_reports: dict[str, CheckReport]) -> None:
    report = sized_reports[size]
    text = markdown.render(report)
    html, tables = parse(text)
    assert "2026-11-22" in text and report.catalog_fingerprint in text
    if size == "zero":
        assert "No deals checked." in text
        assert tables == []
        return
    expected: list[list[int]] = []
    if len(report.deals) > 1:
        expected.append([5] * (len(report.deals) + 1))
    for deal in report.deals:
        expected.extend(
            deal_tables(deal) if deal.error is None else [[3] * (len(deal.problems) + 1)]
        )
    assert tables == expected
    for deal in report.deals:
        assert f"## {markdown.VERDICT[deal.verdict]}: {deal.deal_id}" in text


def test_approvers_and_statuses(examples_report: CheckReport) -> None:
    text = markdown.render(examples_report)
    for deal in examples_report.deals:
        if deal.error is None:
            assert f"- Approvals required: {packet.approvals_text(deal)}" in text
        if deal.verdict == "blocked":
            assert packet.approvals_text(deal).startswith("cannot be approved: fix the blockers")
        elif deal.approvals_required:
            assert packet.approvals_text(deal) == ", ".join(deal.approvals_required)
        for finding in deal.findings:
            if finding.status_note:
                assert finding.status_note in text


def test_hostile_strings_are_escaped(hostile_report: CheckReport) -> None:
    text = markdown.render(hostile_report)
    html, tables = parse(text)
    deal, broken = hostile_report.deals
    assert tables == [[5, 5, 5], *deal_tables(deal), [3] * (len(broken.problems) + 1)]
    assert len(deal_tables(deal)) == 3
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="http://x"' not in html  # [link](http://x) stays text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert len(headings) == 1 + 2 + 3  # title; two deals; Findings, Quote, Price waterfall
    assert all(line.startswith(("# ", "## ", "### ")) for line in headings)
    assert "ünïcödé" in text and HOSTILE not in text


def test_deterministic(examples_report: CheckReport, hostile_report: CheckReport) -> None:
    assert markdown.render(examples_report) == markdown.render(examples_report)
    assert markdown.render(hostile_report) == markdown.render(hostile_report)
    assert markdown.render(subset(examples_report, [])).count("No deals checked") == 1
