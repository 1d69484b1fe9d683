"""docs/formats.md documents every key users can write or read.

Walks the JSON Schema of every document kind (``dealcheck schema``), recursively through
nested objects, and checks that each key has a table row in the section of its kind —
top-level keys before the kind's first sub-heading, keys of a nested object under a
sub-heading naming the key that holds it (``### `skus[]` ``). The same for the JSON
report, the built-in checks, the configuration keys and the rule language's fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dealcheck.checks import REGISTRY
from dealcheck.config import CONFIG_KEYS
from dealcheck.errors import Location, Problem
from dealcheck.expr import _ARITY, MODEL, SCOPES
from dealcheck.findings import DealResult, Finding
from dealcheck.models import KINDS, parse_document
from dealcheck.pricing import price_line
from dealcheck.report.json_report import to_dict
from dealcheck.report.results import CheckReport
from dealcheck.schema import schemas
from dealcheck.yamlio import load_string

DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "formats.md"

# A nested model that is the body of another kind is documented in that kind's section
# (a RuleSet test's `deal:` is a Deal body).
DOCUMENTED_AS_KIND = {"DealBody": "Deal"}
# JSON report values whose keys are free-form or another format's (the deal's approvals).
FREE_FORM_REPORT_KEYS = {"evidence", "approvals_recorded"}


# -- reading the document ----------------------------------------------------------------


def sections(text: str, level: int) -> dict[str, str]:
    """Heading text -> body (up to the next heading of the same or a higher level)."""
    out: dict[str, str] = {}
    heading: str | None = None
    body: list[str] = []
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        match = None if in_code else re.match(r"(#+) (.*)", line)
        if match and len(match.group(1)) <= level:
            if heading is not None:
                out[heading] = "\n".join(body)
            heading = match.group(2).strip() if len(match.group(1)) == level else None
            body = []
        elif heading is not None:
            body.append(line)
    if heading is not None:
        out[heading] = "\n".join(body)
    return out


def preamble(section: str) -> str:
    """A section's text before its first sub-heading."""
    lines = []
    in_code = False
    for line in section.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def row_keys(text: str) -> set[str]:
    """The keys of table rows: the backticked name in each row's first cell."""
    return set(re.findall(r"^\| `([^`]+)` \|", text, re.M))


def subsection_for(section: str, key: str) -> str | None:
    """The sub-section (any level) whose heading names ``key``: `key`, `key[]`, `key.X`."""
    pattern = re.compile(r"`" + re.escape(key) + r"(?:\[\]|\.[A-Za-z_]+)?`")
    for level in (3, 4):
        for heading, body in sections(section, level).items():
            if pattern.search(heading):
                return preamble(body)
    return None


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def top(doc: str) -> dict[str, str]:
    return sections(doc, 2)


def kind_section(top: dict[str, str], kind: str) -> str:
    section = top.get(f"`{kind}`")
    assert section is not None, f"docs/formats.md has no section '## `{kind}`'"
    return section


# -- document kinds -----------------------------------------------------------------------


def _refs(prop: dict[str, Any]) -> Iterator[str]:
    """The $defs a property's value can be (directly, as list items, as mapping values)."""
    for node in (prop, prop.get("items") or {}, prop.get("additionalProperties") or {}):
        if not isinstance(node, dict):
            continue
        for option in [node, *node.get("anyOf", ()), *node.get("oneOf", ())]:
            ref = option.get("$ref") if isinstance(option, dict) else None
            if ref:
                yield ref.rsplit("/", 1)[-1]
            items = option.get("items") if isinstance(option, dict) else None
            if isinstance(items, dict) and "$ref" in items:
                yield items["$ref"].rsplit("/", 1)[-1]


def model_keys(kind: str) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """A kind's top-level keys, and (holding key, def name, keys) for each nested object."""
    schema = schemas()[kind]
    defs = schema.get("$defs", {})
    nested: list[tuple[str, str, list[str]]] = []
    seen: set[tuple[str, str]] = set()
    pending = [(key, prop) for key, prop in schema["properties"].items()]
    while pending:
        key, prop = pending.pop()
        for name in _refs(prop):
            if (key, name) in seen:
                continue
            seen.add((key, name))
            target = defs[name]
            nested.append((key, name, list(target.get("properties", {}))))
            if name not in DOCUMENTED_AS_KIND:
                pending.extend(target.get("properties", {}).items())
    return list(schema["properties"]), nested


def test_every_kind_is_walked() -> None:
    assert set(schemas()) == set(KINDS) == {"Regions", "FxRates", "Product", "RuleSet", "Deal"}
    # the walk reaches nested models: a broken walk must not pass vacuously
    _, nested = model_keys("Product")
    assert {name for _, name, _ in nested} >= {"Feature", "Edition", "Sku", "Restriction", "Sla"}
    _, nested = model_keys("RuleSet")
    assert {name for _, name, _ in nested} >= {"Rule", "BuiltinOverride", "RuleTest", "DealBody"}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_top_level_keys_have_rows(top: dict[str, str], kind: str) -> None:
    keys, _ = model_keys(kind)
    documented = row_keys(preamble(kind_section(top, kind)))
    missing = [k for k in keys if k not in documented]
    assert not missing, f"## `{kind}`: no table row for {missing}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_nested_keys_have_rows_under_their_heading(top: dict[str, str], kind: str) -> None:
    section = kind_section(top, kind)
    problems = []
    for key, name, keys in model_keys(kind)[1]:
        if name in DOCUMENTED_AS_KIND:
            body_kind = DOCUMENTED_AS_KIND[name]
            kind_keys = set(model_keys(body_kind)[0])
            assert set(keys) <= kind_keys, f"{name} has keys the {body_kind} section lacks"
            assert f"[`{body_kind}`](#{body_kind.lower()})" in section
            continue
        body = subsection_for(section, key)
        if body is None:
            problems.append(f"no heading naming `{key}` ({name})")
            continue
        missing = [k for k in keys if k not in row_keys(body)]
        if missing:
            problems.append(f"`{key}` ({name}): no table row for {missing}")
    assert not problems, f"## `{kind}`: " + "; ".join(problems)


def test_examples_of_document_kinds_are_valid(doc: str) -> None:
    """Every YAML example with a `kind:` is a valid document of that kind."""
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    examples = [b for b in blocks if re.match(r"kind: ", b)]
    assert {b.split("\n", 1)[0].removeprefix("kind: ") for b in examples} == set(KINDS)
    for text in examples:
        for document in load_string(text, "docs/formats.md"):
            model, problems = parse_document(document)
            assert model is not None, [str(p.location) + " " + p.message for p in problems]


# -- checks, configuration, rule language ----------------------------------------------------


def test_every_builtin_check_has_a_row(top: dict[str, str]) -> None:
    documented = row_keys(top["Built-in checks"])
    missing = sorted(set(REGISTRY) - documented)
    assert not missing, f"## Built-in checks: no row for {missing}"
    unknown = sorted(documented - set(REGISTRY))
    assert not unknown, f"## Built-in checks: rows for checks that do not exist: {unknown}"


def test_every_config_key_has_a_row(top: dict[str, str]) -> None:
    documented = row_keys(top["Configuration files"])
    assert set(CONFIG_KEYS) <= documented, set(CONFIG_KEYS) - documented


def test_expression_language_names_fields_and_functions(top: dict[str, str]) -> None:
    section = top["The expression language"]
    fields = {f"{obj}.{field}" for obj, fields in MODEL.items() for field in fields}
    missing = sorted(fields - row_keys(section))
    assert not missing, f"## The expression language: no row for {missing}"
    scope_rows = row_keys(sections(section, 3)["Scopes and names"])
    assert set(SCOPES) <= scope_rows
    for scope, names in SCOPES.items():
        row = re.search(rf"^\| `{scope}` \|(.*)$", section, re.M)
        assert row is not None
        assert all(f"`{name}`" in row.group(1) for name in names), scope
    for function in _ARITY:
        assert f"`{function}(" in section, f"function {function} is not documented"


# -- the JSON report ---------------------------------------------------------------------------


def sample_report() -> dict[str, Any]:
    """A report holding one checked deal (a finding, a line) and one unreadable deal."""
    here = Location("deal.yaml", 3, 5)
    finding = Finding("sku-unknown", "data", "blocker", "m", here, "s", "0123abcd")
    line = price_line(
        index=1,
        sku="X",
        quantity=Decimal(1),
        unit_price=Decimal(10),
        discount=None,
        term_months=12,
        free_months=0,
        partner_margin=Decimal(0),
        deal_rate=None,
        product_rate=None,
        catalog_sku=None,
    )
    good = DealResult("Q-1", "deal.yaml", here, [finding], [line], "USD", Decimal(1))
    bad = DealResult.failed("broken.yaml", Problem(here, "unknown key"))
    return to_dict(CheckReport(date(2026, 11, 22), "sha256:00", ["products"], [good, bad]))


def report_objects(value: Any, key: str = "") -> Iterator[tuple[str, set[str]]]:
    """(holding key, keys) of every JSON object in the report; "" is the top level."""
    if isinstance(value, dict):
        yield key, set(value)
        for k, v in value.items():
            if k not in FREE_FORM_REPORT_KEYS:
                yield from report_objects(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from report_objects(item, key)


def test_every_json_report_key_has_a_row(top: dict[str, str]) -> None:
    section = top["The JSON report"]
    assert "`schema_version` 1" in section
    objects: dict[str, set[str]] = {}
    for key, keys in report_objects(sample_report()):
        objects.setdefault(key, set()).update(keys)
    assert {"", "catalog", "deals", "totals", "findings", "location", "lines", "errors"} <= set(
        objects
    ), "the sample report no longer reaches every object"
    problems = []
    for key, keys in sorted(objects.items()):
        body = preamble(section) if key == "" else subsection_for(section, key)
        if body is None:
            problems.append(f"no heading naming `{key}`")
            continue
        missing = sorted(keys - row_keys(body))
        if missing:
            problems.append(f"`{key or 'top level'}`: no row for {missing}")
    assert not problems, "## The JSON report: " + "; ".join(problems)


# -- the checker itself ----------------------------------------------------------------------


def test_a_removed_row_is_noticed(doc: str) -> None:
    """Sanity of the helpers: dropping one key's row makes its section incomplete."""
    top = sections(doc, 2)
    section = kind_section(top, "Product")
    body = subsection_for(section, "skus")
    assert body is not None and "floor_price" in row_keys(body)
    cut = re.sub(r"^\| `floor_price` \|.*\n", "", section, flags=re.M)
    assert "floor_price" not in row_keys(subsection_for(cut, "skus") or "")
