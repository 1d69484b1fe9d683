"""Paragraph styles: names, ``w:basedOn`` chains, heading and TOC styles, inherited numbering."""

from __future__ import annotations

import re

from dealcheck.clauses.word.package import Element, W


def value_of(element: Element | None, name: str) -> str | None:
    if element is None:
        return None
    found = element.find(f"{W}{name}")
    if found is None:
        return None
    value = found.get(f"{W}val")
    return value if isinstance(value, str) else None


def int_value(value: str | None, default: int | None) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def on(element: Element | None) -> bool:
    """A WordprocessingML on/off property: present and not "false"/"0"/"off"."""
    if element is None:
        return False
    return element.get(f"{W}val", "true") not in ("false", "0", "off")


class Styles:
    """Paragraph styles: names, ``w:basedOn`` chains and the numbering they carry."""

    def __init__(self, root: Element | None) -> None:
        self._names: dict[str, str] = {}
        self._based_on: dict[str, str] = {}
        self._num: dict[str, tuple[str | None, int | None]] = {}
        self._outline: dict[str, int] = {}
        self.default: str | None = None
        if root is None:
            return
        for style in root.iterfind(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            kind = style.get(f"{W}type", "paragraph")
            if not isinstance(style_id, str) or kind not in ("paragraph", "numbering"):
                continue
            if kind == "numbering":  # only a list's home, for w:numStyleLink
                link = style.find(f"{W}pPr/{W}numPr")
                if link is not None:
                    self._num[style_id] = (value_of(link, "numId"), None)
                continue
            name = value_of(style, "name")
            self._names[style_id] = name or style_id
            based = value_of(style, "basedOn")
            if based:
                self._based_on[style_id] = based
            if on(style.find(f"{W}default")) and style.get(f"{W}default") is not None:
                self.default = style_id
            properties = style.find(f"{W}pPr")
            if properties is None:
                continue
            numbering = properties.find(f"{W}numPr")
            if numbering is not None:
                self._num[style_id] = (
                    value_of(numbering, "numId"),
                    int_value(value_of(numbering, "ilvl"), None),
                )
            outline = int_value(value_of(properties, "outlineLvl"), None)
            if outline is not None:
                self._outline[style_id] = outline

    def chain(self, style_id: str | None) -> list[str]:
        """``style_id`` and the styles it is based on, nearest first (cycles cut)."""
        chain: list[str] = []
        current = style_id if style_id is not None else self.default
        while current is not None and current not in chain and len(chain) < 32:
            chain.append(current)
            current = self._based_on.get(current)
        return chain

    def name(self, style_id: str | None) -> str:
        current = style_id if style_id is not None else self.default
        return self._names.get(current or "", current or "")

    def is_heading(self, style_id: str | None) -> bool:
        """A Heading 1-9 or Title style, or one based on it, or one with an outline level."""
        for current in self.chain(style_id):
            name = self._names.get(current, current).lower()
            if re.fullmatch(r"heading\s*[1-9]|title", name):
                return True
            if 0 <= self._outline.get(current, 9) < 9:
                return True
        return False

    def is_toc(self, style_id: str | None) -> bool:
        """A table-of-contents style ("toc 1", "TOC Heading")."""
        return any(
            self._names.get(current, current).lower().replace(" ", "").startswith("toc")
            for current in self.chain(style_id)
        )

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a style gives its paragraphs, each from the nearest style that sets it."""
        num_id: str | None = None
        level: int | None = None
        for current in self.chain(style_id):
            found_id, found_level = self._num.get(current, (None, None))
            num_id = num_id if num_id is not None else found_id
            level = level if level is not None else found_level
        return num_id, level
