"""The promise register as JSON (``schema_version`` 1, ``report: promises``): whole
(:func:`to_dict`) or in pieces, a promise at a time (:func:`iter_json`), byte for byte
the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dealcheck import __version__
from dealcheck.report.json_report import plain
from dealcheck.report.promises_words import cents
from dealcheck.report.sanitize import json_text

if TYPE_CHECKING:  # the view never imports its renderers: no import circle
    from dealcheck.errors import Location
    from dealcheck.views.promises import FeatureLine, PromiseReport, PromiseRow, Value


def _loc(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column}


def _value(value: Value) -> dict[str, Any]:
    return {
        "total": cents(value.total),
        "annual": cents(value.annual),
        "deals": value.deals,
        "unvalued_deals": value.unvalued,
    }


def _promise(row: PromiseRow) -> dict[str, Any]:
    p, d = row.promise, row.promise.deal
    return {
        "due": p.due,
        "customer": d.customer,
        "deal": {
            "id": d.id,
            "file": d.file,
            "location": _loc(d.location),
            "stage": d.stage,
            "owner": d.owner,
            "verdict": d.verdict,
            "currency": d.currency,
            "contract_end": d.end_date,
            "value": cents(d.value),
            "annual_value": cents(d.annual),
        },
        "source": p.source,
        "clause": p.clause,
        "location": _loc(p.location),
        "text": p.text,
        "revision": (
            {"kind": p.revision, "author": p.revised_by, "date": p.revised_on}
            if p.revision
            else None
        ),
        "flags": list(row.flags),
        "made_late_by_move": row.made_late,
        "no_longer_late_after_move": row.no_longer_late,
    }


def _feature_dict(line: FeatureLine) -> dict[str, Any]:
    """A feature of the JSON register, without its ``promises`` (see :func:`iter_json`)."""
    return {
        "feature": line.feature,
        "name": line.state.name,
        "product": line.state.product,
        "status": line.state.status,
        "target": line.state.target,
        "catalog_target": line.moved_from if line.moved else line.state.target,
        "end_of_life": line.state.end_of_life,
        "committable": line.state.committable,
        "customers": line.customers,
        "earliest_due": line.earliest_due,
        "value": _value(line.value),
        "value_at_risk": _value(line.at_risk),
        "flags": line.flag_counts(),
    }


def _head(report: PromiseReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "report": "promises",
        "dealcheck_version": __version__,
        "today": report.today,
        "catalog": {
            "fingerprint": report.catalog_fingerprint,
            "paths": list(report.catalog_paths),
        },
        "currency": report.currency,
        "at_risk_days": report.at_risk_days,
        "stages": list(report.stages),
        "moves": [
            {"feature": m.feature, "target_before": m.before, "target_after": m.after}
            for m in report.moves
        ],
    }


def _tail(report: PromiseReport) -> dict[str, Any]:
    return {
        "totals": {
            **report.summary(),
            "value": _value(report.value),
            "value_at_risk": _value(report.value_at_risk),
            "by_stage": {
                stage: {"promises": count, "value": _value(value)}
                for stage in report.stages
                for count, value in (report.stage_value(stage),)
            },
            "flags": report.flag_counts(),
            "move": _value(report.move_value) if report.moves else None,
        },
        "unreadable": [
            {"message": p.message, "location": _loc(p.location)} for p in report.unreadable
        ],
    }


def to_dict(report: PromiseReport) -> dict[str, Any]:
    """The JSON promise register (``schema_version`` 1, ``report: promises``), whole."""
    features = [
        {**_feature_dict(line), "promises": [_promise(r) for r in line.rows]}
        for line in report.features
    ]
    return {**_head(report), "features": features, **_tail(report)}


def _dumps(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``level`` levels deep."""
    text = json.dumps(plain(value), indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * level)


def _members(value: dict[str, Any], level: int) -> str:
    """The members of a non-empty object, without its braces, ``level`` levels deep."""
    return _dumps(value, level - 1)[2:-2].rstrip() if value else ""


def iter_json(report: PromiseReport) -> Iterator[str]:
    """The JSON register in pieces, a promise at a time: byte for byte what
    ``json.dumps(to_dict(report), indent=2)`` writes (through the shared JSON escaper),
    without holding it all."""
    return (json_text(piece) for piece in _json_pieces(report))


def _json_pieces(report: PromiseReport) -> Iterator[str]:
    yield "{\n" + _members(_head(report), 1) + ',\n  "features": ['
    for i, line in enumerate(report.features):
        yield ("," if i else "") + "\n    {\n" + _members(_feature_dict(line), 3)
        yield ',\n      "promises": ['
        for j, row in enumerate(line.rows):
            yield ("," if j else "") + "\n        " + _dumps(_promise(row), 4)
        yield "\n      ]\n    }"
    yield ("\n  ]" if report.features else "]") + ",\n" + _members(_tail(report), 1) + "\n}\n"


def render_json(report: PromiseReport) -> str:
    return "".join(iter_json(report))
