"""Quote lines from a CRM or CPQ export: a CSV file becomes a deal's ``lines:``.

A deal may take its lines from ``lines_file:`` instead of writing them out; the file is
whatever Salesforce, HubSpot or a CPQ tool exports. :func:`read_lines_csv` reads it
strictly and exactly, and every problem names ``file:row:column`` (row: the CSV line
number, 1-based, the header included; column: the 1-based column number).

What is read, and the decisions where exports differ:

* **Encoding**: UTF-8, with or without a BOM; UTF-16 (Excel's "Unicode text") or UTF-32
  with a BOM. Anything else is an error naming the first bad byte. At most 10 MiB.
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

The package: :mod:`~dealcheck.quotes.table` finds the delimiter, the header and the
columns, :mod:`~dealcheck.quotes.cells` parses amounts, currencies and numbers, and
:mod:`~dealcheck.quotes.lines` turns the data rows into a deal's lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dealcheck.errors import InputError, Location
from dealcheck.quotes.cells import MAX_CELL_CHARS, MAX_DIGITS
from dealcheck.quotes.lines import LineReader, QuoteLines
from dealcheck.quotes.table import (
    DELIMITERS,
    FIELDS,
    HEADER_SEARCH_ROWS,
    HEADERS,
    MAX_CSV_ROWS,
    NET_PRICE_HEADERS,
    SNIFF_CHARS,
    Rows,
    check_mapping,
    find_columns,
    read_table,
)
from dealcheck.yamlio import MAX_FILE_BYTES, MAX_QUOTE_LINES, decode_text, read_bytes

__all__ = [
    "DELIMITERS",
    "FIELDS",
    "HEADERS",
    "HEADER_SEARCH_ROWS",
    "MAX_CELL_CHARS",
    "MAX_CSV_ROWS",
    "MAX_DIGITS",
    "MAX_QUOTE_LINES",
    "NET_PRICE_HEADERS",
    "SNIFF_CHARS",
    "QuoteLines",
    "Rows",
    "parse_lines_csv",
    "read_lines_csv",
]


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
        decode_text(raw, name), name, columns, currency=currency, decimal_comma=decimal_comma
    )


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
    mapping = check_mapping(columns, name)
    delimiter, rows, header_at = read_table(text, name, mapping)
    header_row, header = rows[header_at]
    cols = find_columns(header, header_row, name, mapping)
    data = [(row, cells) for row, cells in rows[header_at + 1 :]]
    reader = LineReader(name, cols, header, delimiter, currency)
    decimal = decimal_comma if decimal_comma is not None else reader.decimal_mark(data)
    return reader.lines(data, decimal)
