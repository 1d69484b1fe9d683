"""The catalog: discovery of its files, assembly into indexes, cross-references, fingerprint.

A catalog is every ``Product``, ``Regions``, ``FxRates`` and ``RuleSet`` document under
the catalog paths (SPEC §1). Loading never stops at the first problem: every file is
read and every problem is collected with its ``file:line:column``, so one bad file
never hides the others — nor one bad field the rest of its document: what still
validates of a document with errors is cross-checked too (see
:mod:`dealcheck.models.salvage`).

The package: :mod:`~dealcheck.catalog.files` finds the files,
:mod:`~dealcheck.catalog.model` is the assembled :class:`Catalog`,
:mod:`~dealcheck.catalog.assembly` indexes the documents and
:mod:`~dealcheck.catalog.references` checks their cross-references.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from dealcheck.catalog.assembly import Assembler
from dealcheck.catalog.files import (
    YAML_SUFFIXES,
    display_path,
    exists,
    iter_yaml_files,
    real_path,
)
from dealcheck.catalog.model import Catalog, FeatureEntry, RuleEntry, SkuEntry, Where
from dealcheck.errors import InputError, Location, Problem
from dealcheck.models import CATALOG_KINDS, KINDS, parse_document, salvage
from dealcheck.yamlio import Document, load_file

__all__ = [
    "YAML_SUFFIXES",
    "Catalog",
    "FeatureEntry",
    "RuleEntry",
    "SkuEntry",
    "Where",
    "display_path",
    "exists",
    "iter_yaml_files",
    "load_catalog",
    "real_path",
]


def load_catalog(
    paths: Iterable[Path],
    today: date | None = None,
    builtin_ids: Iterable[str] = (),
    cache: bool = False,
) -> Catalog:
    """Load, assemble and cross-check the catalog under ``paths``.

    ``cache``: take the files' parsed data from the catalog cache when their contents
    are unchanged, and store it after a load without errors (see
    :mod:`dealcheck.catalog.cache`); validation and every cross-check run either way.
    """
    paths = list(paths)
    missing: list[Problem] = []
    files: list[Path] = []
    loaded: set[Path] = set()
    for root in paths:
        if not exists(root):
            missing.append(
                Problem(
                    Location(display_path(root)), "catalog path does not exist", code="unreadable"
                )
            )
            continue
        for file in iter_yaml_files(root):
            # Overlapping paths (a directory and a file in it, `validate products/x.yaml`
            # with ./products configured) must not load a file twice: every id in it
            # would be reported as a duplicate of itself.
            real = real_path(file)
            if real not in loaded:
                loaded.add(real)
                files.append(file)
    entry = None
    hit = None
    if cache and not missing:
        from dealcheck.catalog.cache import CatalogCache

        try:
            entry = CatalogCache((f, display_path(f)) for f in files)
        except (InputError, OSError, ValueError):
            entry = None  # the load below reports the file
        hit = entry.load() if entry is not None else None
    catalog: Catalog
    if entry is not None:
        from dealcheck.catalog.cache import CachedCatalog

        catalog = CachedCatalog(
            paths=[display_path(p) for p in paths],
            stored_fingerprint=hit[1] if hit is not None else "",
            entry=str(entry.path or ""),
            hit=hit is not None,
        )
    else:
        catalog = Catalog(paths=[display_path(p) for p in paths])
    catalog.problems.extend(missing)
    parsed: dict[str, list[Document]] = {}
    for file in files:
        name = display_path(file)
        docs = hit[0].get(name) if hit is not None else None
        parsed[name] = _load_catalog_file(catalog, file, docs)
    Assembler(catalog, today, frozenset(builtin_ids)).run()
    catalog.problems.sort(key=lambda p: (p.location, p.message))
    if entry is not None and hit is None and not catalog.errors:
        entry.store(parsed, catalog.fingerprint)  # never a catalog with errors
    return catalog


def _load_catalog_file(
    catalog: Catalog, file: Path, docs: list[Document] | None = None
) -> list[Document]:
    """Add one file's documents to ``catalog`` (``docs``: already parsed, from the cache)."""
    name = display_path(file)
    catalog.files.append(name)
    if docs is None:
        try:
            docs = load_file(file, name)
        except InputError as err:
            catalog.problems.append(Problem.from_input_error(err))
            return []
    for doc in docs:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "Deal":
            catalog.deal_documents.append(doc)  # never part of the catalog
            continue
        model, problems = parse_document(doc, CATALOG_KINDS)
        catalog.problems.extend(problems)
        if model is not None:
            catalog.documents.append((model, doc))
            catalog.parsed.append((model, doc))
            continue
        kind = doc.kind
        if kind in CATALOG_KINDS:
            # Its problems are reported above; what still validates of it is assembled
            # and cross-checked (never fingerprinted or used for deals), and the ids of
            # what does not are left unchecked, so one problem is reported once.
            part = salvage(KINDS[kind], doc)
            if part.model is not None:
                catalog.parsed.append((part.model, part.document))
            for ids_kind, ids in part.unchecked.items():
                catalog.unchecked.setdefault(ids_kind, set()).update(ids)
            if kind == "FxRates" and part.model is None:
                catalog.unchecked.setdefault("fx", set()).add("")
    return docs
