"""Finding catalog files: paths as users see them, and a walk that symlinks cannot trap
nor lead out of the folder being read.

A walk of a catalog or deals folder never follows a symlinked directory, and a symlinked
file whose target lies outside both the folder being read and the repository that holds
it (the nearest ancestor with ``.git``) is not read: it is yielded as a
:class:`RefusedPath`, which the bounded reader (:func:`dealcheck.yamlio.read_bytes`)
reports as a located error. ``--follow-symlinks`` (:func:`set_follow_symlinks`) lifts
that refusal for one run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml", ".json")

_FOLLOW_SYMLINKS = [False]


def set_follow_symlinks(follow: bool) -> bool:
    """``--follow-symlinks``: read symlinked files found by a walk wherever they point.
    Set for the whole run (a typer callback, so it is set on every invocation)."""
    _FOLLOW_SYMLINKS[0] = bool(follow)
    return bool(follow)


def follows_symlinks() -> bool:
    return _FOLLOW_SYMLINKS[0]


class RefusedPath(type(Path())):  # type: ignore[misc]
    """A file found by a walk that is a symlink to a file outside the folder being read
    and its repository: reading it raises a located error instead."""


def repository_root(path: Path) -> Path | None:
    """The nearest directory at or above ``path`` holding ``.git`` (resolved), if any."""
    start = real_path(path)
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def is_inside(path: Path, roots: Iterable[Path]) -> bool:
    """Whether the resolved ``path`` is one of ``roots`` (resolved) or below one."""
    real = real_path(path)
    return any(real == root or root in real.parents for root in roots)


def walk_guard(root: Path) -> Callable[[Path], Path]:
    """For files found under ``root``: the file itself, or a :class:`RefusedPath` when it is
    a symlink whose target leaves ``root`` and its repository (unless following them)."""
    allowed = [real_path(root)]
    repository = repository_root(root)
    if repository is not None:
        allowed.append(repository)

    def guard(file: Path) -> Path:
        if follows_symlinks() or not file.is_symlink() or is_inside(file, allowed):
            return file
        return RefusedPath(file)

    return guard


def display_path(path: Path | str) -> str:
    """A path as shown to users: relative to the working directory when below it, with ``/``."""
    p = Path(path)
    try:
        shown = os.path.relpath(p) if p.is_absolute() else str(p)
    except ValueError:  # another drive on Windows
        shown = str(p)
    if shown.startswith(".."):
        shown = str(p)
    return shown.replace(os.sep, "/")


def real_path(path: Path) -> Path:
    """``path`` with symlinks and ``..`` resolved; a symlink loop (``RuntimeError`` before
    Python 3.13) or another OS error leaves it absolute but unresolved, for the reader to
    report."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def exists(path: Path) -> bool:
    """``path.exists()``, but false rather than an exception for a name the file system
    cannot look up at all (longer than the system allows, or with a NUL byte)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def iter_yaml_files(root: Path) -> Iterator[Path]:
    """YAML/JSON files under ``root`` (or ``root`` itself), sorted, never following symlinked
    directories (so a symlink loop cannot trap the walk); hidden directories are skipped."""
    if root.is_file():
        yield root
        return
    guard = walk_guard(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                yield guard(Path(dirpath) / name)
