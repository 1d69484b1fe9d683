"""``dealcheck quote`` as text (for a rep) or JSON (for a CPQ integration)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from dealcheck.pricing import percent
from dealcheck.quote.headroom import ZERO, Headroom, LineHeadroom, Need, PriceBand
from dealcheck.report.money import amount, fraction, money, number
from dealcheck.report.sanitize import json_text, one_line


def render_text(h: Headroom) -> str:
    partner = (
        f"partner {one_line(h.partner)} keeps {fraction(h.partner_margin)}"
        if h.partner
        else "direct (no partner)"
    )
    free = (
        f"{h.free_months} of {h.term_months} months free"
        if h.free_months
        else f"{h.term_months}-month term, no free months"
    )
    out = [
        f"{one_line(h.deal_id)} · {one_line(h.customer)} — {h.currency}, {partner}, {free}",
        "Unit prices per unit per year in "
        f"{h.currency}. The floor and the margin are checked on what the company keeps "
        "after the partner margin and the free months; the discount bands on the discount "
        "off list.",
    ]
    if h.deal_needs:
        out.append(
            "Whatever the prices, these terms need: " + "; ".join(n.label for n in h.deal_needs)
        )
    for line in h.lines:
        out.append("")
        out.extend(_line_text(line))
    for skipped in h.skipped:
        out.append(f"\n{skipped}: no headroom (unknown SKU or no FX rate)")
    return "\n".join(out) + "\n"


def _line_text(line: LineHeadroom) -> list[str]:
    cur = line.currency
    quoted = ""
    if line.quoted is not None:
        quoted = (
            f" · quoted {money(line.quoted, cur)} ({percent(line.discount_at(line.quoted), 2)} off)"
        )
    out = [
        f"Line {line.index}: {one_line(line.sku)} × {number(line.quantity)} · list "
        f"{money(line.list_price, cur)}{quoted}"
    ]
    lowest = line.lowest_free
    if lowest is not None:
        out.append(
            f"  lowest unit price without approval: {money(lowest, cur)} "
            f"({percent(line.discount_at(lowest), 2)} off list)"
        )
    else:
        out.append("  every price needs an approval")
    rows = [("unit price " + cur, "discount off list", "needs")]
    bands = list(line.bands)
    blocked = [b for b in bands if b.blocked]
    if blocked and all(b.blocked for b in bands[len(bands) - len(blocked) :]):
        # every price below the first blocked one is blocked: one row
        bands = bands[: len(bands) - len(blocked)]
        top = blocked[0]
        merged = PriceBand(ZERO, True, top.high, top.high_inc, _all_needs(blocked))
        bands.append(merged)
    for band in bands:
        rows.append((_price_range(band), _discount_range(line, band), _needs(band)))
    widths = [max(len(r[i]) for r in rows) for i in (0, 1)]
    for a, b, c in rows:
        out.append(f"    {a:<{widths[0]}}  {b:<{widths[1]}}  {c}")
    if line.floor is not None:
        verdict = line.floor_need.label if line.floor_need else "not checked"
        out.append(
            f"  floor: {money(_cent_up(line.floor), cur)} (net "
            f"{money(line.floor_net, line.product_currency)} after partner margin and free "
            f"months); below it: {verdict}"
        )
    if line.margin_price is not None and line.min_margin is not None:
        verdict = line.margin_need.label if line.margin_need else "not checked"
        out.append(
            f"  margin minimum {fraction(line.min_margin)}: {money(_cent_up(line.margin_price), cur)} "
            f"(net {money(line.margin_net, line.product_currency)}); below it: {verdict}"
        )
    if line.other_rules:
        out.append(
            "  also applies, not as a price band (reads more than one quantity): "
            + ", ".join(line.other_rules)
        )
    return out


def _cent_up(value: Decimal) -> Decimal:
    from decimal import ROUND_CEILING

    from dealcheck.quote.headroom import _to_cent

    return _to_cent(value, ROUND_CEILING)


def _price_range(band: PriceBand) -> str:
    low, high = band.lowest_cent, band.highest_cent
    if low is None:
        return "(no whole-cent price)"
    if band.high is None:
        return f"{amount(low)} and up"
    if high is None or high == low:
        return amount(low)
    return f"{amount(low)} – {amount(high)}"


def _discount_range(line: LineHeadroom, band: PriceBand) -> str:
    low, high = band.lowest_cent, band.highest_cent
    if low is None:
        return ""
    most = percent(line.discount_at(low), 2)
    if band.high is None or high is None:
        return f"{most} or less"
    least = percent(line.discount_at(high), 2)
    return most if least == most else f"{least} – {most}"


def _all_needs(bands: list[PriceBand]) -> tuple[Need, ...]:
    return tuple(sorted({n for b in bands for n in b.needs}))


def _needs(band: PriceBand) -> str:
    if band.blocked:
        text = "blocked: " + ", ".join(n.rule for n in band.needs if n.severity == "blocker")
        if band.approvers:
            text += f" (would also need {', '.join(band.approvers)})"
        return text
    if band.free:
        rest = [n.label for n in band.needs]
        return "no approval" + (f" ({'; '.join(rest)})" if rest else "")
    return ", ".join(band.approvers) + " (" + ", ".join(n.rule for n in band.needs) + ")"


def render_json(h: Headroom) -> str:
    data: dict[str, Any] = {
        "deal": h.deal_id,
        "customer": h.customer,
        "currency": h.currency,
        "term_months": h.term_months,
        "free_months": h.free_months,
        "partner": h.partner,
        "partner_margin": _dec(h.partner_margin),
        "deal_needs": [_need(n) for n in h.deal_needs],
        "lines": [_line_json(line) for line in h.lines],
        "skipped": list(h.skipped),
    }
    return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _need(n: Need) -> dict[str, Any]:
    return {"rule": n.rule, "severity": n.severity, "approver": n.approver, "reads": n.reads}


def _line_json(line: LineHeadroom) -> dict[str, Any]:
    return {
        "line": line.index,
        "sku": line.sku,
        "list_price": _dec(line.list_price),
        "quoted": _dec(line.quoted),
        "lowest_price_without_approval": _dec(line.lowest_free),
        "floor_price": _dec(line.floor),
        "margin_price": _dec(line.margin_price),
        "bands": [
            {
                "lowest_price": _dec(b.lowest_cent),
                "highest_price": _dec(b.highest_cent),
                "approvers": list(b.approvers),
                "blocked": b.blocked,
                "needs": [_need(n) for n in b.needs],
            }
            for b in line.bands
        ],
        "other_rules": list(line.other_rules),
    }
