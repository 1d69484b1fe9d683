"""How a run ends: signals, closed or broken standard streams.

* SIGTERM and SIGHUP end a run the way Ctrl-C does: the handler raises
  :class:`Terminated` (a ``KeyboardInterrupt``), so every clean-up Ctrl-C runs runs
  (``--output``'s temporary file removed, worker processes killed), and the exit status
  is the shell's for that signal: 128 + its number (143 for SIGTERM, 129 for SIGHUP;
  130 for Ctrl-C, as before). A second signal during the clean-up is ignored.
* A closed stdout or stderr (``>&-``: ``sys.stdout is None``) is replaced by a sink:
  the report is discarded, the exit status is still the verdict's.
* stdout to a pipe or a file is UTF-8 whatever the locale says, as ``--output`` files
  are; a terminal keeps its encoding, with ``?`` for what it cannot show (:func:`_utf8`).
* A stdout or stderr that another program left non-blocking (Node.js does, and
  ``npm run`` passes it on) is waited on when the pipe is full, instead of failing the
  run or, unbuffered, dropping the rest of the report (:mod:`dealcheck.fdio`).
* A reader that goes away (``dealcheck check | head``): ``BrokenPipeError`` ends the run
  quietly with status 141 (128 + SIGPIPE), as a Unix tool killed by SIGPIPE does.
* The garbage collector runs less often (:func:`tune_gc`): a run builds a catalog of
  tens of thousands of long-lived objects, and the default thresholds make the collector
  walk them again and again while they are made.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TextIO

#: The signals that end a run like Ctrl-C.
ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
BROKEN_PIPE_EXIT = 128 + signal.SIGPIPE


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.number = number


_received: list[int] = []


def received_signal() -> int | None:
    """The ending signal this process received, if any."""
    return _received[0] if _received else None


def _handler(number: int, frame: FrameType | None) -> None:
    if _received:
        return  # already unwinding: let the clean-up finish
    _received.append(number)
    raise Terminated(number)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP raise :class:`Terminated` in the main thread."""
    for number in ENDING_SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            signal.signal(number, _handler)


def guard_std_streams() -> None:
    """A closed stdout or stderr becomes a sink instead of ``None``; one left non-blocking
    by whoever started dealcheck is written to patiently (:mod:`dealcheck.fdio`)."""
    from dealcheck.fdio import patient

    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run
    _utf8(sys.stdout)
    sys.stdout = patient(sys.stdout)
    sys.stderr = patient(sys.stderr)


def _utf8(stream: TextIO) -> None:
    """Reports are documents: to a pipe or a file, stdout is UTF-8 whatever the locale or
    ``PYTHONIOENCODING`` says, so ``dealcheck check > r.json`` writes the bytes ``-o
    r.json`` does. A terminal keeps its own encoding (it shows nothing else correctly),
    with ``?`` for what that encoding lacks. Either way the first "…" of a report is no
    ``UnicodeEncodeError`` under ``LANG=de_DE.ISO-8859-1``. stderr is left as it is:
    Python writes what it cannot encode there as ``\\xNN`` escapes."""
    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str):  # in memory (a StringIO has no encoding)
        return
    try:
        if codecs.lookup(encoding).name == "utf-8":
            return
        if stream.isatty():
            if stream.errors == "strict":
                stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
        else:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    except (AttributeError, LookupError, ValueError, OSError):  # not a TextIOWrapper
        pass


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush
    cannot fail again (and print "Exception ignored ... BrokenPipeError")."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


#: The collector's thresholds for a run: the youngest generation is collected after
#: 50,000 new objects instead of 700. Loading a 30,000-feature catalog from the cache then
#: costs about a third less CPU; what a run leaves to the collector (cycles are rare:
#: exceptions, a few parser structures) is still collected, in bigger and rarer batches.
GC_THRESHOLDS = (50_000, 20, 10)


_gc_tuned = False


def tune_gc() -> None:
    """Collect less often for the run (see :data:`GC_THRESHOLDS`). Only :func:`run`, the
    console script's process, does this: a program that calls the commands in-process
    (typer's ``CliRunner``, a test suite) keeps its own collector settings."""
    global _gc_tuned
    gc.set_threshold(*GC_THRESHOLDS)
    _gc_tuned = True


def settle_long_lived() -> None:
    """Objects made so far live for the whole run (the catalog, the compiled engine): move
    them out of the collector's sight, so a long batch does not walk them again. Only in
    a process :func:`tune_gc` tuned: frozen objects are invisible to ``gc.get_referrers``,
    which a host program may rely on."""
    if _gc_tuned:
        gc.freeze()


def run(app: Callable[[], Any]) -> int:
    """Run the typer ``app`` (standalone) and return the process exit status."""
    tune_gc()
    guard_std_streams()
    install_signal_handlers()
    code: int
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BrokenPipeError:
        code = BROKEN_PIPE_EXIT
    except KeyboardInterrupt:  # an interrupt outside a command (while importing it)
        code = 130
    number = received_signal()
    if number is not None:
        return 128 + number
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_EXIT
    except (OSError, ValueError):
        pass
    if code == 1 and _pipe_broke():
        return BROKEN_PIPE_EXIT
    return code


def _pipe_broke() -> bool:
    """Whether a broken pipe ended the command: typer turns EPIPE into exit 1 after
    wrapping stdout in click's ``PacifyFlushWrapper``."""
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        _silence_stdout()
        return True
    return False
