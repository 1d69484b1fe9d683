"""Hostile or broken Word files: one clear, located ``InputError`` each, never a traceback."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from dealcheck.clauses import read_clause_file
from dealcheck.clauses.word import package
from dealcheck.errors import InputError, Location
from tests.clauses.wordkit import FIXTURES, kit, read_docx

p = kit.para


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_clause_file(path, "x.docx")
    return caught.value


def test_paragraph_cap(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    path.write_bytes(kit.docx_bytes("<w:p/>" * 100_001))
    started = time.perf_counter()
    error = _error(path)
    assert time.perf_counter() - started < 20
    assert error.location == Location("x.docx")
    assert error.message == "the document has more than 100,000 paragraphs; refusing to read it"


def test_document_part_inflating_past_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap is measured on the bytes inflated, not on the size the archive declares."""
    monkeypatch.setattr(package, "MAX_DOCUMENT_BYTES", 2048)
    path = tmp_path / "big.docx"
    path.write_bytes(kit.docx_bytes(p("Provider shall provide SSO. " * 200)))
    error = _error(path)
    assert (
        error.message == "word/document.xml inside the .docx file inflates to more than 2048 bytes"
    )


def test_definitions_part_inflating_past_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package, "MAX_DEFINITIONS_BYTES", 100)
    assert "word/styles.xml inside the .docx file inflates to more than 100 bytes" in (
        _error(FIXTURES / "word-numbered.docx").message
    )


def test_part_longer_than_declared_is_refused(tmp_path: Path) -> None:
    """A central directory that understates a part's size: the read stops and fails the CRC."""
    buffer = io.BytesIO(kit.docx_bytes(p("Provider shall provide SSO. " * 50)))
    raw = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        info = archive.getinfo("word/document.xml")
    at = raw.index(b"PK\x01\x02" + raw[raw.index(b"PK\x01\x02") + 4 : raw.index(b"PK\x01\x02") + 4])
    while True:  # the central directory entry of word/document.xml
        name_length = int.from_bytes(raw[at + 28 : at + 30], "little")
        if raw[at + 46 : at + 46 + name_length] == b"word/document.xml":
            break
        at = raw.index(b"PK\x01\x02", at + 4)
    raw[at + 24 : at + 28] = (info.file_size // 2).to_bytes(4, "little")
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(raw))
    assert _error(path).message.startswith("not a valid .docx file")


def test_tables_nested_too_deep(tmp_path: Path) -> None:
    inner = p("Deep.")
    for _ in range(20):
        inner = kit.table(1, kit.row(kit.cell([inner])))
    with pytest.raises(InputError) as caught:
        read_docx(tmp_path, p("1. Before.") + inner)
    assert caught.value.location == Location("c.docx", 2)
    assert caught.value.message == "tables nested more than 16 deep; refusing to read the document"


def test_text_nested_too_deep(tmp_path: Path) -> None:
    runs = kit.run("Deep.")
    for _ in range(40):
        runs = f"<w:hyperlink>{runs}</w:hyperlink>"
    with pytest.raises(InputError) as caught:
        read_docx(tmp_path, p([runs]))
    assert "nested more than 32 levels deep" in caught.value.message


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<not-closed", "not a valid .docx file (word/document.xml: "),
        (b'<?xml version="1.0"?><root/>', "word/document.xml has no document body"),
    ],
)
def test_broken_document_part(tmp_path: Path, document: bytes, message: str) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", document)
    assert message in _error(path).message


def test_broken_numbering_part(tmp_path: Path) -> None:
    path = tmp_path / "n.docx"
    path.write_bytes(kit.docx_bytes(p("1. Text."), numbering="<w:numbering"))
    assert _error(path).message.startswith("not a valid .docx file (word/numbering.xml: ")


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<w:document xmlns:w="{kit.W_NS}"><w:body>'
        "<w:p><w:r><w:t>1. Provider shall provide &x; SSO.</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", document)
    (clause,) = read_clause_file(path)
    assert "TOP-SECRET" not in clause.text and clause.text.startswith("Provider shall provide")


def test_numbering_that_loops_or_points_nowhere(tmp_path: Path) -> None:
    numbering = (
        f'<w:numbering xmlns:w="{kit.W_NS}">'
        '<w:abstractNum w:abstractNumId="0"><w:numStyleLink w:val="Loop"/></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num></w:numbering>'
    )
    styles = kit.styles_xml().replace(
        "</w:styles>",
        '<w:style w:type="numbering" w:styleId="Loop"><w:pPr><w:numPr><w:numId w:val="1"/>'
        '</w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="A">'
        '<w:basedOn w:val="B"/></w:style><w:style w:type="paragraph" w:styleId="B">'
        '<w:basedOn w:val="A"/></w:style></w:styles>',
    )
    body = p("Looping list.", num=(1, 0)) + p("Missing list.", num=(2, 12)) + p("Cycle.", "A")
    clauses = read_docx(tmp_path, body, numbering=numbering, styles=styles)
    assert [c.text for c in clauses] == ["Looping list.", "Missing list.", "Cycle."]


def test_a_corrupted_deflate_stream_is_a_located_error(tmp_path: Path) -> None:
    """Flipped bytes inside word/document.xml's compressed data make zlib fail mid-read
    ("invalid distance too far back"): one located error, never a traceback."""
    original = (FIXTURES / "word-numbered.docx").read_bytes()
    info = zipfile.ZipFile(io.BytesIO(original)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    outcomes: set[str] = set()
    for offset in range(start + 5, start + info.compress_size - 5, 11):
        damaged = bytearray(original)
        damaged[offset] ^= 0xFF
        path = tmp_path / "damaged.docx"
        path.write_bytes(bytes(damaged))
        try:
            read_clause_file(path)
        except InputError as err:
            assert err.location.file.endswith("damaged.docx")
            outcomes.add(err.message.split(" (")[0])
    assert outcomes == {"not a valid .docx file"}
