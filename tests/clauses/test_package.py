"""The public API of dealcheck.clauses, and what importing it costs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import dealcheck.clauses as clauses


@pytest.mark.parametrize("name", clauses.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(clauses, name) is not None


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError):
        clauses.no_such_name  # noqa: B018


def test_reading_text_imports_neither_python_docx_nor_the_analyser(tmp_path: Path) -> None:
    contract = tmp_path / "c.txt"
    contract.write_text("7.2 Provider shall provide SSO.\n", encoding="utf-8")
    program = (
        "import sys; from pathlib import Path; import dealcheck.clauses as c; "
        f"c.read_clause_file(Path({str(contract)!r})); "
        "print('docx' in sys.modules, 'dealcheck.clauses.analysis' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
