"""HTML approval packet: self-contained (no scripts, no external assets), every value
escaped, one section per deal with its waterfall charts, printable, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from render_cases import HOSTILE

from dealcheck import __version__
from dealcheck.report import html
from dealcheck.report.money import amount as money
from dealcheck.report.results import CheckReport

SVG_NS = "{http://www.w3.org/2000/svg}"
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "footer",
    "section",
    "article",
    "div",
    "p",
    "span",
    "strong",
    "code",
    "a",
    "h1",
    "h2",
    "h3",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "svg",
    "desc",
    "rect",
    "line",
    "text",
    "tspan",
}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def tags_of(text: str) -> Tags:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser


def charts(text: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", text, re.DOTALL)]


def test_examples_golden(examples_report: CheckReport, golden: Callable[[str, str], None]) -> None:
    golden("examples.html", html.render(examples_report))


@pytest.mark.parametrize("size", ["zero", "one", "many"])
def test_sizes(size: str, sized_reports: dict[str, CheckReport]) -> None:
    report = sized_reports[size]
    text = html.render(report)
    parsed = tags_of(text)
    assert set(parsed.tags) <= ALLOWED_TAGS
    assert parsed.tags.count("section") == len(report.deals)
    priced = [line for deal in report.deals for line in deal.lines if line.net_unit is not None]
    assert parsed.tags.count("svg") == len(priced)
    if size == "zero":
        assert "No deals checked." in text


def test_self_contained_and_printable(examples_report: CheckReport) -> None:
    text = html.render(examples_report)
    lowered = text.lower()
    for needle in ("<script", "<link", "<img", "<iframe", "src=", "url(", "@import", "javascript:"):
        assert needle not in lowered
    assert re.findall(r"https?://[^\s\"'<>]+", text) == ["http://www.w3.org/2000/svg"] * len(
        charts(text)
    )
    assert "@media print" in text and "break-before: page" in text
    assert __version__ in text and "2026-11-22" in text
    assert examples_report.catalog_fingerprint in text


def test_each_deal_shows_verdict_approvals_findings_and_totals(
    examples_report: CheckReport,
) -> None:
    text = html.render(examples_report)
    sections = re.findall(r'<section class="deal[^"]*".*?</section>', text, re.DOTALL)
    assert len(sections) == len(examples_report.deals)
    for section, deal in zip(sections, examples_report.deals, strict=True):
        assert f"{html.VERDICT[deal.verdict]}</span>" in section
        assert section.count('<article class="finding') == len(deal.findings)
        for approver in deal.approvals_required:
            assert approver in section
        for finding in deal.findings:
            assert finding.fingerprint in section
            assert f"status-{finding.status}" in section
        if deal.approvals_recorded:
            assert "<h3>Approvals recorded</h3>\n<table>" in section
        if deal.total is not None:
            assert money(deal.total) in section


def test_waterfall_charts(examples_report: CheckReport) -> None:
    text = html.render(examples_report)
    lines = [
        line for deal in examples_report.deals for line in deal.lines if line.net_unit is not None
    ]
    svgs = charts(text)
    assert len(svgs) == len(lines)
    for svg, line in zip(svgs, lines, strict=True):
        bars = svg.findall(f"{SVG_NS}rect")
        assert len(bars) == 4
        labels = [t.text for t in svg.findall(f"{SVG_NS}text") if t.get("class") == "amount"]
        assert line.list_product is not None and line.after_discount is not None
        assert labels[0] == money(line.list_product)
        assert labels[-1] == money(line.net_unit)  # type: ignore[arg-type]
        rules = {el.get("class") for el in svg.findall(f"{SVG_NS}line")}
        assert {"floor", "cost"} <= rules
        heights = [float(b.get("height", "0")) for b in bars]
        assert heights[0] == max(heights)  # list is the tallest step


def test_hostile_strings_are_escaped(hostile_report: CheckReport) -> None:
    text = html.render(hostile_report)
    parsed = tags_of(text)
    assert set(parsed.tags) <= ALLOWED_TAGS
    assert "<script" not in text.lower() and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert all(
        name
        in {
            "lang",
            "charset",
            "name",
            "content",
            "class",
            "id",
            "href",
            "xmlns",
            "viewbox",
            "role",
            "aria-label",
            "x",
            "y",
            "x1",
            "y1",
            "x2",
            "y2",
            "width",
            "height",
            "text-anchor",
            "dy",
            "stroke-dasharray",
        }
        for name, _ in parsed.attrs
    )
    for svg in charts(text):  # well-formed XML despite hostile titles
        assert svg.find(f"{SVG_NS}title") is not None
    assert "BELOW FLOOR" in text  # net 40 under a floor of 60
    assert HOSTILE not in text  # the raw string never appears unescaped


def test_deterministic(examples_report: CheckReport, hostile_report: CheckReport) -> None:
    assert html.render(examples_report) == html.render(examples_report)
    assert html.render(hostile_report) == html.render(hostile_report)
