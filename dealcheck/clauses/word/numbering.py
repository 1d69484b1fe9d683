"""Word's automatic numbering, computed as Word displays it.

A paragraph is numbered when it has ``w:numPr`` or inherits one from its style (along
the style's ``w:basedOn`` chain), or when its style is linked to a list level by
``w:abstractNum/w:lvl/w:pStyle`` (heading-style numbering). ``w:numId`` 0 switches
numbering off.

Counters belong to the abstract numbering definition (``w:abstractNum``): every
``w:num`` that points at it continues the same sequence, as in Word, unless the
``w:num`` has ``w:lvlOverride/w:startOverride``, which restarts that level (and the
levels below it) the first time the ``w:num`` is used. Using a level advances its
counter (the first time: to ``w:start``) and resets the deeper levels, except a
level whose ``w:lvlRestart`` names a higher level than the one used (0: never
restart). ``w:lvlText`` placeholders ``%1``..``%9`` show each level's counter in its
``w:numFmt`` (decimal, decimalZero, lowerLetter, upperLetter, lowerRoman, upperRoman,
ordinal; others as decimal), or in decimal for every level when ``w:isLgl`` is set.

**Clause ids** normalise what is displayed: leading "Section", "Clause", "Article",
"§" are dropped, and so are a trailing "." or ")" and other closing punctuation
unless the number is in parentheses: "Section 7." -> "7", "7.2." -> "7.2",
"a)" -> "a", "(a)" -> "(a)". A level that does not display the levels above it
("(%3)" under "%1.%2") is qualified by the id of the level above, the way
contracts cite it: "7.3" then "(a)" -> "7.3(a)", then "(i)" -> "7.3(a)(i)"; a
non-parenthesised one is joined with "." ("7" then "a." -> "7.a"). Bullets and
``w:numFmt`` "none" have no number and give no id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from dealcheck.clauses.word.package import Element, W
from dealcheck.clauses.word.styles import Styles, int_value, on, value_of

_MAX_LEVEL = 8
_PLACEHOLDER = re.compile(r"%([1-9])")
_LEADING_WORDS = re.compile(r"^(?:(?:section|sect\.|clause|article|art\.|§)\s*)+", re.I)


@dataclass(frozen=True)
class Level:
    """One level (``w:lvl``) of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # w:lvlText; None when absent
    restart: int | None = None  # w:lvlRestart; None: after any higher level
    legal: bool = False  # w:isLgl
    style: str | None = None  # w:pStyle


@dataclass(frozen=True)
class ListNumber:
    """The number Word displays before a paragraph, and the clause id made from it."""

    display: str  # as displayed, e.g. "Section 7." or "(a)"; "" for none, "•" for a bullet
    id: str | None  # normalised clause id; None for bullets and unnumbered levels
    level: int  # 0 = top
    bullet: bool = False


@dataclass
class _Num:
    abstract: str
    levels: dict[int, Level]
    overrides: dict[int, int]  # level -> w:startOverride


@dataclass
class _Counters:
    values: dict[int, int] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)  # overridden start values


class Numbering:
    """List definitions and the running counters of one document, in document order."""

    def __init__(self, root: Element | None, styles: Styles) -> None:
        self._styles = styles
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._links: dict[str, str] = {}  # abstractNum id -> numbering style it links to
        self._nums: dict[str, _Num] = {}
        self._by_style: dict[str, tuple[str, int]] = {}  # pStyle -> (numId, ilvl)
        self._counters: dict[str, _Counters] = {}
        self._used: set[str] = set()
        if root is None:
            return
        for abstract in root.iterfind(f"{W}abstractNum"):
            abstract_id = abstract.get(f"{W}abstractNumId")
            if not isinstance(abstract_id, str):
                continue
            self._abstracts[abstract_id] = _levels(abstract)
            link = value_of(abstract, "numStyleLink")
            if link:
                self._links[abstract_id] = link
        raw_nums: dict[str, tuple[str, Element]] = {}
        for num in root.iterfind(f"{W}num"):
            num_id = num.get(f"{W}numId")
            abstract_id = value_of(num, "abstractNumId")
            if isinstance(num_id, str) and abstract_id is not None:
                raw_nums[num_id] = (abstract_id, num)
        for num_id, (abstract_id, num) in raw_nums.items():
            abstract_id = self._follow_link(abstract_id, raw_nums)
            levels = dict(self._abstracts.get(abstract_id, {}))
            overrides: dict[int, int] = {}
            for override in num.iterfind(f"{W}lvlOverride"):
                level = int_value(override.get(f"{W}ilvl"), None)
                if level is None or not 0 <= level <= _MAX_LEVEL:
                    continue
                redefined = override.find(f"{W}lvl")
                if redefined is not None:
                    levels[level] = _level(redefined)
                start = int_value(value_of(override, "startOverride"), None)
                if start is not None:
                    overrides[level] = start
                    levels[level] = replace(levels.get(level, Level()), start=start)
            self._nums[num_id] = _Num(abstract_id, levels, overrides)
        for num_id, num in sorted(self._nums.items(), key=lambda item: int_value(item[0], 0) or 0):
            for level, definition in sorted(num.levels.items()):
                if definition.style and definition.style not in self._by_style:
                    self._by_style[definition.style] = (num_id, level)

    def _follow_link(self, abstract_id: str, nums: dict[str, tuple[str, Element]]) -> str:
        """An abstractNum with ``w:numStyleLink`` stands for the list of that numbering style."""
        seen: set[str] = set()
        while abstract_id in self._links and abstract_id not in seen:
            seen.add(abstract_id)
            num_id, _ = self._styles.numbering(self._links[abstract_id])
            if num_id is None or num_id not in nums:
                break
            abstract_id = nums[num_id][0]
        return abstract_id

    def resolve(
        self, style_id: str | None, num_id: str | None, level: int | None
    ) -> tuple[str, int] | None:
        """The (numId, ilvl) numbering a paragraph, from its own ``w:numPr``, style or pStyle link."""
        style_num, style_level = self._styles.numbering(style_id)
        if num_id is None:
            num_id = style_num
            if level is None:
                level = style_level
        if num_id is None:
            for current in self._styles.chain(style_id):
                if current in self._by_style:
                    num_id, linked = self._by_style[current]
                    level = linked if level is None else level
                    break
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return None
        if level is None:
            num = self._nums[num_id]
            linked_levels = [
                lvl for lvl, d in num.levels.items() if d.style in self._styles.chain(style_id)
            ]
            level = min(linked_levels) if linked_levels else 0
        if not 0 <= level <= _MAX_LEVEL:
            return None
        return num_id, level

    def advance(self, num_id: str, level: int) -> ListNumber | None:
        """Count one paragraph at ``level`` of list ``num_id``; the number it displays."""
        num = self._nums.get(num_id)
        if num is None:
            return None
        counters = self._counters.setdefault(num.abstract, _Counters())
        if num_id not in self._used:
            self._used.add(num_id)
            for overridden, start in num.overrides.items():
                for deeper in [lvl for lvl in counters.values if lvl >= overridden]:
                    del counters.values[deeper]
                counters.starts[overridden] = start
        definition = num.levels.get(level, Level())
        if level in counters.values:
            counters.values[level] += 1
        else:
            counters.values[level] = counters.starts.pop(level, definition.start)
        for deeper in [lvl for lvl in counters.values if lvl > level]:
            restart = num.levels.get(deeper, Level()).restart
            if restart is None or (restart > 0 and level < restart):
                del counters.values[deeper]
                counters.starts.pop(deeper, None)
        return self._number(num, counters, level)

    def _number(self, num: _Num, counters: _Counters, level: int) -> ListNumber:
        definition = num.levels.get(level, Level())
        if definition.fmt == "bullet":
            return ListNumber(definition.text or "•", None, level, bullet=True)
        if definition.fmt == "none" or not definition.text:
            return ListNumber("", None, level)
        display = self._display(num, counters, level)
        ident = normalise(display)
        referenced = [int(n) - 1 for n in _PLACEHOLDER.findall(definition.text)]
        if ident and level > 0 and referenced and min(referenced) > 0:
            parent = min(referenced) - 1
            if parent in counters.values:
                above = self._number(num, counters, parent)
                if above.id:
                    joiner = "" if ident.startswith("(") else "."
                    ident = f"{above.id}{joiner}{ident}"
        return ListNumber(display, ident or None, level)

    def _display(self, num: _Num, counters: _Counters, level: int) -> str:
        definition = num.levels.get(level, Level())

        def substitute(match: re.Match[str]) -> str:
            shown = int(match[1]) - 1
            shown_def = num.levels.get(shown, Level())
            value = counters.values.get(shown, counters.starts.get(shown, shown_def.start))
            fmt = "decimal" if definition.legal else shown_def.fmt
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(substitute, definition.text or "").strip()


def _levels(abstract: Element) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for element in abstract.iterfind(f"{W}lvl"):
        index = int_value(element.get(f"{W}ilvl"), None)
        if index is not None and 0 <= index <= _MAX_LEVEL:
            levels[index] = _level(element)
    return levels


def _level(element: Element) -> Level:
    text_element = element.find(f"{W}lvlText")
    text = text_element.get(f"{W}val") if text_element is not None else None
    return Level(
        start=int_value(value_of(element, "start"), 1) or 0,
        fmt=value_of(element, "numFmt") or "decimal",
        text=text if isinstance(text, str) else None,
        restart=int_value(value_of(element, "lvlRestart"), None),
        legal=on(element.find(f"{W}isLgl")),
        style=value_of(element, "pStyle"),
    )


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def format_number(value: int, fmt: str) -> str:
    """``value`` as Word shows it in numbering format ``fmt`` (w:numFmt)."""
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        # Word repeats the letter: 27 -> "aa", 28 -> "bb"
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        roman = ""
        for amount, digits in _ROMAN:
            while value >= amount:
                roman += digits
                value -= amount
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10)
        return f"{value}{suffix or 'th'}"
    return str(value)


def normalise(display: str) -> str:
    """The clause id for a displayed number: "Section 7." -> "7", "(a)" -> "(a)", "a)" -> "a"."""
    ident = " ".join(display.split())
    ident = _LEADING_WORDS.sub("", ident).strip()
    if ident.startswith("(") and ident.endswith(")") and ident.count("(") == ident.count(")"):
        return ident
    return ident.rstrip(".):;-–— ").lstrip("(").strip()
