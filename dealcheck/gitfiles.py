"""Reading catalog files as they were at a git revision, for ``dealcheck impact``.

Only plumbing commands that read the object database are used (``rev-parse``,
``ls-tree``, ``cat-file``): the working tree and the index are never read or written,
so a check in CI or in a pre-commit hook cannot disturb what is being committed. The
files are written into a directory the caller owns (a temporary one) and loaded from
there like any catalog.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from dealcheck.catalog import YAML_SUFFIXES
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


class GitError(Exception):
    """git is missing, the directory is not a repository, or a ref does not exist."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
