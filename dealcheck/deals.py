"""Deal inputs: files, directories, JSON Lines and stdin, streamed one deal at a time.

Inputs are planned as small *work units* (a YAML file, a chunk of JSON Lines, the text
read from stdin) that can be loaded in this process or in a worker process; either way
deals come out in input order. A deal that cannot be read or validated becomes a
:class:`DealInput` with ``error`` set, so one broken deal never stops the others.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dealcheck.catalog import display_path, iter_yaml_files
from dealcheck.catalog.files import RefusedPath, walk_guard
from dealcheck.contract import ContractOptions
from dealcheck.errors import InputError, Location, Problem
from dealcheck.fdio import read_at_most
from dealcheck.jsonfast import decode_line
from dealcheck.models import CATALOG_KINDS, DealBody, parse_document
from dealcheck.yamlio import (
    MAX_FILE_BYTES,
    MAX_QUOTE_LINES,
    SYMLINK_REFUSED,
    Document,
    SourceMap,
    decode_text,
    decode_utf8,
    load_file,
    load_jsonl_line,
    load_string,
)

JSONL_CHUNK = 256  # deals per work unit: large enough to amortise a process hop
JSONL_CHUNK_BYTES = 4 * 1024 * 1024  # and at most about this much text per unit (plus one line)


@dataclass
class DealInput:
    """One deal to check (``deal`` and its ``source``), or the problem that stopped it."""

    file: str
    source: SourceMap
    deal: DealBody | None = None
    error: Problem | None = None
    problems: tuple[Problem, ...] = ()
    base_dir: Path | None = None  # for files a deal names (clauses_file, lines_file)


@dataclass(frozen=True)
class FileUnit:
    """A YAML/JSON file of deals; ``in_directory``: found by walking a directory."""

    path: Path
    in_directory: bool


@dataclass(frozen=True)
class JsonlUnit:
    """A chunk of a JSON Lines file: ``(line number, raw bytes)`` per non-blank line."""

    name: str
    base_dir: Path
    lines: tuple[tuple[int, bytes], ...]


@dataclass(frozen=True)
class TextUnit:
    """YAML text read from stdin (or an error reading it)."""

    name: str
    text: str | None
    error: Problem | None = None


@dataclass(frozen=True)
class MissingUnit:
    name: str


WorkUnit = FileUnit | JsonlUnit | TextUnit | MissingUnit


def iter_deals(
    targets: Iterable[str], options: ContractOptions | None = None
) -> Iterator[DealInput]:
    """Every deal of the given files, directories, ``.jsonl`` files and ``-`` (stdin)."""
    for unit in plan_units(targets):
        yield from load_unit(unit, options)


def plan_units(targets: Iterable[str]) -> Iterator[WorkUnit]:
    """Split the targets into work units, cheaply and lazily (JSON Lines are read here,
    parsed by :func:`load_unit`)."""
    for target in targets:
        if target == "-":
            yield _stdin_unit()
            continue
        path = Path(target)
        try:
            is_dir, found = path.is_dir(), path.exists()
        except (OSError, ValueError) as exc:  # a name too long for the file system
            reason = getattr(exc, "strerror", None) or exc
            problem = Problem(Location(target), f"cannot read: {reason}", code="unreadable")
            yield TextUnit(target, None, problem)
            continue
        if is_dir:
            for file in _deal_files(path):
                yield from _file_units(file, in_directory=True)
        elif found:
            yield from _file_units(path, in_directory=False)
        else:
            yield MissingUnit(display_path(path))


def load_unit(unit: WorkUnit, options: ContractOptions | None = None) -> Iterator[DealInput]:
    """The deals of one work unit, in order."""
    options = options or ContractOptions()
    if isinstance(unit, FileUnit):
        yield from _from_file(unit.path, unit.in_directory, options)
    elif isinstance(unit, JsonlUnit):
        for lineno, raw in unit.lines:
            yield _from_jsonl_line(unit, lineno, raw, options)
    elif isinstance(unit, TextUnit):
        if unit.error is not None or unit.text is None:
            assert unit.error is not None
            yield _failed(unit.name, unit.error)
            return
        try:
            docs = load_string(unit.text, unit.name)
        except InputError as err:
            yield _failed(unit.name, Problem.from_input_error(err))
            return
        if not docs:
            yield _failed(unit.name, _no_deal(unit.name))
        for doc in docs:
            yield _to_input(doc, None, options)
    else:
        yield _failed(
            unit.name, Problem(Location(unit.name), "no such file or directory", code="unreadable")
        )


def _failed(name: str, problem: Problem) -> DealInput:
    return DealInput(name, SourceMap(name), error=problem, problems=(problem,))


def _no_deal(name: str) -> Problem:
    return Problem(Location(name), "no deal found: the input is empty", code="empty")


def _deal_files(root: Path) -> Iterator[Path]:
    files = list(iter_yaml_files(root))
    # iter_yaml_files covers .yaml/.yml/.json; JSON Lines files hold deals only
    guard = walk_guard(root)
    files.extend(
        guard(f)
        for f in root.rglob("*.jsonl")
        if not any(part.startswith(".") for part in f.relative_to(root).parts) and f.is_file()
    )
    yield from sorted(files, key=lambda f: f.relative_to(root).parts)


def _file_units(path: Path, in_directory: bool) -> Iterator[WorkUnit]:
    if path.suffix != ".jsonl":
        yield FileUnit(path, in_directory)
        return
    name = display_path(path)
    if isinstance(path, RefusedPath):
        yield TextUnit(name, None, Problem(Location(name), SYMLINK_REFUSED, code="unreadable"))
        return
    if not path.is_file():  # a pipe or a device (a symlink to /dev/stdin) could block for ever
        problem = Problem(
            Location(name), "is not a regular file (a pipe or a device)", code="unreadable"
        )
        yield TextUnit(name, None, problem)
        return
    try:
        fh = path.open("rb")
    except OSError as exc:
        problem = Problem(Location(name), f"cannot read: {exc.strerror or exc}", code="unreadable")
        yield TextUnit(name, None, problem)
        return
    chunk: list[tuple[int, bytes]] = []
    size = 0  # bytes held in chunk: 256 lines of up to 10 MiB each must not pile up in memory
    with fh:
        lineno = 0
        while True:
            raw = fh.readline(MAX_FILE_BYTES + 1)
            if not raw:
                break
            lineno += 1
            if len(raw) > MAX_FILE_BYTES:
                # skip the rest of an oversized line without holding it in memory
                while raw and not raw.endswith(b"\n"):
                    raw = fh.readline(MAX_FILE_BYTES + 1)
                chunk.append((lineno, b""))  # empty marks "too large"
            elif raw.strip():
                chunk.append((lineno, raw))
                size += len(raw)
            if len(chunk) >= JSONL_CHUNK or size >= JSONL_CHUNK_BYTES:
                yield JsonlUnit(name, path.parent, tuple(chunk))
                chunk, size = [], 0
    if chunk:
        yield JsonlUnit(name, path.parent, tuple(chunk))


def _stdin_unit() -> TextUnit:
    name = "<stdin>"
    if sys.stdin is None:  # started with stdin closed (<&-)
        return TextUnit(name, None, Problem(Location(name), "stdin is closed", code="unreadable"))
    try:
        raw = read_at_most(sys.stdin, MAX_FILE_BYTES + 1)
    except (OSError, ValueError, AttributeError) as exc:
        return TextUnit(
            name, None, Problem(Location(name), f"cannot read stdin: {exc}", code="unreadable")
        )
    if len(raw) > MAX_FILE_BYTES:
        return TextUnit(
            name,
            None,
            Problem(Location(name), "input is larger than the 10 MiB limit", code="unreadable"),
        )
    try:
        return TextUnit(name, decode_text(raw, name))
    except InputError as err:
        return TextUnit(name, None, Problem.from_input_error(err))


def _from_jsonl_line(
    unit: JsonlUnit, lineno: int, raw: bytes, options: ContractOptions
) -> DealInput:
    name = unit.name
    try:
        if not raw:
            raise InputError(Location(name, lineno), "line is larger than the 10 MiB limit")
        try:
            text = decode_utf8(raw, name)
        except InputError as err:  # decode_utf8 counts from the line's start
            raise InputError(Location(name, lineno, err.location.column), err.message) from None
        # without its line break, so an error at the end of the line keeps its column
        text = text.rstrip("\r\n")
        # the C scanner first; a line it does not take is read again by the positioned
        # loader, which accepts it as before or explains its error at file:line:column
        data = decode_line(text)
        if data is not None:
            source = SourceMap(name)
            source.values[()] = (lineno, 1)
            doc = Document(data, source, lineno - 1)
        else:
            doc = load_jsonl_line(text, name, lineno)
    except InputError as err:
        return _failed(name, Problem.from_input_error(err))
    return _to_input(doc, unit.base_dir, options)


def _from_file(path: Path, in_directory: bool, options: ContractOptions) -> Iterator[DealInput]:
    name = display_path(path)
    try:
        docs = load_file(path, name)
    except InputError as err:
        yield _failed(name, Problem.from_input_error(err))
        return
    if not docs and not in_directory:
        # a deal file named on the command line that holds nothing must not "pass"
        yield _failed(name, _no_deal(name))
    for doc in docs:
        if in_directory and _not_a_deal(doc):
            continue
        yield _to_input(doc, path.parent, options)


def _not_a_deal(doc: Document) -> bool:
    """In a directory, skip documents that are plainly something else (catalog kinds, or no
    ``kind`` at all, e.g. a CI workflow); a misspelt ``kind`` is still reported."""
    if not isinstance(doc.data, dict):
        return True
    kind = doc.data.get("kind")
    return kind is None or kind in CATALOG_KINDS


def _too_many_lines(doc: Document) -> Problem | None:
    """More than :data:`~dealcheck.yamlio.limits.MAX_QUOTE_LINES` lines, before any is
    validated."""
    lines = doc.data.get("lines") if isinstance(doc.data, dict) else None
    if not isinstance(lines, list) or len(lines) <= MAX_QUOTE_LINES:
        return None
    return Problem(
        doc.source.locate(("lines", MAX_QUOTE_LINES)),
        f"more than {MAX_QUOTE_LINES:,} lines: split the deal",
    )


def _to_input(doc: Document, base_dir: Path | None, options: ContractOptions) -> DealInput:
    too_many = _too_many_lines(doc)
    if too_many is not None:
        return DealInput(
            doc.file, doc.source, error=too_many, problems=(too_many,), base_dir=base_dir
        )
    if isinstance(doc.data, dict) and doc.data.get("lines_file") is not None:
        try:
            doc = _with_quote_lines(doc, base_dir, options)
        except InputError as err:
            problem = Problem.from_input_error(err, code="invalid")
            return DealInput(
                doc.file, doc.source, error=problem, problems=(problem,), base_dir=base_dir
            )
    model, problems = parse_document(doc, ("Deal",))
    if problems:
        return DealInput(
            doc.file, doc.source, error=problems[0], problems=tuple(problems), base_dir=base_dir
        )
    assert isinstance(model, DealBody)
    return DealInput(doc.file, doc.source, deal=model, base_dir=base_dir)


def _with_quote_lines(doc: Document, base_dir: Path | None, options: ContractOptions) -> Document:
    """The deal with its ``lines:`` read from ``lines_file`` (a CRM/CPQ CSV export); each
    line's location is the CSV cell it came from."""
    from dealcheck.contract import resolve_attachment
    from dealcheck.quotes import read_lines_csv

    data: dict[str, Any] = doc.data
    where = doc.source.locate(("lines_file",))
    name = data["lines_file"]
    if not isinstance(name, str):
        raise InputError(where, "lines_file: expected the path of a CSV file")
    if data.get("lines"):
        raise InputError(
            doc.source.locate_key(("lines",)),
            "a deal takes its lines from 'lines:' or from 'lines_file:', not both",
        )
    path = resolve_attachment(name, base_dir, where, options.allow_outside)
    currency = data.get("currency") if isinstance(data.get("currency"), str) else None
    quote = read_lines_csv(
        path, display_path(path), dict(options.columns) or None, currency=currency
    )
    source = SourceMap(
        doc.source.file, doc.source.values, doc.source.keys, dict(doc.source.elsewhere)
    )
    for i, location in quote.locations.items():
        source.elsewhere[("lines", i)] = location
    for (i, key), location in quote.cells.items():
        source.elsewhere[("lines", i, key)] = location
    return Document({**data, "lines": quote.lines}, source, doc.index)
