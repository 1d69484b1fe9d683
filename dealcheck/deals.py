"""Deal inputs: files, directories, JSON Lines and stdin, streamed one deal at a time.

A deal that cannot be read or validated becomes a :class:`DealInput` with ``error`` set,
so one broken deal never stops the others from being checked.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dealcheck.catalog import display_path, iter_yaml_files
from dealcheck.errors import InputError, Location, Problem
from dealcheck.models import CATALOG_KINDS, DealBody, parse_document
from dealcheck.yamlio import Document, SourceMap, iter_jsonl, load_file, load_string

DEAL_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


@dataclass
class DealInput:
    """One deal to check (``deal`` and its ``source``), or the problem that stopped it."""

    file: str
    source: SourceMap
    deal: DealBody | None = None
    error: Problem | None = None
    problems: tuple[Problem, ...] = ()
    base_dir: Path | None = None  # for clauses_file: relative to the deal file


def iter_deals(targets: Iterable[str]) -> Iterator[DealInput]:
    """Every deal of the given files, directories, ``.jsonl`` files and ``-`` (stdin)."""
    for target in targets:
        if target == "-":
            yield from _from_stdin()
            continue
        path = Path(target)
        if path.is_dir():
            for file in _deal_files(path):
                yield from _from_file(file, in_directory=True)
        elif path.exists():
            yield from _from_file(path, in_directory=False)
        else:
            name = display_path(path)
            yield DealInput(name, SourceMap(name), error=Problem(Location(name), "no such file or directory", code="unreadable"))


def _deal_files(root: Path) -> Iterator[Path]:
    for file in iter_yaml_files(root):
        yield file
    # iter_yaml_files covers .yaml/.yml/.json; JSON Lines files are deals only
    for file in sorted(root.rglob("*.jsonl")):
        if not any(part.startswith(".") for part in file.relative_to(root).parts):
            yield file


def _from_stdin() -> Iterator[DealInput]:
    name = "<stdin>"
    try:
        text = sys.stdin.read()
        docs = load_string(text, name)
    except InputError as err:
        yield DealInput(name, SourceMap(name), error=Problem.from_input_error(err))
        return
    except (OSError, UnicodeDecodeError) as exc:
        yield DealInput(name, SourceMap(name), error=Problem(Location(name), f"cannot read stdin: {exc}", code="unreadable"))
        return
    for doc in docs:
        yield _to_input(doc, None, in_directory=False)


def _from_file(path: Path, in_directory: bool) -> Iterator[DealInput]:
    name = display_path(path)
    if path.suffix == ".jsonl":
        try:
            for item in iter_jsonl(path, name):
                if isinstance(item, InputError):
                    yield DealInput(name, SourceMap(name), error=Problem.from_input_error(item))
                else:
                    yield _to_input(item, path.parent, in_directory=False)
        except InputError as err:
            yield DealInput(name, SourceMap(name), error=Problem.from_input_error(err))
        return
    try:
        docs = load_file(path, name)
    except InputError as err:
        yield DealInput(name, SourceMap(name), error=Problem.from_input_error(err))
        return
    for doc in docs:
        if in_directory and _not_a_deal(doc):
            continue
        yield _to_input(doc, path.parent, in_directory)


def _not_a_deal(doc: Document) -> bool:
    """In a directory, skip documents that are plainly something else (catalog kinds, or no
    ``kind`` at all, e.g. a CI workflow); a misspelt ``kind`` is still reported."""
    if not isinstance(doc.data, dict):
        return True
    kind = doc.data.get("kind")
    return kind is None or kind in CATALOG_KINDS


def _to_input(doc: Document, base_dir: Path | None, in_directory: bool) -> DealInput:
    model, problems = parse_document(doc, ("Deal",))
    if problems:
        return DealInput(
            doc.file, doc.source, error=problems[0], problems=tuple(problems), base_dir=base_dir
        )
    assert isinstance(model, DealBody)
    return DealInput(doc.file, doc.source, deal=model, base_dir=base_dir)
