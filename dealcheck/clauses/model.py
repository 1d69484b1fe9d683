"""The values clause analysis produces: clauses, mentions, decisions, commitments, uptimes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from dealcheck.errors import Location

#: Longest clause: a contract with a longer one is refused (``budget``), and analysis
#: reads no further, so that untrusted text cannot make it slow (it is linear: about
#: half a second for the most adversarial clause of this length). Every clause a
#: contract may hold is analysed to its end.
MAX_CLAUSE_CHARS = 200_000


#: Where a clause's text came from in its document.
ClauseSource = Literal["paragraph", "heading", "list-item", "table-row", "pdf"]


@dataclass(frozen=True)
class Revision:
    """A tracked change (Word redline) inside a clause's text.

    ``kind`` is ``"inserted"`` (the words at ``span`` of the clause text exist only
    because of the change) or ``"deleted"`` (``text`` was struck out just before
    ``span[0]``; ``span`` is then empty). ``author`` and ``date`` are as the document
    records them (``date`` an ISO 8601 timestamp string), ``None`` when absent.
    """

    kind: Literal["inserted", "deleted"]
    author: str | None
    date: str | None
    text: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Clause:
    """One clause of a contract: its id ("7.2", "(a)" or positional "p3"), text and position.

    ``id`` is the number the reader of the document sees (for Word: the number its
    automatic numbering displays). ``source`` says where the text came from;
    ``revisions`` lists the tracked changes that ``text`` (as it reads with every
    change accepted) contains.
    """

    id: str
    text: str
    location: Location
    source: ClauseSource = "paragraph"
    revisions: tuple[Revision, ...] = ()


@dataclass(frozen=True)
class FeatureTerm:
    """What a catalog feature may be called in prose: its name and aliases."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A feature named in a text; ``start``/``end`` index the text, ``text`` is as written."""

    feature: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class InferredCommitment:
    """A promise, found in a clause, that the provider delivers ``feature`` by ``due``."""

    feature: str
    due: date
    due_text: str | None
    evidence: str
    span: tuple[int, int]
    text: str
    #: the tracked change that made this a commitment (an insertion of the promise, or
    #: the deletion of its disclaimer), ``None`` for text that was not redlined
    revision: Revision | None = None


@dataclass(frozen=True)
class Decision:
    """Why one mention is or is not a commitment; ``decisions[i]`` explains ``mentions[i]``."""

    feature: str
    committed: bool
    reason: str
    words: str | None


@dataclass(frozen=True)
class Uptime:
    """A committed uptime percentage, e.g. ``Decimal("99.95")`` from "99.95 per cent"."""

    value: Decimal
    text: str
    span: tuple[int, int]


@dataclass(frozen=True)
class ClauseAnalysis:
    """Everything found in one clause."""

    clause: Clause
    mentions: tuple[Mention, ...]
    commitments: tuple[InferredCommitment, ...]
    decisions: tuple[Decision, ...]
    uptimes: tuple[Uptime, ...]
