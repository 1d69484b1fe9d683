"""The table of a quote-lines CSV file: delimiter, rows, header row and column mapping.

The delimiter is sniffed from the start of the file, the header is the first row (among
the first :data:`HEADER_SEARCH_ROWS`) that names a SKU and a quantity column, and
:func:`find_columns` maps each field (:data:`FIELDS`) to the column that holds it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Final

from dealcheck.errors import InputError, Location

FIELDS: Final = ("sku", "quantity", "unit_price", "discount")
HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "sku": ("Product Code", "SKU", "Product SKU", "Item", "Item Code"),
    "quantity": ("Quantity", "Qty", "Units"),
    "unit_price": ("Sales Price", "Unit Price", "Price", "Net Price", "Net Unit Price"),
    "discount": ("Discount", "Discount %", "Disc", "Disc %", "Discount Percent"),
}
NET_PRICE_HEADERS: Final = ("Net Price", "Net Unit Price")
DELIMITERS: Final = (",", ";", "\t")
HEADER_SEARCH_ROWS: Final = 10
#: Rows of any kind (blank ones too); a deal's lines are also capped by MAX_QUOTE_LINES.
MAX_CSV_ROWS: Final = 10_000
#: How much of the file the delimiter is guessed from.
SNIFF_CHARS: Final = 4096


def normal_header(header: str) -> str:
    """``Discount (%)`` → ``discount %``: case, spaces, ``_``, ``-`` and brackets ignored."""
    text = header.replace("\ufeff", "").casefold()
    text = re.sub(r"[_\-()\[\]:.#]+", " ", text)
    return " ".join(text.split())


_KNOWN: Final[dict[str, frozenset[str]]] = {
    f: frozenset(normal_header(h) for h in names) for f, names in HEADERS.items()
}


def check_mapping(columns: Mapping[str, str] | None, name: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for key, header in (columns or {}).items():
        if key not in FIELDS:
            raise InputError(
                Location(name),
                f"columns: '{key}' is not a quote line field (one of: {', '.join(FIELDS)})",
            )
        if not isinstance(header, str) or not header.strip():
            raise InputError(
                Location(name), f"columns: the header for '{key}' must be a non-empty text"
            )
        mapping[key] = header
    return mapping


Rows = list[tuple[int, list[str]]]


def read_table(text: str, name: str, mapping: Mapping[str, str]) -> tuple[str, Rows, int]:
    """The delimiter, the rows (with their line numbers) and the index of the header row.

    The header is looked for in the first rows only (each delimiter tried on those), and
    the whole file is read once, with the delimiter that found it."""
    sniffed = _sniff(text)
    tried = [sniffed, *(d for d in DELIMITERS if d != sniffed)]
    first_rows: Rows = []
    for delimiter in tried:
        head = _rows(text, name, delimiter, head_only=True)
        if delimiter == sniffed:
            first_rows = head
        header_at = _find_header(head, mapping)
        if header_at is not None:
            return delimiter, _rows(text, name, delimiter), header_at
    non_empty = [cells for _, cells in first_rows if any(c.strip() for c in cells)]
    if not non_empty:
        raise InputError(Location(name), "the file has no rows: expected a header and quote lines")
    row = next(r for r, cells in first_rows if any(c.strip() for c in cells))
    raise InputError(
        Location(name, row, 1),
        f"no header row with a SKU and a quantity column among the first {HEADER_SEARCH_ROWS} rows; "
        f"found: {_listing(non_empty[0])}; expected a SKU column ({_listing(HEADERS['sku'])}) and "
        f"a quantity column ({_listing(HEADERS['quantity'])}), or map yours with columns",
    )


def _sniff(text: str) -> str:
    """The likely delimiter, from at most the first :data:`SNIFF_CHARS` characters
    (:class:`csv.Sniffer` is quadratic in its sample: never give it the whole file)."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        found = ""
    if found in DELIMITERS:
        return found
    first = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _rows(text: str, name: str, delimiter: str, *, head_only: bool = False) -> Rows:
    """The rows of ``text`` with their first line numbers. ``head_only``: just enough rows
    to hold :data:`HEADER_SEARCH_ROWS` non-empty ones. More than :data:`MAX_CSV_ROWS` rows
    is an error at the first row over the limit."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        strict=True,
    )
    rows: Rows = []
    start = 1
    non_empty = 0
    try:
        for cells in reader:
            if len(rows) >= MAX_CSV_ROWS:
                raise InputError(
                    Location(name, start, 1),
                    f"more than {MAX_CSV_ROWS:,} rows: a deal's quote lines fit in far fewer",
                )
            rows.append((start, cells))
            start = reader.line_num + 1
            if head_only and any(c.strip() for c in cells):
                non_empty += 1
                if non_empty >= HEADER_SEARCH_ROWS:
                    break
    except csv.Error as exc:
        raise InputError(Location(name, start, 0), f"not valid CSV: {exc}") from None
    return rows


def _find_header(rows: Rows, mapping: Mapping[str, str]) -> int | None:
    seen = 0
    for index, (_row, cells) in enumerate(rows):
        if not any(c.strip() for c in cells):
            continue
        seen += 1
        normal = {normal_header(c) for c in cells}
        if all(_matches(f, normal, mapping) for f in ("sku", "quantity")):
            return index
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _matches(field_name: str, normal_headers: set[str], mapping: Mapping[str, str]) -> bool:
    if field_name in mapping:
        return normal_header(mapping[field_name]) in normal_headers
    return bool(normal_headers & _KNOWN[field_name])


def find_columns(
    header: list[str], row: int, name: str, mapping: Mapping[str, str]
) -> dict[str, int]:
    """Field → 0-based column index, for the fields the file has."""
    normal = [normal_header(h) for h in header]
    found: dict[str, int] = {}
    for field_name in FIELDS:
        if field_name in mapping:
            wanted = normal_header(mapping[field_name])
            hits = [i for i, h in enumerate(normal) if h == wanted]
            if not hits:
                raise InputError(
                    Location(name, row, 1),
                    f"columns maps {field_name} to '{mapping[field_name]}', but the header has no "
                    f"such column; found: {_listing(header)}",
                )
        else:
            hits = [i for i, h in enumerate(normal) if h in _KNOWN[field_name]]
        if len(hits) > 1:
            both = " and ".join(f"'{header[i]}' (column {i + 1})" for i in hits[:2])
            raise InputError(
                Location(name, row, hits[1] + 1),
                f"two columns could be the {field_name.replace('_', ' ')}: {both}; "
                f"say which with columns={{'{field_name}': ...}}",
            )
        if hits:
            found[field_name] = hits[0]
    if "unit_price" not in found and "discount" not in found:
        raise InputError(
            Location(name, row, 1),
            f"no price or discount column; found: {_listing(header)}; expected a price column "
            f"({_listing(HEADERS['unit_price'])}) or a discount column ({_listing(HEADERS['discount'])})",
        )
    return found


def _listing(items: Iterable[str]) -> str:
    shown = [f"'{i.strip()}'" for i in items if i.strip()]
    return ", ".join(shown[:15]) + (", …" if len(shown) > 15 else "") if shown else "nothing"
