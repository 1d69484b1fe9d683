"""Streaming a report: deals rendered a work unit at a time, as UTF-8 bytes, reach the
output unchanged, in order, whatever the number of workers (the speed issue's "--jobs
that pays": the parent of the workers only passes bytes on)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from typer.testing import CliRunner

from dealcheck.cli import app
from dealcheck.cli.output import Handover, write_chunks
from dealcheck.findings import DealStats
from dealcheck.report.results import joined, render_each
from tests.deal_batches import jsonl_deals

REPO = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-22"]


pytestmark = pytest.mark.usefixtures("as_a_user")


# -- render_each -----------------------------------------------------------------------------


def _stats(name: str) -> DealStats:
    return DealStats(name, "pass", "", 0, ())


def test_render_each_keeps_every_deals_stats_and_joins_their_texts_in_order() -> None:
    texts = {"a": "first", "b": "zweite – ü", "c": "third…"}
    (batch,) = render_each(lambda r: (_stats(r), texts[r]), b",\n", ["a", "b", "c"])  # type: ignore[arg-type,return-value]
    assert [s.name for s in batch.stats] == ["a", "b", "c"]
    assert batch.text == "first,\nzweite – ü,\nthird…".encode()


def test_render_each_of_no_results_is_no_batch() -> None:
    assert render_each(lambda r: (_stats(r), r), b"", []) == []  # type: ignore[arg-type,return-value]


def test_joined_decodes_the_byte_chunks_between_text_chunks() -> None:
    assert joined(["[", "é".encode(), ",", b"x", "]"]) == "[é,x]"


# -- write_chunks ----------------------------------------------------------------------------

CHUNKS: list[str | bytes] = ["head é\n", "deal – one\n".encode(), "sep\n", b"deal two\n", "end"]
TEXT = "head é\ndeal – one\nsep\ndeal two\nend"


def test_chunks_to_a_file_are_the_text_in_utf8_in_order(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    write_chunks(CHUNKS, out)
    assert out.read_bytes() == TEXT.encode("utf-8")


def test_chunks_to_a_utf8_stdout_go_through_its_binary_layer_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    monkeypatch.setattr("sys.stdout", stdout)
    write_chunks(CHUNKS, None)
    assert raw.getvalue() == TEXT.encode("utf-8")


def test_chunks_to_a_stdout_without_a_binary_layer_are_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdout = io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    write_chunks(CHUNKS, None)
    assert stdout.getvalue() == TEXT


def test_chunks_to_a_stdout_in_another_encoding_are_written_in_that_encoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-16-le", newline="")
    monkeypatch.setattr("sys.stdout", stdout)
    write_chunks(CHUNKS, None)
    assert raw.getvalue().decode("utf-16-le") == TEXT


def test_chunks_to_a_stdout_that_translates_newlines_are_translated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", newline="\r\n")
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("dealcheck.cli.output.os.linesep", "\r\n")
    write_chunks(CHUNKS, None)
    assert raw.getvalue() == TEXT.replace("\n", "\r\n").encode("utf-8")


# -- handing the descriptor over to the workers ---------------------------------------------


def _handed_over(chunks: list[str | bytes | Handover], write: bytes) -> Handover:
    """Stream ``chunks`` to stdout; where a handover is, write ``write`` to its descriptor
    as a worker would (the stream is paused there)."""
    handover = next(c for c in chunks if isinstance(c, Handover))

    def chunks_then_worker() -> Iterator[str | bytes | Handover]:
        for chunk in chunks:
            yield chunk
            if chunk is handover and handover.fd is not None:
                os.write(handover.fd, write)

    write_chunks(chunks_then_worker(), None)
    return handover


def test_a_handover_flushes_what_came_before_and_gives_the_descriptor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with open(tmp_path / "out", "w", encoding="utf-8", newline="") as stdout:
        monkeypatch.setattr("sys.stdout", stdout)
        handover = _handed_over(["head é\n", Handover(), b"tail\n"], "worker – 1\n".encode())
        assert handover.fd == stdout.fileno()
    assert (tmp_path / "out").read_bytes() == "head é\nworker – 1\ntail\n".encode()


@pytest.mark.parametrize(
    "stdout",
    [
        io.StringIO(),  # no binary layer
        io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline=""),  # in memory: no fd
        io.TextIOWrapper(io.BytesIO(), encoding="utf-16-le", newline=""),  # bytes would change
    ],
)
def test_no_descriptor_is_handed_over_where_bytes_would_not_land_as_they_are(
    monkeypatch: pytest.MonkeyPatch, stdout: io.TextIOBase
) -> None:
    monkeypatch.setattr("sys.stdout", stdout)
    assert _handed_over(["head", Handover(), "tail"], b"never").fd is None


def test_no_descriptor_is_handed_over_where_newlines_are_translated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with open(tmp_path / "out", "w", encoding="utf-8", newline="\r\n") as stdout:
        monkeypatch.setattr("sys.stdout", stdout)
        monkeypatch.setattr("dealcheck.cli.output.os.linesep", "\r\n")
        assert _handed_over(["head\n", Handover(), "tail"], b"never").fd is None
    assert (tmp_path / "out").read_bytes() == b"head\r\ntail"


# -- the command, across worker counts -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_several_work_units_give_the_same_report_with_one_or_two_workers(
    tmp_path: Path, fmt: str
) -> None:
    deals = jsonl_deals(tmp_path / "deals.jsonl", 600)  # 256 + 256 + 88
    runner = CliRunner()
    args = ["check", str(deals), "--format", fmt, *TODAY]
    serial = runner.invoke(app, [*args, "--jobs", "1"])
    parallel = runner.invoke(app, [*args, "--jobs", "2"])
    assert serial.exit_code == parallel.exit_code == 1, serial.output
    assert serial.stdout_bytes == parallel.stdout_bytes
    if fmt == "json":
        report = json.loads(serial.stdout)
        assert [d["id"] for d in report["deals"]] == [f"Q-{n:04d}" for n in range(600)]
        assert report["deals"][7]["customer"] == "Café 7 …"
        assert report["summary"]["deals"] == 600


def test_a_file_report_from_two_workers_is_the_stdout_report(tmp_path: Path) -> None:
    deals = jsonl_deals(tmp_path / "deals.jsonl", 300)
    runner = CliRunner()
    args = ["check", str(deals), "--format", "json", *TODAY, "--jobs", "2"]
    to_stdout = runner.invoke(app, args)
    to_file = runner.invoke(app, [*args, "-o", str(tmp_path / "r.json")])
    assert to_stdout.exit_code == to_file.exit_code == 1
    assert (tmp_path / "r.json").read_bytes() == to_stdout.stdout_bytes


def _dealcheck(*args: str, stdout: int | IO[bytes]) -> subprocess.CompletedProcess[bytes]:
    """The command in its own process: its stdout a real file or pipe, which the workers
    write to themselves (under CliRunner, stdout is in memory and they send text back)."""
    return subprocess.run(
        [sys.executable, "-m", "dealcheck", "check", *args, *TODAY],
        cwd=REPO,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_workers_writing_to_stdout_themselves_give_the_one_worker_report(
    tmp_path: Path, fmt: str
) -> None:
    deals = jsonl_deals(tmp_path / "deals.jsonl", 600)
    args = [str(deals), "--format", fmt]
    serial = _dealcheck(*args, "--jobs", "1", stdout=subprocess.PIPE)
    piped = _dealcheck(*args, "--jobs", "2", stdout=subprocess.PIPE)
    with open(tmp_path / "stdout", "wb") as fh:
        to_file = _dealcheck(*args, "--jobs", "2", stdout=fh)
    assert serial.returncode == piped.returncode == to_file.returncode == 1
    assert piped.stdout == serial.stdout
    assert (tmp_path / "stdout").read_bytes() == serial.stdout
    assert piped.stderr == to_file.stderr == serial.stderr


def test_a_reader_that_goes_away_ends_a_run_of_workers_quietly(tmp_path: Path) -> None:
    deals = jsonl_deals(tmp_path / "deals.jsonl", 1500)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dealcheck", "check", str(deals), "-f", "json", "-j", "2", *TODAY],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100).startswith(b'{\n  "schema_version": 1')
    proc.stdout.close()  # like `| head -c 100`
    assert proc.wait(timeout=60) == 141
    with proc.stderr:
        assert proc.stderr.read() == b""
