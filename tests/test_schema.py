"""JSON Schemas of every kind: valid draft 2020-12, and they agree with what dealcheck accepts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dealcheck.models import KINDS, parse_document
from dealcheck.schema import SCHEMA_DIALECT, schema_file_name, schemas
from dealcheck.yamlio import Document, load_file, load_jsonl_line, load_string

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "catalogs"
SHIPPED_DIRS = ("products", "rules", "examples")
SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema.Draft202012Validator]:
    return {kind: jsonschema.Draft202012Validator(s) for kind, s in schemas().items()}


def as_json(value: Any) -> Any:
    """Loaded YAML as a JSON-minded editor sees it: dates are ISO strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def schema_errors(validators: dict[str, Any], doc: Document) -> list[str]:
    kind = doc.kind
    if kind not in validators:
        return [f"{doc.file}: document {doc.index} has no known kind ({kind!r})"]
    return [
        f"{doc.file}: document {doc.index} at /{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validators[kind].iter_errors(as_json(doc.data))
    ]


def documents(file: Path) -> list[Document]:
    if file.suffix == ".jsonl":
        lines = file.read_text(encoding="utf-8").splitlines()
        return [
            load_jsonl_line(line, str(file), n) for n, line in enumerate(lines, 1) if line.strip()
        ]
    return load_file(file)


# -- the schemas themselves -------------------------------------------------------------------


def test_there_is_a_valid_schema_for_every_kind() -> None:
    all_schemas = schemas()
    assert set(all_schemas) == set(KINDS)
    for kind, schema in all_schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == SCHEMA_DIALECT
        assert schema["$id"].endswith("/" + schema_file_name(kind))
        assert schema["properties"]["kind"]["const"] == kind
        assert "kind" in schema["required"]
        assert schema["additionalProperties"] is False
        assert {"labels", "notes"} <= set(schema["properties"])


# -- schemas agree with the models ------------------------------------------------------------


def test_fixture_documents_match_their_schemas(validators: dict[str, Any]) -> None:
    files = sorted(f for f in FIXTURES.rglob("*") if f.suffix in SUFFIXES)
    docs = [doc for file in files for doc in documents(file)]
    assert {d.kind for d in docs} == set(KINDS)  # the fixtures exercise every kind
    for doc in docs:
        assert parse_document(doc)[1] == []
        assert schema_errors(validators, doc) == []


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("kind: Regions\ngroups: {EU: [DE]}\nextra: 1\n", "unknown top-level key"),
        ("kind: Product\nid: p\nname: P\ncurrency: usd\n", "lower-case currency"),
        ("kind: Product\nid: p\nname: P\n", "missing currency"),
        (
            "kind: Product\nid: p\nname: P\ncurrency: USD\n"
            "features: [{id: f, name: F, status: planned, target: 2027-Q5}]\n",
            "bad quarter",
        ),
        (
            "kind: Product\nid: p\nname: P\ncurrency: USD\n"
            "features: [{id: f, name: F, status: gone}]\n",
            "unknown status",
        ),
        (
            "kind: Deal\nid: d\ncustomer: {name: A, country: NO}\ncurrency: NOK\n"
            "start_date: 2027-01-01\nterm_months: 12\nlines: [{sku: X, quantity: 1, unit_prise: 1}]\n",
            "unknown nested key",
        ),
        (
            "kind: FxRates\nbase: USD\nas_of: 2026-11-01\nrates: {EUR: 0.9}\nlabels: {a: 1}\n",
            "label not text",
        ),
    ],
)
def test_what_the_models_refuse_the_schemas_refuse(
    validators: dict[str, Any], text: str, what: str
) -> None:
    [doc] = load_string(text, "doc.yaml")
    model, problems = parse_document(doc)
    assert model is None and problems, what
    assert schema_errors(validators, doc), what


def test_quarters_and_exact_numbers_are_accepted_by_the_schema(validators: dict[str, Any]) -> None:
    [doc] = load_string(
        "kind: Product\nid: p\nname: P\ncurrency: USD\n"
        "features:\n  - {id: f, name: F, status: planned, target: Q4 2027}\n"
        "editions: [{id: e, name: E, features: [f]}]\n"
        "skus:\n  - {sku: S, name: S, edition: e, list_price: 1e3, unit_cost: 1_000, min_margin: 0.6}\n",
        "doc.yaml",
    )
    assert parse_document(doc)[1] == []
    assert schema_errors(validators, doc) == []


# -- every shipped document ---------------------------------------------------------------------


@pytest.mark.parametrize("directory", SHIPPED_DIRS)
def test_every_shipped_document_matches_its_schema(
    validators: dict[str, Any], directory: str
) -> None:
    """Every YAML/JSON file under products/, rules/ and examples/ — except examples/ci/,
    which holds CI workflow files for other tools, not dealcheck documents.

    The directories may still be empty while the sample catalog is being written; when
    they hold files, each must contribute at least one document and each document must
    match the schema of its kind.
    """
    root = REPO / directory
    files = sorted(
        f
        for f in root.rglob("*")
        if f.is_file() and f.suffix in SUFFIXES and "ci" not in f.relative_to(root).parts
    )
    checked: dict[Path, int] = {}
    failures: list[str] = []
    for file in files:
        docs = documents(file)
        checked[file] = len(docs)
        for doc in docs:
            failures.extend(schema_errors(validators, doc))
    assert failures == []
    assert sorted(checked) == files  # really iterated every file found
    assert [f for f, n in checked.items() if n == 0] == []  # no empty files shipped


def test_the_shipped_check_catches_a_bad_document(
    validators: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guard against a vacuous pass: a shipped file with an unknown key must fail the check."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "policy.yaml").write_text(
        "kind: RuleSet\nid: r\nrulez: []\n", encoding="utf-8"
    )
    monkeypatch.setitem(globals(), "REPO", tmp_path)
    with pytest.raises(AssertionError, match="rulez"):
        test_every_shipped_document_matches_its_schema(validators, "rules")
