"""The sales sheet: what may be sold where, at what price, and what is only on the roadmap.

``dealcheck catalog [features|skus|regions]`` answers a rep's "what can I sell in
Australia, at what price?" and gives product managers a page to publish. One function,
:func:`build_sales_sheet`, turns the catalog into a plain :class:`SalesSheet`; three pure
renderers, ``dealcheck.report.salessheet_text``, ``_json`` and ``_markdown``, turn that
into text (rich), JSON or Markdown.

Modules: ``model`` (the rows), ``filters`` (the options, checked), ``regions`` (what may
be sold where), ``policy`` (approval bands, floor and margin checks), ``build``.

Decisions this package encodes:

* **Region.** A country code or a region group. An item (product, SKU, feature) is
  *available* there when it may be sold in every country of the region, *partial* when
  only in some (it stays listed, with the countries it may not be sold in), and
  *unavailable* when in none (it is left out of the tables and listed under "not
  available", with the reason). A blocker restriction or a country outside
  ``sellable_in`` makes a country unavailable; a restriction of severity ``approval`` or
  ``warning`` does not, it is listed as a *condition*. A product's block covers its SKUs
  and features, so only the product is listed for it. Feature restrictions count as
  blockers here (a contract may not commit to the feature there); the engine only warns
  when such a feature is merely included.
* **Currency.** Prices are shown in the product's currency unless another is asked for;
  it is never guessed from the region (Australian deals are also quoted in USD).
* **Approval bands** come from enabled line-scope rules whose condition is nothing but
  a band of ``line.discount`` (:func:`dealcheck.expr.discount_band`); the discounts no
  such rule covers need no approval. Other line rules are named, not interpreted.
* **Cost.** Unit cost, margins at list and at floor, and the lowest price that keeps the
  minimum margin (it reveals the cost) are shown only with ``internal=True``.
* **Statuses.** Retired features are left out unless asked for by ``statuses``. The
  roadmap is every beta, preview and planned feature. ``statuses`` filters features only.
* **Edition.** With ``edition``, features are those of the edition (and of the editions
  it includes) and SKUs are those of the edition; add-on SKUs are left out.
* **Order.** Products by id; features and SKUs in catalog order; groups and countries
  alphabetically. The same catalog and options give the same output.
"""

from __future__ import annotations

# The renderers are re-exported so that ``from dealcheck.salessheet import render_text``
# keeps working; they import only ``dealcheck.salessheet.model``, never this module.
from dealcheck.report.salessheet_json import render_json
from dealcheck.report.salessheet_markdown import render_markdown
from dealcheck.report.salessheet_text import render_text
from dealcheck.salessheet.build import build_sales_sheet
from dealcheck.salessheet.model import SECTIONS, STATUSES, SalesSheet

__all__ = [
    "SECTIONS",
    "STATUSES",
    "SalesSheet",
    "build_sales_sheet",
    "render_json",
    "render_markdown",
    "render_text",
]
