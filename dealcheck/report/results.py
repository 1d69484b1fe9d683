"""The result of ``dealcheck check``: every deal's outcome, today's date and the catalog."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from dealcheck.findings import DealResult, DealStats, FailOn, exit_code, summary


@dataclass(frozen=True)
class RuleDoc:
    """What a report needs to describe a check or rule (SARIF rule descriptors, HTML)."""

    id: str
    summary: str
    help: str  # the full ``dealcheck explain`` text
    severity: str
    category: str
    builtin: bool


@dataclass
class CheckReport:
    today: date
    catalog_fingerprint: str
    catalog_paths: list[str]
    deals: list[DealResult] = field(default_factory=list)
    rules: dict[str, RuleDoc] = field(default_factory=dict)
    fail_on: FailOn | None = None

    def summary(self) -> dict[str, int]:
        return summary(self.deals)

    def exit_code(self, fail_on: FailOn | None = None) -> int:
        return exit_code(self.deals, fail_on if fail_on is not None else self.fail_on)


class RenderedDeals(NamedTuple):
    """Deals rendered where they were checked: each one's stats, and their report text in
    UTF-8, joined. A worker of ``--jobs`` makes one of these per work unit (up to 256
    deals) and, where the report has a file descriptor, writes the text there itself
    (:mod:`dealcheck.report.direct`); else it sends the bytes, which reach the output
    without being decoded or encoded again (one "…" makes a whole text two bytes a
    character, and slow to pickle). The parent handles one item per unit, not per deal."""

    stats: tuple[DealStats, ...]
    text: bytes
    #: the text is already in the output, written by the worker that rendered it (see
    #: :mod:`dealcheck.report.direct`); ``text`` is then empty
    written: bool = False


@dataclass(frozen=True)
class Framing:
    """What a streamed report writes around its deals: ``head`` and ``opener`` before the
    first deal's text, ``separator`` between two deals' texts."""

    head: bytes = b""
    opener: bytes = b""
    separator: bytes = b""


def render_each(
    render: Callable[[DealResult], tuple[DealStats, str]],
    separator: bytes,
    results: Iterable[DealResult],
) -> list[RenderedDeals]:
    """``results`` rendered one at a time by ``render`` into one :class:`RenderedDeals`
    (none for no results), texts joined by ``separator``: what a streaming renderer
    writes between two deals. Picklable as a ``functools.partial`` of module functions."""
    stats: list[DealStats] = []
    texts: list[bytes] = []
    for result in results:
        one, text = render(result)
        stats.append(one)
        texts.append(text.encode("utf-8"))
    return [RenderedDeals(tuple(stats), separator.join(texts))] if stats else []


def joined(chunks: Iterable[str | bytes]) -> str:
    """A streamed report as one text (its deal batches are UTF-8 bytes)."""
    return "".join(c if isinstance(c, str) else c.decode("utf-8") for c in chunks)
