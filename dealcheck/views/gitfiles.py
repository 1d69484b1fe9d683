"""The base catalog of ``dealcheck impact``: catalog files as they were at a git revision,
or as they are in another directory (a checkout of the base).

Only plumbing commands that read the object database are used (``rev-parse``,
``ls-tree``, ``cat-file``): the working tree and the index are never read or written,
so a check in CI or in a pre-commit hook cannot disturb what is being committed. The
files are written into a temporary directory and loaded from there like any catalog;
locations in them are shown repository-relative.

Catalog paths outside the repository (or outside ``--base DIR``'s tree) have no base
version: the same files are loaded on both sides, with a note.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

from dealcheck.catalog import YAML_SUFFIXES, Catalog, display_path, load_catalog
from dealcheck.errors import Location
from dealcheck.yamlio import MAX_FILE_BYTES

# Never take optional locks (git would otherwise refresh the index on some reads),
# never prompt, and take catalog paths literally (no glob magic in a path like `a[1]`).
_GIT_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_LITERAL_PATHSPECS": "1",
    "LC_ALL": "C",
}
_REGULAR_FILE_MODES = ("100644", "100755")


class BaseCatalogError(Exception):
    """The base catalog cannot be read: ``message`` says why, in terms of ``--base``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GitError(BaseCatalogError):
    """git is missing, the directory is not a repository, or a ref does not exist."""


@dataclass(frozen=True)
class TreeFile:
    """A regular file of a git tree: its repository-relative path, blob id and size."""

    path: str
    blob: str
    size: int


def _git(
    args: Sequence[str], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env={**os.environ, **_GIT_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = proc.stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[-1] if text else f"git exited with {proc.returncode}"


def repo_root(cwd: Path) -> Path | None:
    """The top of the work tree containing ``cwd``, or ``None`` outside a repository."""
    proc = _git(["rev-parse", "--show-toplevel"], cwd)
    if proc.returncode != 0:
        return None
    top = os.fsdecode(proc.stdout).strip()
    return Path(top) if top else None


def resolve_commit(root: Path, ref: str) -> str:
    """The commit id ``ref`` names in the repository at ``root``; :class:`GitError` if none."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n"):
        raise GitError(f"'{ref}' is not a valid git ref")
    proc = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise GitError(
            f"git ref '{ref}' does not exist in the repository at {root} (not a branch, tag "
            "or commit here; in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0)"
        )
    return proc.stdout.decode("ascii").strip()


def list_catalog_files(root: Path, commit: str, paths: Sequence[str]) -> list[TreeFile]:
    """Regular YAML/JSON files of ``commit`` under the repository-relative ``paths``.

    A path that names a file is taken whatever its suffix (as ``--catalog FILE`` is).
    Symbolic links and submodules are skipped: their content is not a catalog file at
    that revision.
    """
    if not paths:
        return []
    proc = _git(["ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", *paths], root)
    if proc.returncode != 0:
        raise GitError(f"git ls-tree {commit}: {_stderr(proc)}")
    named = set(paths)
    found: dict[str, TreeFile] = {}
    for entry in proc.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob, size = meta.decode("ascii").split()
        path = os.fsdecode(raw_path)
        if kind != "blob" or mode not in _REGULAR_FILE_MODES:
            continue
        if path in named or path.lower().endswith(YAML_SUFFIXES):
            found[path] = TreeFile(path, blob, int(size))
    return [found[p] for p in sorted(found)]


def extract(root: Path, files: Iterable[TreeFile], dest: Path) -> None:
    """Write each file's blob to ``dest/<path>`` (one ``git cat-file --batch`` for all).

    A blob over the loader's size limit is not read: a sparse file of its size stands in,
    so loading it reports the usual "file is too large" error at its path.
    """
    wanted: list[TreeFile] = []
    for file in files:
        target = _target(dest, file.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.size > MAX_FILE_BYTES:
            with target.open("wb") as fh:
                fh.truncate(file.size)
        else:
            wanted.append(file)
    if not wanted:
        return
    request = "".join(f"{f.blob}\n" for f in wanted).encode("ascii")
    proc = _git(["cat-file", "--batch"], root, stdin=request)
    if proc.returncode != 0:
        raise GitError(f"git cat-file: {_stderr(proc)}")
    out = proc.stdout
    pos = 0
    for file in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii").split()
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"git cat-file: cannot read {file.path} ({' '.join(header)})")
        size = int(header[2])
        start = end + 1
        _target(dest, file.path).write_bytes(out[start : start + size])
        pos = start + size + 1  # the content is followed by a newline


def _target(dest: Path, path: str) -> Path:
    parts = PurePosixPath(path).parts
    # git never stores such paths; refuse them anyway rather than write outside ``dest``
    if not parts or any(p in ("..", ".", "") for p in parts) or PurePosixPath(path).is_absolute():
        raise GitError(f"refusing to extract the path '{path}'")
    return dest.joinpath(*parts)


# -- the base catalog --------------------------------------------------------------------------


@dataclass
class LoadedBase:
    """The base catalog, how ``--base`` named it, and where its files are shown."""

    catalog: Catalog
    label: str  # "origin/main", "directory ../main"
    kind: Literal["git", "directory"]
    paths: tuple[str, ...]  # the catalog's paths as shown (repository-relative for a ref)
    commit: str | None
    notes: list[str]
    relocate: Callable[[Location], Location]  # a location in ``catalog`` → as shown


def load_base_catalog(
    base: str, catalog_paths: Sequence[Path], today: date, builtin_ids: Iterable[str]
) -> LoadedBase:
    """Load the base catalog from the directory ``base``, or else from the git ref ``base``
    of the repository around the working directory; :class:`BaseCatalogError` if neither."""
    cwd = Path.cwd()
    if base and _is_dir(Path(base)):
        return _base_from_directory(Path(base), catalog_paths, cwd, today, builtin_ids)
    root = repo_root(cwd)
    if root is None:
        raise GitError(
            f"'{base}' is not a directory, and {cwd} is not in a git repository, "
            "so it cannot be a git ref"
        )
    commit = resolve_commit(root, base)
    relative, outside, notes = _split_paths(catalog_paths, cwd, root)
    files = list_catalog_files(root, commit, relative)
    with tempfile.TemporaryDirectory(prefix="dealcheck-base-") as tmp:
        tmp_root = Path(tmp)
        extract(root, files, tmp_root)
        load: list[Path] = []
        for rel in relative:
            if rel == "." or any(f.path == rel or f.path.startswith(rel + "/") for f in files):
                load.append(tmp_root / rel)
            else:
                notes.append(f"catalog path {rel} does not exist at {base}: empty in the base")
        catalog = load_catalog([*load, *outside], today, builtin_ids)
        shown_tmp = display_path(tmp_root).rstrip("/") + "/"

    def relocate(loc: Location) -> Location:
        if loc.file.startswith(shown_tmp):
            return Location(loc.file[len(shown_tmp) :], loc.line, loc.column)
        return loc

    paths = tuple(relocate(Location(p)).file for p in catalog.paths)
    return LoadedBase(catalog, base, "git", paths, commit, notes, relocate)


def _base_from_directory(
    directory: Path,
    catalog_paths: Sequence[Path],
    cwd: Path,
    today: date,
    builtin_ids: Iterable[str],
) -> LoadedBase:
    """``<directory>/<each catalog path>``, the paths taken relative to the repository root
    (or to the working directory outside a repository), as in a checkout of the base."""
    try:
        anchor = repo_root(cwd) or cwd
    except GitError:
        anchor = cwd
    relative, outside, notes = _split_paths(catalog_paths, cwd, anchor)
    load = [directory / rel for rel in relative]
    present = [p for p in load if p.exists()]
    if relative and not present:
        raise BaseCatalogError(
            f"the directory {display_path(directory)} contains none of the catalog "
            f"paths ({', '.join(relative)})"
        )
    notes.extend(
        f"catalog path {display_path(p)} does not exist: empty in the base"
        for p in load
        if p not in present
    )
    catalog = load_catalog([*present, *outside], today, builtin_ids)
    label = f"directory {display_path(directory)}"
    return LoadedBase(catalog, label, "directory", tuple(catalog.paths), None, notes, lambda x: x)


def _split_paths(
    catalog_paths: Sequence[Path], cwd: Path, root: Path
) -> tuple[list[str], list[Path], list[str]]:
    """Catalog paths relative to ``root`` (POSIX, ``.`` for the root itself), and those
    outside it, which are loaded as they are for the base too (with a note)."""
    relative: list[str] = []
    outside: list[Path] = []
    notes: list[str] = []
    for path in catalog_paths:
        absolute = Path(os.path.abspath(cwd / path))
        try:
            rel = PurePosixPath(absolute.relative_to(root).as_posix())
        except ValueError:
            outside.append(path)
            notes.append(
                f"catalog path {display_path(path)} is outside {root}: "
                "the same files are used for the base"
            )
            continue
        if str(rel) not in relative:
            relative.append(str(rel))
    return relative, outside, notes


def _is_dir(path: Path) -> bool:
    """``path.is_dir()``, false for a name the file system cannot look up (too long, NUL)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False
