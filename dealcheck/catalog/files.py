"""Finding catalog files: paths as users see them, and a walk that symlinks cannot trap."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml", ".json")


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
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                yield Path(dirpath) / name
