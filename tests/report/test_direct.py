"""Workers that write their own deals (``--jobs``): each work unit's text goes straight to
the report's file descriptor, in input order whatever order the units finish in, with the
head before the first deal and the separator between deals; only stats go back."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path

import pytest

from dealcheck.engine import Engine
from dealcheck.findings import DealResult, DealStats, Tally
from dealcheck.report import json_report
from dealcheck.report.direct import OrderedOutput
from dealcheck.report.results import CheckReport, Framing, RenderedDeals, render_each
from dealcheck.run import check_units
from tests.deal_batches import jsonl_deals

FRAMING = Framing(b"HEAD", b"[", b"|")


def _first_unit_last(results: Iterable[DealResult]) -> list[RenderedDeals]:
    """Render a unit; the unit holding the first deal takes its time, so the units after
    it finish first."""
    batches = render_each(json_report.rendered, b"|", results)
    if batches and b'"id": "Q-0000"' in batches[0].text:
        time.sleep(0.5)
    return batches


def _rendered_here(engine: Engine, deals: Path) -> list[RenderedDeals]:
    return list(
        check_units(engine, [str(deals)], 1, partial(render_each, json_report.rendered, b"|"))
    )


def test_units_are_written_in_input_order_though_a_later_one_finishes_first(
    sample_engine: Engine, tmp_path: Path
) -> None:
    deals = jsonl_deals(tmp_path / "deals.jsonl", 600)  # units of 256 + 256 + 88
    expected = _rendered_here(sample_engine, deals)
    with open(tmp_path / "out", "wb") as out:
        sink = OrderedOutput(out.fileno(), FRAMING)
        items = list(check_units(sample_engine, [str(deals)], 2, _first_unit_last, sink=sink))
    written = (tmp_path / "out").read_bytes()
    # (checked in-process, each deal is its own item: the same texts, one unit per item here)
    texts = b"|".join(item.text for item in expected)
    assert written == b"HEAD[" + texts
    ids = [line.split(b'"')[3] for line in written.split(b"\n") if line.startswith(b'      "id": ')]
    assert ids == [f"Q-{n:04d}".encode() for n in range(600)]
    assert sum(len(item.stats) for item in items) == 600
    assert all(item.written and item.text == b"" for item in items)  # no text came back


def _stats(name: str) -> DealStats:
    return DealStats(name, "pass", "", 0, ())


def _sink(tmp_path: Path) -> tuple[OrderedOutput, Path]:
    path = tmp_path / "out"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    sink = OrderedOutput(fd, FRAMING)
    sink.prepare(multiprocessing.get_context())
    return sink, path


def test_the_head_goes_with_the_first_deal_and_a_separator_between_deals(
    tmp_path: Path,
) -> None:
    sink, path = _sink(tmp_path)
    assert sink.take(0, []) == []  # a unit with no deals writes nothing, not even the head
    assert path.read_bytes() == b""
    one, two = RenderedDeals((_stats("a"),), b"A"), RenderedDeals((_stats("b"),), b"B")
    back = sink.take(1, [one, two])
    sink.take(2, [RenderedDeals((_stats("c"),), b"C")])
    os.close(sink.fd)
    assert path.read_bytes() == b"HEAD[A|B|C"
    assert back == [RenderedDeals(one.stats, b"", True), RenderedDeals(two.stats, b"", True)]


def test_a_unit_whose_write_failed_keeps_its_turn(tmp_path: Path) -> None:
    sink, path = _sink(tmp_path)
    good = sink.fd
    sink.fd = os.open(os.devnull, os.O_RDONLY)  # writing there fails
    with pytest.raises(OSError):
        sink.take(0, [RenderedDeals((_stats("a"),), b"A")])
    os.close(sink.fd)
    # no later unit was let through: unit 0 is still the one to write
    sink.fd = good
    sink.take(0, [RenderedDeals((_stats("a"),), b"A")])
    os.close(good)
    assert path.read_bytes() == b"HEAD[A"


def _report() -> CheckReport:
    from datetime import date

    return CheckReport(date(2026, 11, 22), "sha256:00", ["products"])


def test_the_json_stream_of_written_deals_is_only_its_tail() -> None:
    report = _report()
    written = [RenderedDeals((_stats("a"), _stats("b")), b"", True)]
    tally = Tally()
    chunks = list(json_report.render_stream(report, iter(written), tally))
    text = "".join(c if isinstance(c, str) else c.decode() for c in chunks)
    assert text.startswith("\n  ],\n")  # the workers wrote the head and the deals
    assert tally.counts["deals"] == 2
    # and the head a worker writes is what the stream writes itself
    head = json_report.framing(report).head.decode()
    whole = head + "\n    {}" + text
    assert json.loads(whole)["deals"] == [{}]


def test_the_json_stream_of_no_deals_is_the_whole_empty_report() -> None:
    report = _report()
    text = "".join(
        c if isinstance(c, str) else c.decode()
        for c in json_report.render_stream(report, iter([]), Tally())
    )
    assert json.loads(text)["deals"] == []
    assert text == json_report.render(report)


def test_a_non_blocking_pipe_that_fills_up_is_waited_on(tmp_path: Path) -> None:
    # stdout may be a pipe its reader left non-blocking: a write to it when full fails at
    # once (EAGAIN) instead of waiting; the unit must still be written whole
    import threading

    fcntl = pytest.importorskip("fcntl")  # POSIX: where workers are forked at all

    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    sink = OrderedOutput(write_end, FRAMING)
    sink.prepare(multiprocessing.get_context())
    text = b"x" * (1 << 20)  # far more than a pipe holds (64 KiB on Linux)
    received = bytearray()

    def read_slowly() -> None:
        time.sleep(0.2)  # the pipe is full by now
        while chunk := os.read(read_end, 1 << 16):
            received.extend(chunk)

    reader = threading.Thread(target=read_slowly)
    reader.start()
    sink.take(0, [RenderedDeals((_stats("a"),), text)])
    os.close(write_end)
    reader.join(timeout=30)
    os.close(read_end)
    assert bytes(received) == b"HEAD[" + text
