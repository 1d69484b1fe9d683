"""Property-based tests: whatever a pull request puts in a file, dealcheck returns a result
or its documented, located error, and never any other exception.

* loader (``yamlio.load_string``): any text, and any YAML-shaped data dumped by
  ``yaml.safe_dump`` (weird scalars included): plain data (never a float) positioned inside
  the text, or an ``InputError`` at a ``file:line:column`` inside the text; what the dumper
  wrote is read back unchanged;
* models (``parse_document``): every document of the sample catalog and the example deals,
  mutated (keys dropped, added or misspelt, values replaced by anything YAML can say):
  a model, or problems located inside the text; a deal that validates is checked by the
  engine and rendered in every format, each output well formed; a catalog document that
  validates goes through the whole ``validate`` (cross-references, rule compilation);
* expression compiler: any text and grammar-shaped text, as conditions and templates:
  an ``ExprError`` with an offset inside the text, or a function that, given any values
  of the documented model (null included), returns true/false (a condition) or text;
* clause reader and analyser: any bytes as .txt/.md/.docx files (real Word archives with
  mutated parts too): clauses located in the file, or an ``InputError`` naming it; every
  clause analysed with spans inside its text;
* CLI: any bytes as a deal file (or on stdin) for ``dealcheck check`` in every format:
  exit code 0, 1, 2 or 3, never a traceback, machine formats well formed.

CI runs the bounded, derandomized ``ci`` profile (``conftest.py``). By hand, the deep
profile (100,000 examples per test; ``HYPOTHESIS_MAX_EXAMPLES`` scales it)::

    HYPOTHESIS_PROFILE=deep python -m pytest tests/hardening/test_properties.py -q -x
    HYPOTHESIS_PROFILE=deep HYPOTHESIS_MAX_EXAMPLES=5000 python -m pytest \\
        tests/hardening/test_properties.py -q -x -k cli
"""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import string
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from hardening_support import PROFILE, REPO, TODAY
from hypothesis import assume, event, example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealcheck import expr
from dealcheck.catalog import load_catalog
from dealcheck.checks import BUILTIN_IDS
from dealcheck.clauses import Clause, analyse_clause, read_clause_file
from dealcheck.cli import app
from dealcheck.contract import feature_matcher
from dealcheck.deals import TextUnit, load_unit
from dealcheck.engine import Engine
from dealcheck.errors import InputError, Location
from dealcheck.explain import rule_docs
from dealcheck.expr import ExprError, compile_condition, compile_template
from dealcheck.findings import DealResult
from dealcheck.models import parse_document
from dealcheck.report import github_check, html, json_report, junit, markdown, sarif
from dealcheck.report import text as text_report
from dealcheck.report.results import CheckReport
from dealcheck.rules import catalog_checks
from dealcheck.run import check_input
from dealcheck.validate import validate
from dealcheck.yamlio import Document, load_file, load_string

# Hypothesis explains a failure with a module that warns about itself; with
# ``filterwarnings = error`` that warning would hide the failure behind an INTERNALERROR.
pytestmark = pytest.mark.filterwarnings("ignore:mypy_extensions:DeprecationWarning")

NAME = "input.yaml"
DAY = date.fromisoformat(TODAY)
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


# -- invariants --------------------------------------------------------------------------------


def _last_line(text: str) -> int:
    """The highest line a position in ``text`` can have: YAML counts NEL, LS and PS as line
    breaks too, and libyaml puts the end of a text without a final line break on the line
    after it."""
    return len(_LINE_BREAKS.findall(text)) + 2


def assert_located(location: Location, text: str, name: str = NAME) -> None:
    """A location names the file and a line and column that exist in ``text``."""
    assert location.file == name, location
    assert 1 <= location.line <= _last_line(text), (location, _last_line(text))
    assert 1 <= location.column <= len(text) + 1, location


def assert_plain(value: Any) -> None:
    """Loaded data is plain: mappings with text keys, lists, text, exact numbers, dates."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            assert all(isinstance(k, str) for k in item), item
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        else:
            assert item is None or type(item) in (str, int, bool, Decimal, date), repr(item)


def load_checked(text: str, name: str = NAME) -> list[Document] | None:
    """``load_string`` under the loader's contract; None when it refused the text."""
    try:
        docs = load_string(text, name)
    except InputError as err:
        assert_located(err.location, text, name)
        assert err.message
        return None
    for doc in docs:
        assert_plain(doc.data)
        for line, column in [*doc.source.values.values(), *doc.source.keys.values()]:
            assert_located(Location(name, line, column), text, name)
    return docs


# -- 1. the loader -----------------------------------------------------------------------------

WEIRD_SCALARS = [
    "NO", "no", "Yes", "on", "OFF", "y", "n", "~", "null", "Null", "NULL", "true", "True",
    "FALSE", "0x1F", "0o17", "0b101", "1e3", "1E-3", "1_000", "1__0", ".5", "5.", "-0", "+1",
    ".inf", "-.Inf", ".nan", "1e400", "1e-400", "9" * 41, "0." + "0" * 50 + "1", "2026-02-30",
    "2026-13-45", "2026-01-01", "2026-1-1", "2026-01-01T10:00:00Z", "Q2 2027", "2027-Q2",
    "12:30:00", "1:20", "<<", "=", "!!python/object/apply:os.system", "&a", "*a", "%YAML 1.1",
    "---", "...", "- x", "? x", "{", "}", "[", "]", ",", "#", "@", "`", "|", ">", "'", '"', "\\",
    "\t", "\u00a0", "\u2028", "\x85", "\ufeff", "é", "\U0001f600", "\x00", "\x1b[31m",
    "AU", "EUR", "AA-ENT-USER-Y", "Deal", "Product", "kind", "{{deal.id}}", "__class__",
]  # fmt: skip

#: Keys of every document kind (and a few that are not), so mappings look like ours.
MODEL_KEYS = sorted(
    {
        "kind", "id", "name", "customer", "partner", "currency", "start_date", "term_months",
        "payment_terms_days", "free_months", "date_format", "sla_uptime", "lines", "sku",
        "quantity", "unit_price", "discount", "commitments", "feature", "due", "clause",
        "clauses", "text", "clauses_file", "lines_file", "approvals", "rule", "approver",
        "fingerprint", "waivers", "expires", "reason", "country", "segment", "margin",
        "deployment_countries", "labels", "notes", "groups", "base", "as_of", "rates",
        "features", "status", "target", "end_of_life", "committable", "aliases", "editions",
        "includes", "skus", "edition", "list_price", "unit_cost", "floor_price", "min_margin",
        "available_from", "sellable_in", "restricted_in", "where", "severity", "sla", "uptime",
        "rules", "scope", "when", "message", "fix", "category", "description", "builtin",
        "enabled", "tests", "deal", "expect", "expect_not", "today", "min_deal_margin",
        "unit_prise", "<<", "? ", "", " ", "KIND",
    }
)  # fmt: skip

keys = st.one_of(
    st.sampled_from(MODEL_KEYS),
    st.text(max_size=12),
    st.integers(-5, 10**12),
    st.booleans(),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.text(max_size=30),
    st.sampled_from(WEIRD_SCALARS),
)
yaml_data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


@st.composite
def dumped(draw: st.DrawFn, data: st.SearchStrategy[Any] = yaml_data) -> str:
    """YAML text written by PyYAML's safe dumper, in a random style."""
    documents = draw(st.lists(data, min_size=1, max_size=3))
    return yaml.safe_dump_all(
        documents,
        default_flow_style=draw(st.sampled_from([None, True, False])),
        canonical=draw(st.booleans()),
        allow_unicode=draw(st.booleans()),
        explicit_start=draw(st.booleans()),
        explicit_end=draw(st.booleans()),
        width=draw(st.sampled_from([20, 80, 10**6])),
        indent=draw(st.sampled_from([2, 4, 9])),
        sort_keys=False,
    )


# Any text: every code point (lone surrogates included), YAML punctuation and our words.
any_text = st.one_of(
    st.text(st.characters(blacklist_categories=())),
    st.lists(
        st.sampled_from(
            [*WEIRD_SCALARS, ": ", "\n", "  ", "- ", "&a ", "*a", "!!str ", "!!binary ", "\n---\n"]
        ),
        max_size=40,
    ).map("".join),
)


@PROFILE
@given(text=any_text)
@example(text="kind: Deal\nid: Q-\ud800")  # a lone surrogate: no file holds it, no output can
@example(text="{")  # libyaml reports the end of a text without a line break on the next line
@example(text="a: &a [*a]")
def test_loader_any_text(text: str) -> None:
    load_checked(text)


@PROFILE
@given(text=dumped())
def test_loader_reads_what_safe_dump_writes(text: str) -> None:
    load_checked(text)


# What a YAML 1.1 dumper and our YAML 1.2 reading agree on exactly: text that starts with a
# letter (PyYAML quotes the 1.1 booleans), integers, finite and infinite floats, dates.
# (A string such as "1e3" is written plain by PyYAML and read as 1000, as documented.)
same_in_both = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**45), max_value=10**45),
        st.floats(),
        st.dates(),
        st.from_regex(r"[A-Za-zé][A-Za-z0-9 _.é-]{0,15}", fullmatch=True),
    ),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True), inner, max_size=4)
    ),
    max_leaves=20,
)


def _expected(value: Any) -> Any:
    """``value`` as dealcheck reads it back: floats become exact decimals."""
    if isinstance(value, float):
        return "NaN" if value != value else Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _expected(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expected(v) for v in value]
    return value


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_nan():
        return "NaN"
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def _out_of_range(value: Any) -> bool:
    """Numbers the loader refuses (more than 40 digits, an exponent beyond ±100)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return len(str(abs(value))) > 40
    if isinstance(value, float):
        number = Decimal(repr(value))
        return number.is_finite() and number != 0 and abs(number.adjusted()) > 100
    if isinstance(value, dict):
        return any(_out_of_range(v) for v in value.values())
    if isinstance(value, list):
        return any(_out_of_range(v) for v in value)
    return False


@PROFILE
@given(data=st.lists(same_in_both, min_size=1, max_size=3), flow=st.sampled_from([None, True]))
def test_loader_round_trips_plain_data(data: list[Any], flow: bool | None) -> None:
    text = yaml.safe_dump_all(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    docs = load_checked(text)
    if docs is None:
        assert any(_out_of_range(d) for d in data), text
        event("refused: a number out of range")
        return
    event("read back")
    expected = [_expected(d) for d in data if d is not None]
    assert [_comparable(doc.data) for doc in docs] == expected


# -- 2. the models, the engine, the renderers --------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes Decimals as the numbers they are."""


_Dumper.add_representer(
    Decimal,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f")),
)


def _sample_documents() -> list[tuple[str, Any]]:
    """Every document of the shipped catalog and example deals: (file, data)."""
    found: list[tuple[str, Any]] = []
    for folder in ("products", "rules", "examples/deals"):
        for path in sorted((REPO / folder).glob("*.yaml")):
            found.extend((f"{folder}/{path.name}", doc.data) for doc in load_file(path))
    return found


SAMPLES = _sample_documents()
_REPLACEMENTS = st.one_of(scalars, yaml_data, st.sampled_from(["", [], {}]))


@st.composite
def mutated(draw: st.DrawFn, kinds: tuple[str, ...] | None = None) -> tuple[str, Any]:
    """A sample document with values pushed to extremes (a document that may still be
    valid, so the engine and renderers see it) and up to two structural edits."""
    pool = [s for s in SAMPLES if kinds is None or s[1].get("kind") in kinds]
    file, original = draw(st.sampled_from(pool))
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(0, 3))):
        data = _tweak(draw, data)
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        data = _mutate(draw, data)
    return file, data


# same-type extremes: bounds of the models, huge and tiny numbers, odd dates and text
_EXTREMES: dict[type, list[Any]] = {
    int: [0, 1, -1, 2, 11, 12, 1200, 1201, 3650, 3651, 10**39, -(10**39)],
    Decimal: [
        Decimal(0), Decimal(1), Decimal(-1), Decimal("1e99"), Decimal("1e-99"),
        Decimal("0.999999999999999999"), Decimal("1.000000000000000001"),
        Decimal("123456789012345678901234567890.1234567"), Decimal("0.00001"), Decimal(100),
    ],
    date: [date(1, 1, 1), date(9999, 12, 31), date(2000, 2, 29), DAY, date(2027, 1, 1)],
    str: [
        "", " ", "x", "AU", "ZZ", "EUR", "ZZZ", "\x1b[2J\x1b]0;pwned\x07", "a" * 300, "{", "}",
        "%", "é", "Provider shall provide single sign-on by 31 March 2027.", "99.999% uptime",
        "../../etc/passwd", "/etc/passwd", "-", "NO",
    ],
}  # fmt: skip


def _tweak(draw: st.DrawFn, node: Any) -> Any:
    """Replace one leaf under ``node`` by an extreme value of the same type."""
    if isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node, key=str)))
        node[key] = _tweak(draw, node[key])
        return node
    if isinstance(node, list) and node:
        index = draw(st.integers(0, len(node) - 1))
        node[index] = _tweak(draw, node[index])
        return node
    if isinstance(node, bool):
        return not node
    choices = _EXTREMES.get(type(node))
    return draw(st.sampled_from(choices)) if choices else node


def _mutate(draw: st.DrawFn, node: Any) -> Any:
    """Walk down a random path, then drop, replace, add or misspell something there."""
    if isinstance(node, dict) and node and draw(st.integers(0, 3)):
        key = draw(st.sampled_from(sorted(node, key=str)))
        action = draw(st.sampled_from(["descend", "descend", "drop", "replace", "add", "rename"]))
        if action == "descend":
            node[key] = _mutate(draw, node[key])
        elif action == "drop":
            del node[key]
        elif action == "replace":
            node[key] = draw(_REPLACEMENTS)
        elif action == "add":
            node[draw(keys)] = draw(_REPLACEMENTS)
        else:
            node[f"{key}{draw(st.sampled_from(['s', '_', 'e', ' ']))}"] = node.pop(key)
        return node
    if isinstance(node, list) and node and draw(st.integers(0, 3)):
        index = draw(st.integers(0, len(node) - 1))
        action = draw(st.sampled_from(["descend", "descend", "drop", "replace", "copy"]))
        if action == "descend":
            node[index] = _mutate(draw, node[index])
        elif action == "drop":
            del node[index]
        elif action == "replace":
            node[index] = draw(_REPLACEMENTS)
        else:
            node.append(copy.deepcopy(node[index]))
        return node
    return draw(_REPLACEMENTS)


def _dump(data: Any) -> str | None:
    try:
        return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        return None  # not representable (a mapping key PyYAML cannot write)


@pytest.fixture(scope="module")
def engine() -> Engine:
    catalog = load_catalog([REPO / "products", REPO / "rules"], DAY, BUILTIN_IDS)
    built = Engine(catalog, DAY)
    assert built.ok
    return built


def _renderings(engine: Engine, results: list[DealResult]) -> dict[str, str]:
    """The report of ``results`` in every format of ``dealcheck check``."""
    report = CheckReport(
        DAY,
        engine.catalog.fingerprint,
        engine.catalog.paths,
        deals=list(results),
        rules=rule_docs(engine.catalog),
    )
    return {
        "json": json_report.render(report),
        "text": text_report.render(report, False),
        "color": text_report.render(report, True),
        "sarif": sarif.render(report),
        "junit": junit.render(report),
        "github": github_check.render(report),
        "markdown": markdown.render(report),
        "html": html.render(report),
    }


def _reject_float(token: str) -> None:
    raise AssertionError(f"a float in the JSON report: {token}")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def assert_well_formed(outputs: dict[str, str], deals: int) -> None:
    """Machine formats parse; nothing from an input can drive a terminal or end a command."""
    report = json.loads(outputs["json"], parse_float=_reject_float)
    assert len(report["deals"]) == deals
    json.loads(outputs["sarif"])
    ET.fromstring(outputs["junit"].split("\n", 1)[1])
    # the Actions runner reads its commands line by line (LF, CR): not str.splitlines(),
    # which also splits at \x1c-\x1e, NEL and LS, characters that are data to the runner
    commands = re.split(r"\r\n|\r|\n", outputs["github"].removesuffix("\n"))
    assert all(line.startswith("::") for line in commands), commands
    for name in ("text", "markdown"):
        assert not _CONTROL.search(outputs[name].replace("\r\n", "\n")), name
    # with colour on, every escape sequence is rich's own colour code (SGR)
    assert not re.search(r"\x1b(?!\[[0-9;]*m)", outputs["color"])
    assert "<script" not in outputs["html"].split("</style>", 1)[-1].lower().replace(
        "&lt;script", ""
    )


@PROFILE
@given(sample=mutated())
def test_models_and_engine_on_mutated_documents(sample: tuple[str, Any], engine: Engine) -> None:
    file, data = sample
    text = _dump(data)
    assume(text is not None)
    assert text is not None
    docs = load_checked(text)
    if not docs:
        return
    for doc in docs:
        model, problems = parse_document(doc)
        assert (model is None) == bool(problems)
        for problem in problems:
            assert_located(problem.location, text)
            assert problem.message
    # deals that validate are checked and rendered in every format, as `check` would
    items = list(load_unit(TextUnit(NAME, text)))
    results = [check_input(engine, item) for item in items]
    for result in results:
        event(f"verdict {result.verdict}")
    for result in results:
        for problem in result.problems:
            assert problem.location.file == NAME or problem.location.file.startswith(
                ("examples/", "/")
            )
    assert_well_formed(_renderings(engine, results), len(results))


@pytest.fixture(scope="module")
def catalog_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample catalog; each example edits one file and puts it back."""
    root = tmp_path_factory.mktemp("catalog")
    shutil.copytree(REPO / "products", root / "products")
    shutil.copytree(REPO / "rules", root / "rules")
    return root


@PROFILE
@given(sample=mutated(("Product", "Regions", "FxRates", "RuleSet")))
def test_validate_on_a_mutated_catalog(sample: tuple[str, Any], catalog_copy: Path) -> None:
    file, data = sample
    text = _dump(data)
    assume(text is not None)
    assert text is not None
    root = catalog_copy
    original = (REPO / file).read_text(encoding="utf-8")
    target = root / file
    target.write_text(text, encoding="utf-8")
    try:
        report = validate(
            [root / "products", root / "rules"], (), DAY, BUILTIN_IDS, catalog_checks()
        )
    finally:
        target.write_text(original, encoding="utf-8")
    assert report.exit_code in (0, 1, 2)
    event(f"validate exit {report.exit_code}")
    for problem in report.problems:
        assert problem.message
        if problem.location.file.endswith(file):
            assert_located(problem.location, text, problem.location.file)
    if report.exit_code == 0:  # a valid catalog loads into an engine that can check a deal
        catalog = load_catalog([root / "products", root / "rules"], DAY, BUILTIN_IDS)
        assert Engine(catalog, DAY).ok


# -- 3. the expression compiler ----------------------------------------------------------------

SCOPE_NAMES = ["deal", "line", "commitment", "clause"]
ALL_FIELDS = sorted({f for fields in expr.MODEL.values() for f in fields})
_NAMES = [
    *expr.NAME_TYPES, "true", "false", "null", "x", "_x", "__class__", "__import__", "getattr",
    "os", "None", "True", "self", "globals",
]  # fmt: skip
_FUNCS = [
    *expr._ARITY, "getattr", "__import__", "eval", "exec", "open", "print", "type", "vars",
]  # fmt: skip
_ATTRS = [*ALL_FIELDS, "__class__", "__dict__", "__globals__", "__mro__", "mro", "fn", "x"]
_OPS = [
    "==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or", "+", "-", "*", "/", "**",
    "//", "%", "is", "is not", "|", "&", "<<", "@", ":=", ",", "if", "else",
]  # fmt: skip
_ATOMS = [
    'date("2027-01-01")', 'date("2027-Q2")', 'date("Q4 2027")', 'date("2027-02-30")', "[]",
    "[1, 2]", '["EU", "AU"]', '["a", 1]', "()", "{}", "{1}", "lambda: 1", "x[0]", "*x", "...",
    '"EU"', "'AU'", '"EMEA"', '"(a+)+$"', '"(a|aa)+"', '"(.*a){20}"', r'"\d+ days"', '"[a"',
    'r"x"', 'b"x"', 'f"{deal}"', '"""x"""', '"unterminated', "10**10**10", "9" * 40, "0x10",
    "1j", "1e3", "1_000", ".5", "5.", "0.1", "-0", "# comment", "\\", "\n", "\x00",
]  # fmt: skip
numbers = st.one_of(
    st.integers(-(10**35), 10**35).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
)
paths = st.builds(
    lambda name, fields: ".".join([name, *fields]),
    st.sampled_from(_NAMES),
    st.lists(st.sampled_from(_ATTRS), max_size=3),
)
atoms = st.one_of(
    paths,
    numbers,
    st.text(max_size=8).map(json.dumps),
    st.sampled_from(_ATOMS),
)


def _binary(left: str, op: str, right: str) -> str:
    return f"{left} {op} {right}"


def _call(func: str, args: list[str]) -> str:
    return f"{func}({', '.join(args)})"


grammar = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(_binary, inner, st.sampled_from(_OPS), inner),
        inner.map(lambda e: f"not {e}"),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"[{e}]"),
        st.builds(_call, st.sampled_from(_FUNCS), st.lists(inner, max_size=3)),
        st.builds(lambda e, a: f"{e}.{a}", inner, st.sampled_from(_ATTRS)),
        inner.map(lambda e: e.replace(" ", "\n")),
    ),
    max_leaves=12,
)
expression_text = st.one_of(grammar, st.text(max_size=60), st.text(string.printable, max_size=60))


def _typed_paths(scope: str) -> dict[str, list[str]]:
    """Every path a rule of ``scope`` can read, by the name of its type."""
    found: dict[str, list[str]] = {}

    def walk(path: str, kind: expr.Type, depth: int) -> None:
        found.setdefault(str(kind), []).append(path)
        if kind.item is None and kind.name in expr.MODEL and depth < 2:
            for field, field_type in expr.MODEL[kind.name].items():
                walk(f"{path}.{field}", field_type, depth + 1)

    for name in expr.SCOPES[scope]:
        walk(name, expr.NAME_TYPES[name], 0)
    return found


TYPED_PATHS = {scope: _typed_paths(scope) for scope in SCOPE_NAMES}
_REGEXES = [
    '"most[- ]favou?red"',
    r'"\\d{1,3} days"',
    '"x"',
    '"^a"',
    '"(net|gross)"',
    '"[a-z ]{0,9}$"',
]
_LITERALS = {
    "number": ["0", "1", "0.25", "-1", "1e3", "1_000", "0.000001", "9" * 30],
    "string": ['"AU"', '"EUR"', '""', "'x'", '"é"', '"planned"'],
    "date": ['date("2027-01-01")', 'date("2027-Q2")', 'date("Q4 2026")', "today"],
}


@st.composite
def typed_condition(draw: st.DrawFn, scope: str, depth: int = 0) -> str:
    """A condition that type-checks in ``scope`` (so it compiles and its code runs)."""
    paths = TYPED_PATHS[scope]

    def pick(kind: str) -> str:
        style = draw(st.integers(0, 9))
        if kind == "number" and style == 7:
            lists = [*paths.get("list[string]", []), *paths.get("list[line]", [])]
            return f"len({draw(st.sampled_from(lists or ['deal.countries']))})"
        if kind == "number" and style == 8:
            dates = [*paths.get("date", []), "today"]
            return f"days_between({draw(st.sampled_from(dates))}, {draw(st.sampled_from(dates))})"
        if kind == "number" and style == 9 and depth < 2:
            op = draw(st.sampled_from(["+", "-", "*", "/"]))
            return f"({pick('number')} {op} {pick('number')})"
        if kind == "string" and style == 9:
            return f"lower({pick('string')})"
        return draw(st.sampled_from([*paths.get(kind, []), *_LITERALS.get(kind, [])]))

    form = draw(st.integers(0, 11))
    if form <= 2:
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
        kind = draw(st.sampled_from(["number", "number", "date", "string"]))
        return f"{pick(kind)} {op} {pick(kind)}"
    if form == 3:
        text = pick("string")
        where = draw(
            st.sampled_from([*paths.get("list[string]", []), '["AU", "DE"]', pick("string")])
        )
        return f"{text} {draw(st.sampled_from(['in', 'not in']))} {where}"
    if form == 4:
        anything = draw(st.sampled_from([p for ps in paths.values() for p in ps]))
        return f"{anything} {draw(st.sampled_from(['==', '!=']))} null"
    if form == 5:
        return f"matches({pick('string')}, {draw(st.sampled_from(_REGEXES))})"
    if form == 6:
        return f'in_region({pick("string")}, "{draw(st.sampled_from(["EU", "EMEA", "AU"]))}")'
    if form == 7 and paths.get("list[string]"):
        return f'any_in_region({draw(st.sampled_from(paths["list[string]"]))}, "EU")'
    if form == 8 and paths.get("bool"):
        return draw(st.sampled_from([*paths["bool"], "true", "false"]))
    if depth >= 2:
        return "true"
    inner = draw(typed_condition(scope, depth + 1))
    if form == 9:
        return f"not ({inner})"
    word = draw(st.sampled_from(["and", "or"]))
    return f"({inner}) {word} ({draw(typed_condition(scope, depth + 1))})"


@st.composite
def typed_conditions(draw: st.DrawFn) -> tuple[str, str]:
    scope = draw(st.sampled_from(SCOPE_NAMES))
    return scope, draw(typed_condition(scope))


_TEMPLATE_PIECES = [
    "{line.sku}", "{line.discount:%}", "{deal.total:,.2f}", "{deal.total:,}", "{deal.total:.2f}",
    "{deal.id}", "{deal.countries}", "{customer.name}", "{partner.margin:%}", "{today}",
    "{line.__class__}", "{0.__globals__}", "{deal.id!r}", "{deal.total:>1000000}",
    "{deal.total:.100000f}", "{deal.total:{deal.id}}", "{deal}", "{deal.lines}", "{{", "}}",
    "{", "}", "{}", "{ }", "{deal.}", "{.x}", "{deal.id:%}", "{commitment.due}",
    "{feature.status}", "{clause.text}", "{sku.list_price:,.2f}", "%s", "%(x)s", "\n", "é",
]  # fmt: skip
template_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(_TEMPLATE_PIECES), st.text(max_size=6)), max_size=8).map(
        "".join
    ),
    st.lists(paths.map(lambda p: f"{{{p}}}"), max_size=4).map(" ".join),
    st.text(max_size=40),
)

# values of the documented deal model, null included, for running compiled functions
_SCALAR_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "number": st.one_of(
        st.integers(-(10**9), 10**9),
        st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=6),
        st.just(0),
        st.just(Decimal("0.00")),
    ),
    "string": st.one_of(st.text(max_size=12), st.sampled_from(["AU", "DE", "US", "EU", "x"])),
    "date": st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    "bool": st.booleans(),
}


def _values(kind: expr.Type, depth: int = 0, nullable: bool = True) -> st.SearchStrategy[Any]:
    if kind.item is not None:
        inner = _values(kind.item, depth + 1, nullable=False)
        strategy: st.SearchStrategy[Any] = st.lists(inner, max_size=3)
    elif kind.name in _SCALAR_VALUES:
        strategy = _SCALAR_VALUES[kind.name]
    elif depth > 2:
        strategy = st.none()
    else:
        fields = expr.MODEL[kind.name]
        strategy = st.fixed_dictionaries(
            {name: _values(t, depth + 1) for name, t in fields.items()}
        ).map(lambda d: SimpleNamespace(**d))
    return st.one_of(st.none(), strategy) if nullable else strategy


@st.composite
def scope_arguments(draw: st.DrawFn, scope: str) -> tuple[Any, ...]:
    """Arguments for a compiled function of ``scope``: any values, the always-given not null."""
    args = []
    for name in expr.SCOPES[scope]:
        always = name in ("deal", "today", "line", "commitment", "clause")
        args.append(draw(_values(expr.NAME_TYPES[name], nullable=not always)))
    return tuple(args)


def _regions(name: str) -> frozenset[str] | None:
    return {
        "EU": frozenset({"DE", "FR"}),
        "EMEA": frozenset({"DE", "GB"}),
        "AU": frozenset({"AU"}),
    }.get(name)


def _assert_offset(err: ExprError, text: str) -> None:
    assert err.message
    assert 0 <= err.offset <= len(text), (err.offset, len(text), err.message)


@PROFILE
@given(text=expression_text, scope=st.sampled_from([*SCOPE_NAMES, "bogus"]), data=st.data())
def test_conditions_compile_or_fail_at_an_offset(
    text: str, scope: str, data: st.DataObject
) -> None:
    try:
        compiled = compile_condition(text, scope, _regions)
    except ExprError as err:
        _assert_offset(err, text)
        event("condition refused")
        return
    event("condition compiled")
    for _ in range(3):
        args = data.draw(scope_arguments(scope))
        assert compiled.fn(*args) in (True, False)


@PROFILE
@given(condition=typed_conditions(), data=st.data())
def test_well_typed_conditions_run_on_any_values(
    condition: tuple[str, str], data: st.DataObject
) -> None:
    """Conditions that compile are null-safe: true/false whatever the values, null included."""
    scope, text = condition
    try:
        compiled = compile_condition(text, scope, _regions)
    except ExprError as err:  # a few typed forms are still refused (e.g. ordering strings)
        _assert_offset(err, text)
        event("condition refused")
        return
    event("condition compiled")
    for _ in range(5):
        assert compiled.fn(*data.draw(scope_arguments(scope))) in (True, False)


@PROFILE
@given(text=template_text, scope=st.sampled_from(SCOPE_NAMES), data=st.data())
def test_templates_compile_or_fail_at_an_offset(text: str, scope: str, data: st.DataObject) -> None:
    try:
        compiled = compile_template(text, scope)
    except ExprError as err:
        _assert_offset(err, text)
        event("template refused")
        return
    event("template compiled")
    for _ in range(3):
        rendered = compiled(*data.draw(scope_arguments(scope)))
        assert isinstance(rendered, str)


# -- 4. clause files and their analysis --------------------------------------------------------

_CONTRACT_WORDS = [
    "1.", "2.1", "7.2)", "(a)", "(iv)", "**3.1**", "Section 4", "## 5 Delivery", "# Terms",
    "Provider shall provide", "will deliver", "commits to", "is not obligated to",
    "if and when generally available", "single sign-on", "SSO", "audit logs", "EU data residency",
    "by 31 March 2027", "March 31, 2027", "31/03/2027", "2027-03-31", "Q2 2027",
    "second quarter of 2027", "end of 2027", "within 90 days of the Effective Date",
    "99.95% uptime", "ninety-nine point nine percent", ":", ";", ".", "\n", "\n\n", "\r\n", "\t",
    "---", "|", "\x0c", "\x1b[2J", "\ufeff", "é", "  ",
]  # fmt: skip
contract_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(_CONTRACT_WORDS), st.text(max_size=8)), max_size=40).map(
        " ".join
    ),
    st.text(),
)


def _docx_base() -> dict[str, bytes]:
    with zipfile.ZipFile(REPO / "examples/deals/contracts/fjordline-msa.docx") as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


DOCX_PARTS = _docx_base()


@st.composite
def docx_bytes(draw: st.DrawFn) -> bytes:
    """A Word archive with a part replaced, dropped or corrupted, or any bytes at all."""
    how = draw(st.sampled_from(["paragraphs", "paragraphs", "flip", "xml", "drop", "bytes"]))
    if how == "bytes":
        return draw(st.binary(max_size=600))
    parts = dict(DOCX_PARTS)
    if how == "drop":
        del parts[draw(st.sampled_from(sorted(parts)))]
    elif how == "xml":
        name = draw(st.sampled_from(sorted(parts)))
        parts[name] = draw(
            st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode))
        )
    elif how == "paragraphs":
        document = parts["word/document.xml"].decode()
        texts = draw(st.lists(contract_text, min_size=1, max_size=4))
        cleaned = [re.sub(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd]", "", t) for t in texts]
        body = "".join(
            f'<w:p><w:r><w:t xml:space="preserve">{_xml_escape(t)}</w:t></w:r></w:p>'
            for t in cleaned
        )
        start, end = document.index("<w:body>") + len("<w:body>"), document.index("<w:sectPr")
        parts["word/document.xml"] = (document[:start] + body + document[end:]).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


text_file_bytes = st.one_of(
    st.binary(max_size=800),
    contract_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    contract_text.map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "replace")),
    contract_text.map(lambda t: t.encode("utf-16")),
    contract_text.map(lambda t: t.encode("latin-1", "replace")),
)


@pytest.fixture(scope="module")
def matcher(engine: Engine) -> Any:
    return feature_matcher(engine.catalog)


def _assert_analysis(clause: Clause, matcher: Any, start: date, date_format: str) -> None:
    analysis = analyse_clause(clause, matcher, start, date_format)  # type: ignore[arg-type]
    assert len(analysis.decisions) == len(analysis.mentions)
    text = clause.text
    for mention in analysis.mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
    for commitment in analysis.commitments:
        assert 0 <= commitment.span[0] <= commitment.span[1] <= len(text)
        assert isinstance(commitment.due, date)
    for uptime in analysis.uptimes:
        assert 0 <= uptime.span[0] <= uptime.span[1] <= len(text)
        assert isinstance(uptime.value, Decimal)


@PROFILE
@given(
    suffix=st.sampled_from([".txt", ".md", ".txt", ".md", ".docx", ".docx", ".docx", ".doc", ""]),
    data=st.data(),
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 1, 1)),
    date_format=st.sampled_from(["dmy", "mdy"]),
)
def test_clause_files_read_or_fail_located(
    suffix: str,
    data: st.DataObject,
    start: date,
    date_format: str,
    matcher: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    raw = data.draw(docx_bytes() if suffix == ".docx" else text_file_bytes)
    path = tmp_path_factory.mktemp("clauses") / f"contract{suffix}"
    path.write_bytes(raw)
    try:
        clauses = read_clause_file(path, "contract")
    except InputError as err:
        assert err.location.file == "contract"
        assert err.message
        event(f"{suffix or 'no suffix'} refused")
        return
    event(f"{suffix} read, {'some' if clauses else 'no'} clauses")
    for clause in clauses:
        assert clause.location.file == "contract"
        assert clause.location.line >= 1
        assert clause.id and clause.text.strip()
        _assert_analysis(clause, matcher, start, date_format)


@PROFILE
@given(
    text=contract_text,
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    date_format=st.sampled_from(["dmy", "mdy"]),
)
def test_analyse_any_clause_text(text: str, start: date, date_format: str, matcher: Any) -> None:
    assume(text.strip())
    _assert_analysis(Clause("1", text, Location("c.txt", 1, 1)), matcher, start, date_format)


# -- 5. the command line -----------------------------------------------------------------------

EXAMPLE_DEALS = sorted((REPO / "examples" / "deals").glob("*.yaml"))
FORMATS = ["text", "json", "sarif", "junit", "github", "markdown", "html"]


@st.composite
def deal_bytes(draw: st.DrawFn) -> bytes:
    """Any bytes; an example deal with a few bytes changed; or a mutated deal (mostly still
    valid, with extreme values) written as YAML or as one line of JSON."""
    how = draw(st.sampled_from(["bytes", "edit", "yaml", "yaml", "yaml", "json"]))
    if how == "bytes":
        return draw(st.binary(max_size=1500))
    if how == "edit":
        raw = bytearray(draw(st.sampled_from(EXAMPLE_DEALS)).read_bytes())
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(raw)))
            piece = draw(st.one_of(st.binary(max_size=4), st.sampled_from(
                [b"\n", b": ", b"- ", b"&a ", b"*a", b"\t", b"'", b'"', b"{", b"[", b"#", b"\xff"]
            )))  # fmt: skip
            raw[at : at + draw(st.integers(0, 4))] = piece
        return bytes(raw)
    _, data = draw(mutated(("Deal",)))
    if how == "json":
        return json.dumps(data, default=str).encode()
    return (_dump(data) or "").encode("utf-8", "surrogatepass")


@PROFILE
@given(
    raw=deal_bytes(),
    suffix=st.sampled_from([".yaml", ".yml", ".json", ".jsonl", "-"]),
    fmt=st.sampled_from(FORMATS),
)
def test_cli_check_any_deal_bytes(
    raw: bytes, suffix: str, fmt: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("deal")
    catalog = ["--catalog", str(REPO / "products"), "--catalog", str(REPO / "rules")]
    common = ["--today", TODAY, "--jobs", "1", "--format", fmt, *catalog]
    if suffix == "-":
        result = CliRunner().invoke(app, ["check", "-", *common], input=raw)
    else:
        path = folder / f"deal{suffix}"
        path.write_bytes(raw)
        result = CliRunner().invoke(app, ["check", str(path), *common])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1, 2, 3), result.output
    event(f"exit {result.exit_code}")
    assert "Traceback" not in result.stdout + result.stderr
    if result.stderr.startswith("dealcheck: error: no deals found"):
        assert result.exit_code == 2
        return
    # anything else on stderr says why the deal could not be read: exit 2, located lines
    assert bool(result.stderr) == (result.exit_code == 2), result.stderr
    for line in result.stderr.splitlines():
        assert ": error: " in line or line.startswith("... and "), line
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)
    elif fmt == "junit":
        ET.fromstring(result.stdout.split("\n", 1)[1])
