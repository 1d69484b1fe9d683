"""What changed between two catalogs, for ``dealcheck impact`` (SPEC §9).

Features, SKUs, products, rules, rule sets, FX rates and region groups are compared
field by field; each entity added, removed or changed is one :class:`CatalogChange`,
located in the current catalog (a removed one in the base catalog). A change carries
the *keys* of what it can explain — ``("feature", id)``, ``("country", code)``,
``("fx", currency)``, ``("builtin", check id)`` … — and :func:`finding_keys` gives a
finding's keys in the same vocabulary, so a changed finding is traced to its causes by
looking its keys up in a :class:`CauseIndex`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from dealcheck.catalog import Catalog, Where
from dealcheck.errors import Location
from dealcheck.findings import DealResult, Finding

Relocate = Callable[[Location], Location]
Key = tuple[str, str]
Fields = dict[str, Any]


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
    keys: frozenset[Key]  # what findings it can explain (see the module doc)

    @property
    def text(self) -> str:
        label = f"{KIND_LABELS[self.kind]} {self.ident}"
        if self.change != "changed":
            return f"{label} {self.change}"
        return f"{label}: {'; '.join(f.text for f in self.fields)}"


def diff_catalogs(
    base: Catalog, head: Catalog, relocate: Relocate = lambda loc: loc
) -> list[CatalogChange]:
    """What changed from ``base`` to ``head``: features, SKUs, products, rules, rule sets,
    FX rates and region groups, each kind sorted by id. ``relocate`` maps a location in
    the base catalog's files (a removed entity's) to the path shown for it."""
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


# -- the compared fields of each kind ----------------------------------------------------------


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


# kind, the catalog's ``where`` kind for its locations, its fields
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


def _keys(kind: str, ident: str, names: Sequence[str], old: Fields, new: Fields) -> frozenset[Key]:
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


# -- where a change is, and how its values are shown -------------------------------------------

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
    # Catalog values as written (Decimal's str): a diff must show 0.5551 → 0.5552, which
    # pricing.percent would round to the same 55.5%.
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


# -- tracing a finding to the changes ----------------------------------------------------------

_EVIDENCE_KINDS = {
    "feature": "feature",
    "sku": "sku",
    "product": "product",
    "country": "country",
    "currency": "fx",
}
# Checks whose outcome depends on everything the deal buys, not on one evidence key.
_WHOLE_DEAL = ("feature-not-in-edition", "sla-above-catalog", "deal-margin-below-floor")


def finding_keys(f: Finding, result: DealResult) -> set[Key]:
    """The catalog entities a finding of ``result`` is about, as :attr:`CatalogChange.keys`:
    its rule (a rule or a ``builtin:`` override), its evidence ``feature``, ``sku``,
    ``product``, ``country`` and ``currency``, and the FX rates its prices went through."""
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


class CauseIndex:
    """The changes by key, built once for all the deals of a report."""

    def __init__(self, changes: Sequence[CatalogChange]) -> None:
        self.changes = tuple(changes)
        self._by_key: dict[Key, list[int]] = {}
        for i, change in enumerate(self.changes):
            for key in change.keys:
                self._by_key.setdefault(key, []).append(i)

    def causes_of(self, keys: Iterable[Key]) -> tuple[str, ...]:
        """The text of each change any of ``keys`` leads to, in catalog-diff order."""
        hits = sorted({i for key in keys for i in self._by_key.get(key, ())})
        return tuple(self.changes[i].text for i in hits)
