"""Where a SARIF result points and how it is known across runs: artifact locations
relative to the repository root (``%SRCROOT%``), the ``partialFingerprints`` value, and
the message text GitHub shows. Shared by every SARIF log dealcheck writes.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from dealcheck.errors import Location
from dealcheck.report.sanitize import one_line

FINGERPRINT_KEY = "dealcheck/v2"
SRCROOT = "%SRCROOT%"


class Locator:
    """Artifact locations relative to the repository root (``%SRCROOT%``), as GitHub wants.

    Paths in reports are as shown to users (relative to ``cwd``, the directory dealcheck
    ran in, or absolute). The root of a file is the nearest directory above it with a
    ``.git`` (a directory, or a file in a worktree or submodule), else ``cwd`` when the
    file is below it, else the file system's root. Each directory is looked up once.
    The first repository (or ``cwd``) used is ``%SRCROOT%``; further roots get
    ``%SRCROOT2%``, … (declared with their absolute ``file:`` URI).
    """

    def __init__(self, cwd: Path | str | None = None) -> None:
        self.cwd = os.path.abspath(cwd if cwd is not None else os.getcwd())
        self.roots: dict[str, str] = {}  # root directory → its base id, in order of use
        self._tops: dict[str, str | None] = {}
        self._files: dict[str, tuple[str, str]] = {}

    def artifact(self, file: str) -> dict[str, str]:
        """``{"uri": …, "uriBaseId": …}`` of a file as shown in a report."""
        uri, base = self.resolve(file)
        return {"uri": uri, "uriBaseId": base}

    def resolve(self, file: str) -> tuple[str, str]:
        """A file's URI relative to its root (percent-encoded, ``/``) and the root's id."""
        found = self._files.get(file)
        if found is None:
            found = self._files[file] = self._resolve(file)
        return found

    def _resolve(self, file: str) -> tuple[str, str]:
        path = os.path.normpath(os.path.join(self.cwd, file))
        root = self._git_top(os.path.dirname(path))
        repository = root is not None or _below(path, self.cwd)
        if root is None:
            root = self.cwd if repository else PurePath(path).anchor
        base = self.roots.get(root)
        if base is None:
            # %SRCROOT% is the first repository (or working directory) used, never the
            # file system's root of a stray file
            taken = SRCROOT in self.roots.values()
            base = (
                SRCROOT
                if repository and not taken
                else f"%SRCROOT{len(self.roots) + 1 + (not taken)}%"
            )
            self.roots[root] = base
        relative = PurePath(os.path.relpath(path, root)).as_posix()
        # ``:`` is encoded too: ``C:x`` would otherwise read as a URI with a scheme
        return quote(relative, safe="/"), base

    def _git_top(self, directory: str) -> str | None:
        seen: list[str] = []
        top: str | None = None
        current = directory
        while True:
            if current in self._tops:
                top = self._tops[current]
                break
            seen.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                top = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for d in seen:
            self._tops[d] = top
        return top

    def original_uri_base_ids(self) -> dict[str, Any]:
        """``run.originalUriBaseIds``: ``%SRCROOT%`` (no absolute URI: the log does not
        depend on where the repository is checked out), then any further roots."""
        out: dict[str, Any] = {
            SRCROOT: {
                "description": {
                    "text": "The repository root: the top of the git work tree, "
                    "or the directory dealcheck ran in outside a repository."
                }
            }
        }
        for root, base in self.roots.items():
            if base != SRCROOT:
                uri = Path(root).as_uri()
                out[base] = {
                    "uri": uri if uri.endswith("/") else uri + "/",
                    "description": {"text": "Another root of files outside the repository."},
                }
        return out


def _below(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:  # another drive
        return False


def result_location(
    location: Location, locator: Locator, deal_id: str | None = None
) -> dict[str, Any]:
    # Without a line (a whole file: unreadable, or a CSV), the file's first line: GitHub
    # shows a result at a line, and the multitool warns of a location without a region.
    region = {"startLine": location.line if location.line > 0 else 1}
    if location.line > 0 and location.column > 0:
        region["startColumn"] = location.column
    physical: dict[str, Any] = {
        "artifactLocation": locator.artifact(location.file),
        "region": region,
    }
    result: dict[str, Any] = {"physicalLocation": physical}
    if deal_id:
        result["logicalLocations"] = [{"name": one_line(deal_id), "kind": "deal"}]
    return result


def result_fingerprint(rule: str, deal_id: str, uri: str, own: str) -> str:
    """What identifies a result across runs: the rule, the deal, its file (relative to the
    repository root, so the same wherever dealcheck runs) and the finding's fingerprint."""
    text = "\x1f".join((FINGERPRINT_KEY, rule, deal_id, uri, own))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


_LINK_SYNTAX = re.compile(r"[\[\]]")


def message_text(text: str) -> str:
    """A result's ``message.text``: one line, no control characters, and ``[``/``]``
    escaped (SARIF's embedded-link syntax, which GitHub renders as a link)."""
    return _LINK_SYNTAX.sub(lambda m: "\\" + m.group(), one_line(text))
