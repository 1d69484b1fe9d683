"""Standard streams as the programs that start dealcheck leave them.

* Non-blocking (``dealcheck.fdio``): Node.js makes its stdout non-blocking when it is a
  pipe, and ``npm run check | tee log`` hands that stdout to dealcheck: a write to the
  full pipe then fails at once instead of waiting. Python's buffered stdout raised a
  traceback; its unbuffered one (``PYTHONUNBUFFERED``, common in CI images) dropped the
  rest of the report and exited as if it were whole. A non-blocking stdin with nothing
  in it yet made ``check -`` crash.
* In a locale whose encoding is not UTF-8: the report's first character outside it was a
  ``UnicodeEncodeError``. To a pipe or a file, reports are UTF-8, as ``--output`` writes
  them; a terminal gets its own encoding, with ``?`` for what it lacks.

Every pipe here is read and written with deadlines, from daemon threads, so that a
regression fails its test instead of hanging the run.
"""

from __future__ import annotations

import io
import os
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dealcheck.fdio import patient, read_at_most
from tests.deal_batches import jsonl_deals

fcntl = pytest.importorskip("fcntl")  # POSIX: where a descriptor can be non-blocking
termios = pytest.importorskip("termios")

REPO = Path(__file__).resolve().parent.parent
TODAY = ["--today", "2026-11-22"]
DEAL = REPO / "examples" / "deals" / "wallaby-logistics.yaml"


def _non_blocking(fd: int) -> int:
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
    return fd


#: how long a test waits for a pipe, a thread or a process before it fails
DEADLINE = 60.0


def _waiting(fd: int) -> int:
    """How many bytes are in the pipe ``fd``, unread."""
    return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])


def _pipe() -> tuple[int, int, int]:
    """A pipe: (read end, write end, capacity)."""
    read_end, write_end = os.pipe()
    get_size = getattr(fcntl, "F_GETPIPE_SZ", None)  # Linux; 16 KiB is macOS's smallest
    return read_end, write_end, fcntl.fcntl(write_end, get_size) if get_size else 16384


def _read_when_full(
    fd: int, capacity: int, into: bytearray, done: Callable[[], bool]
) -> threading.Thread:
    """Read the pipe ``fd`` to its end, starting only once it is at least half full and
    the writer has added nothing for 0.2 s (so it has met a full pipe: writes of up to
    4 KiB go in whole or not at all, so a full pipe may hold a little less than its
    capacity), or the writer is ``done`` (it gave up, or wrote all it had). A daemon
    thread, with a deadline: a writer that never ends its output cannot hang the run."""

    def run() -> None:
        deadline = time.monotonic() + DEADLINE
        last, still = -1, 0
        while still < 20 and not done() and time.monotonic() < deadline:
            now = _waiting(fd)
            still = still + 1 if now == last and now >= capacity // 2 else 0
            last = now
            time.sleep(0.01)
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([fd], [], [], left)[0]:
                break
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            into.extend(chunk)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# -- patient(): the stream the run writes to ---------------------------------------------


def test_a_blocking_or_in_memory_stream_is_left_as_it_is() -> None:
    read_end, write_end = os.pipe()
    try:
        with open(write_end, "w", encoding="utf-8", closefd=False) as stream:
            assert patient(stream) is stream
        memory = io.StringIO()
        assert patient(memory) is memory
    finally:
        os.close(read_end)
        os.close(write_end)


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_a_full_non_blocking_pipe_is_waited_on_until_every_character_is_written(
    unbuffered: bool,
) -> None:
    # built as Python builds sys.stdout, with and without -u / PYTHONUNBUFFERED
    read_end, write_end, capacity = _pipe()
    raw = io.FileIO(_non_blocking(write_end), "w", closefd=False)
    buffer = raw if unbuffered else io.BufferedWriter(raw)
    stdout = io.TextIOWrapper(buffer, encoding="utf-8", write_through=unbuffered)  # type: ignore[arg-type]
    stream = patient(stdout)
    assert stream is not stdout
    assert (stream.encoding, stream.fileno(), stream.isatty()) == ("utf-8", write_end, False)
    assert isinstance(stream, io.TextIOWrapper)
    assert (stream.errors, stream.line_buffering, stream.write_through) == (
        "strict",
        False,
        unbuffered,
    )
    text = "Café … 99.95 %\n" * 100_000  # 1.7 MB: far more than the pipe holds
    received = bytearray()
    reader = _read_when_full(read_end, capacity, received, lambda: False)
    try:
        stream.write(text)
        stream.flush()
    finally:
        os.close(write_end)  # the reader sees the end, whatever happened
        reader.join(timeout=DEADLINE)
        os.close(read_end)
    assert received.decode("utf-8") == text


def _stdin_in_two_parts(first: bytes, second: bytes) -> tuple[int, threading.Thread]:
    """A non-blocking pipe's reading end, and a writer that leaves it empty for a while,
    writes ``first``, waits until the reader has taken some of it, then writes
    ``second``."""
    read_end, write_end = os.pipe()
    _non_blocking(read_end)

    def write_late() -> None:
        try:
            time.sleep(0.2)  # nothing to read at first: a read returns at once, empty
            os.write(write_end, first)
            deadline = time.monotonic() + DEADLINE
            while _waiting(read_end) >= len(first) and time.monotonic() < deadline:
                time.sleep(0.01)  # until the reader has taken some of it
            time.sleep(0.2)  # and, reading on, found the pipe empty (or stopped)
            os.write(write_end, second)
        except OSError:  # the reader went away: its test fails on what it read
            pass
        finally:
            os.close(write_end)

    writer = threading.Thread(target=write_late, daemon=True)
    writer.start()
    return read_end, writer


DATA = b"kind: Deal\n" * 1000  # 11,000 bytes


@pytest.mark.parametrize("limit", [1 << 20, 8000, 5000, 100])
def test_a_non_blocking_stdin_is_read_to_its_end_and_no_further_than_the_limit(
    limit: int,
) -> None:
    read_end, writer = _stdin_in_two_parts(DATA[:5000], DATA[5000:])
    with open(read_end, encoding="utf-8") as stdin:
        assert read_at_most(stdin, limit) == DATA[:limit]
        writer.join(timeout=DEADLINE)  # before the pipe closes: the writer may not be done


def test_a_blocking_stdin_is_read_no_further_than_the_limit_either() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, DATA)
    os.close(write_end)
    with open(read_end, encoding="utf-8") as stdin:
        assert read_at_most(stdin, 100) == DATA[:100]
        assert stdin.buffer.read() == DATA[100:]  # the rest is left where it was


def test_the_patient_stream_keeps_the_settings_and_the_buffering_of_the_stream() -> None:
    # as sys.stderr is made: line-buffered, "\\xNN" for what the encoding cannot write
    read_end, write_end = os.pipe()
    _non_blocking(read_end)  # to look into the pipe without waiting
    stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(_non_blocking(write_end), "w", closefd=False)),
        encoding="ascii",
        errors="backslashreplace",
        line_buffering=True,
    )
    stream = patient(stderr)
    assert isinstance(stream, io.TextIOWrapper) and stream is not stderr
    assert (stream.encoding, stream.errors, stream.line_buffering) == (
        "ascii",
        "backslashreplace",
        True,
    )
    stream.write("café")
    with pytest.raises(BlockingIOError):  # buffered: nothing in the pipe before the line ends
        os.read(read_end, 100)
    stream.write("\n")
    assert os.read(read_end, 100) == b"caf\\xe9\n"
    # unbuffered (-u): each write goes straight to the pipe
    stdout = io.TextIOWrapper(
        io.FileIO(write_end, "w", closefd=False), encoding="utf-8", write_through=True
    )  # type: ignore[arg-type]
    unbuffered = patient(stdout)
    unbuffered.write("no newline")
    assert os.read(read_end, 100) == b"no newline"
    os.close(read_end)
    os.close(write_end)


# -- the command, in its own process -------------------------------------------------------


def _env(unbuffered: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(("fmt", "jobs"), [("json", "1"), ("text", "1"), ("json", "2")])
def test_a_report_to_a_non_blocking_pipe_is_whole(
    tmp_path: Path, fmt: str, jobs: str, unbuffered: bool
) -> None:
    # with 2 workers, the workers write the deals and the parent the summary
    deals = jsonl_deals(tmp_path / "deals.jsonl", 300)
    args = [sys.executable, "-m", "dealcheck", "check", str(deals), "-f", fmt, "-j", jobs, *TODAY]
    expected = subprocess.run(args, cwd=REPO, capture_output=True, timeout=120, check=False)
    read_end, write_end, capacity = _pipe()
    proc = subprocess.Popen(
        args,
        cwd=REPO,
        stdout=_non_blocking(write_end),
        stderr=subprocess.PIPE,
        env=_env(unbuffered),
    )
    os.close(write_end)
    received = bytearray()
    reader = _read_when_full(read_end, capacity, received, lambda: proc.poll() is not None)
    try:
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()  # a run stuck on its stdout: the reader then sees the end
        reader.join(timeout=DEADLINE)
        os.close(read_end)
    assert proc.returncode == expected.returncode == 1
    assert stderr == expected.stderr == b""
    assert len(expected.stdout) > 4 * capacity  # far more than the pipe holds
    assert bytes(received) == expected.stdout


def test_a_deal_from_a_non_blocking_stdin_that_arrives_late_is_checked() -> None:
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dealcheck", "check", "-", *TODAY],
        cwd=REPO,
        stdin=_non_blocking(read_end),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    data = DEAL.read_bytes()
    try:
        os.write(write_end, data[:200])
        deadline = time.monotonic() + DEADLINE
        while _waiting(read_end) and time.monotonic() < deadline:
            time.sleep(0.01)  # until the run has read the first part ...
        time.sleep(0.3)  # ... and found the pipe empty: the rest comes later
        os.write(write_end, data[200:])
    finally:
        os.close(write_end)
        os.close(read_end)
    try:
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (proc.returncode, stderr) == (1, b"")
    text = stdout.decode()
    assert "Q-2026-0142 · Wallaby Logistics Pty Ltd <stdin>" in text
    assert "region-restricted" in text and "feature-late" in text


def test_a_closed_stdin_is_an_unreadable_input() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dealcheck", "check", "-", *TODAY],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == "<stdin>: error: stdin is closed\n"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_report_is_utf_8_whatever_the_locale_says(
    tmp_path: Path, encoding: str, fmt: str
) -> None:
    deals = jsonl_deals(tmp_path / "deals.jsonl", 8)  # customer "Café 0 …"
    args = [sys.executable, "-m", "dealcheck", "check", str(deals), "-f", fmt, *TODAY]
    utf8 = subprocess.run(args, cwd=REPO, capture_output=True, timeout=120, check=False)
    other = subprocess.run(
        args,
        cwd=REPO,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": encoding},
    )
    assert (other.returncode, other.stderr) == (utf8.returncode, b"") == (0, b"")
    assert other.stdout == utf8.stdout
    assert "Café 0 …" in utf8.stdout.decode("utf-8")  # "…": in neither locale


def test_a_message_the_locale_cannot_encode_still_reaches_stderr(tmp_path: Path) -> None:
    missing = tmp_path / "café-missing.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "dealcheck", "check", str(missing), "-f", "json", *TODAY],
        cwd=REPO,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert b"missing.yaml: error: no such file or directory" in proc.stderr


def test_a_terminal_gets_its_own_encoding_with_a_mark_for_what_it_lacks() -> None:
    # a Latin-1 terminal shows "·" (0xB7) as it should; "…" is not in Latin-1: "?"
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dealcheck", "check", str(DEAL), *TODAY],
        cwd=REPO,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "latin-1", "NO_COLOR": "1"},
    )
    os.close(slave)
    shown = bytearray()
    deadline = time.monotonic() + DEADLINE
    try:
        while (left := deadline - time.monotonic()) > 0 and select.select([master], [], [], left)[
            0
        ]:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the run closed the terminal's other end
                break
            if not chunk:
                break
            shown.extend(chunk)
        _, stderr = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert (proc.returncode, stderr) == (1, b"")
    assert b"Q-2026-0142 \xb7 Wallaby Logistics Pty Ltd" in shown
    assert b"catalog sha256:27a75d5233c2? \xb7 today 2026-11-22" in shown
    assert "…".encode() not in shown
