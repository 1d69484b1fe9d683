"""No injection through deal or catalog text, in any output format.

A customer name, clause id, clause text, SKU name, file name or rule message may carry a
newline and a GitHub workflow command, ``%0A``, terminal escapes (CSI, OSC 8 hyperlinks),
NUL, C1 controls, Unicode line separators, ``@mentions``, autolinks and Markdown links.
On GitHub every line of a job's log that starts with ``::`` (after whitespace) is run as
a workflow command, whatever the format, so in every format:

* no line begins with ``::`` unless dealcheck wrote it as a command (``--format github``),
  and then its properties and data are escaped per GitHub's rules;
* no control character from the input is left (ESC, NUL, C0, DEL, C1);
* HTML escapes ``<`` and links nowhere outside the packet; Markdown neutralises mentions,
  references and links; JSON keeps the data exactly, with every such character escaped.

SARIF and JUnit are held to the first two properties only (lines as GitHub's runner
splits them); the rest of their escaping is tested with those renderers.

The hostile inputs go through the real pipeline: a copy of the sample catalog with a
hostile SKU name and rule message, deal files with a hostile name, customer and clauses,
loaded and checked by the engine, then rendered in each format.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import render_cases
from markdown_it import MarkdownIt
from render_cases import ROOT, TODAY

from dealcheck.catalog import Catalog, load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.engine import Engine
from dealcheck.errors import Location, Problem
from dealcheck.explain import rule_docs
from dealcheck.report import (
    github_check,
    html,
    json_report,
    junit,
    markdown,
    problems,
    salessheet_json,
    salessheet_markdown,
    salessheet_text,
    sarif,
    text,
)
from dealcheck.report.results import CheckReport
from dealcheck.report.sanitize import (
    REPLACEMENT,
    guard_lines,
    json_text,
    markdown_text,
    one_line,
    safe_text,
)
from dealcheck.run import check_targets
from dealcheck.salessheet import build_sales_sheet
from dealcheck.validate import ValidationReport

PAYLOADS = {
    "newline-command": "\n::error file=x.yaml::pwned",
    "indented-command": "\r\n   ::warning::indented",
    "escaped-newline": "%0A::warning::x",
    "csi": "\x1b[31mred\x1b[0m",
    "osc8": "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "nul": "nul\x00",
    "c1": "\x9b31m\x85::notice::nel",
    "separators": "\u2028::error::ls\u2029::error::ps",
    "mention": "@octocat",
    "reference": "#123",
    "autolink": "<https://evil.example>",
    "link": "[click](https://evil.example)",
    "bare-url": "www.evil.example",
}
HOSTILE = " ".join(PAYLOADS.values())
FILE_NAME = "deal\n::error file=x.yaml::pwned \x1b[31m.yaml"
BROKEN_FILE_NAME = "broken\n::error::broken \x1b]8;;x\x1b\\.yaml"  # no "/" in a name
SKU = "AA-PRO-USER-Y"

# What may not reach any output: C0 controls but tab and LF, DEL, C1 (ESC, NUL, CSI, NEL).
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colours dealcheck itself writes in colour mode
COMMAND = re.compile(r"^::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")
PROPERTY = re.compile(r"^[a-z]+=(?:[^%,:]|%25|%0D|%0A|%3A|%2C)*$")
DATA = re.compile(r"^(?:[^%\r\n]|%25|%0D|%0A)*$")
# What GitHub renders as a link or a notification in Markdown text without any markup.
BARE_LINK = re.compile(r"(?i)(?:https?|ftp)://|\bwww\.|mailto:")
MENTION = re.compile(r"(?<![\w`])[@#][A-Za-z0-9]")


def _yaml_string(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample catalog with a hostile product name, SKU name and rule message, and deal
    files with hostile names, a hostile customer and hostile clauses."""
    root = tmp_path_factory.mktemp("injection")
    for name in ("products", "rules"):
        shutil.copytree(ROOT / name, root / name)
    products = root / "products" / "acme-analytics.yaml"
    source = products.read_text(encoding="utf-8")
    for old, new in (
        ("\nname: Acme Analytics\n", f"\nname: {_yaml_string('Acme ' + HOSTILE)}\n"),
        (
            "    name: Acme Analytics Professional, per user per year\n",
            f"    name: {_yaml_string('Pro ' + HOSTILE)}\n",
        ),
    ):
        assert old in source
        source = source.replace(old, new)
    products.write_text(source, encoding="utf-8")
    rules = root / "rules" / "clauses.yaml"
    source = rules.read_text(encoding="utf-8")
    old = 'message: "Clause {clause.id} makes our liability unlimited"'
    assert old in source
    message = "Clause {clause.id} makes our liability unlimited (rule " + HOSTILE + ")"
    rules.write_text(source.replace(old, f"message: {_yaml_string(message)}"), encoding="utf-8")
    deal = {
        "kind": "Deal",
        "id": "Q-1",
        "customer": {"name": "Cust " + HOSTILE, "country": "US", "segment": "enterprise"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 24,
        "payment_terms_days": 30,
        "lines": [{"sku": SKU, "quantity": 400, "discount": 0.35}],
        "clauses": [
            {"id": "9.4" + PAYLOADS["newline-command"], "text": "Unlimited liability. " + HOSTILE}
        ],
    }
    (root / "deals").mkdir()
    (root / "deals" / FILE_NAME).write_text(json.dumps(deal), encoding="utf-8")
    (root / "deals" / BROKEN_FILE_NAME).write_text(
        f"kind: Deal\nid: {_yaml_string(HOSTILE)}\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def hostile_catalog(hostile_dir: Path) -> Iterator[Catalog]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(hostile_dir)
        yield load_catalog([Path("products"), Path("rules")], TODAY, BUILTIN_IDS)


@pytest.fixture(scope="module")
def pipeline_report(hostile_dir: Path, hostile_catalog: Catalog) -> Iterator[CheckReport]:
    """The deals checked by the engine, as ``dealcheck check deals/...`` would."""
    engine = Engine(hostile_catalog, TODAY)
    assert engine.ok, engine.problems
    report = CheckReport(
        TODAY,
        hostile_catalog.fingerprint,
        hostile_catalog.paths,
        rules=rule_docs(hostile_catalog),
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(hostile_dir)
        targets = [f"deals/{FILE_NAME}", f"deals/{BROKEN_FILE_NAME}"]
        report.deals.extend(check_targets(engine, targets))
    yield report


@pytest.fixture(scope="module")
def every_field_report() -> Iterator[CheckReport]:
    """The renderer tests' report of hostile strings (every field of a result: approvers,
    notes, evidence, currencies, recorded approvals), with these payloads."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render_cases, "HOSTILE", "Acme " + HOSTILE)
        mp.setattr(render_cases, "HOSTILE_CLAUSE", "Clause " + HOSTILE)
        yield render_cases.hostile_report()


def test_the_hostile_input_reaches_the_report(pipeline_report: CheckReport) -> None:
    """The payloads get through the loader and the engine, so the renderers meet them."""
    deal, broken = pipeline_report.deals
    assert deal.error is None and broken.error is not None
    assert deal.customer == "Cust " + HOSTILE
    assert FILE_NAME in deal.file and BROKEN_FILE_NAME in broken.file
    (finding,) = [f for f in deal.findings if f.rule == "clause-uncapped-liability"]
    assert PAYLOADS["newline-command"] in finding.message and HOSTILE in finding.message
    assert deal.lines[0].sku == SKU


@pytest.fixture(scope="module", params=["pipeline", "every-field"])
def report(
    request: pytest.FixtureRequest, pipeline_report: CheckReport, every_field_report: CheckReport
) -> CheckReport:
    return pipeline_report if request.param == "pipeline" else every_field_report


CHECK_FORMATS: dict[str, Callable[[CheckReport], str]] = {
    "text": text.render,
    "text-colour": lambda r: text.render(r, color=True),
    "github": github_check.render,
    "markdown": markdown.render,
    "html": html.render,
    "json": json_report.render,
}
# Owned elsewhere: only no workflow command and no raw control character are held here.
OTHER_FORMATS: dict[str, Callable[[CheckReport], str]] = {
    "sarif": sarif.render,
    "junit": junit.render,
}


def assert_no_injection(output: str, github: bool = False, runner_lines: bool = False) -> None:
    """No line begins a workflow command unless dealcheck wrote it (escaped per GitHub), and
    no control character but tab and LF is in ``output`` (dealcheck's own colours aside).

    Lines are split at every line break ``str.splitlines`` knows (a browser, a log viewer
    or a script may break at U+2028 or NEL), or, with ``runner_lines``, where GitHub's
    runner splits them (CR, LF)."""
    plain = SGR.sub("", output)
    bad = sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(plain)})
    assert not bad, f"raw control characters in the output: {bad}"
    lines = re.split(r"\r\n|[\r\n]", plain) if runner_lines else plain.splitlines()
    for line in lines:
        if not line.lstrip().startswith("::"):
            assert not github or not line, f"not a workflow command: {line!r}"
            continue
        assert github, f"a line starts a workflow command: {line!r}"
        match = COMMAND.match(line)
        assert match, f"not a well-formed workflow command: {line!r}"
        assert all(PROPERTY.match(p) for p in match["props"].split(",")), line
        assert DATA.match(match["data"]), line


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_check_formats_carry_no_command_and_no_control_character(
    fmt: str, report: CheckReport
) -> None:
    assert_no_injection(CHECK_FORMATS[fmt](report), github=fmt == "github")


@pytest.mark.parametrize("fmt", OTHER_FORMATS)
def test_sarif_and_junit_carry_no_command_and_no_control_character(
    fmt: str, report: CheckReport
) -> None:
    assert_no_injection(OTHER_FORMATS[fmt](report), runner_lines=True)


def test_github_commands_carry_the_sanitised_text(pipeline_report: CheckReport) -> None:
    """Each input shows in its annotation as in every other format: line breaks escaped
    (``%0A``), an input ``%0A`` kept literal (``%250A``), controls replaced."""
    output = github_check.render(pipeline_report)
    assert "::error file=x.yaml::pwned" in output  # inside the data, not at a line start
    assert "%250A::warning::x" in output
    assert "%0A" + REPLACEMENT + "::error file=x.yaml::pwned" in output
    assert "\x1b" not in output and REPLACEMENT + "[31mred" in output


def test_text_keeps_each_value_on_its_line(pipeline_report: CheckReport) -> None:
    output = text.render(pipeline_report)
    (title,) = [line for line in output.splitlines() if line.startswith("Q-1 · Cust ")]
    assert "::error file=x.yaml::pwned" in title  # on the title's line (rich shortens it)
    assert "Clause 9.4 ::error file=x.yaml::pwned makes our liability unlimited" in output


def test_html_escapes_markup_and_links_nowhere(report: CheckReport) -> None:
    output = html.render(report)
    assert "<https://evil.example>" not in output
    assert "&lt;https://evil.example&gt;" in output
    hrefs = _hrefs(output)
    assert hrefs and all(href.startswith("#deal-") for href in hrefs), hrefs


def test_markdown_neutralises_mentions_and_links(report: CheckReport) -> None:
    assert_markdown_is_inert(markdown.render(report))


def assert_markdown_is_inert(output: str) -> None:
    """Rendered as CommonMark with tables: no link, no raw HTML; and none of what GitHub
    links or notifies without markup (bare URLs, ``@user``, ``#123``) in the text."""
    rendered = MarkdownIt("commonmark").enable("table").render(output)
    assert "<a " not in rendered and "<https" not in rendered
    # inside a code span GitHub makes no link and no mention: the rest is checked
    text_only = re.sub(r"<[^>]*>", " ", re.sub(r"(?s)<code>.*?</code>", " ", rendered))
    assert not BARE_LINK.search(text_only), BARE_LINK.findall(text_only)
    assert not MENTION.search(text_only), MENTION.findall(text_only)
    assert "\\[click\\](" in output  # the link syntax is escaped (and makes no <a> above)
    assert "octocat" in output and "evil.example" in output  # shown, as text


def test_json_keeps_the_data_and_escapes_the_characters(pipeline_report: CheckReport) -> None:
    output = json_report.render(pipeline_report)
    assert not re.search("[\x7f-\x9f\u2028\u2029]", output)
    deal, broken = json.loads(output)["deals"]
    assert deal["customer"] == "Cust " + HOSTILE  # the same data, exactly
    assert deal["file"] == pipeline_report.deals[0].file
    # one deal's block, as a worker renders it, is the same text as in the whole report
    assert json_report.rendered(pipeline_report.deals[0])[1] in output


@pytest.fixture(scope="module")
def hostile_validation(validation_report: ValidationReport) -> ValidationReport:
    """``dealcheck validate`` problems at a hostile file, with hostile messages."""
    return ValidationReport(
        validation_report.catalog,
        [
            Problem(Location(FILE_NAME, 3, 4), "Message " + HOSTILE, "error", "bad-value"),
            Problem(Location(HOSTILE, 0, 0), HOSTILE, "warning", "unknown-key"),
        ],
        [FILE_NAME, HOSTILE],
    )


def test_validate_formats(hostile_validation: ValidationReport) -> None:
    assert_no_injection(problems.render_text(hostile_validation))
    assert_no_injection(problems.render_text(hostile_validation, color=True))
    assert_no_injection(problems.render_github(hostile_validation), github=True)
    output = problems.render_json(hostile_validation)
    assert_no_injection(output)
    assert json.loads(output)["problems"][1]["message"] == HOSTILE


@pytest.mark.parametrize("fmt", ["sarif", "junit"])
def test_validate_sarif_and_junit(fmt: str, hostile_validation: ValidationReport) -> None:
    render = sarif.render_validation if fmt == "sarif" else junit.render_validation
    assert_no_injection(render(hostile_validation), runner_lines=True)


def test_sales_sheet_formats(hostile_catalog: Catalog) -> None:
    """The product's and SKU's hostile names in every rendering of ``dealcheck catalog``."""
    sheet = build_sales_sheet(hostile_catalog, sections=["skus"], product="acme-analytics")
    name = "Pro " + HOSTILE
    assert any(row.name == name for row in sheet.skus)
    output = salessheet_text.render_text(sheet)
    assert_no_injection(output)
    assert "Acme ::error file=x.yaml::pwned" in output
    assert_no_injection(salessheet_text.render_text(sheet, color=True))
    output = salessheet_markdown.render_markdown(sheet)
    assert_no_injection(output)
    assert_markdown_is_inert(output)
    output = salessheet_json.render_json(sheet)
    assert_no_injection(output)
    assert not re.search("[\x7f-\x9f\u2028\u2029]", output)
    assert name in [row["name"] for row in _walk(json.loads(output)) if "name" in row]


# -- the sanitising functions themselves ------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=list(PAYLOADS))
def test_one_line_and_safe_text(payload: str) -> None:
    value = "a " + payload
    for clean in (safe_text(value), one_line(value)):
        assert not RAW_CONTROL.search(clean)
        assert not any(line.lstrip().startswith("::") for line in clean.splitlines())
    assert len(one_line(value).splitlines()) == 1


def test_guard_lines_marks_only_a_command_at_a_line_start() -> None:
    assert guard_lines("::error::x") == REPLACEMENT + "::error::x"
    assert guard_lines("a\n  \t::x\nb ::y") == "a\n  \t" + REPLACEMENT + "::x\nb ::y"
    assert guard_lines("\x1b[1m::x\x1b[0m") == "\x1b[1m" + REPLACEMENT + "::x\x1b[0m"
    assert guard_lines("a: b :: c") == "a: b :: c"
    assert one_line("a\n::b") == "a ::b"  # mid-line: nothing to mark
    assert safe_text("a\r\n::b") == "a\n" + REPLACEMENT + "::b"


def test_markdown_text() -> None:
    assert markdown_text("@octocat @org/team a@b.example") == (
        "@\u200doctocat @\u200dorg/team a@\u200db.example"
    )
    assert markdown_text("see https://x.example and WWW.x.example") == (
        "see https\u200d://x.example and WWW\u200d.x.example"
    )
    assert markdown_text("[a](b) <c> #1 &amp; x\ny") == (
        "\\[a\\](b) \\<c\\> \\#\u200d1 &amp;amp; x y"
    )
    assert markdown_text("a\r\nb", "<br>") == "a<br>b"
    assert markdown_text("Acme Analytics, 10% off: ok") == "Acme Analytics, 10% off: ok"


def test_json_text_round_trips() -> None:
    value = "a\x85b\u2028c\u2029d\x9b\x7f\ud800"
    dumped = json_text(json.dumps({"k": value}, ensure_ascii=False))
    assert not re.search("[\x7f-\x9f\u2028\u2029\ud800-\udfff]", dumped)
    assert json.loads(dumped) == {"k": value}


def _hrefs(document: str) -> list[str]:
    hrefs: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            hrefs.extend(v or "" for k, v in attrs if k in ("href", "src", "xlink:href"))

    parser = Links()
    parser.feed(document)
    parser.close()
    return hrefs


def _walk(value: object) -> Iterator[dict[str, object]]:
    """Every JSON object in ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
