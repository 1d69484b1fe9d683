"""The README's "Security and limits" table says what the code enforces: every row's
numbers are the code's constants (change one without the other and this fails)."""

from __future__ import annotations

import re
from pathlib import Path

from dealcheck import quotes, yamlio
from dealcheck.clauses import budget, pdffile, reader
from dealcheck.clauses.word import document, package, revisions, tables
from dealcheck.expr import names
from dealcheck.models import fields

README = Path(__file__).resolve().parents[2] / "README.md"
MIB = 1024 * 1024


def _n(value: int) -> str:
    return f"{value:,}"


def _mib(value: int) -> str:
    assert value % MIB == 0
    return f"{value // MIB} MiB"


# README row (its first cell, up to the first parenthesis) -> what the row must say
EXPECTED: dict[str, list[str]] = {
    "Any file read": [_mib(yamlio.MAX_FILE_BYTES), _mib(reader.MAX_FILE_BYTES)],
    "YAML file": [
        f"{_n(yamlio.MAX_DOCUMENTS)} documents",
        f"{_n(yamlio.MAX_NODES)} values",
        f"nesting {yamlio.MAX_DEPTH} deep",
        f"{_n(yamlio.MAX_ALIAS_NODES)} nodes of alias expansion",
    ],
    "Number": [f"{yamlio.MAX_NUMBER_DIGITS} digits", f"exponent ±{yamlio.MAX_EXPONENT}"],
    "Deal": [f"{_n(quotes.MAX_QUOTE_LINES)} lines"],
    "CSV quote file": [
        f"{_n(quotes.MAX_CSV_ROWS)} rows",
        f"{quotes.MAX_CELL_CHARS} characters per number or SKU cell",
        f"first {quotes.SNIFF_CHARS // 1024} KiB",
    ],
    "Rule expression": [
        f"{_n(names.MAX_TEXT_CHARS)} characters",
        f"pattern {names.MAX_REGEX_CHARS}",
    ],
    "Feature name or alias": [
        f"{fields.MAX_TERM_CHARS} characters",
        f"{fields.MAX_TERM_WORDS} words",
        f"{fields.MAX_ALIASES} aliases per feature",
    ],
    "Contract": [
        f"{_n(budget.MAX_CLAUSES)} clauses",
        f"{_n(budget.MAX_CLAUSE_CHARS)} characters per clause",
        f"{_n(budget.MAX_CONTRACT_CHARS)} characters",
        f"{_n(budget.MAX_CLAUSE_MARKS)} sentence and clause marks",
    ],
    ".txt/.md contract": [f"{_n(budget.MAX_TEXT_LINES)} lines"],
    ".docx contract": [
        f"`document.xml` {_mib(package.MAX_DOCUMENT_BYTES)}",
        f"styles and numbering {_mib(package.MAX_DEFINITIONS_BYTES)} each",
        f"declaring over {_mib(package.MAX_UNPACKED_BYTES)}",
        f"{_n(document.MAX_PARAGRAPHS)} paragraphs",
        f"tables {tables.MAX_TABLE_NESTING} deep",
        f"runs {revisions.MAX_RUN_NESTING} deep",
    ],
    ".pdf contract": [
        f"{_n(pdffile.MAX_PAGES)} pages",
        f"{_n(pdffile.MAX_CHARS)} characters of text",
        f"{pdffile.MAX_STREAM_BYTES // 1_000_000} MB per decompressed stream",
    ],
    "Error messages": [f"at most {yamlio.MAX_QUOTED_CHARS} characters"],
}


def _limits_table() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Security and limits", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("Input", "") or set(cells[0]) <= {"-"}:
            continue
        rows[re.sub(r"\s*\(.*", "", cells[0])] = cells[1]
    return rows


def test_every_row_of_the_limits_table_is_checked() -> None:
    assert set(_limits_table()) == set(EXPECTED)


def test_the_limits_table_states_the_codes_limits() -> None:
    table = _limits_table()
    wrong = [
        f"{row}: README does not say {phrase!r} (it says: {table[row]})"
        for row, phrases in EXPECTED.items()
        for phrase in phrases
        if phrase not in table[row]
    ]
    assert not wrong, "\n".join(wrong)
