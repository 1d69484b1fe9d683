"""Quote lines from a CRM or CPQ export: a CSV file becomes a deal's ``lines:``.

A deal may take its lines from ``lines_file:`` instead of writing them out; the file is
whatever Salesforce, HubSpot or a CPQ tool exports. :func:`read_lines_csv` reads it
strictly and exactly, and every problem names ``file:row:column`` (row: the CSV line
number, 1-based, the header included; column: the 1-based column number).

What is read, and the decisions where exports differ:

* **Encoding**: UTF-8, with or without a BOM; UTF-16 with a BOM (Excel's "Unicode
  text"). Anything else is an error naming the first bad byte. At most 10 MiB.
* **Delimiter**: ``,``, ``;`` or tab, sniffed (:class:`csv.Sniffer`, limited to those
  three); if the sniffed one gives no recognisable header, the others are tried. Quotes
  are ``"``, doubled inside a field. CRLF and LF line ends both work.
* **Header**: the first row, among the first 10 non-empty ones, that names a SKU and a
  quantity column (rows above it, such as a report title, are skipped). Headers are
  matched case-insensitively, ignoring spaces, ``_``, ``-`` and brackets:

  ========== ============================================================
  sku        Product Code, SKU, Product SKU, Item, Item Code
  quantity   Quantity, Qty, Units
  unit_price Sales Price, Unit Price, Price, Net Price, Net Unit Price
  discount   Discount, Discount %, Disc, Disc %, Discount Percent
  ========== ============================================================

  ``columns`` maps a field to a header of your own (``{"sku": "Material"}``) and wins
  over the table. Two columns that both match a field are an error, never a guess. Other
  columns (Opportunity, Product Name, List Price, Total...) are ignored.
* **Rows**: a row whose SKU, quantity, price and discount cells are all empty is
  skipped; any other row needs a SKU, a quantity above 0 and a price or a discount. A row
  with more non-empty cells than the header is an error: it is what an unquoted
  ``1,250.00`` in a comma-separated file looks like.
* **Price and discount**: a row's price becomes the line's ``unit_price`` and a row with
  only a discount becomes ``discount`` (off list). When a row has both, the discount is
  applied to the price, as in Salesforce (*Total Price = Quantity × Sales Price × (1 −
  Discount)*), except next to a *net* price column (Net Price, Net Unit Price), which is
  already discounted.
* **Numbers** are read exactly into ``Decimal``, never through a float. A currency code
  or symbol may stand before or after an amount (``$1,250.00``, ``€ 600``, ``AUD 600.00``,
  ``600,00 EUR``, ``US$ 600``); with ``currency`` given, it must be that currency. Digits
  may be grouped by ``,`` ``.`` ``'`` or spaces in threes (``1,250.00``, ``1.250,00``,
  ``1 250,00``, ``1'250.00``). Whether ``,`` or ``.`` is the decimal mark is decided
  **once per file** from the numbers that show it (``1,250.00``, ``12,5``, ``600.5``);
  if none does (only ``1,250`` or ``600``), a ``;``-separated file uses the decimal
  comma and any other the decimal point. ``decimal_comma`` overrides this. Scientific
  notation and brackets for negatives are refused.
* **Discounts**: ``25%`` is 0.25. A bare number is a percentage when the header says so
  (``Discount %``) or when any bare discount in that column is above 1 (``25`` and
  ``10`` mean 25 % and 10 %); otherwise it is a fraction (``0.25``). The whole column is
  read one way, so ``0.5`` next to ``25`` means 0.5 %, not 50 %.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from dealcheck.errors import InputError, Location
from dealcheck.models.fields import currency_codes
from dealcheck.yamlio import MAX_FILE_BYTES, decode_utf8, read_bytes

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
MAX_DIGITS: Final = 30
MAX_CELL_CHARS: Final = 200
#: Rows of any kind (blank ones too); a deal's lines are also capped by MAX_QUOTE_LINES.
MAX_CSV_ROWS: Final = 10_000
#: Quote lines a file may give one deal (the limit on a deal's ``lines:``).
MAX_QUOTE_LINES: Final = 2_000
#: How much of the file the delimiter is guessed from.
SNIFF_CHARS: Final = 4096

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_SPACES = "\u00a0\u202f\u2009"  # no-break, narrow no-break and thin spaces group digits too
_SYMBOLS = "$€£¥"
_PREFIXED_DOLLARS: Final[dict[str, str]] = {
    "US": "USD",
    "A": "AUD",
    "AU": "AUD",
    "NZ": "NZD",
    "C": "CAD",
    "CA": "CAD",
    "S": "SGD",
    "SG": "SGD",
    "HK": "HKD",
    "R": "BRL",
    "MX": "MXN",
}
_MARKER_BEFORE = re.compile(r"^(?P<m>[A-Za-z]{3}(?![A-Za-z])|[A-Z]{0,2}[$€£¥])\s*(?P<rest>.*)$")
_MARKER_AFTER = re.compile(r"^(?P<rest>.*?)\s*(?P<m>(?<![A-Za-z])[A-Za-z]{3}|[$€£¥])$")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")


@dataclass(frozen=True)
class QuoteLines:
    """The ``lines:`` of a deal read from a CSV file, and where each came from.

    ``lines[i]`` is a Deal line mapping (``sku``, ``quantity`` and ``unit_price`` or
    ``discount``, values ``str`` and ``Decimal``); ``locations[i]`` is its row, at the SKU
    cell; ``cells[(i, field)]`` the cell each value came from. ``columns`` is the header
    used for each field.
    """

    file: str
    lines: list[dict[str, Any]]
    locations: dict[int, Location]
    cells: dict[tuple[int, str], Location]
    columns: dict[str, str]
    delimiter: str
    decimal_comma: bool
    notes: list[str] = field(default_factory=list)


def read_lines_csv(
    path: Path,
    display_name: str | None = None,
    columns: Mapping[str, str] | None = None,
    *,
    currency: str | None = None,
    decimal_comma: bool | None = None,
) -> QuoteLines:
    """Read quote lines from the CSV file at ``path`` (see the module documentation).

    ``display_name`` is how the file is named in locations (default: ``path``);
    ``columns`` maps fields (:data:`FIELDS`) to headers; ``currency`` is the deal's
    currency, which amounts that name a currency must match; ``decimal_comma`` forces
    the decimal mark. Raises :class:`InputError` located at ``file:row:column``.
    """
    name = display_name if display_name is not None else str(path)
    raw = read_bytes(path, name, "a CSV file")
    return parse_lines_csv(
        _decode(raw, name), name, columns, currency=currency, decimal_comma=decimal_comma
    )


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                Location(name), "not valid UTF-16 (it starts with a UTF-16 byte-order mark)"
            ) from None
    return decode_utf8(raw, name)


def parse_lines_csv(
    text: str,
    display_name: str,
    columns: Mapping[str, str] | None = None,
    *,
    currency: str | None = None,
    decimal_comma: bool | None = None,
) -> QuoteLines:
    """:func:`read_lines_csv` on text already read."""
    name = display_name
    if len(text) > MAX_FILE_BYTES:
        raise InputError(Location(name), "input is larger than the 10 MiB limit")
    text = text.removeprefix("\ufeff")
    mapping = _check_mapping(columns, name)
    delimiter, rows, header_at = _table(text, name, mapping)
    header_row, header = rows[header_at]
    cols = _columns(header, header_row, name, mapping)
    data = [(row, cells) for row, cells in rows[header_at + 1 :]]
    reader = _Reader(name, cols, header, delimiter, currency)
    decimal = decimal_comma if decimal_comma is not None else reader.decimal_mark(data)
    return reader.lines(data, decimal)


# -- the table ------------------------------------------------------------------------------


def _normal(header: str) -> str:
    """``Discount (%)`` → ``discount %``: case, spaces, ``_``, ``-`` and brackets ignored."""
    text = header.replace("\ufeff", "").casefold()
    text = re.sub(r"[_\-()\[\]:.#]+", " ", text)
    return " ".join(text.split())


_KNOWN: Final[dict[str, frozenset[str]]] = {
    f: frozenset(_normal(h) for h in names) for f, names in HEADERS.items()
}


def _check_mapping(columns: Mapping[str, str] | None, name: str) -> dict[str, str]:
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


def _table(text: str, name: str, mapping: Mapping[str, str]) -> tuple[str, Rows, int]:
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
        normal = {_normal(c) for c in cells}
        if all(_matches(f, normal, mapping) for f in ("sku", "quantity")):
            return index
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _matches(field_name: str, normal_headers: set[str], mapping: Mapping[str, str]) -> bool:
    if field_name in mapping:
        return _normal(mapping[field_name]) in normal_headers
    return bool(normal_headers & _KNOWN[field_name])


def _columns(header: list[str], row: int, name: str, mapping: Mapping[str, str]) -> dict[str, int]:
    """Field → 0-based column index, for the fields the file has."""
    normal = [_normal(h) for h in header]
    found: dict[str, int] = {}
    for field_name in FIELDS:
        if field_name in mapping:
            wanted = _normal(mapping[field_name])
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


# -- the cells ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Amount:
    body: str  # the digits and separators, without sign, currency or percent
    negative: bool
    percent: bool
    currency: frozenset[str] | None  # currencies the marker may mean; None: no marker


def _dollar_currencies() -> frozenset[str]:
    return frozenset(c for c, n in currency_codes().items() if "Dollar" in n or "Peso" in n)


def _marker_currencies(marker: str) -> frozenset[str] | None:
    """The currencies a marker may mean, or None if it is not a currency."""
    if len(marker) == 3 and marker.isalpha():
        code = marker.upper()
        return frozenset({code}) if code in currency_codes() else None
    symbol, prefix = marker[-1], marker[:-1]
    if symbol == "€":
        return frozenset({"EUR"}) if not prefix else None
    if symbol == "£":
        return frozenset({"GBP"}) if not prefix else None
    if symbol == "¥":
        return frozenset({"JPY", "CNY"}) if not prefix else None
    if not prefix:
        return _dollar_currencies()
    dollar = _PREFIXED_DOLLARS.get(prefix)
    return frozenset({dollar}) if dollar else None


def _split(cell: str) -> _Amount | None:
    """Sign, currency marker and percent sign off a number's text; None if it cannot be one."""
    text = cell.strip().strip(_SPACES)
    if len(text) > MAX_CELL_CHARS:  # and the patterns below stay cheap
        return None
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip().rstrip(_SPACES)
    negative = text.startswith("-")
    if negative:
        text = text[1:].lstrip()
    marker = None
    match = _MARKER_BEFORE.match(text)
    if match and not match.group("m")[:1].isdigit():
        marker, text = match.group("m"), match.group("rest")
    else:
        match = _MARKER_AFTER.match(text)
        if match:
            marker, text = match.group("m"), match.group("rest")
    if not negative and text.startswith("-"):  # $-600
        negative, text = True, text[1:]
    currencies = None
    if marker is not None:
        currencies = _marker_currencies(marker)
        if currencies is None:
            return None
    text = text.strip().strip(_SPACES)
    if (
        not text
        or not re.fullmatch(rf"[0-9.,'{_SPACES} ]+", text)
        or not any(ch.isdigit() for ch in text)
    ):
        return None
    return _Amount(text, negative, percent, currencies)


_GROUPED = {
    False: re.compile(rf"\d{{1,3}}(?P<g>[,' {_SPACES}])\d{{3}}(?:(?P=g)\d{{3}})*(?:\.\d+)?"),
    True: re.compile(rf"\d{{1,3}}(?P<g>[.' {_SPACES}])\d{{3}}(?:(?P=g)\d{{3}})*(?:,\d+)?"),
}
_PLAIN = {False: re.compile(r"\d+(?:\.\d*)?|\.\d+"), True: re.compile(r"\d+(?:,\d*)?|,\d+")}


def _number(body: str, decimal_comma: bool) -> Decimal | None:
    """The exact value of digits with separators under one convention, else None."""
    if not (_PLAIN[decimal_comma].fullmatch(body) or _GROUPED[decimal_comma].fullmatch(body)):
        return None
    mark = "," if decimal_comma else "."
    whole, _, fraction = body.partition(mark)
    digits = re.sub(r"\D", "", whole)
    if len(digits) + len(fraction) > MAX_DIGITS:
        return None
    try:
        return Decimal(f"{digits or '0'}.{fraction}" if fraction else digits or "0")
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        return None


def _vote(body: str) -> bool | None:
    """What a number's text says about the decimal mark: True comma, False point, None unsure."""
    has_comma, has_point = "," in body, "." in body
    if has_comma and has_point:
        return body.rfind(",") > body.rfind(".")
    if has_comma:
        return None if re.fullmatch(r"\d{1,3}(,\d{3})+", body) else True
    if has_point:
        return None if re.fullmatch(r"\d{1,3}(\.\d{3})+", body) else False
    return None


class _Reader:
    """Turns the data rows into Deal lines, with every value's cell."""

    def __init__(
        self,
        name: str,
        cols: dict[str, int],
        header: list[str],
        delimiter: str,
        currency: str | None,
    ) -> None:
        self.name = name
        self.cols = cols
        self.header = header
        self.delimiter = delimiter
        self.currency = currency.strip().upper() if currency else None
        self.seen_currencies: frozenset[str] | None = None
        self.seen_at: tuple[str, Location] | None = None

    def at(self, row: int, field_name: str) -> Location:
        return Location(self.name, row, self.cols[field_name] + 1)

    def cell(self, cells: Sequence[str], field_name: str) -> str:
        index = self.cols.get(field_name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip().strip(_SPACES)

    def is_blank(self, cells: Sequence[str]) -> bool:
        return not any(self.cell(cells, f) for f in self.cols)

    def decimal_mark(self, data: Rows) -> bool:
        """Decide the file's decimal mark from the numbers that show it."""
        first: tuple[bool, str, Location] | None = None
        for row, cells in data:
            if self.is_blank(cells):
                continue
            for field_name in ("quantity", "unit_price", "discount"):
                text = self.cell(cells, field_name)
                amount = _split(text) if text else None
                vote = _vote(amount.body) if amount else None
                if vote is None:
                    continue
                if first is None:
                    first = (vote, text, self.at(row, field_name))
                elif vote != first[0]:
                    mark = "comma" if first[0] else "point"
                    raise InputError(
                        self.at(row, field_name),
                        f"'{text}' does not use the decimal {mark} of '{first[1]}' at {first[2]}: "
                        "a file uses one decimal mark",
                    )
        if first is not None:
            return first[0]
        return self.delimiter == ";"

    def lines(self, data: Rows, decimal_comma: bool) -> QuoteLines:
        lines: list[dict[str, Any]] = []
        locations: dict[int, Location] = {}
        cells_at: dict[tuple[int, str], Location] = {}
        notes: list[str] = []
        percent_column = self.discount_is_percent(data, decimal_comma)
        net_price = "unit_price" in self.cols and _normal(self.header[self.cols["unit_price"]]) in {
            _normal(h) for h in NET_PRICE_HEADERS
        }
        if net_price and "discount" in self.cols:
            notes.append(
                f"'{self.header[self.cols['unit_price']]}' is a net price: the discount column "
                f"'{self.header[self.cols['discount']]}' is not applied to it"
            )
        width = len(self.header)
        for row, cells in data:
            if self.is_blank(cells):
                continue
            extra = [i for i, c in enumerate(cells) if i >= width and c.strip()]
            if extra:
                raise InputError(
                    Location(self.name, row, extra[0] + 1),
                    f"row has {len(cells)} cells but the header has {width}: a number with a "
                    f"thousands separator must be quoted (\"1,250.00\") when '{self.delimiter}' "
                    "separates the columns",
                )
            sku = self.cell(cells, "sku")
            if not sku:
                raise InputError(self.at(row, "sku"), "the row has no SKU")
            if not _IDENTIFIER.fullmatch(sku) or len(sku) > MAX_CELL_CHARS:
                raise InputError(
                    self.at(row, "sku"),
                    f"'{sku[:60]}' is not a SKU: use letters, digits and - _ . : / (no spaces)",
                )
            quantity = self.amount(cells, row, "quantity", decimal_comma)
            if quantity is None:
                raise InputError(self.at(row, "quantity"), "the row has no quantity")
            if quantity <= _ZERO:
                raise InputError(
                    self.at(row, "quantity"), f"the quantity must be more than 0, got {quantity}"
                )
            price = self.amount(cells, row, "unit_price", decimal_comma)
            discount = self.discount(cells, row, decimal_comma, percent_column)
            index = len(lines)
            line: dict[str, Any] = {"sku": sku, "quantity": quantity}
            cells_at[(index, "sku")] = self.at(row, "sku")
            cells_at[(index, "quantity")] = self.at(row, "quantity")
            if price is not None:
                if discount and not net_price:
                    price = price * (_ONE - discount)
                    cells_at[(index, "discount")] = self.at(row, "discount")
                line["unit_price"] = price
                cells_at[(index, "unit_price")] = self.at(row, "unit_price")
            elif discount is not None:
                line["discount"] = discount
                cells_at[(index, "discount")] = self.at(row, "discount")
            else:
                where = "unit_price" if "unit_price" in self.cols else "discount"
                raise InputError(self.at(row, where), "the row has neither a price nor a discount")
            locations[index] = self.at(row, "sku")
            lines.append(line)
            if len(lines) > MAX_QUOTE_LINES:
                raise InputError(
                    self.at(row, "sku"),
                    f"more than {MAX_QUOTE_LINES:,} quote lines: split the deal",
                )
        if not lines:
            raise InputError(Location(self.name), "the file has a header but no quote lines")
        columns = {f: self.header[i].strip() for f, i in self.cols.items()}
        return QuoteLines(
            self.name, lines, locations, cells_at, columns, self.delimiter, decimal_comma, notes
        )

    def parse(
        self, text: str, row: int, field_name: str, decimal_comma: bool
    ) -> tuple[Decimal, _Amount]:
        where = self.at(row, field_name)
        amount = _split(text)
        value = _number(amount.body, decimal_comma) if amount else None
        if amount is None or value is None:
            hint = ""
            if re.search(r"\d[eE][-+]?\d", text):
                hint = " (scientific notation is not accepted: format the column as a plain number)"
            elif text.startswith("(") and text.endswith(")"):
                hint = " (brackets for a negative amount are not accepted)"
            elif amount is not None:
                mark = "comma" if decimal_comma else "point"
                hint = f" (this file uses the decimal {mark}; digits are grouped in threes)"
            raise InputError(where, f"'{text[:60]}' is not a number{hint}")
        if amount.negative:
            raise InputError(where, f"'{text[:60]}' is negative")
        return value, amount

    def amount(
        self, cells: Sequence[str], row: int, field_name: str, decimal_comma: bool
    ) -> Decimal | None:
        text = self.cell(cells, field_name)
        if not text:
            return None
        value, amount = self.parse(text, row, field_name, decimal_comma)
        where = self.at(row, field_name)
        if amount.percent:
            raise InputError(
                where, f"'{text}': a {field_name.replace('_', ' ')} is not a percentage"
            )
        if amount.currency is not None:
            if field_name == "quantity":
                raise InputError(where, f"'{text}': a quantity is not an amount of money")
            self.check_currency(text, amount.currency, where)
        return value

    def check_currency(self, text: str, currencies: frozenset[str], where: Location) -> None:
        if self.currency is not None:
            if self.currency not in currencies:
                said = next(iter(currencies)) if len(currencies) == 1 else "another currency"
                raise InputError(
                    where, f"'{text}' is in {said}, but the deal is in {self.currency}"
                )
            return
        if self.seen_currencies is None:
            self.seen_currencies, self.seen_at = currencies, (text, where)
            return
        common = self.seen_currencies & currencies
        if not common:
            assert self.seen_at is not None
            raise InputError(
                where,
                f"'{text}' is not in the currency of '{self.seen_at[0]}' at {self.seen_at[1]}",
            )
        self.seen_currencies = common

    def discount_is_percent(self, data: Rows, decimal_comma: bool) -> bool:
        """Bare discounts are percentages if the header says % or any of them is above 1."""
        if "discount" not in self.cols:
            return False
        if "%" in _normal(self.header[self.cols["discount"]]):
            return True
        for row, cells in data:
            text = self.cell(cells, "discount")
            if not text or self.is_blank(cells):
                continue
            value, amount = self.parse(text, row, "discount", decimal_comma)
            if not amount.percent and value > _ONE:
                return True
        return False

    def discount(
        self, cells: Sequence[str], row: int, decimal_comma: bool, percent_column: bool
    ) -> Decimal | None:
        text = self.cell(cells, "discount")
        if not text:
            return None
        value, amount = self.parse(text, row, "discount", decimal_comma)
        where = self.at(row, "discount")
        if amount.currency is not None:
            raise InputError(
                where,
                f"'{text}': a discount is a percentage (25%) or a fraction (0.25), not an amount",
            )
        fraction = value / _HUNDRED if amount.percent or percent_column else value
        if fraction > _ONE:
            raise InputError(where, f"'{text}': a discount must be between 0% and 100%")
        return fraction
