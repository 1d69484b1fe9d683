"""Where each value of a loaded document stands in its file: SourceMap and Document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dealcheck.errors import Location

PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value of one document stands in its file.

    Paths are tuples of mapping keys and list indexes from the document root, the
    same shape as pydantic's error ``loc``.
    """

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # Values that came from another file (quote lines read from a CSV): full locations.
    elsewhere: dict[PathKey, Location] = field(default_factory=dict)

    def locate(self, path: PathKey = ()) -> Location:
        """The position of the value at ``path``, or of its nearest located ancestor."""
        path = tuple(path)
        while True:
            if self.elsewhere:
                other = self.elsewhere.get(path)
                if other is not None:
                    return other
            pos = self.values.get(path)
            if pos is not None:
                return Location(self.file, *pos)
            if not path:
                return Location(self.file, 1, 1)
            path = path[:-1]

    def has(self, path: PathKey) -> bool:
        """Whether ``path`` itself (not just an ancestor) has a known position."""
        return path in self.values or path in self.elsewhere

    def locate_key(self, path: PathKey) -> Location:
        """The position of the key of the mapping entry at ``path`` (falls back to the value)."""
        pos = self.keys.get(tuple(path))
        return Location(self.file, *pos) if pos else self.locate(path)

    def sub(self, prefix: PathKey) -> SourceMap:
        """A view rooted at ``prefix`` (for a deal embedded in a rule test)."""
        n = len(prefix)
        sub = SourceMap(self.file)
        sub.values = {p[n:]: v for p, v in self.values.items() if p[:n] == prefix}
        sub.keys = {p[n:]: v for p, v in self.keys.items() if p[:n] == prefix}
        if () not in sub.values:
            sub.values[()] = self.locate(prefix).line, self.locate(prefix).column
        return sub


@dataclass
class Document:
    """One YAML document of a file: its data and where each value came from."""

    data: Any
    source: SourceMap
    index: int = 0

    @property
    def file(self) -> str:
        return self.source.file

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind") if isinstance(self.data, dict) else None
        return kind if isinstance(kind, str) else None
