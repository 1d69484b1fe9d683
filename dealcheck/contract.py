"""A deal's contract text: clauses from the deal, its ``clauses_file`` and ``--clauses``,
analysed into inferred commitments and uptimes (SPEC §6).

Files a deal names are resolved relative to the deal's own folder and must stay inside
it (no ``../../etc/passwd``, no symlink out) unless ``--allow-outside`` is given.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dealcheck.catalog import Catalog, display_path
from dealcheck.checks.base import ClauseRef, CommitmentRef, UptimeRef
from dealcheck.errors import InputError, Location
from dealcheck.models import DealBody
from dealcheck.yamlio import SourceMap

if TYPE_CHECKING:
    from dealcheck.clauses import Clause, ClauseAnalysis, FeatureMatcher, Revision

#: Catalog statuses of features that are not yet generally available (roadmap features).
ROADMAP_STATUSES = ("planned", "preview", "beta")


def tracked_change(revision: Revision | None) -> str:
    """ " — inserted in a tracked change by X on D" for a finding's message ("" if none)."""
    if revision is None:
        return ""
    who = f" by {revision.author}" if revision.author else ""
    when = f" on {revision.date[:10]}" if revision.date else ""
    if revision.kind == "inserted":
        return f" — inserted in a tracked change{who}{when}"
    return f" — its disclaimer was deleted in a tracked change{who}{when}"


def tracked_evidence(revision: Revision | None) -> dict[str, str | None]:
    """Evidence keys for a finding that exists because of a tracked change."""
    if revision is None:
        return {}
    verb = "inserted" if revision.kind == "inserted" else "deleted"
    return {
        "revision": verb,
        f"{verb}_by": revision.author,
        f"{verb}_on": revision.date[:10] if revision.date else None,
        f"{verb}_text": revision.text,
    }


@dataclass(frozen=True)
class ContractOptions:
    """How deals may reach other files, and clause files given on the command line."""

    allow_outside: bool = False
    extra_clause_files: tuple[Path, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()  # quote CSV: field -> header


@dataclass
class Contract:
    """What the contract text adds to a deal's checks."""

    clauses: list[ClauseRef] = field(default_factory=list)
    commitments: list[CommitmentRef] = field(default_factory=list)
    uptimes: list[UptimeRef] = field(default_factory=list)
    analyses: list[ClauseAnalysis] = field(default_factory=list)


def resolve_attachment(
    name: str, base_dir: Path | None, where: Location, allow_outside: bool
) -> Path:
    """The file a deal names (``clauses_file``, ``lines_file``), checked to be inside the
    deal's folder (after resolving ``..`` and symlinks) unless ``allow_outside``."""
    try:
        base = (base_dir or Path(".")).resolve()
        target = (base / name).resolve()
        _refuse_loop(target)
    except RuntimeError:  # a symlink loop, before Python 3.13
        raise InputError(where, f"'{name}' cannot be resolved: {LOOP}") from None
    except (OSError, ValueError) as exc:  # a NUL byte in the name (ValueError)
        raise InputError(where, f"'{name}' cannot be resolved: {exc}") from None
    if not allow_outside and not target.is_relative_to(base):
        raise InputError(
            where,
            f"'{name}' is outside the deal's folder ({display_path(base)}); a deal may only "
            "read files next to it or below (use --allow-outside to permit this)",
        )
    try:
        found = target.is_file()
    except OSError as exc:  # a name too long for the file system
        raise InputError(where, f"'{name}' cannot be read: {exc.strerror or exc}") from None
    if not found:
        raise InputError(where, f"'{name}' not found (looked for {display_path(target)})")
    return target


LOOP = "a symbolic link loop"


def _refuse_loop(target: Path) -> None:
    """Raise RuntimeError when ``target`` is caught in a symlink loop. Python 3.13 stopped
    raising one from a non-strict ``resolve()``: it returns the path with the loop in it,
    which would then be reported as not found."""
    try:
        target.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RuntimeError(LOOP) from None


def feature_matcher(catalog: Catalog) -> FeatureMatcher:
    """One compiled matcher over every catalog feature's name and aliases."""
    from dealcheck.clauses import FeatureMatcher, FeatureTerm

    return FeatureMatcher(
        (
            FeatureTerm(e.feature.id, e.feature.name, tuple(e.feature.aliases))
            for e in catalog.features.values()
        ),
        roadmap=(
            e.feature.id for e in catalog.features.values() if e.feature.status in ROADMAP_STATUSES
        ),
    )


def gather_clauses(
    deal: DealBody, source: SourceMap, base_dir: Path | None, options: ContractOptions
) -> list[Clause]:
    """Every clause of the deal: inline ``clauses:``, ``clauses_file`` and ``--clauses``."""
    if not deal.clauses and deal.clauses_file is None and not options.extra_clause_files:
        return []  # most deals of a batch: nothing to read, nothing to check
    # from the modules, not the package: a package's "from ... import" runs Python code
    from dealcheck.clauses.budget import check_contract_budget
    from dealcheck.clauses.model import Clause
    from dealcheck.clauses.reader import read_clause_file

    clauses = [
        Clause(c.id, c.text, source.locate(("clauses", i, "text")))
        for i, c in enumerate(deal.clauses)
    ]
    if deal.clauses_file is not None:
        where = source.locate(("clauses_file",))
        path = resolve_attachment(deal.clauses_file, base_dir, where, options.allow_outside)
        clauses.extend(read_clause_file(path, display_path(path)))
    for path in options.extra_clause_files:
        clauses.extend(read_clause_file(path, display_path(path)))
    check_contract_budget(clauses)  # the contract as a whole, inline clauses included
    return clauses


def analyse_contract(
    deal: DealBody, clauses: Sequence[Clause], matcher: FeatureMatcher
) -> Contract:
    """Clause refs for rules, inferred commitments and committed uptimes.

    An inferred commitment is skipped when a structured commitment already promises the
    same feature from the same clause (or names no clause): one promise, one finding.
    """
    from dealcheck.clauses.document import analyse_document

    structured = {(c.feature, c.clause) for c in deal.commitments}
    structured_any = {c.feature for c in deal.commitments if c.clause is None}
    contract = Contract()
    index = len(deal.commitments)
    analyses = analyse_document(clauses, matcher, deal.start_date, deal.date_format)
    for clause, analysis in zip(clauses, analyses, strict=True):
        contract.clauses.append(ClauseRef(clause.id, clause.text, clause.location))
        contract.analyses.append(analysis)
        for inferred in analysis.commitments:
            if (inferred.feature, clause.id) in structured or inferred.feature in structured_any:
                continue
            contract.commitments.append(
                CommitmentRef(
                    index=index,
                    feature=inferred.feature,
                    due=inferred.due,
                    clause=clause.id,
                    source="clause",
                    text=inferred.text,
                    location=clause.location,
                    evidence=inferred.evidence,
                    revision=inferred.revision,
                )
            )
            index += 1
        for uptime in analysis.uptimes:
            contract.uptimes.append(
                UptimeRef(
                    uptime.value,
                    clause.location,
                    clause.id,
                    uptime.text,
                    revision=_uptime_revision(clause, uptime.span),
                )
            )
    return contract


def _uptime_revision(clause: Clause, span: tuple[int, int]) -> Revision | None:
    """The tracked insertion that holds an uptime figure, if any."""
    for revision in clause.revisions:
        low, high = revision.span
        if revision.kind == "inserted" and low < span[1] and span[0] < high:
            return revision
    return None
