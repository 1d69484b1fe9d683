"""A small catalog with nested region groups, restricted and retiring features, and a SKU
sold in fewer places than its product: what the checks' catalog index expands
(tests/test_check_index*.py)."""

from __future__ import annotations

from pathlib import Path

from dealcheck.engine import Engine
from tests.conftest import build_engine

NESTED = """\
kind: Regions
groups:
  EU: [DE, FR, NL]
  EEA: [EU, NO]
  EMEA: [EEA, GB, CH]
  SCANDI: [SE, DK]
  NORDICS: [SCANDI, NO, FI]
  ANZ: [AU, NZ]
---
kind: FxRates
base: USD
as_of: 2026-11-01
rates: {EUR: 0.92}
---
kind: Product
id: gizmo
name: Gizmo Cloud
currency: USD
sellable_in: [EMEA, ANZ]
restricted_in:
  - where: [NORDICS]
    reason: No Nordic reseller agreement.
    severity: approval
    approver: Legal
features:
  - {id: core, name: Core, status: ga}
  - id: ai
    name: AI helper
    status: ga
    restricted_in:
      - {where: [EU], reason: Not assessed under the EU AI Act.}
      - {where: [GB, SCANDI], reason: Not yet localised., severity: warning}
  - {id: old-api, name: Old API, status: deprecated, end_of_life: 2027-06-30}
  - {id: sunset, name: Sunset reports, status: ga, end_of_life: 2027-03-31}
  - {id: gone, name: Gone, status: retired, end_of_life: 2025-01-31}
  - {id: later, name: Later, status: deprecated, end_of_life: 2031-12-31}
editions:
  - {id: std, name: Standard, features: [core, old-api, gone]}
  - {id: pro, name: Pro, includes: [std], features: [ai, sunset]}
skus:
  - sku: GZ-PRO
    name: Gizmo Pro
    edition: pro
    list_price: 600
    unit_cost: 140
    floor_price: 330.005
    min_margin: 0.6
  - sku: GZ-STD
    name: Gizmo Standard
    edition: std
    list_price: 300
    unit_cost: 100
    sellable_in: [EU, CH]
  - sku: GZ-AI
    name: Gizmo AI add-on
    features: [ai, later]
    list_price: 50
    unit_cost: 10
    min_margin: 0.54999
    restricted_in:
      - {where: [EEA], reason: Add-on not sold in the EEA yet.}
"""


def nested_engine(root: Path) -> Engine:
    """The engine over :data:`NESTED`, written to ``root``."""
    (root / "catalog.yaml").write_text(NESTED, encoding="utf-8")
    return build_engine(root)
