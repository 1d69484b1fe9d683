"""Writing a report: to stdout, or atomically to ``--output`` with a summary on stderr."""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from dealcheck.cli.common import fail, say


class Handover:
    """A chunk that writes nothing: :func:`write_chunks` flushes what it has written so far
    and sets :attr:`fd` to the file descriptor underneath, where bytes written to it land
    exactly as bytes chunks would (UTF-8, no newline translation); else it stays ``None``.
    Worker processes then write their own part of the report there, in order
    (:mod:`dealcheck.report.direct`)."""

    fd: int | None = None


#: what a streamed report is made of
Chunk = str | bytes | Handover


def write_output(text: str, output: Path | None) -> None:
    """Write to stdout, or to ``output`` atomically (a temp file renamed into place)."""
    write_chunks([text], output)


def _file_mode(output: Path) -> int:
    """The mode any other tool would give ``output``: an existing file keeps its own, a
    new one gets 0666 less the user's umask (0644 under umask 022), as ``>`` would."""
    try:
        existing = output.stat()
    except OSError:
        existing = None
    if existing is not None and stat.S_ISREG(existing.st_mode):
        return stat.S_IMODE(existing.st_mode)
    mask = os.umask(0)  # the only way to read the umask: set it and put it back
    os.umask(mask)
    return 0o666 & ~mask


def _special(output: Path) -> bool:
    """Whether ``output`` is an existing FIFO, device or socket (followed through symlinks,
    so ``/dev/stdout`` counts): such a file is written to, never renamed over."""
    try:
        mode = output.stat().st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_chunks(chunks: Iterable[Chunk], output: Path | None) -> None:
    """Stream ``chunks`` (text, or UTF-8 bytes) to stdout, or to a temp file next to
    ``output`` that is renamed into place only when every chunk is written: an error,
    Ctrl-C, SIGTERM or SIGHUP leaves no partial file. An existing FIFO, device or socket
    (``-o /dev/null``, a named pipe) is written to directly: replacing it with a regular
    file would destroy it; a directory is an error."""
    if output is None:
        _stream(chunks, sys.stdout, translates=os.linesep != "\n")
        return
    directory = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        fail(f"cannot write {output}: it is a directory")
    if _special(output):
        try:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                _stream(chunks, fh)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        return
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=directory)
        # mkstemp makes the file 0600; the report is for others to read too
        os.fchmod(fd, _file_mode(output))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            _stream(chunks, fh)
        os.replace(tmp_name, output)
        tmp_name = None
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _stream(chunks: Iterable[Chunk], fh: TextIO, translates: bool = False) -> None:
    """Write text chunks to ``fh``, and bytes chunks (UTF-8) straight to its binary layer
    when that writes them unchanged: a stream that encodes UTF-8 and does not turn "\\n"
    into ``os.linesep`` (``translates``). Otherwise bytes are decoded and written as text,
    exactly as before."""
    buffer = getattr(fh, "buffer", None)
    encoding = getattr(fh, "encoding", None) or ""
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    raw = buffer if buffer is not None and utf8 and not translates else None
    for chunk in chunks:
        if isinstance(chunk, str):
            fh.write(chunk)
        elif isinstance(chunk, Handover):
            fh.flush()
            if raw is not None:
                with contextlib.suppress(OSError, ValueError):  # in memory: no descriptor
                    chunk.fd = raw.fileno()
        elif raw is not None:
            fh.flush()  # what the text layer holds goes first
            raw.write(chunk)
        else:
            fh.write(chunk.decode("utf-8"))
    fh.flush()


def summarise(output: Path | None, quiet: bool, what: str) -> None:
    """After writing ``--output``: ``dealcheck: <what>; report written to FILE`` on stderr,
    so that a run that wrote a file never looks as if it did nothing."""
    if output is not None and not quiet:
        say(f"dealcheck: {what}; report written to {output}")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 deal``, ``2 deals``."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"
