"""Each line's price waterfall in the HTML packet: a figure per line (an inline SVG bar
chart beside a table of what every step takes off) and, for print, one compact table of
every line's waterfall when a deal has more lines than fit a page as charts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from dealcheck.findings import DealResult
from dealcheck.pricing import LinePrice, percent
from dealcheck.report import packet
from dealcheck.report.html_text import escaped as _e
from dealcheck.report.money import amount as money
from dealcheck.report.money import off

# The chart's geometry, in SVG user units.
CHART_WIDTH = 640
CHART_HEIGHT = 252
PLOT_LEFT = 20
PLOT_RIGHT = 500  # right of it: the floor and cost labels
PLOT_TOP = 28
PLOT_BOTTOM = 200
BAR_WIDTH = 80
STEPS = (
    ("list", "price"),
    ("after", "discount"),
    ("after partner", "margin"),
    ("net after", "free months"),
)
TENTH = Decimal("0.1")
COMPACT_LINES = 2  # more lines than this: print one waterfall table, not charts


def line_waterfall(deal: DealResult, line: LinePrice) -> str:
    """One line's waterfall figure: its chart and a table of each step's price."""
    caption = f"Line {line.index}: <code>{_e(line.sku)}</code> × {_e(line.quantity)}"
    steps, both = packet.waterfall(deal, line)
    if not steps:
        return (
            f'<figure class="waterfall"><figcaption>{caption}</figcaption>\n'
            "<p>Prices cannot be derived (unknown SKU or no FX rate).</p></figure>\n"
        )
    cur = line.product_currency or ""
    head = f'<th>Step</th><th class="num">Takes off</th><th class="num">{_e(cur)}</th>'
    if both:
        head += f'<th class="num">{_e(deal.currency)}</th>'
    rows = []
    for step in steps:
        cells = (
            f'<td class="num">{_e(step.off_text)}</td><td class="num">{_e(money(step.price))}</td>'
        )
        if both:
            deal_price = money(step.price_deal) if step.price_deal is not None else "n/a"
            cells += f'<td class="num">{_e(deal_price)}</td>'
        rows.append(f"<tr><th>{_e(step.label)}</th>{cells}</tr>\n")
    minimum = f" (minimum {_pct(line.min_margin)})" if line.min_margin is not None else ""
    summary = (
        f"Gross margin {_pct(line.margin)}{minimum} · effective discount "
        f"{_pct(line.effective_discount)}"
    )
    return (
        f'<figure class="waterfall">\n<figcaption>{caption} <span class="muted">({_e(cur)})</span>'
        f'</figcaption>\n<div class="body">\n{_chart(line)}'
        f'<div class="prices"><table class="prices">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        f'{"".join(rows)}</tbody>\n</table>\n<p class="muted">{summary}</p></div>\n</div>\n'
        "</figure>\n"
    )


def compact_waterfall(deal: DealResult) -> str:
    """Every line's waterfall in one table, for print (a chart per line would not fit one
    page): each step's price and, under it, what it took off; a second row in the deal
    currency where it differs."""
    head = (
        '<th>Line</th><th>Cur.</th><th class="num">List</th>'
        '<th class="num">Sales discount</th><th class="num">Partner margin</th>'
        '<th class="num">Free months</th><th class="num">Net</th><th class="num">Floor</th>'
        '<th class="num">Cost</th><th class="num">Margin (min)</th>'
    )
    rows = []
    for line in deal.lines:
        steps, both = packet.waterfall(deal, line)
        name = f"{line.index}: <code>{_e(line.sku)}</code> × {_e(line.quantity)}"
        if not steps:
            rows.append(f'<tr><td>{name}</td><td colspan="9">prices cannot be derived</td></tr>\n')
            continue
        by = {step.label.split(" ")[1] if step.label.startswith("−") else step.label: step
              for step in steps}  # fmt: skip
        minimum = f" ({_pct(line.min_margin)})" if line.min_margin is not None else ""
        for deal_row in (False, True) if both else (False,):
            cells = []
            for key in ("list price", "sales", "partner", "free", "= net to the company",
                        "floor price", "unit cost"):  # fmt: skip
                step = by.get(key)
                if step is None:
                    cells.append('<td class="num">—</td>')
                    continue
                price = step.price_deal if deal_row else step.price
                taken = step.taken_deal if deal_row else step.taken
                shown = money(price) if price is not None else "n/a"
                if taken is not None and key in ("sales", "partner", "free"):
                    shown = f'{_e(shown)} <span class="off">{_e(off(taken))}</span>'
                else:
                    shown = _e(shown)
                cells.append(f'<td class="num">{shown}</td>')
            cur = deal.currency if deal_row else line.product_currency
            first = "" if deal_row else name
            margin = "" if deal_row else f"{_pct(line.margin)}{minimum}"
            rows.append(
                f"<tr><td>{first}</td><td>{_e(cur or '')}</td>{''.join(cells)}"
                f'<td class="num">{margin}</td></tr>\n'
            )
    return (
        '<table class="waterfall-compact">\n<thead><tr>' + head + "</tr></thead>\n<tbody>\n"
        + "".join(rows) + "</tbody>\n</table>\n"
    )  # fmt: skip


def _pct(value: Decimal | None) -> str:
    return _e(percent(value)) if value is not None else "n/a"


def _chart(line: LinePrice) -> str:
    """The waterfall as bars, with the floor (dashed) and cost (dotted) as horizontal lines."""
    steps = [line.list_product, line.after_discount, line.after_partner, line.net_unit]
    marks = [v for v in (*steps, line.floor_price, line.unit_cost) if v is not None]
    top = max([Decimal(0), *marks]) or Decimal(1)

    def y(value: Decimal) -> Decimal:
        clamped = min(max(value, Decimal(0)), top)
        height = Decimal(PLOT_BOTTOM - PLOT_TOP) * clamped / top
        return (Decimal(PLOT_BOTTOM) - height).quantize(TENTH, rounding=ROUND_HALF_EVEN)

    below_floor = (
        line.floor_price is not None
        and line.net_unit is not None
        and (line.net_unit < line.floor_price)
    )
    slot = Decimal(PLOT_RIGHT - PLOT_LEFT) / len(steps)
    parts: list[str] = []
    desc = []
    for i, (label, value) in enumerate(zip(STEPS, steps, strict=True)):
        x = (PLOT_LEFT + slot * i + (slot - BAR_WIDTH) / 2).quantize(TENTH)
        centre = (x + Decimal(BAR_WIDTH) / 2).quantize(TENTH)
        shown = money(value) if value is not None else "n/a"
        desc.append(f"{' '.join(label)} {shown}")
        if value is not None:
            top_y = y(value)
            bar_class = "bar net" if i == len(steps) - 1 else "bar"
            if i == len(steps) - 1 and below_floor:
                bar_class += " below"
            parts.append(
                f'<rect class="{bar_class}" x="{x}" y="{top_y}" width="{BAR_WIDTH}" '
                f'height="{Decimal(PLOT_BOTTOM) - top_y}"/>'
            )
            parts.append(
                f'<text class="amount" x="{centre}" y="{top_y - 6}" text-anchor="middle">'
                f"{_e(shown)}</text>"
            )
        else:
            parts.append(
                f'<text class="amount" x="{centre}" y="{PLOT_BOTTOM - 6}" text-anchor="middle">'
                "n/a</text>"
            )
        parts.append(
            f'<text class="step" x="{centre}" y="{PLOT_BOTTOM + 18}" text-anchor="middle">'
            f"{_e(label[0])}"
            f'<tspan x="{centre}" dy="16">{_e(label[1])}</tspan></text>'
        )
    if below_floor:
        centre = (PLOT_LEFT + slot * (len(steps) - Decimal("0.5"))).quantize(TENTH)
        parts.append(
            f'<text class="warn" x="{centre}" y="{PLOT_BOTTOM + 50}" text-anchor="middle">'
            "BELOW FLOOR</text>"
        )
        desc.append("net below floor")
    for name, value, dash, dy in (
        ("floor", line.floor_price, "8 4", -5),
        ("cost", line.unit_cost, "2 3", 13),
    ):
        if value is None:
            continue
        ly = y(value)
        parts.append(
            f'<line class="{name}" x1="{PLOT_LEFT - 8}" y1="{ly}" x2="{PLOT_RIGHT + 4}" y2="{ly}" '
            f'stroke-dasharray="{dash}"/>'
        )
        parts.append(
            f'<text class="mark" x="{PLOT_RIGHT + 8}" y="{ly + dy}">{name} {_e(money(value))}</text>'
        )
        desc.append(f"{name} {money(value)}")
    title = f"Price waterfall of line {line.index} ({line.sku}), {line.product_currency or ''}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'role="img" aria-label="{_e(title)}">\n'
        f"<title>{_e(title)}</title>\n<desc>{_e('; '.join(desc))}</desc>\n"
        f'<line class="axis" x1="{PLOT_LEFT - 8}" y1="{PLOT_BOTTOM}" x2="{PLOT_RIGHT + 4}" '
        f'y2="{PLOT_BOTTOM}"/>\n' + "\n".join(parts) + "\n</svg>\n"
    )
