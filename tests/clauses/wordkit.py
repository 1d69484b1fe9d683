"""Helpers for the Word reader's tests: the fixture script's document builder, loaded by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from dealcheck.clauses import Clause, read_clause_file

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "contracts"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_word_fixtures", REPO / "scripts" / "make_word_fixtures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_word_fixtures", module)
    spec.loader.exec_module(module)
    return module


kit = _load()


def read_docx(tmp_path: Path, body: str, name: str = "c.docx", **parts: str) -> list[Clause]:
    """Write a .docx around ``body`` (see ``docx_bytes``) and read its clauses."""
    path = tmp_path / name
    path.write_bytes(kit.docx_bytes(body, **parts))
    return read_clause_file(path, name)


def table_of(clauses: list[Clause]) -> list[tuple[str, str]]:
    return [(clause.id, clause.text) for clause in clauses]
