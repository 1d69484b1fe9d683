"""Strict, safe YAML (SPEC §1.1): what the loader accepts, what it refuses, and where it says so."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml.scanner import ScannerError

from dealcheck import yamlio
from dealcheck.errors import InputError, Location
from dealcheck.yamlio import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    load_file,
    load_string,
)


def load_one(text: str, name: str = "in.yaml") -> Any:
    docs = load_string(text, name)
    assert len(docs) == 1
    return docs[0].data


def refused(text: str, name: str = "in.yaml") -> InputError:
    with pytest.raises(InputError) as info:
        load_string(text, name)
    return info.value


def walk(value: Any) -> list[Any]:
    """Every scalar of loaded data."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in walk(v)]
    if isinstance(value, list):
        return [s for v in value for s in walk(v)]
    return [value]


# -- safe tags only ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
    ],
)
def test_python_tags_are_refused_with_their_position_and_nothing_runs(
    tmp_path: Path, tag: str
) -> None:
    marker = tmp_path / "pwned"
    deal = tmp_path / "deal.yaml"
    deal.write_text(f'kind: Deal\nid: {tag} ["touch {marker}"]\n', encoding="utf-8")

    with pytest.raises(InputError) as info:
        load_file(deal, "deal.yaml")

    assert info.value.location == Location("deal.yaml", 2, 5)
    assert str(info.value).startswith("deal.yaml:2:5: ")
    assert tag in info.value.message and "not allowed" in info.value.message
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!binary", "!!set", "!!omap", "!!timestamp", "!custom"])
def test_other_non_data_tags_are_refused(tag: str) -> None:
    err = refused(f"a: 1\nb: {tag} x\n")
    assert err.location == Location("in.yaml", 2, 4)
    assert "not allowed" in err.message


def test_plain_core_tags_are_data() -> None:
    data = load_one("a: !!str 1\nb: !!int 3\nc: !!float 0.5\n")
    assert data == {"a": "1", "b": 3, "c": Decimal("0.5")}
    assert type(data["c"]) is Decimal


# -- duplicate keys ---------------------------------------------------------------------------


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    text = "kind: Deal\nunit_price: 610.00\nid: Q-1\nunit_price: 10.00\n"
    err = refused(text)
    assert err.location == Location("in.yaml", 4, 1)
    assert "duplicate key 'unit_price'" in err.message
    assert "line 2" in err.message


def test_duplicate_key_in_a_nested_flow_mapping() -> None:
    err = refused("lines:\n  - {sku: A, quantity: 1, sku: B}\n")
    assert err.location == Location("in.yaml", 2, 27)
    assert "duplicate key 'sku'" in err.message and "line 2, column 6" in err.message


def test_same_key_in_different_mappings_is_fine() -> None:
    assert load_one("a: {x: 1}\nb: {x: 2}\n") == {"a": {"x": 1}, "b": {"x": 2}}


# -- YAML 1.2 booleans ------------------------------------------------------------------------


def test_country_no_is_norway_not_false() -> None:
    data = load_one("customer:\n  country: NO\n")
    assert data["customer"]["country"] == "NO"


@pytest.mark.parametrize(
    "word", ["NO", "no", "No", "on", "On", "ON", "off", "yes", "Yes", "y", "Y", "n", "N"]
)
def test_yaml_11_booleans_are_strings(word: str) -> None:
    value = load_one(f"v: {word}\n")["v"]
    assert value == word
    assert type(value) is str


@pytest.mark.parametrize(("word", "expected"), [("true", True), ("false", False)])
def test_only_true_and_false_are_booleans(word: str, expected: bool) -> None:
    assert load_one(f"v: {word}\n")["v"] is expected


# -- exact decimals ---------------------------------------------------------------------------


def test_decimal_numbers_are_exact_and_never_float() -> None:
    data = load_one(
        "unit_price: 0.1\nother: 0.2\nsci: 1e3\nunderscored: 1_000\nrate: 151.3\nlist: [0.60, 2]\n"
    )
    assert data["unit_price"] == Decimal("0.1")
    assert type(data["unit_price"]) is Decimal
    assert data["unit_price"] + data["other"] == Decimal("0.3")  # no binary rounding
    assert data["sci"] == 1000
    assert data["underscored"] == 1000
    assert data["list"][0] == Decimal("0.60")
    for value in walk(data):
        assert not isinstance(value, float), value
        assert type(value) in (int, Decimal)


def test_integers_stay_integers() -> None:
    data = load_one("q: 250\nneg: -3\nu: 1_000\n")
    assert data == {"q": 250, "neg": -3, "u": 1000}
    assert all(type(v) is int for v in data.values())


def test_quoted_numbers_stay_text() -> None:
    assert load_one("id: '0.1'\nclause: \"7.2\"\n") == {"id": "0.1", "clause": "7.2"}


@pytest.mark.parametrize("text", ["n: 1e500\n", "n: 1e-500\n", "n: " + "9" * 60 + "\n"])
def test_absurd_numbers_are_refused(text: str) -> None:
    err = refused(text)
    assert err.location == Location("in.yaml", 1, 4)


# -- dates ------------------------------------------------------------------------------------


def test_iso_dates_are_dates() -> None:
    data = load_one("start_date: 2027-01-31\n")
    assert data["start_date"] == date(2027, 1, 31)
    assert type(data["start_date"]) is date


def test_an_impossible_date_is_a_located_error() -> None:
    err = refused("kind: Deal\nstart_date: 2027-02-30\n")
    assert err.location == Location("in.yaml", 2, 13)
    assert "2027-02-30" in err.message and "YYYY-MM-DD" in err.message


def test_quarters_are_left_for_the_roadmap_fields_to_interpret() -> None:
    # The loader keeps them as text; models turn them into the quarter's last day.
    assert load_one("target: 2027-Q2\n") == {"target": "2027-Q2"}


# -- encodings and characters -----------------------------------------------------------------


def test_utf8_bom_and_crlf_line_ends_are_accepted(tmp_path: Path) -> None:
    file = tmp_path / "deal.yaml"
    file.write_bytes(b"\xef\xbb\xbfkind: Deal\r\nid: Q-1\r\nnote: caf\xc3\xa9\r\n")
    [doc] = load_file(file, "deal.yaml")
    assert doc.data == {"kind": "Deal", "id": "Q-1", "note": "café"}
    assert doc.source.locate(("id",)) == Location("deal.yaml", 2, 5)
    assert doc.source.locate(("kind",)) == Location("deal.yaml", 1, 7)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_yaml_text(
    tmp_path: Path, encoding: str
) -> None:
    # YAML 1.2 §5.2; what Windows PowerShell's ">" (UTF-16 LE) and Excel's "Unicode text"
    # write. "utf-16" and "utf-32" write the machine's byte order with its mark.
    text = "\ufeffkind: Deal\r\nid: Q-1\r\nnote: café €\r\n"
    if encoding in ("utf-16", "utf-32"):
        text = text[1:]  # the codec writes the mark itself
    file = tmp_path / "deal.yaml"
    file.write_bytes(text.encode(encoding))
    [doc] = load_file(file, "deal.yaml")
    assert doc.data == {"kind": "Deal", "id": "Q-1", "note": "café €"}
    assert doc.source.locate(("id",)) == Location("deal.yaml", 2, 5)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_file_that_breaks_off_after_a_wide_byte_order_mark_is_an_error(
    tmp_path: Path, encoding: str
) -> None:
    file = tmp_path / "bad.yaml"
    file.write_bytes("kind: Deal\n".encode(encoding)[:-1])
    with pytest.raises(InputError) as info:
        load_file(file, "bad.yaml")
    label = encoding.upper()
    assert info.value.location == Location("bad.yaml")
    assert info.value.message == f"not valid {label} (it starts with a {label} byte-order mark)"


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"kind: Deal\nname: caf\xe9\n", 2, 10),  # Latin-1 é
        (b"kind: Deal\r\nname: \xc3\xa9\xc3\xa9\xff\r\n", 2, 9),  # after two good é
        (b"\xef\xbb\xbfname: \xff\n", 1, 7),  # after a BOM
    ],
)
def test_invalid_utf8_is_a_located_error(
    tmp_path: Path, raw: bytes, line: int, column: int
) -> None:
    file = tmp_path / "bad.yaml"
    file.write_bytes(raw)
    with pytest.raises(InputError) as info:
        load_file(file, "bad.yaml")
    assert info.value.location == Location("bad.yaml", line, column)
    assert "not valid UTF-8" in info.value.message


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"kind: Deal\nid: Q\x001\n", 2, 6),
        (b'kind: Deal\nid: "Q\x001"\n', 2, 7),
        (b"kind: Deal\nname: \xc3\xa9\xc3\xa9\x00\n", 2, 9),  # column counts characters
        (b"\xef\xbb\xbfid: \x00\n", 1, 5),
    ],
)
def test_nul_byte_is_a_located_error(tmp_path: Path, raw: bytes, line: int, column: int) -> None:
    file = tmp_path / "nul.yaml"
    file.write_bytes(raw)
    with pytest.raises(InputError) as info:
        load_file(file, "nul.yaml")
    assert info.value.location == Location("nul.yaml", line, column)
    assert "U+0000" in info.value.message


# -- bounded work -----------------------------------------------------------------------------


def test_a_file_over_10_mib_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "huge.yaml"
    file.write_bytes(b"a: 1\n#" + b"x" * MAX_FILE_BYTES)
    with pytest.raises(InputError) as info:
        load_file(file, "huge.yaml")
    assert info.value.location.file == "huge.yaml"
    assert "10 MiB" in info.value.message


def test_a_file_of_exactly_10_mib_is_read(tmp_path: Path) -> None:
    file = tmp_path / "big.yaml"
    head = b"a: 1\n#"
    file.write_bytes(head + b"x" * (MAX_FILE_BYTES - len(head) - 1) + b"\n")
    assert file.stat().st_size == MAX_FILE_BYTES
    assert load_file(file)[0].data == {"a": 1}


def test_nesting_of_64_levels_is_read_and_65_refused() -> None:
    deepest = load_one("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    for _ in range(MAX_DEPTH - 1):
        deepest = deepest[0]
    assert deepest == []

    err = refused("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert err.location == Location("in.yaml", 1, MAX_DEPTH + 1)
    assert "nesting deeper than 64" in err.message


def test_deep_block_mappings_are_refused_too() -> None:
    text = "".join(f"{'  ' * i}k:\n" for i in range(MAX_DEPTH + 1)) + "  " * (MAX_DEPTH + 1) + "v\n"
    err = refused(text)
    assert "nesting deeper than 64" in err.message


# dealcheck's own limits hold whatever the parser's are: libyaml 0.2.6 (the newest PyYAML
# wheels) stops at 1,000 levels, and its scanner reads a run of "[" to the end before the
# first event, so without care its limit, not dealcheck's, would name the error.
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type[Any]:
    """Run the test with libyaml's C parser (when PyYAML has it) and with the Python one."""
    loader: type[Any] = request.param
    monkeypatch.setattr(yamlio, "_Loader", loader)
    monkeypatch.setattr(yamlio, "_BYTE_OFFSETS", loader is not yaml.SafeLoader)
    return loader


class ShallowLoader(yaml.SafeLoader):
    """A parser with a nesting limit of its own (100 flow levels), found while reading ahead."""

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # noqa: N803 - PyYAML's name
        if self.flow_level >= 100:
            raise ScannerError(
                "while increasing flow level", None, "too deep for me", self.get_mark()
            )
        super().fetch_flow_collection_start(TokenClass)


def deep_block_mappings(levels: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + "  " * levels + "v\n"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[" * 70 + "]" * 70, 1, 65),
        ("{a: " * 70 + "1" + "}" * 70, 1, 4 * 64 + 1),
        (deep_block_mappings(70), 65, 2 * 64 + 1),
        ("x:\n  " + "[" * 70 + "]" * 70 + "\n", 2, 66),  # the block mapping is level 1
        ("[" * 10_000, 1, 65),  # unclosed: libyaml's own limit is met first, reading ahead
        ("[" * 2_000 + "]" * 2_000, 1, 65),
        ("{a: " * 2_000 + "1" + "}" * 2_000, 1, 4 * 64 + 1),
        ("a:\n" + "- " * 3_000 + "x\n", 2, 1 + 2 * 63),  # compact block sequences
    ],
    ids=[
        "70-flow-sequences",
        "70-flow-mappings",
        "70-block-mappings",
        "flow-in-block",
        "10000-open-brackets",
        "2000-closed-brackets",
        "2000-flow-mappings",
        "3000-block-sequences",
    ],
)
def test_the_65th_level_is_refused_where_it_starts_with_either_parser(
    parser: type[Any], text: str, line: int, column: int
) -> None:
    err = refused(text)
    assert (err.location, err.message) == (
        Location("in.yaml", line, column),
        "nesting deeper than 64 levels",
    )


def test_a_parser_limit_met_while_reading_ahead_does_not_hide_dealcheck_s_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[yaml.Event] = []
    with pytest.raises(ScannerError, match="too deep for me"):
        events.extend(yaml.parse("[" * 101, Loader=ShallowLoader))
    # its limit is met before the first collection's event, as libyaml's is
    assert [type(event) for event in events] == [yaml.StreamStartEvent]

    monkeypatch.setattr(yamlio, "_Loader", ShallowLoader)
    err = refused("a: 1\nb: " + "[" * 500)
    assert (err.location, err.message) == (
        Location("in.yaml", 2, 3 + 64),
        "nesting deeper than 64 levels",
    )


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [("a: [" + "[" * 20 + "\nb: 1\n", 3, 1), ("[" * 30 + "}", 1, 31)],
)
def test_a_parser_error_before_any_limit_is_reported_as_the_parser_s(
    parser: type[Any], text: str, line: int, column: int
) -> None:
    err = refused(text)
    assert err.location == Location("in.yaml", line, column)
    assert err.message.startswith("invalid YAML: ")


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghi"
    for prev, name in zip(names, names[1:], strict=False):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    started = time.perf_counter()
    err = refused("\n".join(levels) + "\n")
    assert time.perf_counter() - started < 1
    assert "alias expansion exceeds 10,000 nodes" in err.message
    assert err.location.line == 4  # the first alias that crosses the limit (d: 10 × 1,111)


def test_aliases_within_the_budget_work_and_keep_positions() -> None:
    [doc] = load_string("base: &b {x: 1, y: [2, 3]}\ncopy: *b\n", "in.yaml")
    assert doc.data["copy"] == {"x": 1, "y": [2, 3]}
    # a problem in the copy is reported where the value is written
    assert doc.source.locate(("copy", "y", 1)) == Location("in.yaml", 1, 24)
    assert doc.source.locate(("copy",)) == Location("in.yaml", 2, 7)


def test_many_aliases_in_a_large_document_stay_fast() -> None:
    # Alias bookkeeping must not rescan the whole document per alias (quadratic work).
    scalars = "".join(f"  - s{i}\n" for i in range(30_000))
    aliases = "  - *x\n" * (MAX_ALIAS_NODES - 1)
    text = f"a: &x v\nbig:\n{scalars}copies:\n{aliases}"
    started = time.perf_counter()
    [doc] = load_string(text, "in.yaml")
    assert time.perf_counter() - started < 3
    assert len(doc.data["copies"]) == MAX_ALIAS_NODES - 1


def test_merge_keys_are_refused() -> None:
    err = refused("base: &b {x: 1}\nthing:\n  <<: *b\n  y: 2\n")
    assert err.location == Location("in.yaml", 3, 3)
    assert "merge keys" in err.message


# -- structure and errors ---------------------------------------------------------------------


def test_several_documents_in_one_file_and_empty_ones_are_skipped() -> None:
    docs = load_string("kind: A\n---\n---\nkind: B\n", "multi.yaml")
    assert [d.data for d in docs] == [{"kind": "A"}, {"kind": "B"}]
    assert docs[1].source.locate(("kind",)) == Location("multi.yaml", 4, 7)


def test_json_is_accepted_with_exact_numbers(tmp_path: Path) -> None:
    file = tmp_path / "fx.json"
    file.write_text('{"kind": "FxRates", "rates": {"EUR": 0.92}}', encoding="utf-8")
    [doc] = load_file(file)
    assert doc.data["rates"]["EUR"] == Decimal("0.92")
    assert type(doc.data["rates"]["EUR"]) is Decimal


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("kind: Deal\nid: [unclosed\nname: x\n", 3, 5),
        ("kind: Deal\n  id: x\n", 2, 5),
        ("a: 'open\n", 2, 1),
        ("a: *nowhere\n", 1, 4),
        ("? [a, b]\n: 1\n", 1, 3),
    ],
)
def test_malformed_yaml_is_a_located_input_error(text: str, line: int, column: int) -> None:
    err = refused(text, "m.yaml")
    assert err.location == Location("m.yaml", line, column)
    assert str(err).startswith(f"m.yaml:{line}:{column}: ")


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_file(tmp_path / "nope.yaml", "nope.yaml")
    with pytest.raises(InputError, match="is a directory"):
        load_file(tmp_path, "dir")
