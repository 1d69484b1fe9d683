"""How a feature finding describes the commitment it is about: its subject, where the
contract makes it, its evidence, and the tracked change that made it (redlines)."""

from __future__ import annotations

from typing import Any

from dealcheck.checks.base import CommitmentRef
from dealcheck.clauses.model import Revision


def revision_of(c: CommitmentRef) -> Revision | None:
    revision = c.revision  # set on commitments inferred from a redlined clause
    return revision if isinstance(revision, Revision) else None


def tracked_suffix(c: CommitmentRef) -> str:
    """The message suffix of a commitment made by a tracked change ("" if none)."""
    from dealcheck.contract import tracked_change

    return tracked_change(revision_of(c))


def evidence_of(c: CommitmentRef, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "feature": c.feature,
        "due": c.due,
        "clause": c.clause,
        "source": c.source,
    }
    if c.text:
        out["text"] = c.text
    if c.evidence:
        out["matched"] = c.evidence
    revision = revision_of(c)
    if revision is not None:
        from dealcheck.contract import tracked_evidence

        out.update(tracked_evidence(revision))
    out.update(extra)
    return out


def subject_of(c: CommitmentRef) -> str:
    return f"feature:{c.feature}:{c.clause or c.index}"


def where_of(c: CommitmentRef) -> str:
    return f"clause {c.clause}" if c.source == "clause" and c.clause else "the contract"
