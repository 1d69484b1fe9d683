"""Helpers shared by the hardening tests: the console script, bounded subprocess runs,
the sample catalog, snapshots of a directory tree, and the hypothesis profile in use."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from hypothesis import settings

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-22"


def _profile() -> settings:
    """The profile registered in ``conftest.py`` that ``HYPOTHESIS_PROFILE`` names."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    if name not in ("ci", "deep"):
        name = "ci"  # another suite's profile name: ours stay bounded
    chosen = settings.get_profile(name)
    override = os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "").strip()
    if override.isdigit() and int(override) > 0:
        chosen = settings(chosen, max_examples=int(override))
    return chosen


#: Decorate each property test with ``@PROFILE`` (after ``@given``).
PROFILE = _profile()


def console_script() -> list[str]:
    """The installed ``dealcheck`` console script (the one next to this interpreter when
    there is one, so that a pyenv shim is not in the way), else ``main()`` run by python."""
    beside = Path(sys.executable).with_name("dealcheck")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("dealcheck")
    if found:
        return [found]
    return [sys.executable, "-c", "from dealcheck.cli import main; main()"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user in CI: no catalog override, no colour, a UTF-8 locale."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEALCHECK_", "HYPOTHESIS_", "PYTEST_")) and k != "FORCE_COLOR"
    }
    env.update({"NO_COLOR": "1", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"})
    env.update(extra)
    return env


@dataclass(frozen=True)
class Run:
    """A finished console-script run."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    cpu: float = 0.0  # the child's CPU seconds (user + system)
    max_rss_mb: float = 0.0  # the child's peak resident memory

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def limits(memory_mb: int | None = None, cpu_seconds: int | None = None) -> Callable[[], None]:
    """A ``preexec_fn`` that caps the child's address space and CPU time. Past the CPU
    limit the kernel sends SIGXCPU, which ends the run (exit status -24): a slow path
    fails the test however busy the machine is, where a wall-clock bound would not."""

    def apply() -> None:
        if memory_mb is not None:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))

    return apply


def run_cli(
    args: Sequence[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    memory_mb: int | None = None,
    cpu_seconds: int | None = None,
    stdin_open: bool = False,
) -> Run:
    """Run the console script in ``cwd``; a hang fails the test instead of the CI job.

    ``memory_mb``, ``cpu_seconds``: resource limits of the child (see :func:`limits`).
    ``stdin_open``: the child's stdin is a pipe that never sends end-of-file (a terminal
    nobody types into), instead of an empty input. The child is reaped with ``wait4``, so
    the run records its own CPU time and peak resident memory."""
    started = time.monotonic()
    limited = memory_mb is not None or cpu_seconds is not None
    read_end, write_end = os.pipe() if stdin_open else (None, None)
    try:
        proc = subprocess.Popen(
            [*console_script(), *args],
            cwd=cwd,
            env=dict(env) if env is not None else clean_env(),
            stdin=read_end if stdin_open else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=limits(memory_mb, cpu_seconds) if limited else None,
        )
        if proc.stdin is not None:
            proc.stdin.close()  # an empty input, as ``input=b""`` gives
        stdout, stderr, usage = _reap(proc, timeout)
    finally:
        for end in (read_end, write_end):
            if end is not None:
                os.close(end)
    return Run(
        tuple(args),
        proc.returncode,
        stdout.decode("utf-8", "replace"),
        stderr.decode("utf-8", "replace"),
        time.monotonic() - started,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,  # kilobytes on Linux
    )


def _reap(
    proc: subprocess.Popen[bytes], timeout: float
) -> tuple[bytes, bytes, resource.struct_rusage]:
    """Both outputs and the child's resource usage; killed past ``timeout`` seconds."""
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream: IO[bytes]) -> None:
        with stream:
            chunks[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=(name, stream), daemon=True)
        for name, stream in (("out", proc.stdout), ("err", proc.stderr))
        if stream is not None
    ]
    for reader in readers:
        reader.start()
    hung = threading.Event()

    def kill() -> None:
        hung.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _pid, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    for reader in readers:
        reader.join()
    stdout, stderr = chunks.get("out", b""), chunks.get("err", b"")
    if hung.is_set():
        raise subprocess.TimeoutExpired(proc.args, timeout, output=stdout, stderr=stderr)
    return stdout, stderr, usage


def copy_sample_catalog(target: Path) -> None:
    """The shipped catalog (``products/``, ``rules/``) under ``target``."""
    for name in ("products", "rules"):
        shutil.copytree(REPO / name, target / name)


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and directory under ``root`` (symlinks not followed): size and mtime."""
    state: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            info = path.lstat()
            state[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return state


def without_file_privileges() -> None:
    """A ``preexec_fn`` under which file permissions apply, also when the tests run as root
    (CI does): root keeps its uid but loses ``CAP_DAC_OVERRIDE`` and
    ``CAP_DAC_READ_SEARCH`` from the capability bounding set, so the program it starts
    gets ``EACCES`` on a ``chmod 000`` file like anyone else. Not root: nothing to drop."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_unprivileged(args: Sequence[str], cwd: Path, timeout: float = 60) -> Run:
    """:func:`run_cli` with :func:`without_file_privileges`."""
    started = time.monotonic()
    proc = subprocess.run(
        [*console_script(), *args],
        cwd=cwd,
        env=clean_env(DEALCHECK_CACHE_DIR=str(cwd / ".cache")),
        input=b"",
        capture_output=True,
        timeout=timeout,
        preexec_fn=without_file_privileges,
        check=False,
    )
    return Run(
        tuple(args),
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        time.monotonic() - started,
    )
