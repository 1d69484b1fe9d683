"""The data rows of a quote-lines CSV file become a deal's lines, each located at its cell.

:class:`LineReader` decides the file's decimal mark, reads every row's SKU, quantity,
price and discount (applying the discount to a price unless the price is net), checks
the currencies against the deal's, and returns :class:`QuoteLines`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dealcheck.errors import InputError, Location
from dealcheck.quotes.cells import (
    MAX_CELL_CHARS,
    SPACES,
    Amount,
    decimal_vote,
    parse_number,
    split_amount,
)
from dealcheck.quotes.table import NET_PRICE_HEADERS, Rows, normal_header
from dealcheck.yamlio.limits import MAX_QUOTE_LINES

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
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


class LineReader:
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
        return cells[index].strip().strip(SPACES)

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
                amount = split_amount(text) if text else None
                vote = decimal_vote(amount.body) if amount else None
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
        net_price = "unit_price" in self.cols and normal_header(
            self.header[self.cols["unit_price"]]
        ) in {normal_header(h) for h in NET_PRICE_HEADERS}
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
    ) -> tuple[Decimal, Amount]:
        where = self.at(row, field_name)
        amount = split_amount(text)
        value = parse_number(amount.body, decimal_comma) if amount else None
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
        if "%" in normal_header(self.header[self.cols["discount"]]):
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
