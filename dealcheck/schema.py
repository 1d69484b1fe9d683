"""JSON Schemas (draft 2020-12) of every document kind, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from dealcheck.models import KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_file_name(kind: str) -> str:
    return f"{kind.lower()}.schema.json"


def schemas() -> dict[str, dict[str, Any]]:
    """Kind → JSON Schema. Accepts what the models accept, as YAML editors see it."""
    out: dict[str, dict[str, Any]] = {}
    for kind, model in KINDS.items():
        schema = model.model_json_schema(mode="validation")
        schema = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"https://dealcheck.dev/schemas/v1/{schema_file_name(kind)}",
            **schema,
        }
        out[kind] = schema
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
