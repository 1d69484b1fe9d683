"""``dealcheck init``: a starter catalog, policy and deal that pass every check.

:func:`starter_files` is the content (pure: relative path → text); :func:`write_starter`
writes it into a directory and never overwrites anything. The files are:

* ``dealcheck.yaml`` — ``catalog: [products, rules]``, so commands run from the
  directory (or below it) find the catalog;
* ``products/example-app.yaml``, ``products/regions.yaml``, ``products/fx.yaml`` — one
  product with editions, an add-on, a roadmap feature and region restrictions;
* ``rules/deal-desk.yaml`` — an approver ranking (``approvers:``), a discount approval
  matrix and a payment-terms rule, each with rule tests (``dealcheck test``), lint-clean
  (``dealcheck lint``);
* ``deals/example.yaml`` — a deal that checks clean (verdict pass);
* ``.dealcheck/schemas/<kind>.schema.json`` — what ``dealcheck schema --out
  .dealcheck/schemas`` writes; every YAML document starts with a
  ``# yaml-language-server: $schema=…`` line pointing at its kind's schema (relative to
  the file), so editors complete and check the files as they are typed.

Dates are relative to ``today``: the FX rates are as of today, the roadmap target is
three quarters ahead and the deal starts on the first of next month, so a fresh starter
has no stale-roadmap warning whenever it is made.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path
from typing import Final

from dealcheck.catalog import display_path
from dealcheck.errors import InputError, Location
from dealcheck.schema import render, schema_file_name, schemas

SCHEMA_DIR: Final = ".dealcheck/schemas"

_CONFIG = """\
# dealcheck settings: where the catalog is. Commands run in this directory or below it
# use products/ and rules/ here.
catalog: [products, rules]
"""

_PRODUCT = """\
@MODELINE@
# A starter product: rename it and describe yours. Prices are per unit per year, in USD.
# Check your edits with `dealcheck validate`; see what may be sold where with
# `dealcheck catalog`.
kind: Product
id: example-app
name: Example App
labels:
  owner: product-management
currency: USD
sellable_in: [NORAM, EEA, GB, CH, ANZ]   # absent = everywhere not restricted
restricted_in:
  - where: [CH]
    reason: Swiss data-protection review pending; Legal clears each deal.
    severity: approval                  # blocker (default) | approval | warning
    approver: Legal
sla:
  uptime: 99.9                          # the highest uptime % a contract may promise
features:
  - id: dashboards
    name: Dashboards
    aliases: [dashboard builder]
    status: ga                          # ga | beta | preview | planned | deprecated | retired
  - id: sso
    name: SAML single sign-on
    aliases: [SSO, single sign-on]
    status: ga
  - id: audit-log
    name: Audit log
    aliases: [audit trail]
    status: ga
  - id: ai-assistant
    name: AI assistant
    aliases: [AI copilot]
    status: ga
    restricted_in:
      - where: [EU]
        reason: Not yet assessed under the EU AI Act.
  - id: mobile-app
    name: Mobile app
    status: beta                        # works, not generally available: not committable
  - id: eu-data-residency
    name: EU data residency
    aliases: [EU hosting]
    status: planned
    target: @TARGET@                    # a planned feature needs a target date or quarter
    committable: false                  # no contractual dates until it ships
editions:
  - id: standard
    name: Standard
    features: [dashboards]
  - id: enterprise
    name: Enterprise
    includes: [standard]                # everything in Standard, plus:
    features: [sso, audit-log, mobile-app, eu-data-residency]
skus:
  - sku: EX-STD-USER-Y
    name: Example App Standard, per user per year
    edition: standard
    list_price: 300.00
    unit_cost: 60.00                    # fully loaded cost per unit per year
    floor_price: 180.00                 # the lowest net price per unit the company accepts
    min_margin: 0.60                    # the lowest gross margin, (net - cost) / net
  - sku: EX-ENT-USER-Y
    name: Example App Enterprise, per user per year
    edition: enterprise
    list_price: 600.00
    unit_cost: 120.00
    floor_price: 360.00
    min_margin: 0.60
  - sku: EX-AI-USER-Y
    name: AI assistant add-on, per user per year
    features: [ai-assistant]            # an add-on lists features instead of an edition
    list_price: 120.00
    unit_cost: 40.00
    floor_price: 72.00
    min_margin: 0.50
"""

_REGIONS = """\
@MODELINE@
# Region groups for sellable_in, restricted_in and rules. A group name is upper case
# and never a country code; members are ISO 3166-1 alpha-2 codes or other groups.
kind: Regions
groups:
  EU: [AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, HU, IE, IT, LV, LT, LU, MT, NL, PL, PT, RO, SK, SI, ES, SE]
  EEA: [EU, IS, LI, NO]
  NORAM: [US, CA]
  ANZ: [AU, NZ]
  EMBARGOED: [CU, IR, KP, SY]
"""

_FX = """\
@MODELINE@
# FX rates: units of each currency per 1 USD. Replace them with your Treasury's rates.
# An amount in X converts to Y as amount / rate(X) * rate(Y).
kind: FxRates
base: USD
as_of: @TODAY@
rates:
  EUR: 0.92
  GBP: 0.79
  CHF: 0.88
  CAD: 1.38
  AUD: 1.52
  NZD: 1.68
"""

_RULES = """\
@MODELINE@
# The deal desk's policy: who approves what. `dealcheck test` runs the tests below;
# `dealcheck explain RULE` shows a rule.
kind: RuleSet
id: deal-desk-policy
min_deal_margin: 0.55                   # blended gross-margin floor of a deal
# Who may approve, lowest authority first; `dealcheck lint` checks that a bigger discount
# never goes to a lower approver and that every approver named is one of these.
approvers: [Sales Manager, VP Sales, Product, Legal, Finance, CFO]
builtin:
  margin-below-floor: {approver: CFO}   # tune a built-in check
rules:
  - id: discount-needs-manager
    scope: line
    when: line.discount > 0.15 and line.discount <= 0.30
    severity: approval
    approver: Sales Manager
    category: margin
    message: "{line.sku}: {line.discount:%} discount needs Sales Manager approval"
    fix: Reduce the discount to 15% or less, or get the Sales Manager's approval.
  - id: discount-needs-vp
    scope: line
    when: line.discount > 0.30
    severity: approval
    approver: VP Sales
    category: margin
    message: "{line.sku}: {line.discount:%} discount needs VP Sales approval"
    fix: Reduce the discount to 30% or less, or get VP Sales approval.
  - id: payment-terms-need-finance
    scope: deal
    when: deal.payment_terms_days > 45
    severity: approval
    approver: Finance
    category: terms
    message: "Net {deal.payment_terms_days} payment terms need Finance approval"
    fix: Offer net 45 or shorter, or get Finance's approval.
tests:
  - name: discount-15-needs-nobody
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: @START@
      term_months: 12
      lines: [{sku: EX-ENT-USER-Y, quantity: 10, discount: 0.15}]
    expect_not: [discount-needs-manager, discount-needs-vp]
  - name: discount-20-needs-manager
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: @START@
      term_months: 12
      lines: [{sku: EX-ENT-USER-Y, quantity: 10, discount: 0.20}]
    expect: [discount-needs-manager]
    expect_not: [discount-needs-vp]
  - name: discount-30-still-needs-manager   # the edge of both bands, exactly
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: @START@
      term_months: 12
      lines: [{sku: EX-ENT-USER-Y, quantity: 10, discount: 0.30}]
    expect: [discount-needs-manager]
    expect_not: [discount-needs-vp]
  - name: discount-35-needs-vp
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: @START@
      term_months: 12
      lines: [{sku: EX-ENT-USER-Y, quantity: 10, discount: 0.35}]
    expect: [discount-needs-vp]
    expect_not: [discount-needs-manager]
  - name: net-46-needs-finance
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: @START@
      term_months: 12
      payment_terms_days: 46
      lines: [{sku: EX-STD-USER-Y, quantity: 10, discount: 0}]
    expect: [payment-terms-need-finance]
  - name: net-45-is-standard
    deal:
      customer: {name: Test Co, country: US}
      currency: USD
      start_date: @START@
      term_months: 12
      payment_terms_days: 45
      lines: [{sku: EX-STD-USER-Y, quantity: 10, discount: 0}]
    expect_not: [payment-terms-need-finance]
"""

_DEAL = """\
@MODELINE@
# A starter deal. `dealcheck check deals/` checks it against products/ and rules/;
# try a 25% discount or a customer in CU and check again.
kind: Deal
id: Q-0001
customer:
  name: Example Customer Inc.
  country: US
  segment: mid-market
currency: USD
start_date: @START@
term_months: 12
payment_terms_days: 30
lines:
  - sku: EX-ENT-USER-Y
    quantity: 50
    discount: 0.10                      # off list; or unit_price: 540.00
  - sku: EX-AI-USER-Y
    quantity: 50
    unit_price: 120.00
commitments:
  - feature: sso
    clause: "4.1"
clauses:
  - id: "4.1"
    text: Provider shall provide SAML single sign-on for all Customer users from the Effective Date.
"""

# relative path → (template, kind of its documents or None)
_TEMPLATES: Final[dict[str, tuple[str, str | None]]] = {
    "dealcheck.yaml": (_CONFIG, None),
    "products/example-app.yaml": (_PRODUCT, "Product"),
    "products/regions.yaml": (_REGIONS, "Regions"),
    "products/fx.yaml": (_FX, "FxRates"),
    "rules/deal-desk.yaml": (_RULES, "RuleSet"),
    "deals/example.yaml": (_DEAL, "Deal"),
}


def modeline(relative_path: str, kind: str) -> str:
    """The editor schema comment for a file at ``relative_path`` holding ``kind`` documents."""
    depth = relative_path.count("/")
    up = "../" * depth
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{schema_file_name(kind)}"


def _quarter_ahead(today: date, quarters: int) -> str:
    index = today.year * 4 + (today.month - 1) // 3 + quarters
    return f"{index // 4}-Q{index % 4 + 1}"


def _next_month(today: date) -> date:
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def starter_files(today: date, with_schemas: bool = True) -> dict[str, str]:
    """Relative path (``/``-separated) → content of every starter file."""
    values = {
        "@TODAY@": today.isoformat(),
        "@START@": _next_month(today).isoformat(),
        "@TARGET@": _quarter_ahead(today, 3),
    }
    files: dict[str, str] = {}
    for relative, (template, kind) in _TEMPLATES.items():
        text = template
        if kind is not None:
            text = text.replace("@MODELINE@", modeline(relative, kind))
        for token, value in values.items():
            text = text.replace(token, value)
        files[relative] = text
    if with_schemas:
        for kind, schema in schemas().items():
            files[f"{SCHEMA_DIR}/{schema_file_name(kind)}"] = render(schema)
    return files


def write_starter(
    directory: Path, today: date | None = None, with_schemas: bool = True
) -> list[Path]:
    """Write the starter files into ``directory`` (created if missing); return them.

    Nothing is overwritten: if any starter file already exists, :class:`InputError`
    names it and nothing is written. (A schema file that exists with exactly the same
    content is left as it is.) If writing fails half-way, the files written are removed.
    """
    files = starter_files(today or date.today(), with_schemas)
    if directory.exists() and not directory.is_dir():
        raise InputError(Location(display_path(directory)), "exists and is not a directory")
    targets: list[tuple[Path, str]] = []
    for relative, text in files.items():
        target = directory.joinpath(*relative.split("/"))
        if target.exists() or target.is_symlink():
            if relative.startswith(SCHEMA_DIR) and _same(target, text):
                continue
            raise InputError(
                Location(display_path(target)),
                "already exists; dealcheck init never overwrites a file, so nothing was "
                "written (use an empty directory, or move the file away)",
            )
        targets.append((target, text))
    written: list[Path] = []
    try:
        for target, text in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            # "x": fail rather than overwrite a file that appeared since the check above
            with target.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            written.append(target)
    except OSError as exc:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        failed = getattr(exc, "filename", None) or directory
        raise InputError(
            Location(display_path(Path(os.fsdecode(failed)))),
            f"cannot write: {exc.strerror or exc}; nothing was left behind",
        ) from None
    return written


def _same(path: Path, text: str) -> bool:
    try:
        return path.is_file() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False
