"""``dealcheck impact``: what a catalog change does to the deals (SPEC §9).

The base catalog comes from a directory or from a git ref of the current repository
(read with git plumbing into a temporary directory: the working tree and the index are
never touched). Every deal is parsed once and checked by two engines, one per catalog,
each built once. The report lists the deals whose verdict or findings changed, each
changed finding with the catalog changes it can be traced to, and a summary of the
catalog diff. A deal *got worse* when its verdict worsened (pass < needs-approval <
blocked) or it gained an open blocker or approval finding; then the exit code is 1.

Findings are matched by ``(rule, subject)``: the same pair with another fingerprint,
severity, status or approver is *changed*. A finding is traced to a catalog change
through the rule id (a changed rule or ``builtin:`` tuning) and its evidence keys
``feature``, ``sku``, ``product``, ``country`` and ``currency`` (a changed feature, SKU,
product, region group containing the country, or FX rate).

Catalog paths outside the repository (or outside ``--base DIR``'s tree) have no base
version: the same files are loaded on both sides, and the report notes it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import quote

from dealcheck import __version__
from dealcheck.catalog import Catalog, Where, display_path, load_catalog
from dealcheck.checks import BUILTIN_IDS, REGISTRY
from dealcheck.contract import ContractOptions, gather_clauses
from dealcheck.deals import DealInput, iter_deals
from dealcheck.engine import Engine
from dealcheck.errors import InputError, Location, Problem
from dealcheck.findings import SEVERITY_RANK, DealResult, Finding
from dealcheck.gitfiles import GitError, extract, list_catalog_files, repo_root, resolve_commit
from dealcheck.report.github import command
from dealcheck.report.json_report import finding_dict, plain

VERDICT_RANK = {"pass": 0, "needs-approval": 1, "blocked": 2}
WORRYING = ("blocker", "approval")  # an open finding of these severities makes a deal worse
Direction = Literal["worse", "better", "changed"]
DIRECTIONS: tuple[Direction, ...] = ("worse", "better", "changed")
Relocate = Callable[[Location], Location]


class ImpactError(Exception):
    """The impact cannot be computed: bad ``--base``, or a catalog that cannot be loaded.

    The CLI prints ``problems`` (each at ``file:line:column``) and ``message``, exit 2.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


# -- the result model --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a catalog entity, both values as displayed."""

    name: str
    before: str
    after: str
    added: tuple[str, ...] = ()  # for set-valued fields (a SKU's features, a group's countries)
    removed: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        if self.added or self.removed:
            parts = [f"+{a}" for a in self.added] + [f"−{r}" for r in self.removed]
            return f"{self.name} {' '.join(parts)}"
        return f"{self.name} {self.before} → {self.after}"


KIND_LABELS = {
    "feature": "feature",
    "sku": "SKU",
    "product": "product",
    "rule": "rule",
    "ruleset": "rule set",
    "fx": "FX rate",
    "region": "region group",
}


@dataclass(frozen=True)
class CatalogChange:
    """An entity added, removed or changed between the base and the current catalog."""

    kind: str  # feature | sku | product | rule | ruleset | fx | region
    ident: str
    change: Literal["added", "removed", "changed"]
    fields: tuple[FieldChange, ...]
    location: Location  # in the current catalog; for a removed entity, in the base one
    keys: frozenset[tuple[str, str]]  # what findings it can explain (see module doc)

    @property
    def text(self) -> str:
        label = f"{KIND_LABELS[self.kind]} {self.ident}"
        if self.change != "changed":
            return f"{label} {self.change}"
        return f"{label}: {'; '.join(f.text for f in self.fields)}"


@dataclass(frozen=True)
class FindingChange:
    """A finding that appeared, disappeared or changed in one deal, and its likely causes."""

    change: Literal["appeared", "disappeared", "changed"]
    before: Finding | None
    after: Finding | None
    worsens: bool  # an open blocker/approval finding the deal did not have before
    improves: bool
    causes: tuple[str, ...]  # CatalogChange.text of the related catalog changes

    @property
    def finding(self) -> Finding:
        """The finding as it is now (as it was, for one that disappeared)."""
        shown = self.after or self.before
        assert shown is not None
        return shown

    @property
    def details(self) -> tuple[str, ...]:
        """What changed in a changed finding: ``severity approval → blocker`` …"""
        if self.before is None or self.after is None:
            return ()
        return tuple(
            f"{name} {getattr(self.before, name) or 'none'} → {getattr(self.after, name) or 'none'}"
            for name in ("severity", "status", "approver", "fingerprint")
            if getattr(self.before, name) != getattr(self.after, name)
        )


@dataclass(frozen=True)
class DealImpact:
    """A deal whose verdict or findings differ between the two catalogs."""

    deal_id: str
    file: str
    location: Location
    verdict_before: str
    verdict_after: str
    direction: Direction
    findings: tuple[FindingChange, ...]

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_before != self.verdict_after

    @property
    def worsening(self) -> tuple[FindingChange, ...]:
        return tuple(c for c in self.findings if c.worsens)


@dataclass(frozen=True)
class CatalogSide:
    """One of the two catalogs: how it was named, and what was loaded."""

    label: str  # "origin/main", "directory ../main", "working tree"
    kind: Literal["git", "directory", "working-tree"]
    fingerprint: str
    paths: tuple[str, ...]
    commit: str | None = None


@dataclass
class ImpactReport:
    """Everything ``dealcheck impact`` reports; renderers are pure functions of it."""

    today: date
    base: CatalogSide
    head: CatalogSide
    catalog_changes: list[CatalogChange]
    deals: list[DealImpact]  # only deals that changed, in input order
    checked: int
    unreadable: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rule_summaries: dict[str, str] = field(default_factory=dict)
    affected: dict[str, list[str]] = field(default_factory=dict)  # change text → deal ids

    def by_direction(self, direction: Direction) -> list[DealImpact]:
        return [d for d in self.deals if d.direction == direction]

    @property
    def worse(self) -> list[DealImpact]:
        return self.by_direction("worse")

    @property
    def better(self) -> list[DealImpact]:
        return self.by_direction("better")

    @property
    def changed(self) -> list[DealImpact]:
        return self.by_direction("changed")

    @property
    def exit_code(self) -> int:
        """1 when any deal got worse, else 0 (2 is raised as :class:`ImpactError`)."""
        return 1 if self.worse else 0

    def summary(self) -> dict[str, int]:
        return {
            "deals": self.checked,
            "worse": len(self.worse),
            "better": len(self.better),
            "changed": len(self.changed),
            "unchanged": self.checked - len(self.deals),
            "unreadable": len(self.unreadable),
            "catalog_changes": len(self.catalog_changes),
        }


# -- the library entry point -------------------------------------------------------------------


def run_impact(
    base: str,
    deal_targets: Sequence[str],
    catalog_paths: Sequence[Path],
    today: date,
    builtin_ids: Iterable[str] = BUILTIN_IDS,
    options: ContractOptions | None = None,
) -> ImpactReport:
    """Check every deal under ``deal_targets`` against the base and the current catalog.

    ``catalog_paths`` are the current catalog's paths (``find_catalog(...).paths``,
    relative to the working directory); the base catalog is the same paths read from
    ``base`` (an existing directory, else a git ref of the repository around the working
    directory). ``options`` (``--allow-outside``, ``--clauses``) apply to both sides.
    Raises :class:`ImpactError` when either catalog cannot be used.
    """
    ids = tuple(builtin_ids)
    missing = [t for t in deal_targets if t != "-" and not Path(t).exists()]
    if missing:
        raise ImpactError(f"--deals: no such file or directory: {', '.join(missing)}")
    head_catalog = load_catalog(catalog_paths, today, ids)
    head_engine = Engine(head_catalog, today, options)
    if not head_engine.ok:
        raise ImpactError(
            f"the current catalog ({', '.join(head_catalog.paths) or 'no paths'}) has "
            f"{len(head_engine.problems)} error(s); run 'dealcheck validate' for details",
            head_engine.problems,
        )
    loaded = load_base_catalog(base, catalog_paths, today, ids)
    base_engine = Engine(loaded.catalog, today, options)
    if not base_engine.ok:
        raise ImpactError(
            f"the base catalog ({loaded.side.label}) has {len(base_engine.problems)} error(s)",
            [_relocate_problem(p, loaded.relocate) for p in base_engine.problems],
        )
    head = CatalogSide(
        "working tree", "working-tree", head_catalog.fingerprint, tuple(head_catalog.paths)
    )
    changes = diff_catalogs(loaded.catalog, head_catalog, loaded.relocate)
    report = ImpactReport(today, loaded.side, head, changes, [], 0, notes=list(loaded.notes))
    compare_deals(report, base_engine, head_engine, iter_deals(deal_targets))
    report.rule_summaries = _rule_summaries(report, head_catalog, loaded.catalog)
    return report


# -- the base catalog --------------------------------------------------------------------------


@dataclass
class LoadedBase:
    catalog: Catalog
    side: CatalogSide
    notes: list[str]
    relocate: Relocate


def load_base_catalog(
    base: str, catalog_paths: Sequence[Path], today: date, builtin_ids: Iterable[str]
) -> LoadedBase:
    """Load the base catalog from the directory ``base``, or else from the git ref ``base``."""
    cwd = Path.cwd()
    if base and Path(base).is_dir():
        return _base_from_directory(Path(base), catalog_paths, cwd, today, builtin_ids)
    try:
        root = repo_root(cwd)
        if root is None:
            raise ImpactError(
                f"--base: '{base}' is not a directory, and {cwd} is not in a git repository, "
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
    except GitError as err:
        raise ImpactError(f"--base: {err.message}") from None

    def relocate(loc: Location) -> Location:
        if loc.file.startswith(shown_tmp):
            return Location(loc.file[len(shown_tmp) :], loc.line, loc.column)
        return loc

    side = CatalogSide(
        base,
        "git",
        catalog.fingerprint,
        tuple(relocate(Location(p)).file for p in catalog.paths),
        commit,
    )
    return LoadedBase(catalog, side, notes, relocate)


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
        raise ImpactError(
            f"--base: the directory {display_path(directory)} contains none of the catalog "
            f"paths ({', '.join(relative)})"
        )
    notes.extend(
        f"catalog path {display_path(p)} does not exist: empty in the base"
        for p in load
        if p not in present
    )
    catalog = load_catalog([*present, *outside], today, builtin_ids)
    side = CatalogSide(
        f"directory {display_path(directory)}",
        "directory",
        catalog.fingerprint,
        tuple(catalog.paths),
    )
    return LoadedBase(catalog, side, notes, lambda loc: loc)


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


def _relocate_problem(problem: Problem, relocate: Relocate) -> Problem:
    return Problem(relocate(problem.location), problem.message, problem.severity, problem.code)


# -- the catalog diff --------------------------------------------------------------------------


Fields = dict[str, Any]


def diff_catalogs(
    base: Catalog, head: Catalog, relocate: Relocate = lambda loc: loc
) -> list[CatalogChange]:
    """What changed from ``base`` to ``head``: features, SKUs, products, rules, rule sets,
    FX rates and region groups, each kind sorted by id."""
    changes: list[CatalogChange] = []
    for kind, where_kind, fields_of in _KINDS:
        changes.extend(
            _diff_kind(kind, where_kind, fields_of(base), fields_of(head), base, head, relocate)
        )
    if base.fx is not None and head.fx is not None and base.fx.base != head.fx.base:
        changes.append(
            CatalogChange(
                "fx",
                "base",
                "changed",
                (FieldChange("base currency", base.fx.base, head.fx.base),),
                head.locate("fx", "", "base"),
                frozenset({("fx", "*")}),
            )
        )
    return changes


def _restrictions(items: Iterable[Any]) -> tuple[tuple[Any, ...], ...]:
    return tuple((r.where, r.severity, r.approver, r.reason) for r in items)


def _feature_fields(cat: Catalog) -> dict[str, Fields]:
    return {
        fid: {
            "status": e.feature.status,
            "target": e.feature.target,
            "end_of_life": e.feature.end_of_life,
            "committable": e.feature.is_committable,
            "restricted_in": _restrictions(e.feature.restricted_in),
            "product": e.product.id,
        }
        for fid, e in cat.features.items()
    }


def _sku_fields(cat: Catalog) -> dict[str, Fields]:
    return {
        sku: {
            "list_price": e.sku.list_price,
            "unit_cost": e.sku.unit_cost,
            "floor_price": e.sku.floor_price,
            "min_margin": e.sku.min_margin,
            "available_from": e.sku.available_from,
            "sellable_in": e.sku.sellable_in,
            "restricted_in": _restrictions(e.sku.restricted_in),
            "features": cat.sku_features(e),
            "product": e.product.id,
        }
        for sku, e in cat.skus.items()
    }


def _product_fields(cat: Catalog) -> dict[str, Fields]:
    return {
        pid: {
            "currency": p.currency,
            "sellable_in": p.sellable_in,
            "restricted_in": _restrictions(p.restricted_in),
            "sla": p.sla.uptime if p.sla else None,
        }
        for pid, p in cat.products.items()
    }


def _rule_fields(cat: Catalog) -> dict[str, Fields]:
    return {
        rid: {
            "when": e.rule.when,
            "scope": e.rule.scope,
            "severity": e.rule.severity,
            "approver": e.rule.approver,
            "enabled": e.rule.enabled,
        }
        for rid, e in cat.rules.items()
    }


def _ruleset_fields(cat: Catalog) -> dict[str, Fields]:
    out: dict[str, Fields] = {}
    for rid, ruleset in cat.rulesets.items():
        fields: Fields = {"min_deal_margin": ruleset.min_deal_margin}
        for check_id in sorted(ruleset.builtin):
            o = ruleset.builtin[check_id]
            fields[f"builtin {check_id}"] = (o.severity, o.approver, o.enabled)
        out[rid] = fields
    return out


def _fx_fields(cat: Catalog) -> dict[str, Fields]:
    if cat.fx is None:
        return {}
    return {cur: {"rate": rate} for cur, rate in {cat.fx.base: Decimal(1), **cat.fx.rates}.items()}


def _region_fields(cat: Catalog) -> dict[str, Fields]:
    return {name: {"countries": cat.resolve_region(name) or frozenset()} for name in cat.groups}


_KINDS: tuple[tuple[str, str, Callable[[Catalog], dict[str, Fields]]], ...] = (
    ("feature", "feature", _feature_fields),
    ("sku", "sku", _sku_fields),
    ("product", "product", _product_fields),
    ("rule", "rule", _rule_fields),
    ("ruleset", "ruleset", _ruleset_fields),
    ("fx", "fx", _fx_fields),
    ("region", "group", _region_fields),
)


def _diff_kind(
    kind: str,
    where_kind: str,
    before: dict[str, Fields],
    after: dict[str, Fields],
    base: Catalog,
    head: Catalog,
    relocate: Relocate,
) -> Iterator[CatalogChange]:
    for ident in sorted(before.keys() | after.keys()):
        old, new = before.get(ident), after.get(ident)
        if old == new:
            continue
        if old is None or new is None:
            present = new if new is not None else old
            assert present is not None
            names = [n for n, v in present.items() if v not in (None, (), frozenset())]
            if new is not None:
                location = _locate(head, where_kind, ident, kind, None)
            else:
                location = relocate(_locate(base, where_kind, ident, kind, None))
            yield CatalogChange(
                kind,
                ident,
                "added" if new is not None else "removed",
                (),
                location,
                _keys(kind, ident, names, present, present),
            )
            continue
        names = [n for n in {**old, **new} if old.get(n) != new.get(n)]
        fields = tuple(_field_change(n, old.get(n), new.get(n)) for n in names)
        yield CatalogChange(
            kind,
            ident,
            "changed",
            fields,
            _locate(head, where_kind, ident, kind, names[0]),
            _keys(kind, ident, names, old, new),
        )


def _keys(
    kind: str, ident: str, names: Sequence[str], old: Fields, new: Fields
) -> frozenset[tuple[str, str]]:
    keys = {(kind, ident)}
    if kind == "fx":
        keys.add(("fx", ident))
    elif kind == "region":
        before = old.get("countries") or frozenset()
        after = new.get("countries") or frozenset()
        moved = (before ^ after) if old is not new else after
        keys.update(("country", c) for c in moved)
    elif kind == "ruleset":
        for name in names:
            if name == "min_deal_margin":
                keys.add(("min_deal_margin", ""))
            elif name.startswith("builtin "):
                keys.add(("builtin", name.removeprefix("builtin ")))
    return frozenset(keys)


_FIELD_PATHS: dict[str, tuple[str, ...]] = {"sla": ("sla", "uptime"), "features": ("edition",)}


def _locate(cat: Catalog, where_kind: str, ident: str, kind: str, name: str | None) -> Location:
    if kind == "fx":
        where = cat.where.get(("fx", ""))
        return (
            where.locate("rates", ident) if where else Location(cat.paths[0] if cat.paths else "")
        )
    where = cat.where.get((where_kind, ident))
    if where is None:
        return Location(cat.paths[0] if cat.paths else "")
    if name is None or kind == "region":
        return where.locate()
    if name.startswith("builtin "):
        return where.locate("builtin", name.removeprefix("builtin "))
    return _locate_field(where, _FIELD_PATHS.get(name, (name,)))


def _locate_field(where: Where, path: tuple[str, ...]) -> Location:
    if (*where.path, *path) in where.source.values:
        return where.locate(*path)
    return where.locate()


def _field_change(name: str, old: Any, new: Any) -> FieldChange:
    if isinstance(old, frozenset) or isinstance(new, frozenset):
        before, after = old or frozenset(), new or frozenset()
        return FieldChange(
            name,
            _show(sorted(before)),
            _show(sorted(after)),
            tuple(sorted(after - before)),
            tuple(sorted(before - after)),
        )
    if name == "restricted_in":
        shown_old, shown_new = _show_restrictions(old), _show_restrictions(new)
        if shown_old == shown_new:
            shown_new += " (reason changed)"
        return FieldChange(name, shown_old, shown_new)
    if name.startswith("builtin "):
        return FieldChange(name, _show_override(old), _show_override(new))
    if name == "when":
        return FieldChange(name, f'"{old}"' if old else "none", f'"{new}"' if new else "none")
    return FieldChange(name, _show(old), _show(new))


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _show_restrictions(value: Any) -> str:
    if not value:
        return "none"
    parts = []
    for where, severity, approver, _reason in value:
        parts.append(f"{'/'.join(where)}: {severity}" + (f" ({approver})" if approver else ""))
    return "[" + ", ".join(parts) + "]"


def _show_override(value: Any) -> str:
    if value is None:
        return "none"
    severity, approver, enabled = value
    parts = [f"severity={severity}"] if severity else []
    if approver:
        parts.append(f"approver={approver}")
    if enabled is not None:
        parts.append(f"enabled={'true' if enabled else 'false'}")
    return "{" + ", ".join(parts) + "}"


# -- comparing deals -------------------------------------------------------------------------


def compare_deals(
    report: ImpactReport, base: Engine, head: Engine, items: Iterable[DealInput]
) -> None:
    """Check each deal (parsed once) with both engines; record those that changed."""
    index: dict[tuple[str, str], list[int]] = {}
    for i, change in enumerate(report.catalog_changes):
        for key in change.keys:
            index.setdefault(key, []).append(i)
    for item in items:
        if item.error is not None or item.deal is None:
            report.unreadable.extend(item.problems or ((item.error,) if item.error else ()))
            continue
        # The contract files are read once too; each engine analyses the clauses with
        # its own catalog's feature names and aliases (what run.check_input does, twice).
        try:
            clauses = gather_clauses(item.deal, item.source, item.base_dir, head.options)
        except InputError as err:
            report.unreadable.append(Problem.from_input_error(err))
            continue
        report.checked += 1
        impact = compare_results(
            base.check(item.deal, item.source, clauses),
            head.check(item.deal, item.source, clauses),
            report.catalog_changes,
            index,
        )
        if impact is None:
            continue
        report.deals.append(impact)
        for finding_change in impact.findings:
            for cause in finding_change.causes:
                ids = report.affected.setdefault(cause, [])
                if not ids or ids[-1] != impact.deal_id:
                    ids.append(impact.deal_id)


def _signature(result: DealResult) -> list[tuple[str, ...]]:
    return sorted(
        (f.rule, f.subject, f.fingerprint, f.severity, f.status, f.approver or "")
        for f in result.findings
    )


def compare_results(
    before: DealResult,
    after: DealResult,
    changes: Sequence[CatalogChange] = (),
    index: dict[tuple[str, str], list[int]] | None = None,
) -> DealImpact | None:
    """How one deal's result differs between the base and the current catalog (``None``
    when its verdict and findings are the same)."""
    if before.verdict == after.verdict and _signature(before) == _signature(after):
        return None
    if index is None:
        index = {}
        for i, change in enumerate(changes):
            for key in change.keys:
                index.setdefault(key, []).append(i)
    pairs = [(old, new, kind) for old, new in _pair(before.findings, after.findings)
             if (kind := _change_kind(old, new)) is not None]  # fmt: skip
    # The most severe open finding that left (and that arrived) per subject: a finding
    # that replaces another on the same subject at the same or a higher severity (a
    # feature-late blocker turned feature-roadmap-commitment approval) is not a gain.
    left = _most_severe(old for old, _new, _kind in pairs)
    arrived = _most_severe(new for _old, new, _kind in pairs)
    finding_changes: list[FindingChange] = []
    for old, new, kind in pairs:
        keys: set[tuple[str, str]] = set()
        if old is not None:
            keys |= _finding_keys(old, before)
        if new is not None:
            keys |= _finding_keys(new, after)
        hits = sorted({i for key in keys for i in index.get(key, ())})
        finding_changes.append(
            FindingChange(
                kind,
                old,
                new,
                _gained(new, left),
                _gained(old, arrived),
                tuple(changes[i].text for i in hits),
            )
        )
    finding_changes.sort(key=_change_order)
    rank_before = VERDICT_RANK.get(before.verdict, 0)
    rank_after = VERDICT_RANK.get(after.verdict, 0)
    direction: Direction
    if rank_after > rank_before or any(c.worsens for c in finding_changes):
        direction = "worse"
    elif rank_after < rank_before or any(c.improves for c in finding_changes):
        direction = "better"
    else:
        direction = "changed"
    return DealImpact(
        after.deal_id,
        after.file,
        after.location,
        before.verdict,
        after.verdict,
        direction,
        tuple(finding_changes),
    )


def _pair(
    before: Sequence[Finding], after: Sequence[Finding]
) -> list[tuple[Finding | None, Finding | None]]:
    """Match findings by ``(rule, subject)``: same fingerprint first, then in order."""
    old_groups: dict[tuple[str, str], list[Finding]] = {}
    for f in before:
        old_groups.setdefault((f.rule, f.subject), []).append(f)
    pairs: list[tuple[Finding | None, Finding | None]] = []
    unmatched_new: list[Finding] = []
    for f in after:
        group = old_groups.get((f.rule, f.subject), [])
        same = next((o for o in group if o.fingerprint == f.fingerprint), None)
        if same is not None:
            group.remove(same)
            pairs.append((same, f))
        else:
            unmatched_new.append(f)
    for f in unmatched_new:
        group = old_groups.get((f.rule, f.subject), [])
        pairs.append((group.pop(0) if group else None, f))
    pairs.extend((o, None) for group in old_groups.values() for o in group)
    return pairs


def _change_kind(
    old: Finding | None, new: Finding | None
) -> Literal["appeared", "disappeared", "changed"] | None:
    if old is None:
        return "appeared"
    if new is None:
        return "disappeared"
    same = (old.fingerprint, old.severity, old.status, old.approver) == (
        new.fingerprint,
        new.severity,
        new.status,
        new.approver,
    )
    return None if same else "changed"


def _most_severe(findings: Iterable[Finding | None]) -> dict[str, int]:
    """Subject → the severity rank of its most severe open finding among ``findings``."""
    out: dict[str, int] = {}
    for f in findings:
        if f is not None and f.is_open:
            rank = SEVERITY_RANK.get(f.severity, 9)
            out[f.subject] = min(rank, out.get(f.subject, rank))
    return out


def _gained(f: Finding | None, other_side: dict[str, int]) -> bool:
    """Is ``f`` an open blocker/approval finding more severe than anything open on its
    subject that changed on the other side? (Used both ways: gained, and lost.)"""
    if f is None or not f.is_open or f.severity not in WORRYING:
        return False
    return SEVERITY_RANK[f.severity] < other_side.get(f.subject, 9)


def _change_order(c: FindingChange) -> tuple[Any, ...]:
    f = c.finding
    return (not c.worsens, SEVERITY_RANK.get(f.severity, 9), f.location, f.rule, f.subject)


_EVIDENCE_KINDS = {
    "feature": "feature",
    "sku": "sku",
    "product": "product",
    "country": "country",
    "currency": "fx",
}
# Checks whose outcome depends on everything the deal buys, not on one evidence key.
_WHOLE_DEAL = ("feature-not-in-edition", "sla-above-catalog", "deal-margin-below-floor")


def _finding_keys(f: Finding, result: DealResult) -> set[tuple[str, str]]:
    """The catalog entities a finding is about (see the module doc)."""
    keys = {("rule", f.rule), ("builtin", f.rule)}
    for name, value in f.evidence.items():
        if value is None or isinstance(value, list | dict):
            continue
        parts = name.split(".")
        kind = _EVIDENCE_KINDS.get(parts[-1])
        if kind is None and parts[-1] == "id" and len(parts) == 2:
            kind = _EVIDENCE_KINDS.get(parts[0])  # feature.id, product.id
        if kind is not None:
            keys.add((kind, str(value)))
        elif name == "rule":  # approval-stale, waiver-expired: about another rule
            keys.update({("rule", str(value)), ("builtin", str(value))})
    if f.subject.startswith("line:"):
        keys.add(("sku", f.subject.split(":", 2)[-1]))
    lines = result.lines
    if f.rule in _WHOLE_DEAL:
        for line in lines:
            keys.add(("sku", line.sku))
            if line.product:
                keys.add(("product", line.product))
    if f.rule == "deal-margin-below-floor":
        keys.add(("min_deal_margin", ""))
    skus = {ident for kind, ident in keys if kind == "sku"}
    if skus:  # prices go through the FX rates of the deal and product currencies
        if result.currency:
            keys.add(("fx", result.currency))
        keys.update(
            ("fx", ln.product_currency) for ln in lines if ln.sku in skus and ln.product_currency
        )
    if any(kind == "fx" for kind, _ in keys):
        keys.add(("fx", "*"))
    return keys


def _rule_summaries(report: ImpactReport, head: Catalog, base: Catalog) -> dict[str, str]:
    rules = sorted({c.finding.rule for d in report.deals for c in d.findings})
    out: dict[str, str] = {}
    for rule_id in rules:
        if rule_id in REGISTRY:
            out[rule_id] = REGISTRY[rule_id].summary
            continue
        entry = head.rules.get(rule_id) or base.rules.get(rule_id)
        text = (entry.rule.description or entry.rule.message) if entry else None
        out[rule_id] = text or f"dealcheck rule {rule_id}"
    return out


# -- rendering -------------------------------------------------------------------------------

_MARKS = {"appeared": "+", "disappeared": "−", "changed": "~"}
_HEADINGS: dict[Direction, str] = {
    "worse": "Deals that got worse",
    "better": "Deals that improved",
    "changed": "Deals with other changed findings",
}


def _base_label(report: ImpactReport) -> str:
    side = report.base
    return f"{side.label} ({side.commit[:12]})" if side.commit else side.label


def summary_line(report: ImpactReport) -> str:
    n = report.checked
    head = f"{n} deal{'s' * (n != 1)} checked"
    if not report.deals:
        return f"{head}: no deal changed"
    s = report.summary()
    return (
        f"{head}: {s['worse']} got worse, {s['better']} improved, "
        f"{s['changed']} changed otherwise, {s['unchanged']} unchanged"
    )


def _finding_line(c: FindingChange) -> str:
    f = c.finding
    status = "" if f.status == "open" else f", {f.status}"
    line = f"{_MARKS[c.change]} {f.rule} [{f.severity}{status}] {f.message}"
    if c.details:
        line += f" ({'; '.join(c.details)})"
    return line


def render_text(report: ImpactReport) -> str:
    """Plain text: catalog changes, then deals by direction with each finding's cause."""
    out = [
        f"dealcheck impact: base {_base_label(report)} → {report.head.label} "
        f"(today {report.today.isoformat()})"
    ]
    out.extend(f"note: {n}" for n in report.notes)
    out.append("")
    if report.catalog_changes:
        out.append(f"Catalog changes ({len(report.catalog_changes)})")
        for change in report.catalog_changes:
            ids = report.affected.get(change.text, [])
            affects = f"  [affects {len(ids)} deal{'s' * (len(ids) != 1)}]" if ids else ""
            out.append(f"  {change.location}: {change.text}{affects}")
    else:
        out.append("Catalog changes: none")
    for direction in DIRECTIONS:
        deals = report.by_direction(direction)
        if not deals:
            continue
        out.append("")
        out.append(f"{_HEADINGS[direction]} ({len(deals)})")
        for deal in deals:
            verdict = (
                f"{deal.verdict_before} → {deal.verdict_after}"
                if deal.verdict_changed
                else f"still {deal.verdict_after}"
            )
            out.append(f"  {deal.deal_id} · {deal.location}: {verdict}")
            for c in deal.findings:
                out.append(f"    {_finding_line(c)}")
                out.append(f"        at {c.finding.location}")
                out.append(
                    "        because "
                    + ("; ".join(c.causes) if c.causes else "(no catalog change traced)")
                )
    if report.unreadable:
        out.append("")
        out.append(f"Deals that could not be read ({len(report.unreadable)})")
        out.extend(f"  {p.location}: {p.message}" for p in report.unreadable)
    out.append("")
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


def _side_dict(side: CatalogSide) -> dict[str, Any]:
    return {
        "label": side.label,
        "kind": side.kind,
        "commit": side.commit,
        "fingerprint": side.fingerprint,
        "paths": list(side.paths),
    }


def _loc(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column}


def to_dict(report: ImpactReport) -> dict[str, Any]:
    """The JSON impact report (``schema_version`` 1, ``report: impact``)."""
    return {
        "schema_version": 1,
        "report": "impact",
        "dealcheck_version": __version__,
        "today": report.today.isoformat(),
        "base": _side_dict(report.base),
        "head": _side_dict(report.head),
        "notes": report.notes,
        "catalog_changes": [
            {
                "kind": c.kind,
                "id": c.ident,
                "change": c.change,
                "text": c.text,
                "location": _loc(c.location),
                "fields": [
                    {
                        "field": f.name,
                        "before": f.before,
                        "after": f.after,
                        **(
                            {"added": list(f.added), "removed": list(f.removed)}
                            if f.added or f.removed
                            else {}
                        ),
                    }
                    for f in c.fields
                ],
                "affected_deals": report.affected.get(c.text, []),
            }
            for c in report.catalog_changes
        ],
        "deals": [
            {
                "id": d.deal_id,
                "file": d.file,
                "location": _loc(d.location),
                "direction": d.direction,
                "verdict": {"before": d.verdict_before, "after": d.verdict_after},
                "findings": [
                    {
                        "change": c.change,
                        "rule": c.finding.rule,
                        "subject": c.finding.subject,
                        "worsens": c.worsens,
                        "details": list(c.details),
                        "causes": list(c.causes),
                        "before": finding_dict(c.before) if c.before else None,
                        "after": finding_dict(c.after) if c.after else None,
                    }
                    for c in d.findings
                ],
            }
            for d in report.deals
        ],
        "unreadable": [
            {"message": p.message, "location": _loc(p.location)} for p in report.unreadable
        ],
        "summary": report.summary(),
    }


def render_json(report: ImpactReport) -> str:
    return json.dumps(plain(to_dict(report)), indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    """Safe inside a Markdown table cell or list item."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def render_markdown(report: ImpactReport) -> str:
    """For a pull-request comment or a job summary."""
    worse = len(report.worse)
    verdict = f"**{worse} deal{'s' * (worse != 1)} got worse**" if worse else "no deal got worse"
    out = [
        "## dealcheck impact",
        "",
        f"Base `{_md(_base_label(report))}` → {report.head.label}: {verdict}. "
        f"{_md(summary_line(report))}.",
        "",
    ]
    out.extend(f"> note: {_md(n)}" for n in report.notes)
    if report.notes:
        out.append("")
    out.append("### Catalog changes")
    out.append("")
    if report.catalog_changes:
        out.extend(["| change | where | deals affected |", "|---|---|---|"])
        for change in report.catalog_changes:
            ids = report.affected.get(change.text, [])
            out.append(f"| {_md(change.text)} | `{_md(str(change.location))}` | {len(ids)} |")
    else:
        out.append("None.")
    for direction in DIRECTIONS:
        deals = report.by_direction(direction)
        if not deals:
            continue
        out.extend(["", f"### {_HEADINGS[direction]} ({len(deals)})", ""])
        out.extend(["| deal | verdict | file |", "|---|---|---|"])
        for d in deals:
            verdict_text = (
                f"{d.verdict_before} → **{d.verdict_after}**"
                if d.verdict_changed
                else f"{d.verdict_after}"
            )
            out.append(f"| {_md(d.deal_id)} | {verdict_text} | `{_md(str(d.location))}` |")
        out.append("")
        for d in deals:
            out.append(f"**{_md(d.deal_id)}**")
            out.append("")
            for c in d.findings:
                f = c.finding
                status = "" if f.status == "open" else f", {f.status}"
                details = f" ({'; '.join(c.details)})" if c.details else ""
                out.append(
                    f"- **{c.change}** `{f.rule}` ({f.severity}{status}): {_md(f.message)}"
                    f"{_md(details)} — `{_md(str(f.location))}`"
                )
                if c.causes:
                    out.append(f"  - because {_md('; '.join(c.causes))}")
            out.append("")
    if report.unreadable:
        out.extend(["", f"### Deals that could not be read ({len(report.unreadable)})", ""])
        out.extend(f"- `{_md(str(p.location))}`: {_md(p.message)}" for p in report.unreadable)
    return "\n".join(out).rstrip("\n") + "\n"


def render_github(report: ImpactReport) -> str:
    """GitHub workflow commands: an error (blocker) or warning (approval) at each finding
    that made a deal worse, a notice at each deal that improved and at each catalog change
    that affects a deal; then the summary line."""
    out: list[str] = []
    for d in report.worse:
        title = f"dealcheck impact: {d.deal_id} {d.verdict_before} → {d.verdict_after}"
        for c in d.worsening:
            f = c.finding
            because = f" (because {'; '.join(c.causes)})" if c.causes else ""
            level = "error" if f.severity == "blocker" else "warning"
            out.append(
                command(
                    level,
                    f"{f.rule}: {f.message}{because}",
                    f.location.file,
                    f.location.line,
                    f.location.column,
                    title,
                )
            )
    for d in report.better:
        out.append(
            command(
                "notice",
                f"{d.deal_id} improved: {d.verdict_before} → {d.verdict_after}",
                d.location.file,
                d.location.line,
                d.location.column,
                "dealcheck impact: deal improved",
            )
        )
    for change in report.catalog_changes:
        ids = report.affected.get(change.text, [])
        if ids:
            out.append(
                command(
                    "notice",
                    f"{change.text}: changes {len(ids)} deal(s): {', '.join(ids)}",
                    change.location.file,
                    change.location.line,
                    change.location.column,
                    "dealcheck impact: catalog change",
                )
            )
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_SARIF_LEVELS = {"blocker": "error", "approval": "warning", "warning": "warning", "info": "note"}


def _artifact_uri(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(file.replace(os.sep, "/"))


def render_sarif(report: ImpactReport) -> str:
    """SARIF 2.1.0: one result per finding that made a deal worse, at the deal file."""
    worsening = [(d, c) for d in report.worse for c in d.worsening]
    rule_ids = sorted({c.finding.rule for _, c in worsening})
    rule_index = {r: i for i, r in enumerate(rule_ids)}
    results = []
    for d, c in worsening:
        f = c.finding
        region: dict[str, int] = {}
        if f.location.line > 0:
            region["startLine"] = f.location.line
            if f.location.column > 0:
                region["startColumn"] = f.location.column
        physical: dict[str, Any] = {"artifactLocation": {"uri": _artifact_uri(f.location.file)}}
        if region:
            physical["region"] = region
        because = f" Because {'; '.join(c.causes)}." if c.causes else ""
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": _SARIF_LEVELS.get(f.severity, "warning"),
                "message": {
                    "text": f"{d.deal_id} ({d.verdict_before} → {d.verdict_after}): "
                    f"{f.message.rstrip('.')}.{because}"
                },
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {"dealcheckFinding/v1": f"{d.deal_id}:{f.fingerprint}"},
                "properties": {
                    "deal": d.deal_id,
                    "verdictBefore": d.verdict_before,
                    "verdictAfter": d.verdict_after,
                    "change": c.change,
                    "causes": list(c.causes),
                },
            }
        )
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dealcheck",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r,
                                "shortDescription": {"text": report.rule_summaries.get(r, r)},
                            }
                            for r in rule_ids
                        ],
                    }
                },
                "automationDetails": {"id": "dealcheck-impact/"},
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[ImpactReport], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
    "sarif": render_sarif,
}
