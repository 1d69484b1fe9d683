"""The parts of a .docx archive, read with bounds, and parsed as XML without any entity or network.

A .docx file is a zip archive. Its declared sizes are checked first (a "zip bomb" declares
gigabytes); then each part dealcheck reads (``word/document.xml``, ``word/styles.xml``,
``word/numbering.xml``) is inflated with a cap on the bytes actually produced, because a
crafted archive can declare a small size and inflate to much more.
"""

from __future__ import annotations

import importlib
import zipfile
import zlib
from pathlib import Path
from typing import Any

from dealcheck.errors import InputError, Location

#: Refuse archives that declare more than this unpacked (a "zip bomb" is a tiny file).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: The most ``word/document.xml`` may inflate to (measured while inflating).
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
#: The most ``word/styles.xml`` or ``word/numbering.xml`` may inflate to.
MAX_DEFINITIONS_BYTES = 20 * 1024 * 1024

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
NUMBERING = "word/numbering.xml"

#: The WordprocessingML namespace, in lxml's ``{uri}`` form.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: An lxml element; lxml ships no type information, so it is ``Any`` to mypy.
Element = Any


def _etree() -> Any:
    # lxml is imported on first use (and through importlib, as it has no type stubs)
    return importlib.import_module("lxml.etree")


def _mebibytes(limit: int) -> str:
    mebibyte = 1024 * 1024
    return f"{limit // mebibyte} MiB" if limit % mebibyte == 0 else f"{limit} bytes"


class WordPackage:
    """The XML parts of one .docx file: ``document`` and, when present, ``styles``, ``numbering``."""

    def __init__(self, document: Element, styles: Element | None, numbering: Element | None):
        self.document = document
        self.styles = styles
        self.numbering = numbering


def read_package(path: Path, where: Location) -> WordPackage:
    """Open, bound-check and parse the parts of a .docx file; any problem is an ``InputError``."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > MAX_UNPACKED_BYTES:
                raise InputError(
                    where, "the .docx file unpacks to more than 200 MiB; refusing to read it"
                )
            names = set(archive.namelist())
            if DOCUMENT not in names:
                raise InputError(where, "not a valid .docx file (no word/document.xml inside)")
            document = _read_part(archive, DOCUMENT, MAX_DOCUMENT_BYTES, where)
            styles = _read_part(archive, STYLES, MAX_DEFINITIONS_BYTES, where)
            numbering = _read_part(archive, NUMBERING, MAX_DEFINITIONS_BYTES, where)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        zlib.error,
    ) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if isinstance(exc, zipfile.BadZipFile) and "CRC" not in reason:
            reason = "it is not a Word document archive"
        raise InputError(where, f"not a valid .docx file ({reason})") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted or unknown compression
        raise InputError(where, f"not a valid .docx file ({str(exc)[:200]})") from None
    if document is None:  # pragma: no cover - checked above; for the type checker
        raise InputError(where, "not a valid .docx file (no word/document.xml inside)")
    root = _parse(document, DOCUMENT, where)
    if root.tag != f"{W}document" or root.find(f"{W}body") is None:
        raise InputError(where, "not a valid .docx file (word/document.xml has no document body)")
    return WordPackage(
        root,
        _parse(styles, STYLES, where) if styles is not None else None,
        _parse(numbering, NUMBERING, where) if numbering is not None else None,
    )


def _read_part(archive: zipfile.ZipFile, name: str, limit: int, where: Location) -> bytes | None:
    """The inflated bytes of ``name`` (``None`` if absent), refusing more than ``limit``."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    with archive.open(info) as stream:
        data = stream.read(limit + 1)  # inflates at most limit + 1 bytes, whatever is declared
    if len(data) > limit:
        raise InputError(
            where, f"{name} inside the .docx file inflates to more than {_mebibytes(limit)}"
        )
    return data


def _parse(data: bytes, name: str, where: Location) -> Element:
    etree = _etree()
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else "malformed XML"
        raise InputError(where, f"not a valid .docx file ({name}: {reason})") from None
    except ValueError as exc:
        raise InputError(where, f"not a valid .docx file ({name}: {str(exc)[:200]})") from None
