"""GitHub's upload limits on a SARIF log, and the log's text that they measure.

Shared by every SARIF log dealcheck writes (``check``, ``validate``, ``lint``, ``impact``):
:func:`check_limits` returns the log of a run, or raises :class:`SarifLimitError` naming
the limit it would exceed, so that nothing GitHub would reject is written.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from typing import Any

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


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


# What ``json.dumps(ensure_ascii=False)`` leaves raw but no output may carry: DEL, the C1
# controls (ESC's 8-bit forms, NEL) and the Unicode line and paragraph separators. Such a
# character can only be inside a JSON string, where ``\\uXXXX`` is the same data.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def escape_raw(dumped: str) -> str:
    """A JSON document from ``json.dumps(..., ensure_ascii=False)`` with DEL, C1 and the
    Unicode line separators as ``\\uXXXX`` escapes: the same data, safe to print."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def dump(run: dict[str, Any]) -> str:
    """The SARIF 2.1.0 log of one run, as indented JSON."""
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return escape_raw(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
