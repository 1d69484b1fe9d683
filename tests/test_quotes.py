"""Quote lines from CRM/CPQ CSV exports: headers, delimiters, exact numbers, and every
problem located at ``file:row:column``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealcheck.engine import Engine
from dealcheck.errors import InputError, Location
from dealcheck.models import DealBody, parse_document
from dealcheck.quotes import QuoteLines, parse_lines_csv, read_lines_csv
from dealcheck.yamlio import MAX_FILE_BYTES, load_file

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = REPO / "examples" / "deals"


def parse(text: str, **options: Any) -> QuoteLines:
    return parse_lines_csv(text, "quote.csv", **options)


def refused(text: str, **options: Any) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text, **options)
    return info.value


def write(tmp_path: Path, data: bytes, name: str = "quote.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- the shipped Salesforce-style export ------------------------------------------------------------


def test_a_salesforce_export_becomes_deal_lines_with_their_cells() -> None:
    quote = read_lines_csv(
        EXAMPLE_DIR / "northwind-crm-export.csv", "northwind-crm-export.csv", currency="EUR"
    )

    assert quote.lines == [
        {"sku": "AA-ENT-USER-Y", "quantity": Decimal("120"), "unit_price": Decimal("414")},
        {"sku": "AA-FORECAST-USER-Y", "quantity": Decimal("120"), "unit_price": Decimal("99.36")},
        {"sku": "AC-BUS-INST-Y", "quantity": Decimal("2"), "unit_price": Decimal("24840")},
        {"sku": "AC-AGENT-Y", "quantity": Decimal("3"), "unit_price": Decimal("1876.80")},
    ]
    assert all(
        isinstance(v, Decimal) for line in quote.lines for k, v in line.items() if k != "sku"
    )
    assert quote.columns == {
        "sku": "Product Code",
        "quantity": "Quantity",
        "unit_price": "Sales Price",
        "discount": "Discount",
    }
    assert quote.locations[0] == Location("northwind-crm-export.csv", 2, 5)
    assert quote.cells[(3, "unit_price")] == Location("northwind-crm-export.csv", 5, 8)
    assert quote.cells[(3, "discount")] == Location("northwind-crm-export.csv", 5, 9)
    assert (quote.delimiter, quote.decimal_comma) == (",", False)


def test_the_example_deal_with_lines_from_the_crm_checks_as_expected(sample_engine: Engine) -> None:
    (doc,) = load_file(EXAMPLE_DIR / "crm-import.yaml", "crm-import.yaml")
    lines_file = doc.data.pop("lines_file")
    assert lines_file == "northwind-crm-export.csv"  # next to the deal, never outside its folder
    quote = read_lines_csv(EXAMPLE_DIR / lines_file, lines_file, currency=doc.data["currency"])
    doc.data["lines"] = quote.lines
    model, problems = parse_document(doc, ("Deal",))
    assert problems == [] and isinstance(model, DealBody)

    result = sample_engine.check(model, doc.source)

    assert result.verdict == "needs-approval"
    assert {f.rule for f in result.findings} == {"discount-needs-manager", "feature-restricted"}
    assert result.approvals_required == ["Sales Manager"]


# -- headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ("SKU,Qty,Unit Price", ("sku", "quantity", "unit_price")),
        ("product sku;UNITS;net price", ("sku", "quantity", "unit_price")),
        ("Item\tquantity\tPrice", ("sku", "quantity", "unit_price")),
        ("Item Code,Quantity,Disc", ("sku", "quantity", "discount")),
        ("Product_Code,QTY,Discount (%)", ("sku", "quantity", "discount")),
    ],
)
def test_common_headers_are_recognised_case_insensitively(
    header: str, fields: tuple[str, ...]
) -> None:
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    quote = parse(f"{header}\nX-1{delimiter}2{delimiter}30\n")
    assert tuple(quote.columns) == fields
    assert quote.delimiter == delimiter
    assert quote.lines[0]["sku"] == "X-1" and quote.lines[0]["quantity"] == Decimal(2)


def test_a_column_mapping_names_headers_of_your_own() -> None:
    quote = parse(
        "Material,Menge,Preis,SKU\nX-1,3,9.50,ignored\n",
        columns={"sku": "material", "quantity": "Menge", "unit_price": "PREIS"},
    )
    assert quote.lines == [{"sku": "X-1", "quantity": Decimal(3), "unit_price": Decimal("9.50")}]
    assert quote.columns == {"sku": "Material", "quantity": "Menge", "unit_price": "Preis"}


def test_a_bad_column_mapping_is_refused() -> None:
    err = refused("SKU,Qty,Price\nX,1,2\n", columns={"price": "Price"})
    assert (
        "'price' is not a quote line field (one of: sku, quantity, unit_price, discount)"
        in err.message
    )
    err = refused("SKU,Qty,Price\nX,1,2\n", columns={"unit_price": "Net"})
    assert err.message.startswith(
        "columns maps unit_price to 'Net', but the header has no such column"
    )
    assert str(err.location) == "quote.csv:1:1"


def test_a_missing_column_names_the_headers_found_and_expected() -> None:
    err = refused("Opportunity,Product Name,Amount\nBig deal,Analytics,100\n")
    assert str(err.location) == "quote.csv:1:1"
    assert "found: 'Opportunity', 'Product Name', 'Amount'" in err.message
    assert "expected a SKU column ('Product Code', 'SKU'" in err.message
    assert "a quantity column ('Quantity', 'Qty', 'Units')" in err.message

    err = refused("SKU,Qty,List Price\nX,1,100\n")
    assert err.message.startswith("no price or discount column; found: 'SKU', 'Qty', 'List Price'")


def test_two_columns_for_one_field_are_an_error_not_a_guess() -> None:
    err = refused("SKU,Product Code,Qty,Price\nA,B,1,2\n")
    assert str(err.location) == "quote.csv:1:2"
    assert (
        "two columns could be the sku: 'SKU' (column 1) and 'Product Code' (column 2)"
        in err.message
    )


def test_title_rows_above_the_header_are_skipped() -> None:
    text = '"Opportunity Products Report"\n"Generated 2026-11-20"\n\nSKU,Qty,Price\nX-1,1,10\n'
    quote = parse(text)
    assert quote.locations == {0: Location("quote.csv", 5, 1)}


# -- file format ------------------------------------------------------------------------------------


def test_bom_crlf_and_semicolons_with_decimal_commas(tmp_path: Path) -> None:
    data = '\ufeffProduct Code;Quantity;Sales Price\r\nAA-ENT-USER-Y;1.000;1.250,00\r\nAA-STD-USER-Y;3;"12,5"\r\n'
    quote = read_lines_csv(write(tmp_path, data.encode("utf-8")), "quote.csv")
    assert (quote.delimiter, quote.decimal_comma) == (";", True)
    assert quote.lines == [
        {"sku": "AA-ENT-USER-Y", "quantity": Decimal(1000), "unit_price": Decimal("1250.00")},
        {"sku": "AA-STD-USER-Y", "quantity": Decimal(3), "unit_price": Decimal("12.5")},
    ]
    assert quote.columns["sku"] == "Product Code"  # the BOM is not part of the header
    assert quote.locations[1] == Location("quote.csv", 3, 1)


def test_utf16_tab_separated_from_excel(tmp_path: Path) -> None:
    text = "SKU\tQty\tPrice\r\nX-1\t2\t1 250,50\r\n"
    quote = read_lines_csv(write(tmp_path, text.encode("utf-16")), "quote.csv")
    assert quote.delimiter == "\t"
    assert quote.lines[0]["unit_price"] == Decimal("1250.50")


def test_a_quoted_field_over_several_lines_keeps_row_numbers_right() -> None:
    text = 'SKU,Qty,Price,Notes\nX-1,1,10,"two\nlines"\nX-2,1,12x,\n'
    err = refused(text)
    assert str(err.location) == "quote.csv:4:3"


def test_a_file_that_is_not_utf8_is_refused_at_the_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "SKU,Qty,Price\nX-1,1,€ 10\n".encode("cp1252"))
    with pytest.raises(InputError, match="not valid UTF-8") as info:
        read_lines_csv(path, "quote.csv")
    assert str(info.value.location) == "quote.csv:2:7"


def test_size_limit_and_missing_file(tmp_path: Path) -> None:
    big = write(tmp_path, b"SKU,Qty,Price\n" + b"x" * MAX_FILE_BYTES)
    with pytest.raises(InputError, match="10 MiB"):
        read_lines_csv(big, "big.csv")
    with pytest.raises(InputError, match="no such file"):
        read_lines_csv(tmp_path / "missing.csv", "missing.csv")
    with pytest.raises(InputError, match="is a directory"):
        read_lines_csv(tmp_path, "dir")


# -- rows -------------------------------------------------------------------------------------------


def test_empty_rows_are_skipped_and_a_file_without_lines_is_refused() -> None:
    quote = parse("Opportunity,SKU,Qty,Price\n,,,\nBig deal,,,\nBig deal,X-1,1,10\n\n,,,\n")
    assert quote.locations == {0: Location("quote.csv", 4, 2)}
    err = refused("SKU,Qty,Price\n,,\n")
    assert err.message == "the file has a header but no quote lines"


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        (",1,10", "2:1", "the row has no SKU"),
        ("AA ENT,1,10", "2:1", "'AA ENT' is not a SKU"),
        ("X-1,,10", "2:2", "the row has no quantity"),
        ("X-1,0,10", "2:2", "the quantity must be more than 0, got 0"),
        ("X-1,-2,10", "2:2", "'-2' is negative"),
        ("X-1,2%,10", "2:2", "'2%': a quantity is not a percentage"),
        ("X-1,$2,10", "2:2", "'$2': a quantity is not an amount of money"),
        ("X-1,1,", "2:3", "the row has neither a price nor a discount"),
        ("X-1,1,12,5x", "2:4", "row has 4 cells but the header has 3"),
        ('X-1,1,"12,5x"', "2:3", "'12,5x' is not a number"),
        ("X-1,1,1e3", "2:3", "scientific notation is not accepted"),
        ("X-1,1,(600)", "2:3", "brackets for a negative amount are not accepted"),
        ("X-1,1,10%", "2:3", "'10%': a unit price is not a percentage"),
        ("X-1,1,XYZ 10", "2:3", "'XYZ 10' is not a number"),
    ],
)
def test_a_bad_cell_is_an_error_at_its_row_and_column(row: str, where: str, message: str) -> None:
    err = refused(f"SKU,Qty,Price\n{row}\n")
    assert str(err.location) == f"quote.csv:{where}"
    assert message in err.message


def test_a_malformed_number_deep_in_a_file_is_reported_at_its_cell() -> None:
    rows = "".join(f'X-{i},1,"1,250.00"\n' for i in range(40))
    err = refused(
        "Opportunity,SKU,Qty,Price\n" + rows.replace("X-", "Big,X-") + 'Big,X-40,2,"12,5x"\n'
    )
    assert str(err.location) == "quote.csv:42:4"
    assert err.message.startswith("'12,5x' is not a number")


def test_an_unquoted_thousands_separator_is_caught_not_misread() -> None:
    err = refused("SKU,Qty,Price\nX-1,1,1,250.00\n")
    assert str(err.location) == "quote.csv:2:4"
    assert 'must be quoted ("1,250.00")' in err.message


# -- numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ('"1,250.00"', "1250.00"),
        ('"$1,250.00"', "1250.00"),
        ("€ 600", "600"),
        ("AUD 600.00", "600.00"),
        ("600.00 AUD", "600.00"),
        ("US$600", "600"),
        ("1'250.50", "1250.50"),
        ('"1 250.50"', "1250.50"),
        ("0.1", "0.1"),
        (".5", "0.5"),
        ('"12,345,678.901"', "12345678.901"),
    ],
)
def test_prices_are_read_exactly(cell: str, value: str) -> None:
    price = parse(f"SKU,Qty,Price\nX-1,1,{cell}\n").lines[0]["unit_price"]
    assert isinstance(price, Decimal)
    assert price == Decimal(value) and str(price) == value


@pytest.mark.parametrize(
    ("cells", "decimal_comma", "values"),
    [
        (['"1,250.00"', "12.5"], False, ["1250.00", "12.5"]),
        (["1.250,00", "12,5"], True, ["1250.00", "12.5"]),
        (['"1,250"', "600"], False, ["1250", "600"]),  # no number shows the mark: "," file → point
    ],
)
def test_the_decimal_mark_is_decided_once_per_file(
    cells: list[str], decimal_comma: bool, values: list[str]
) -> None:
    delimiter = ";" if decimal_comma else ","
    text = f"SKU{delimiter}Qty{delimiter}Price\n" + "".join(
        f"X-{i}{delimiter}1{delimiter}{c}\n" for i, c in enumerate(cells)
    )
    quote = parse(text)
    assert quote.decimal_comma is decimal_comma
    assert [line["unit_price"] for line in quote.lines] == [Decimal(v) for v in values]


def test_without_a_telling_number_a_semicolon_file_uses_the_decimal_comma() -> None:
    quote = parse("SKU;Qty;Price\nX-1;1;1,250\n")
    assert quote.decimal_comma is True and quote.lines[0]["unit_price"] == Decimal("1.250")
    forced = parse("SKU;Qty;Price\nX-1;1;1,250\n", decimal_comma=False)
    assert forced.lines[0]["unit_price"] == Decimal("1250")


def test_a_file_mixing_decimal_marks_is_refused() -> None:
    err = refused('SKU,Qty,Price\nX-1,1,"1,250.00"\nX-2,1,"12,5"\n')
    assert str(err.location) == "quote.csv:3:3"
    assert "does not use the decimal point of '1,250.00' at quote.csv:2:3" in err.message


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_grouped_numbers_in_either_convention_read_as_the_same_exact_value(value: Decimal) -> None:
    english = f"{value:,.2f}"
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    text_en = f'SKU,Qty,Price\nX-1,1,"{english}"\n'
    text_de = f'SKU;Qty;Price\nX-1;1;"{german}"\n'
    assert parse(text_en).lines[0]["unit_price"] == value
    assert parse(text_de, decimal_comma=True).lines[0]["unit_price"] == value


# -- currencies -------------------------------------------------------------------------------------


def test_amounts_must_be_in_the_deal_currency() -> None:
    err = refused("SKU,Qty,Price\nX-1,1,€ 600\n", currency="AUD")
    assert str(err.location) == "quote.csv:2:3"
    assert err.message == "'€ 600' is in EUR, but the deal is in AUD"
    assert parse("SKU,Qty,Price\nX-1,1,$600\n", currency="AUD").lines[0]["unit_price"] == 600
    assert parse("SKU,Qty,Price\nX-1,1,A$600\n", currency="AUD").lines[0]["unit_price"] == 600
    err = refused("SKU,Qty,Price\nX-1,1,US$600\n", currency="AUD")
    assert err.message == "'US$600' is in USD, but the deal is in AUD"
    err = refused("SKU,Qty,Price\nX-1,1,£600\n", currency="EUR")
    assert err.message == "'£600' is in GBP, but the deal is in EUR"


def test_without_a_deal_currency_one_file_is_in_one_currency() -> None:
    err = refused("SKU,Qty,Price\nX-1,1,EUR 600\nX-2,1,GBP 10\n")
    assert str(err.location) == "quote.csv:3:3"
    assert "'GBP 10' is not in the currency of 'EUR 600' at quote.csv:2:3" in err.message


# -- prices and discounts ---------------------------------------------------------------------------


def test_a_discount_only_row_is_a_discount_off_list() -> None:
    quote = parse("SKU,Qty,Price,Discount\nX-1,1,,25%\nX-2,1,,0.1\n")
    assert quote.lines == [
        {"sku": "X-1", "quantity": Decimal(1), "discount": Decimal("0.25")},
        {"sku": "X-2", "quantity": Decimal(1), "discount": Decimal("0.1")},
    ]
    assert quote.cells[(0, "discount")] == Location("quote.csv", 2, 4)


def test_bare_discounts_above_one_make_the_whole_column_percentages() -> None:
    quote = parse("SKU,Qty,Discount\nX-1,1,25\nX-2,1,0.5\nX-3,1,10 %\n")
    assert [line["discount"] for line in quote.lines] == [
        Decimal("0.25"),
        Decimal("0.005"),  # 0.5 %, like its column, not 50 %
        Decimal("0.1"),
    ]
    assert parse("SKU,Qty,Discount %\nX-1,1,0.5\n").lines[0]["discount"] == Decimal("0.005")
    assert parse("SKU,Qty,Disc\nX-1,1,0.25\n").lines[0]["discount"] == Decimal("0.25")


def test_a_discount_beyond_100_percent_or_with_a_currency_is_refused() -> None:
    err = refused("SKU,Qty,Discount\nX-1,1,120%\n")
    assert (str(err.location), err.message) == (
        "quote.csv:2:3",
        "'120%': a discount must be between 0% and 100%",
    )
    err = refused("SKU,Qty,Discount\nX-1,1,$5\n")
    assert "a discount is a percentage (25%) or a fraction (0.25), not an amount" in err.message


def test_a_discount_applies_to_the_sales_price_in_the_same_row() -> None:
    quote = parse("SKU,Qty,Sales Price,Discount\nX-1,1,600.00,25%\nX-2,1,500,\nX-3,1,500,0%\n")
    assert [line["unit_price"] for line in quote.lines] == [
        Decimal("450"),
        Decimal(500),
        Decimal(500),
    ]
    assert all("discount" not in line for line in quote.lines)


def test_a_net_price_is_already_discounted() -> None:
    quote = parse("SKU,Qty,Net Price,Discount\nX-1,1,450.00,25%\n")
    assert quote.lines == [{"sku": "X-1", "quantity": Decimal(1), "unit_price": Decimal("450.00")}]
    assert quote.notes == [
        "'Net Price' is a net price: the discount column 'Discount' is not applied to it"
    ]
