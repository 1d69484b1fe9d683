"""The sales sheet as Markdown, to publish on an intranet page. Every value from the
catalog is escaped (:func:`dealcheck.report.sanitize.markdown_text`), so a name or a reason
cannot add markup, a link, a mention, a line or a table column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dealcheck.report import salessheet_tables as tables
from dealcheck.report.markdown import markdown_table
from dealcheck.report.sanitize import markdown_text

if TYPE_CHECKING:  # dealcheck.salessheet re-exports the renderers: a runtime import would cycle
    from dealcheck.salessheet.model import SalesSheet


def _md(value: str) -> str:
    """Running text on one line: markup escaped, mentions and links neutralised."""
    return markdown_text(value)


def _md_table(table: tables.Table) -> list[str]:
    """A GitHub-flavoured Markdown table and a blank line: each cell on one line, escaped,
    ``—`` for an empty one."""
    header, rows = table

    def cells(row: Sequence[str]) -> list[str]:
        return [_md(" ".join(c.split())) or "—" for c in row]

    return [*markdown_table(cells(header), [cells(row) for row in rows]), ""]


def render_markdown(sheet: SalesSheet) -> str:
    """A sales sheet to publish on an intranet page: a price list and a feature table per
    product, the roadmap, the regions, and what may not be sold in the region and why."""
    md = [f"# {_md(tables.title(sheet))}", "", f"_{_md(tables.subtitle(sheet))}_", ""]
    if "skus" in sheet.sections:
        md += ["## Discount approvals", ""]
        md += _md_table(
            (["Discount off list", "Needs"], [[b.label, b.needs] for b in sheet.discount_bands])
        )
        md += [_md(tables.pricing_note(sheet)), ""]
        if sheet.other_line_rules:
            md += [_md(f"Other pricing rules may apply: {', '.join(sheet.other_line_rules)}."), ""]
    for prod, skus, features in tables.products_shown(sheet):
        md += [f"## {_md(prod.name)}", ""]
        if prod.not_in:
            md += [
                _md(f"Not sellable in {', '.join(x.where for x in prod.not_in)}: see below."),
                "",
            ]
        if skus:
            md += [
                f"### {_md(prod.name)} price list",
                "",
                *_md_table(tables.sku_table(sheet, skus, names=True, costs=sheet.internal)),
            ]
        if features:
            md += [
                f"### {_md(prod.name)} features",
                "",
                *_md_table(tables.feature_table(sheet, features)),
            ]
    if "features" in sheet.sections:
        md += ["## Roadmap — not yet sellable as committed", ""]
        if sheet.roadmap:
            md += _md_table(tables.roadmap_table(sheet))
            md += [_md("Promise a roadmap feature in a contract only where its row says so."), ""]
        else:
            md += ["Nothing on the roadmap in this selection.", ""]
    if "regions" in sheet.sections:
        md += ["## Regions", "", *_md_table(tables.groups_table(sheet))]
        md += ["### Where each product may be sold", "", *_md_table(tables.where_table(sheet))]
    if sheet.region is not None:
        md += [f"## Not available in {_md(sheet.region)}", ""]
        md += [f"- {_md(x.summary)}" for x in sheet.not_available] or [
            "Everything in this selection may be sold there."
        ]
        md.append("")
        if sheet.conditions:
            md += [f"### Conditions in {_md(sheet.region)}", ""]
            md += [f"- {_md(x.summary)}" for x in sheet.conditions] + [""]
    while md[-1] == "":
        md.pop()
    return "\n".join(md) + "\n"
