"""The JSON report (SPEC §8, ``schema_version`` 1): a stable interface, decimals as strings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from dealcheck import __version__
from dealcheck.findings import DealResult, DealStats, Finding, Tally
from dealcheck.pricing import LinePrice, money, rounded
from dealcheck.report.results import CheckReport, Framing, RenderedDeals, joined, render_each
from dealcheck.report.sanitize import json_text

try:  # a C encoder; not required where it has no wheel (see pyproject.toml)
    import orjson
except ImportError:  # the same bytes from json.dumps, slower
    orjson = None  # type: ignore[assignment]

FRACTION_PLACES = Decimal("0.0001")
# One context for every rounding of a report (``rounded`` builds one per call): wide enough
# for any number a deal can hold; a wider one (only past 10**990) goes through ``rounded``.
_WIDE = Context(prec=1000, rounding=ROUND_HALF_EVEN)
_WIDE_LIMIT = 990


def decimal_text(value: Decimal) -> str:
    """A Decimal as the report writes it: fixed-point, never scientific (``quantity: 1e3``
    is "1000", not "1E+3"), long fractions rounded half-even to 4 places."""
    text = format(value, "f")
    dot = text.find(".")
    # more than 4 places after the point: exactly "exponent < -4" of a finite Decimal
    if dot >= 0 and len(text) - dot > 5:
        if value.adjusted() < _WIDE_LIMIT:
            return format(value.quantize(FRACTION_PLACES, context=_WIDE), "f")
        return format(rounded(value, FRACTION_PLACES), "f")
    return text


def plain(value: Any) -> Any:
    """JSON-ready: Decimals as plain strings (long fractions to 4 places), dates ISO."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity,
        "status": f.status,
        "fingerprint": f.fingerprint,
        "message": f.message,
        "fix": f.fix,
        "approver": f.approver,
        "location": {"file": f.location.file, "line": f.location.line, "column": f.location.column},
        "evidence": dict(sorted(f.evidence.items())),
        "status_note": f.status_note,
    }


def line_dict(line: LinePrice) -> dict[str, Any]:
    """A line's prices (Decimals are left to the encoder: see :func:`_encode_default`)."""
    return {
        "index": line.index,
        "sku": line.sku,
        "quantity": line.quantity,
        "list_price": line.list_price,
        "unit_price": line.unit_price,
        "discount": line.discount,
        "net_unit": line.net_unit,
        "effective_discount": line.effective_discount,
        "margin": line.margin,
        "total": line.total,
        "floor_price": line.floor_price,
        "unit_cost": line.unit_cost,
        "min_margin": line.min_margin,
        "product": line.product,
        "edition": line.edition,
        "product_currency": line.product_currency,
    }


def deal_dict(result: DealResult) -> dict[str, Any]:
    if result.error is not None:
        return {
            "id": result.deal_id or None,
            "file": result.file,
            "verdict": "error",
            "approvals_required": [],
            "totals": None,
            "findings": [],
            "errors": [
                {
                    "message": p.message,
                    "location": {
                        "file": p.location.file,
                        "line": p.location.line,
                        "column": p.location.column,
                    },
                }
                for p in result.problems
            ],
        }
    worst, _count, approvers = result.open_summary()
    return {
        "id": result.deal_id,
        "file": result.file,
        "customer": result.customer,
        "verdict": result.verdict_of(worst),
        "approvals_required": approvers,
        "totals": {
            "currency": result.currency,
            "total": money(result.total) if result.total is not None else None,
            "margin": str(rounded(result.margin, FRACTION_PLACES))
            if result.margin is not None
            else None,
        },
        "findings": [finding_dict(f) for f in result.findings],
        "lines": [line_dict(line) for line in result.lines],
        "approvals_recorded": result.approvals_recorded,
    }


def header(report: CheckReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "dealcheck_version": __version__,
        "today": report.today.isoformat(),
        "catalog": {"fingerprint": report.catalog_fingerprint, "paths": report.catalog_paths},
    }


def to_dict(report: CheckReport) -> dict[str, Any]:
    return {
        **header(report),
        "deals": [plain(deal_dict(d)) for d in report.deals],
        "summary": report.summary(),
    }


#: what the report holds between two deals' blocks
DEAL_SEPARATOR = b",\n"


def render(report: CheckReport) -> str:
    items = render_each(rendered, DEAL_SEPARATOR, report.deals)
    return joined(render_stream(report, iter(items), Tally()))


def rendered(result: DealResult) -> tuple[DealStats, str]:
    """One deal's block of the report, indented as in the whole document, and its stats.
    Run where the deal was checked (a worker process), so only text travels back."""
    # The block is cut out of a one-deal list under one key, which the encoder indents
    # exactly as the whole report nests it: no pass over the text to indent it.
    text = dumps({"d": [deal_dict(result)]})
    return DealStats.of(result), text[len(_NEST_HEAD) : -len(_NEST_TAIL)]


#: how the encoder opens and closes ``{"d": [block]}`` around the block
_NEST_HEAD = '{\n  "d": [\n'
_NEST_TAIL = "\n  ]\n}"


def _encode_default(value: Any) -> str:
    """orjson's hook for what it has no encoding of: Decimals (inlined ``decimal_text``:
    a report holds about 70 per deal)."""
    if type(value) is Decimal:
        # str() is format(value, "f") whenever it writes no exponent, at a third of the cost
        text = str(value)
        if "E" not in text:
            dot = text.find(".")
            if dot < 0 or len(text) - dot <= 5:
                return text
            if value.adjusted() < _WIDE_LIMIT:  # a long fraction, to 4 places
                return format(value.quantize(FRACTION_PLACES, context=_WIDE), "f")
        return decimal_text(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    raise TypeError  # the fallback encoder reports it


def dumps(data: Any) -> str:
    """``json_text(json.dumps(plain(data), indent=2, ensure_ascii=False))``, byte for byte,
    through orjson's C encoder (dates are ISO there too, Decimals via :func:`decimal_text`).

    json_text escapes what the encoder leaves raw in strings although a terminal acts on
    it or a line splitter breaks at it (DEL, C1 controls, NEL, U+2028, U+2029): the report
    stays the same data, and one physical line per JSON line. What orjson refuses (a lone
    surrogate, an integer past 64 bits), or everything where orjson is not installed, goes
    through ``json.dumps``.
    """
    text = _orjson_dumps(data) if orjson is not None else None
    if text is None:
        text = json.dumps(plain(data), indent=2, ensure_ascii=False)
    # nothing to escape in ASCII text without DEL (the common case): skip the scan
    return text if text.isascii() and "\x7f" not in text else json_text(text)


def _orjson_dumps(data: Any) -> str | None:
    try:
        return orjson.dumps(data, default=_encode_default, option=orjson.OPT_INDENT_2).decode()
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return None


def stream_head(report: CheckReport) -> str:
    """The report up to its first deal."""
    head = json_text(json.dumps(header(report), indent=2, ensure_ascii=False))
    return head[:-2] + ',\n  "deals": ['


def framing(report: CheckReport) -> Framing:
    """What :func:`render_stream` writes around the deals, for workers that write their
    own deals (:mod:`dealcheck.report.direct`)."""
    return Framing(stream_head(report).encode("utf-8"), b"\n", DEAL_SEPARATOR)


def render_stream(
    report: CheckReport, items: Iterator[RenderedDeals], tally: Tally
) -> Iterator[str | bytes]:
    """The same bytes as ``json_text(json.dumps(to_dict(report), indent=2,
    ensure_ascii=False))``, a few deals at a time (each item holds blocks joined by
    :data:`DEAL_SEPARATOR`, see :func:`~dealcheck.report.results.render_each`), so a
    million deals never sit in memory together. ``tally`` counts what streams past."""
    head = stream_head(report)
    first = True
    for batch in items:
        for stats in batch.stats:
            tally.add_stats(stats)
        if not batch.written:  # else a worker wrote it, with what goes before it
            yield head + "\n" if first else DEAL_SEPARATOR
            yield batch.text  # not joined to the separator: a copy of a few MB per batch
        first = False
    if first:
        yield head
    yield ("\n  ]" if not first else "]") + ',\n  "summary": '
    summary = json.dumps(tally.summary(), indent=2, ensure_ascii=False)  # counts only
    yield "\n".join(("  " + ln if i else ln) for i, ln in enumerate(summary.split("\n")))
    yield "\n}\n"
