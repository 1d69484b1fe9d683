"""What can still be read of a catalog document whose fields fail validation.

``validate`` reports every problem of the catalog in one run (SPEC §1.1, §9). A Product
with one bad price must not hide a bad edition reference in the same file, nor a broken
rule elsewhere: so a document that fails validation is *pruned* — the entity holding
each error pydantic names is removed (an element of a top-level list: a feature, an
edition, a SKU, a rule; an entry of a top-level mapping: a region group, an FX rate;
else the top-level key) and the rest is validated again — until what is left is a valid
model. Its cross-references can then be checked like any other document's.

A pruned document is for cross-checks only, never for checking deals: ``load_catalog``
keeps it out of the catalog's documents and fingerprint, and a catalog with errors is
refused by every command that checks deals.

Two things keep this honest:

* positions: removing ``skus[1]`` renumbers ``skus[2]`` to ``skus[1]``, so the pruned
  document gets a source map renumbered the same way, and every later problem still
  names the line and column where its node is written;
* no second error for one problem: the ids defined in removed nodes (a feature, an
  edition, a SKU, a rule, a region group, an FX rate) are returned as *unchecked*, and a
  reference to one of them is not reported as unknown — it was reported where it is
  defined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dealcheck.models.documents import DocumentModel
from dealcheck.yamlio import Document, PathKey, SourceMap

# A required top-level field that fails gets a stand-in instead of sinking the document,
# where nothing cross-checked depends on the value; the field is then "unchecked".
_STAND_INS: dict[str, dict[str, Any]] = {
    "Product": {"name": "(invalid)", "currency": "XXX"},  # XXX: ISO 4217's "no currency"
}

# Where catalog ids are defined: list or mapping field → (kind of id, key holding the id;
# None when the mapping key is the id, as for region groups and FX rates).
_ID_FIELDS: dict[str, tuple[str, str | None]] = {
    "features": ("feature", "id"),
    "editions": ("edition", "id"),
    "skus": ("sku", "sku"),
    "rules": ("rule", "id"),
    "groups": ("group", None),
    "rates": ("rate", None),
}

_MAX_ROUNDS = 100  # each round removes a node; removals climb at most one level per round


@dataclass
class Salvage:
    """The readable part of a document: its model (``None`` if nothing could be saved) and
    the ids (``kind → ids``) its removed parts defined, which are not to be checked again."""

    model: DocumentModel | None
    document: Document
    unchecked: dict[str, set[str]] = field(default_factory=dict)


def salvage(model: type[DocumentModel], doc: Document) -> Salvage:
    """Prune ``doc`` (whose data fails ``model``) to the largest part pydantic accepts."""
    original = doc.data
    kind = model.__name__
    result = Salvage(None, doc)
    if not isinstance(original, dict):
        return result
    removed: set[PathKey] = set()
    stand_ins: dict[str, Any] = {}
    for _ in range(_MAX_ROUNDS):
        kept: dict[PathKey, list[int]] = {}
        data = _prune(original, (), removed, kept)
        data.update(stand_ins)
        try:
            validated = model.model_validate(data)
        except ValidationError as exc:
            progress = False
            for err in exc.errors():
                path = _original(data_path(data, err["loc"]), kept)
                if not path and err["type"] == "missing" and len(err["loc"]) == 1:
                    path = err["loc"]  # a required top-level key: perhaps it has a stand-in
                # Remove the whole entity holding the error, never a key inside it: a
                # planned feature stripped of its misspelt `target` would be reported
                # again, as lacking one.
                path = path[:2]
                if not path:
                    return _give_up(result, original)
                if len(path) == 1 and path[0] in _STAND_INS.get(kind, {}):
                    name = str(path[0])
                    if name not in stand_ins:
                        stand_ins[name] = _STAND_INS[kind][name]
                        progress = True
                    continue
                if path not in removed:
                    removed.add(path)
                    progress = True
            if not progress:
                return _give_up(result, original)
            continue
        result.model = validated
        result.document = Document(data, _renumber(doc.source, removed, kept), doc.index)
        for path in sorted(removed, key=str):
            _collect_ids(result.unchecked, original, path)
        for name in stand_ins:
            result.unchecked.setdefault(name, set()).add(str(original.get("id", "")))
        return result
    return _give_up(result, original)


def data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """The part of a pydantic ``loc`` that names real keys and indexes of ``data``.

    Pydantic inserts tags such as ``function-after[...]`` into ``loc``; those are skipped.
    For a missing key, the path stops at the mapping that lacks it.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        if (
            isinstance(current, dict)
            and isinstance(part, str)
            and part in current
            or isinstance(current, list)
            and isinstance(part, int)
            and 0 <= part < len(current)
        ):
            path.append(part)
            current = current[part]  # type: ignore[index]
        elif isinstance(current, dict) and isinstance(part, str) and part not in current:
            # a key the data doesn't have: stop here (missing) — unless pydantic named a tag
            if "[" in part or part in ("function-after", "function-before"):
                continue
            break
    return tuple(path)


def _give_up(result: Salvage, original: dict[str, Any]) -> Salvage:
    """Nothing could be saved: every id the document defines is unchecked."""
    result.model = None
    for key in _ID_FIELDS:
        _collect_ids(result.unchecked, original, (key,))
    return result


def _prune(value: Any, path: PathKey, removed: set[PathKey], kept: dict[PathKey, list[int]]) -> Any:
    """A copy of ``value`` without the nodes at the ``removed`` paths; ``kept`` records,
    for every list, which of its original indexes remain."""
    if isinstance(value, dict):
        return {
            k: _prune(v, (*path, k), removed, kept)
            for k, v in value.items()
            if (*path, k) not in removed
        }
    if isinstance(value, list):
        indexes = [i for i in range(len(value)) if (*path, i) not in removed]
        kept[path] = indexes
        return [_prune(value[i], (*path, i), removed, kept) for i in indexes]
    return value


def _original(path: PathKey, kept: dict[PathKey, list[int]]) -> PathKey:
    """The path in the original data of ``path`` in the pruned data."""
    out: PathKey = ()
    for part in path:
        if isinstance(part, int) and out in kept:
            part = kept[out][part]
        out = (*out, part)
    return out


def _renumber(
    source: SourceMap, removed: set[PathKey], kept: dict[PathKey, list[int]]
) -> SourceMap:
    """``source`` with the paths of the pruned data: removed nodes dropped, list indexes
    renumbered, so a problem found in the pruned document is located where it is written."""
    renumbered = {
        list_path: {old: new for new, old in enumerate(idx)} for list_path, idx in kept.items()
    }

    def current(path: PathKey) -> PathKey | None:
        out: list[str | int] = []
        here: PathKey = ()
        for part in path:
            step: PathKey = (*here, part)
            if step in removed:
                return None
            if isinstance(part, int) and here in renumbered:
                new = renumbered[here].get(part)
                if new is None:
                    return None
                out.append(new)
            else:
                out.append(part)
            here = step
        return tuple(out)

    result = SourceMap(source.file)
    for original, target in ((source.values, result.values), (source.keys, result.keys)):
        for path, pos in original.items():
            new_path = current(path)
            if new_path is not None:
                target[new_path] = pos
    for path, location in source.elsewhere.items():
        new_path = current(path)
        if new_path is not None:
            result.elsewhere[new_path] = location
    return result


def _collect_ids(unchecked: dict[str, set[str]], data: dict[str, Any], path: PathKey) -> None:
    """Record the ids defined by the removed node at ``path`` (an element of an id field,
    or a whole id field)."""
    field_name = path[0]
    if not isinstance(field_name, str) or field_name not in _ID_FIELDS:
        return
    kind, id_key = _ID_FIELDS[field_name]
    container = data.get(field_name)
    if len(path) == 1:
        members: list[tuple[Any, Any]] = (
            list(container.items())
            if isinstance(container, dict)
            else list(enumerate(container))
            if isinstance(container, list)
            else []
        )
    elif len(path) == 2 and isinstance(container, dict | list):
        try:
            members = [(path[1], container[path[1]])]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return
    else:
        return  # a node inside an element: the element itself stays
    owner = data.get("id")
    for key, node in members:
        ident = key if id_key is None else node.get(id_key) if isinstance(node, dict) else None
        if not isinstance(ident, str):
            continue
        if kind == "edition":  # editions are named within their product
            ident = f"{owner}/{ident}"
        unchecked.setdefault(kind, set()).add(ident)
