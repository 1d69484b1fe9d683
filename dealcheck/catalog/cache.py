"""The catalog cache: what YAML parsing made of a catalog's files, kept between runs.

A one-deal check against a big catalog spends most of its time turning YAML into data
(libyaml's events and the positioned builder). That data depends only on the bytes of the
files and on the code that reads them, so it is cached under a key made of:

* dealcheck's version, this format's number and a hash of the modules that turn YAML
  into data and models (``yamlio``, ``models``), so a change to them is a new key;
* every catalog file's name as shown to users and the SHA-256 of its bytes.

What is cached is plain data in JSON — never pickle or code: each document's data as the
YAML loader built it (exact Decimals written as JSON number tokens and read back with
``Decimal``, dates as a marker object no YAML key can spell) and the catalog fingerprint.
A hit still goes through everything after parsing — pydantic validation of every
document, assembly and every cross-check — so a cached catalog is checked exactly like
a fresh one; only source positions are read lazily (the file is parsed again the first
time a location in it is asked for, which checking a deal rarely does).

Safety: the file starts with a header line holding the key and the SHA-256 of the body;
a file whose header, key or digest does not match, or that does not decode, is ignored
(and rebuilt). Entries are written to a temporary file and renamed into place, so
concurrent runs never see a partial file. A catalog with any error is never cached.
Where: ``DEALCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/dealcheck``, else
``~/.cache/dealcheck``; ``--no-cache`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dealcheck import __version__
from dealcheck.catalog.model import Catalog
from dealcheck.yamlio import Document, SourceMap, load_file, read_bytes

if TYPE_CHECKING:
    from dealcheck.clauses import FeatureMatcher

__all__ = [
    "CachedCatalog",
    "CatalogCache",
    "LazySourceMap",
    "cache_dir",
    "load_matcher",
    "store_matcher",
]

FORMAT = 1
MAX_ENTRIES = 8  # catalogs kept; the least recently written go first
_DATE_KEY = "\udfffdate"  # a lone surrogate: no YAML (or UTF-8) key can be this
_DATE_KEY_JSON = b'"\\udfffdate"'


def cache_dir() -> Path | None:
    """Where the cache lives (``None``: no home to put it in)."""
    explicit = os.environ.get("DEALCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "dealcheck"
    try:
        return Path.home() / ".cache" / "dealcheck"
    except (RuntimeError, KeyError):  # no home directory
        return None


def _code_hash() -> str:
    """A hash of the modules whose behaviour the cached data depends on: every ``.py``
    file of the ``yamlio`` and ``models`` packages, so a change to any of them is a new key."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    package = Path(__file__).resolve().parents[1]
    for relative in ("yamlio", "models"):
        target = package / relative
        files = sorted(target.glob("*.py")) if target.is_dir() else [target]
        for file in files:
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"?")
    return digest.hexdigest()


# -- encoding ----------------------------------------------------------------------------


def _number(value: Decimal) -> str:
    text = str(value)  # round-trips exactly, exponent included
    if value.is_finite() and not any(c in text for c in ".Ee"):
        text += "E+0"  # "5" would read back as an int; 5E+0 is Decimal("5")
    return text


def _encode_default(value: Any) -> Any:
    import orjson

    if isinstance(value, Decimal):
        return orjson.Fragment(_number(value).encode())
    if isinstance(value, date):
        return orjson.Fragment(b"{" + _DATE_KEY_JSON + b':"' + value.isoformat().encode() + b'"}')
    raise TypeError(f"cannot cache a {type(value).__name__}")


#: where orjson is not installed, a number is first written as a string that starts with
#: a lone surrogate, then its quotes and that mark are cut out (a catalog whose own text
#: holds a surrogate is not cached: orjson refuses it too)
_NUMBER_MARK = "\udffe"
_MARKED_NUMBER = re.compile(r'"\\udffe([^"]*)"')


def encode_entry(value: Any) -> bytes:
    """The JSON of an entry's body: exact numbers and dates, read back by ``_DECODER``.
    orjson where it is installed; else ``json.dumps`` (the same data, more slowly)."""
    try:
        import orjson
    except ImportError:
        pass
    else:
        return orjson.dumps(value, default=_encode_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    try:  # UTF-8 has no surrogates: one in the data could be mistaken for a mark
        json.dumps(value, default=lambda item: None, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not cached: a string holds a lone surrogate") from None

    def default(item: Any) -> Any:
        if isinstance(item, Decimal):
            return _NUMBER_MARK + _number(item)
        if isinstance(item, date):
            return {_DATE_KEY: item.isoformat()}
        raise TypeError(f"cannot cache a {type(item).__name__}")

    text = json.dumps(value, default=default, ensure_ascii=True, separators=(",", ":"))
    return _MARKED_NUMBER.sub(r"\1", text).encode()


def _object(pairs: dict[str, Any]) -> Any:
    if _DATE_KEY in pairs:
        return date.fromisoformat(pairs[_DATE_KEY])
    return pairs


_DECODER = json.JSONDecoder(
    object_hook=_object, parse_float=Decimal, parse_int=int, parse_constant=Decimal
)


# -- lazy positions ----------------------------------------------------------------------


class _FilePositions:
    """The source maps of one file's documents, read when first asked for."""

    def __init__(self, path: Path, name: str, digest: str) -> None:
        self.path, self.name, self.digest = path, name, digest
        self.maps: dict[int, SourceMap] | None = None

    def get(self, index: int) -> SourceMap:
        if self.maps is None:
            self.maps = {}
            try:
                raw = read_bytes(self.path, self.name)
                if hashlib.sha256(raw).hexdigest() == self.digest:
                    self.maps = {d.index: d.source for d in load_file(self.path, self.name)}
            except Exception:  # the file changed or went away: positions fall back to 1:1
                self.maps = {}
        return self.maps.get(index) or SourceMap(self.name)


class LazySourceMap(SourceMap):
    """A :class:`SourceMap` whose positions are read from its file on first use."""

    def __init__(self, positions: _FilePositions, index: int) -> None:  # no super(): lazy
        self.file = positions.name
        self.elsewhere = {}
        self._positions = positions
        self._index = index

    def __getattr__(self, name: str) -> Any:
        # only reached for attributes not set yet: the two position maps
        if name in ("values", "keys"):
            source = self._positions.get(self._index)
            self.values, self.keys = source.values, source.keys
            return getattr(self, name)
        raise AttributeError(name)


# -- the cache ---------------------------------------------------------------------------


class CatalogCache:
    """One catalog's entry: looked up by its files' contents, stored after a clean load."""

    def __init__(self, files: Iterable[tuple[Path, str]], directory: Path | None = None) -> None:
        """``files``: every catalog file (path, display name) in load order. Raises
        :class:`~dealcheck.errors.InputError` when a file cannot be read within the
        loader's bounds (the normal load then reports it)."""
        self.directory = directory if directory is not None else cache_dir()
        self.files: list[tuple[Path, str, str]] = []
        digest = hashlib.sha256(_code_hash().encode())
        for path, name in files:
            # the loader's bounded read: a regular file of at most 10 MiB
            file_hash = hashlib.sha256(read_bytes(path, name)).hexdigest()
            self.files.append((path, name, file_hash))
            digest.update(f"\0{name}\0{file_hash}".encode())
        self.key = digest.hexdigest()

    @property
    def path(self) -> Path | None:
        return self.directory / f"catalog-{self.key[:32]}.json" if self.directory else None

    def load(self) -> tuple[dict[str, list[Document]], str] | None:
        """The documents of every file (by display name) and the fingerprint, or ``None``
        when there is no valid entry."""
        path = self.path
        if path is None:
            return None
        try:
            raw = path.read_bytes()
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if (
                header.get("format") != FORMAT
                or header.get("key") != self.key
                or header.get("sha256") != hashlib.sha256(body).hexdigest()
            ):
                return None
            data = _DECODER.decode(body.decode("utf-8"))
            fingerprint = data["fingerprint"]
            stored = data["files"]
            if not isinstance(fingerprint, str) or len(stored) != len(self.files):
                return None
            out: dict[str, list[Document]] = {}
            for (file_path, name, file_hash), entry in zip(self.files, stored, strict=True):
                if entry["name"] != name or entry["sha256"] != file_hash:
                    return None
                positions = _FilePositions(file_path, name, file_hash)
                out[name] = [
                    Document(doc_data, LazySourceMap(positions, index), index)
                    for index, doc_data in entry["documents"]
                ]
            return out, fingerprint
        except Exception:  # unreadable, truncated, tampered with: rebuilt by the caller
            return None

    def store(self, documents: dict[str, list[Document]], fingerprint: str) -> None:
        """Write the entry (temp file + rename); any failure leaves no entry behind."""
        path = self.path
        if path is None:
            return
        try:
            body = encode_entry(
                {
                    "fingerprint": fingerprint,
                    "files": [
                        {
                            "name": name,
                            "sha256": file_hash,
                            "documents": [[d.index, d.data] for d in documents.get(name, [])],
                        }
                        for _path, name, file_hash in self.files
                    ],
                }
            )
            header = json.dumps(
                {"format": FORMAT, "key": self.key, "sha256": hashlib.sha256(body).hexdigest()}
            ).encode()
            _write(path, header + b"\n" + body)
            _prune(path.parent)
        except Exception:  # a read-only home, a full disk, data the encoder cannot write
            return


def _prune(directory: Path) -> None:
    """Keep the newest :data:`MAX_ENTRIES` entries."""
    try:
        entries = sorted(
            directory.glob("catalog-*.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[MAX_ENTRIES:]:
            old.unlink(missing_ok=True)
        for matcher in directory.glob("catalog-*.json.matcher"):
            if not matcher.with_suffix("").exists():
                matcher.unlink(missing_ok=True)
    except OSError:
        return


@dataclass
class CachedCatalog(Catalog):
    """A catalog loaded with the cache on: ``entry`` is its cache file, ``hit`` whether it
    came from there; a hit's fingerprint was computed when it was stored (from the same
    data and the same models, both part of the key)."""

    stored_fingerprint: str = ""
    entry: str = ""
    hit: bool = False

    @property
    def fingerprint(self) -> str:
        return self.stored_fingerprint or super().fingerprint


# -- the clause matcher ------------------------------------------------------------------
#
# Compiling the feature matcher normalises every name and alias of every feature (tens of
# thousands in a big catalog). Its trie is kept next to the catalog's entry (whose key
# covers every feature's name, aliases and status), as the list of (words, feature) paths
# it holds, with a hash of the code that builds it.


def _matcher_code() -> str:
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    package = Path(__file__).resolve().parents[1]
    for relative in ("clauses/matcher.py", "contract.py"):
        try:
            digest.update((package / relative).read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def _matcher_path(catalog: Catalog) -> Path | None:
    if isinstance(catalog, CachedCatalog) and catalog.entry and not catalog.errors:
        return Path(catalog.entry + ".matcher")
    return None


def load_matcher(catalog: Catalog) -> FeatureMatcher | None:
    """The catalog's feature matcher from the cache, or ``None``."""
    path = _matcher_path(catalog)
    if path is None:
        return None
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        header = json.loads(head)
        if (
            header.get("code") != _matcher_code()
            or header.get("sha256") != hashlib.sha256(body).hexdigest()
        ):
            return None
        data = json.loads(body)
        from dealcheck.clauses import FeatureMatcher

        matcher = FeatureMatcher((), roadmap=data["roadmap"])
        for words, feature in data["terms"]:
            matcher._add(words, feature)
        return matcher
    except Exception:  # unreadable or stale: built afresh
        return None


def store_matcher(catalog: Catalog, matcher: FeatureMatcher) -> None:
    """Keep ``matcher`` next to the catalog's cache entry (temp file + rename)."""
    path = _matcher_path(catalog)
    if path is None or not path.with_suffix("").exists():  # no entry: nothing to go with
        return
    try:
        terms: list[tuple[list[str], str]] = []
        stack: list[tuple[list[str], Any]] = [([], matcher._root)]
        while stack:
            words, node = stack.pop()
            if node.feature is not None:
                terms.append((words, node.feature))
            for word, child in node.children.items():
                stack.append(([*words, word], child))
        terms.sort()
        body = json.dumps({"roadmap": sorted(matcher.roadmap), "terms": terms}).encode()
        header = json.dumps(
            {
                "code": _matcher_code(),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        ).encode()
        _write(path, header + b"\n" + body)
    except Exception:
        return


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
