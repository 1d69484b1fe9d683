"""SARIF 2.1.0 logs of ``check`` and ``validate`` results, for GitHub code scanning.

Every check and rule that ran becomes a ``tool.driver.rules[]`` descriptor (its
``dealcheck explain`` text is the help); every reported finding a result at its YAML
location. The log is written to pass GitHub's upload checks (Microsoft's SARIF multitool,
``validate --rule-kind "Sarif;Gh"``; ``scripts/sarif_multitool.sh`` runs it):

* **Locations** are relative to the repository root, with ``uriBaseId: "%SRCROOT%"`` (the
  way GitHub resolves them), never to the directory dealcheck ran in and never ``file://``.
  The root of a file is the top of the git work tree around it (found by walking up to a
  ``.git``, once per directory, without running git), else the working directory.
  ``run.originalUriBaseIds`` declares ``%SRCROOT%`` without an absolute URI, so that a log
  is the same wherever the repository is checked out. Files under another root (another
  repository) get a base id of their own, ``%SRCROOT2%``, … whose absolute ``file:`` URI
  is declared there.
* **Fingerprints** (``partialFingerprints["dealcheck/v2"]``) hash the rule, the deal id,
  the file's repository-relative path and the finding's own fingerprint, so that the same
  finding in two deals is two alerts, and an alert survives edits elsewhere in the file.
* **Messages** are one line with the control characters replaced
  (:func:`~dealcheck.report.sanitize.one_line`), and ``[`` / ``]`` escaped, because
  GitHub renders ``[text](target)`` in a message as a link.
* **What is reported** (GitHub accepts at most 25,000 results and 25,000 rules per run
  and 10 MB gzip-compressed per file, and shows only the first 5,000 results of a run):
  by default only the *open* findings at or above the ``--fail-on`` level (``approval``
  unless configured): what a reviewer must act on. Approved and waived findings at that
  level are added as suppressed results only when they fit within the limit (all of them,
  or none). Deals that could not be read are always reported. ``all_findings=True``
  reports every finding, as earlier versions did. When the results still exceed a limit,
  :class:`SarifLimitError` says which, rather than writing a log GitHub would reject.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from dealcheck import __version__
from dealcheck.errors import Location, Problem
from dealcheck.findings import SEVERITY_RANK, DealResult, FailOn, Finding
from dealcheck.report.json_report import plain
from dealcheck.report.results import CheckReport, RuleDoc
from dealcheck.report.sanitize import one_line, safe_text

if TYPE_CHECKING:
    from dealcheck.validate import ValidationReport

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# Where users learn about the tool (SARIF's ``tool.driver.informationUri``).
INFORMATION_URI = "https://github.com/dealcheck/dealcheck"
FINGERPRINT_KEY = "dealcheck/v2"
SRCROOT = "%SRCROOT%"
DEFAULT_FAIL_ON: FailOn = "approval"  # what ``check`` fails on without --fail-on (exit 3)
LEVELS = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "note"}
PROBLEM_LEVELS = {"error": "error", "warning": "warning"}
# A deal that cannot be read is reported under its problem's code; the prefix keeps those
# ids apart from rule ids, which catalog authors choose freely.
INPUT_RULE_PREFIX = "input/"
PROBLEM_SUMMARIES = {
    "cycle": "Documents refer to each other in a cycle.",
    "duplicate-id": "An id is defined more than once in the catalog.",
    "expression": "A rule expression does not parse or does not type-check.",
    "fx": "A currency has no FX rate, or an FX rate is unusable.",
    "invalid": "A document is not valid for its kind.",
    "invalid-value": "A value has the wrong type or is out of range.",
    "kind": "A document's kind is missing or unknown.",
    "missing-key": "A required key is missing.",
    "pricing": "Prices of a SKU are inconsistent (list, floor, cost).",
    "region": "A region or country code is unknown.",
    "stale-roadmap": "A roadmap target date has passed without the feature shipping.",
    "template": "A message template refers to something that does not exist.",
    "unknown-key": "A key is not known for this kind of document.",
    "unreadable": "A file cannot be read or parsed as YAML.",
}


# -- GitHub's upload limits --------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What GitHub code scanning accepts in one SARIF upload (its documented limits)."""

    results: int = 25_000  # per run
    rules: int = 25_000  # per run
    gzip_bytes: int = 10_000_000  # the file, gzip-compressed ("10 MB")


GITHUB_LIMITS = Limits()


class SarifLimitError(Exception):
    """The log would exceed one of GitHub's upload limits: nothing should be written.

    ``str(err)`` (also ``err.message``) names the limit, the count and what to do;
    ``limit`` is ``"results"``, ``"rules"`` or ``"gzip_bytes"`` (a :class:`Limits` field).
    """

    def __init__(self, limit: str, count: int, maximum: int, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.count = count
        self.maximum = maximum
        self.message = message


def check_result_count(results: int, limits: Limits, advice: str) -> None:
    """:class:`SarifLimitError` when ``results`` are more than a run may have."""
    if results > limits.results:
        raise SarifLimitError(
            "results",
            results,
            limits.results,
            f"SARIF: {results:,} results, more than GitHub code scanning accepts in one run "
            f"({limits.results:,} results per run); {advice}",
        )


def check_limits(run: dict[str, Any], limits: Limits, advice: str) -> str:
    """The SARIF log of ``run``, or :class:`SarifLimitError` naming the limit it exceeds."""
    check_result_count(len(run["results"]), limits, advice)
    rules = len(run["tool"]["driver"]["rules"])
    if rules > limits.rules:
        raise SarifLimitError(
            "rules",
            rules,
            limits.rules,
            f"SARIF: {rules:,} rules, more than GitHub code scanning accepts in one run "
            f"({limits.rules:,} rules per run)",
        )
    text = dump(run)
    raw = text.encode("utf-8")
    if len(raw) > limits.gzip_bytes:  # only then can the compressed file be too large
        size = len(gzip.compress(raw, compresslevel=6, mtime=0))
        if size > limits.gzip_bytes:
            raise SarifLimitError(
                "gzip_bytes",
                size,
                limits.gzip_bytes,
                f"SARIF: the log is {size:,} bytes gzip-compressed, more than GitHub code "
                f"scanning accepts ({limits.gzip_bytes:,} bytes); {advice}",
            )
    return text


# -- locations ---------------------------------------------------------------------------------


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


# -- check -------------------------------------------------------------------------------------


def render(
    report: CheckReport,
    *,
    fail_on: FailOn | None = None,
    all_findings: bool = False,
    limits: Limits = GITHUB_LIMITS,
    cwd: Path | str | None = None,
) -> str:
    """The SARIF log of a ``check`` run: one run, a result per reported finding (see the
    module's docstring) and per problem of a deal that could not be read.

    ``fail_on`` defaults to ``report.fail_on``, else ``"approval"``. Raises
    :class:`SarifLimitError` when the log would exceed one of GitHub's ``limits``.
    """
    level = fail_on or report.fail_on or DEFAULT_FAIL_ON
    threshold = SEVERITY_RANK[level]

    def wanted(f: Finding) -> bool:
        return all_findings or SEVERITY_RANK.get(f.severity, 9) <= threshold

    open_count = suppressed = below = 0
    for deal in report.deals:
        open_count += len(deal.problems) if deal.error is not None else 0
        for f in deal.findings:
            if not wanted(f):
                below += 1
            elif f.is_open:
                open_count += 1
            else:
                suppressed += 1
    if level == "blocker" or all_findings:
        advice = "split the deals into several runs, each uploaded with its own category"
    else:
        advice = (
            "report only open blockers (--fail-on blocker) or split the deals into several "
            "runs, each uploaded with its own category"
        )
    check_result_count(open_count, limits, advice)  # before building any result
    with_suppressed = open_count + suppressed <= limits.results

    locator = Locator(cwd)
    descriptors = _Descriptors(report.rules.values())
    results: list[dict[str, Any]] = []
    for deal in report.deals:
        if deal.error is not None:
            results.extend(_deal_problem(descriptors, locator, deal, p) for p in deal.problems)
        results.extend(
            _finding_result(descriptors, locator, deal, f)
            for f in deal.findings
            if wanted(f) and (f.is_open or with_suppressed)
        )
    run: dict[str, Any] = {
        "tool": tool(descriptors.rules),
        "originalUriBaseIds": locator.original_uri_base_ids(),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "today": report.today.isoformat(),
            "catalogFingerprint": report.catalog_fingerprint,
            "catalogPaths": list(report.catalog_paths),
            "summary": report.summary(),
            "reported": {
                "failOn": None if all_findings else level,
                "allFindings": all_findings,
                "belowFailOn": below,
                "suppressedIncluded": suppressed if with_suppressed else 0,
                "suppressedLeftOut": 0 if with_suppressed else suppressed,
            },
        },
    }
    return check_limits(run, limits, advice)


# -- validate ----------------------------------------------------------------------------------


def render_validation(
    report: ValidationReport, *, limits: Limits = GITHUB_LIMITS, cwd: Path | str | None = None
) -> str:
    """The SARIF log of a ``validate`` run: a result per problem, a rule per problem code.

    Raises :class:`SarifLimitError` when the log would exceed one of GitHub's ``limits``.
    """
    codes = sorted({p.code for p in report.problems})
    rules = [
        RuleDoc(
            code,
            PROBLEM_SUMMARIES.get(code, f"Catalog problem: {code}."),
            PROBLEM_SUMMARIES.get(code, f"Catalog problem: {code}."),
            "blocker",
            "catalog",
            True,
        )
        for code in codes
    ]
    locator = Locator(cwd)
    descriptors = _Descriptors(rules)
    results = [_problem_result(descriptors, locator, p.code, p, "") for p in report.problems]
    run: dict[str, Any] = {
        "tool": tool(descriptors.rules),
        "originalUriBaseIds": {},  # filled in below, once every file is located
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": locator.artifact(f)} for f in report.files],
        "results": results,
        "properties": {
            "catalogFingerprint": report.catalog.fingerprint,
            "catalogPaths": list(report.catalog.paths),
            "summary": {
                "files": len(report.files),
                "errors": report.errors,
                "warnings": report.warnings,
            },
        },
    }
    run["originalUriBaseIds"] = locator.original_uri_base_ids()
    return check_limits(run, limits, "validate the catalog's files in several runs")


# -- rule descriptors and results --------------------------------------------------------------


class _Descriptors:
    """Rule descriptors in a fixed order, growing for ids a report did not describe."""

    def __init__(self, docs: Iterable[RuleDoc]) -> None:
        self.rules: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        for doc in docs:
            self.add(doc)

    def add(self, doc: RuleDoc) -> int:
        if doc.id not in self.index:
            self.index[doc.id] = len(self.rules)
            self.rules.append(descriptor(doc))
        return self.index[doc.id]

    def find(self, rule_id: str, severity: str, category: str) -> int:
        if rule_id in self.index:
            return self.index[rule_id]
        return self.add(RuleDoc(rule_id, rule_id, rule_id, severity, category, False))


def descriptor(doc: RuleDoc) -> dict[str, Any]:
    """A ``reportingDescriptor`` with everything GitHub requires (GH2012: ``fullDescription``
    and ``help``) and a friendly ``name`` (SARIF2012)."""
    summary = one_line(doc.summary or doc.id)
    full = safe_text(doc.help or doc.summary or doc.id)
    return {
        "id": doc.id,
        "name": _friendly_name(doc),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": LEVELS.get(doc.severity, "warning")},
        "properties": {
            "category": doc.category,
            "severity": doc.severity,
            "builtin": doc.builtin,
            "tags": [doc.category],
        },
    }


def _friendly_name(doc: RuleDoc) -> str:
    """The rule's ``name``: its id in Pascal case, prefixed by its category when that would
    only change the case (SARIF1001: ``name`` must differ from ``id``, ignoring case)."""
    name = _pascal_case(doc.id)
    if name.lower() == doc.id.lower():
        name = _pascal_case(f"{doc.category}-{doc.id}")
    return name if name.lower() != doc.id.lower() else f"{name}Rule"


def _pascal_case(rule_id: str) -> str:
    """``region-restricted`` → ``RegionRestricted`` (SARIF's readable ``name``)."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", rule_id) if p]
    return "".join(p[0].upper() + p[1:] for p in parts) or "Rule"


def tool(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "driver": {
            "name": "dealcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }
    }


def _finding_result(
    descriptors: _Descriptors, locator: Locator, deal: DealResult, f: Finding
) -> dict[str, Any]:
    text = f.message
    if f.fix:  # one line: "Message. Fix: fix"
        text = f"{text}{'' if text.rstrip().endswith(('.', '!', '?')) else '.'}\nFix: {f.fix}"
    location = result_location(f.location, locator, deal.deal_id)
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": descriptors.find(f.rule, f.severity, f.category),
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": message_text(text)},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT_KEY: result_fingerprint(f.rule, deal.deal_id, uri, f.fingerprint)
        },
        "properties": {
            "deal": deal.deal_id,
            "category": f.category,
            "severity": f.severity,
            "status": f.status,
            "subject": f.subject,
            "approver": f.approver,
            "fix": f.fix,
            "fingerprint": f.fingerprint,
            "evidence": plain(dict(sorted(f.evidence.items()))),
        },
    }
    if not f.is_open:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if f.status_note:
            suppression["justification"] = one_line(f.status_note)
        suppression["properties"] = {"dealcheckStatus": f.status}
        result["suppressions"] = [suppression]
    return result


def _deal_problem(
    descriptors: _Descriptors, locator: Locator, deal: DealResult, p: Problem
) -> dict[str, Any]:
    rule_id = INPUT_RULE_PREFIX + p.code
    if rule_id not in descriptors.index:
        summary = PROBLEM_SUMMARIES.get(p.code, f"Input problem: {p.code}.")
        descriptors.add(RuleDoc(rule_id, summary, summary, "blocker", "input", True))
    result = _problem_result(descriptors, locator, rule_id, p, deal.deal_id)
    result["properties"]["deal"] = deal.deal_id or None
    return result


def _problem_result(
    descriptors: _Descriptors, locator: Locator, rule_id: str, p: Problem, deal_id: str
) -> dict[str, Any]:
    location = result_location(p.location, locator)
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    # Problems have no fingerprint of their own: what and where (not the line, which moves).
    own = hashlib.sha256(f"{p.code}\x1f{p.message}".encode("utf-8", "surrogatepass")).hexdigest()
    return {
        "ruleId": rule_id,
        "ruleIndex": descriptors.find(rule_id, "blocker", "catalog"),
        "level": PROBLEM_LEVELS.get(p.severity, "warning"),
        "message": {"text": message_text(p.message)},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT_KEY: result_fingerprint(rule_id, deal_id, uri, own[:16])
        },
        "properties": {"code": p.code, "severity": p.severity},
    }


# What ``json.dumps(ensure_ascii=False)`` leaves raw but no output may carry: DEL, the C1
# controls (ESC's 8-bit forms, NEL) and the Unicode line and paragraph separators. Such a
# character can only be inside a JSON string, where ``\\uXXXX`` is the same data.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def escape_raw(dumped: str) -> str:
    """A JSON document from ``json.dumps(..., ensure_ascii=False)`` with DEL, C1 and the
    Unicode line separators as ``\\uXXXX`` escapes: the same data, safe to print."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def dump(run: dict[str, Any]) -> str:
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return escape_raw(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
