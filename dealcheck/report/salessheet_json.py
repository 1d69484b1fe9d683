"""The sales sheet as JSON (``schema_version`` 1): money as strings to the cent, fractions
as exact strings, dates ISO."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from dealcheck import __version__
from dealcheck.pricing import money, rounded
from dealcheck.report.json_report import plain
from dealcheck.report.sanitize import json_text

if TYPE_CHECKING:  # dealcheck.salessheet re-exports the renderers: a runtime import would cycle
    from dealcheck.salessheet.model import (
        Band,
        Exclusion,
        FeatureRow,
        RegionRule,
        SalesSheet,
        SkuRow,
    )

SCHEMA_VERSION: Final = 1


def _frac(value: Decimal | None) -> str | None:
    """A fraction as an exact string, rounded only past 6 places (``plain`` rounds to 4,
    which would change this schema's margins)."""
    if value is None:
        return None
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        value = rounded(value, Decimal("0.000001"))
    return str(value)


def _cash(value: Decimal | None) -> str | None:
    return money(value) if value is not None else None


def _exclusion_json(x: Exclusion) -> dict[str, Any]:
    return {
        "kind": x.kind,
        "id": x.id,
        "name": x.name,
        "product": x.product,
        "where": x.where,
        "countries": list(x.countries),
        "severity": x.severity,
        "approver": x.approver,
        "reason": x.reason,
        "summary": x.summary,
    }


def _rule_json(r: RegionRule) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "id": r.id,
        "rule": r.rule,
        "where": list(r.where),
        "reason": r.reason,
        "severity": r.severity,
        "approver": r.approver,
    }


def _band_json(b: Band) -> dict[str, Any]:
    return {
        "from": _frac(b.low),
        "from_inclusive": b.low_inclusive,
        "to": _frac(b.high),
        "to_inclusive": b.high_inclusive,
        "label": b.label,
        "needs": b.needs,
        "severity": b.severity,
        "approver": b.approver,
        "rule": b.rule,
    }


def _sku_json(s: SkuRow) -> dict[str, Any]:
    row: dict[str, Any] = {
        "sku": s.sku,
        "name": s.name,
        "product": s.product,
        "edition": s.edition,
        "features": list(s.features),
        "currency": s.currency,
        "list_price": _cash(s.list_price),
        "floor_price": _cash(s.floor_price),
        "min_margin": _frac(s.min_margin),
        "available_from": plain(s.available_from),
        "bands": [
            {
                "label": b.band.label,
                "needs": b.band.needs,
                "rule": b.band.rule,
                "highest_price": None if b.below_floor else _cash(b.highest_price),
                "lowest_price": None if b.below_floor else _cash(b.lowest_price),
                "below_floor": b.below_floor,
                "stops_at_floor": b.clipped,
            }
            for b in s.bands
        ],
        "region_rules": [_rule_json(r) for r in s.region_rules],
        "not_in": [_exclusion_json(x) for x in s.not_in],
    }
    if s.cost is not None:
        row["internal"] = {
            "unit_cost": _cash(s.cost.unit_cost),
            "margin_at_list": _frac(s.cost.margin_at_list),
            "margin_at_floor": _frac(s.cost.margin_at_floor),
            "min_margin_price": _cash(s.cost.min_margin_price),
        }
    return row


def _feature_json(f: FeatureRow) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.name,
        "product": f.product,
        "status": f.status,
        "target": plain(f.target),
        "end_of_life": plain(f.end_of_life),
        "committable": f.committable,
        "editions": list(f.editions),
        "addon_skus": list(f.skus),
        "restricted_in": [_rule_json(r) for r in f.restricted_in],
        "not_in": [_exclusion_json(x) for x in f.not_in],
    }


def render_json(sheet: SalesSheet) -> str:
    """The sales sheet as JSON (``schema_version`` 1): money as strings to the cent,
    fractions as exact strings, dates ISO; keys for sections not asked for are absent;
    ``not_available`` and ``conditions`` only with a region."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "dealcheck_version": __version__,
        "catalog": {"fingerprint": sheet.fingerprint, "paths": list(sheet.catalog_paths)},
        "as_of": plain(sheet.as_of),
        "filters": {
            "sections": list(sheet.sections),
            "region": sheet.region,
            "countries": list(sheet.region_countries),
            "status": list(sheet.statuses),
            "product": sheet.product,
            "edition": sheet.edition,
            "currency": sheet.currency,
            "internal": sheet.internal,
        },
        "products": [
            {
                "id": p.id,
                "name": p.name,
                "currency": p.currency,
                "editions": [{"id": k, "name": v} for k, v in p.editions.items()],
                "availability": p.availability,
                "not_in": [_exclusion_json(x) for x in p.not_in],
            }
            for p in sheet.products
        ],
    }
    if "skus" in sheet.sections:
        out["discount_approvals"] = [_band_json(b) for b in sheet.discount_bands]
        out["other_line_rules"] = list(sheet.other_line_rules)
        out["pricing_checks"] = [
            {"id": p.id, "severity": p.severity, "approver": p.approver, "enabled": p.enabled}
            for p in sheet.policies
        ]
        out["skus"] = [_sku_json(s) for s in sheet.skus]
    if "features" in sheet.sections:
        out["features"] = [_feature_json(f) for f in sheet.features]
        out["roadmap"] = [f.id for f in sheet.roadmap]
    if "regions" in sheet.sections:
        out["regions"] = {
            "groups": [
                {"name": g.name, "members": list(g.members), "countries": list(g.countries)}
                for g in sheet.groups
            ],
            "products": [
                {
                    "id": p.id,
                    "availability": p.availability,
                    "rules": [_rule_json(r) for r in p.region_rules],
                }
                for p in sheet.products
            ],
        }
    if sheet.region is not None:
        out["not_available"] = [_exclusion_json(x) for x in sheet.not_available]
        out["conditions"] = [_exclusion_json(x) for x in sheet.conditions]
    # C1 controls and U+2028/U+2029 as \u escapes: the same data, safe to print
    return json_text(json.dumps(out, indent=2, ensure_ascii=False)) + "\n"
