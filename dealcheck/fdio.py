"""Reading and writing a file descriptor that someone else left non-blocking.

The writing end of a pipe is one open file, shared by every process that holds it. When
the program that started dealcheck made it non-blocking (Node.js does that to its own
stdout when it is a pipe, and ``npm run check | tee log`` hands that stdout on), a write
to the pipe while it is full fails at once (EAGAIN) instead of waiting for the reader.
Python's buffered stdout then raises ``BlockingIOError`` (a traceback, or "Exception
ignored" at exit), and its unbuffered stdout (``PYTHONUNBUFFERED``, ``python -u``, common
in CI images) silently drops whatever the pipe did not take: the report is cut short and
the run still exits as if it were whole.

dealcheck waits instead, as a blocking descriptor does (``select`` until the pipe takes
more), without changing the descriptor's mode: the other processes that share it expect
it the way they set it. Reading is the same: a non-blocking stdin with nothing in it yet
is waited on (Python's read would return ``None`` at once).
"""

from __future__ import annotations

import io
import os
import select
from typing import Any, TextIO

__all__ = ["PatientWriter", "patient", "read_at_most", "write_all"]


def _non_blocking_fd(stream: TextIO) -> int | None:
    """The descriptor under ``stream`` when it is a non-blocking POSIX one, else ``None``
    (in memory, closed, blocking, or elsewhere than POSIX: Windows ``select`` waits on
    sockets only)."""
    if os.name != "posix":
        return None
    try:
        fd = stream.fileno()
        return None if os.get_blocking(fd) else fd
    except (AttributeError, OSError, ValueError):
        return None


def write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    """All of ``data`` to ``fd``, however many writes it takes; a full non-blocking
    descriptor is waited on until it takes more."""
    view = memoryview(data).cast("B")
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            select.select([], [fd], [])


def read_at_most(stream: TextIO, limit: int) -> bytes:
    """The bytes of ``stream`` up to its end, but no more than ``limit``; a non-blocking
    descriptor with nothing to read yet is waited on. Nothing may have been read from
    ``stream`` before (a non-blocking one is read from its descriptor)."""
    fd = _non_blocking_fd(stream)
    if fd is None:
        return bytes(stream.buffer.read(limit))
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        try:
            chunk = os.read(fd, min(1 << 20, limit - size))
        except BlockingIOError:
            select.select([fd], [], [])
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class PatientWriter(io.RawIOBase):
    """A raw, write-only stream on ``fd`` whose every write writes everything
    (:func:`write_all`). It never closes ``fd``."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(b).cast("B")
        write_all(self._fd, view)
        return len(view)


def patient(stream: TextIO) -> TextIO:
    """``stream`` itself when its descriptor blocks (or it has none, or this is not POSIX);
    otherwise the same stream over a :class:`PatientWriter`: same encoding, error handling
    and buffering (unbuffered stays unbuffered). Whether it blocks is asked once, when the
    run starts: whoever started dealcheck set its descriptors up before that."""
    fd = _non_blocking_fd(stream)
    if fd is None:
        return stream
    stream.flush()
    raw: Any = PatientWriter(fd)  # (typeshed's BufferedWriter wants its own raw type)
    unbuffered = not isinstance(getattr(stream, "buffer", None), io.BufferedIOBase)
    return io.TextIOWrapper(
        raw if unbuffered else io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=bool(stream.line_buffering),
        write_through=bool(getattr(stream, "write_through", False)),
    )
