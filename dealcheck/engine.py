"""Run the built-in checks and the compiled catalog rules over a deal (SPEC §4, §5, §7).

An :class:`Engine` is built once per catalog (rules compile once, SKU prices and rule
views are indexed once) and checks any number of deals: it prices the lines, gathers the
commitments, runs every check and every rule (what rules see is
:mod:`dealcheck.ruleviews`), then applies the deal's waivers and approvals
(:mod:`dealcheck.approvals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dealcheck.approvals import ENGINE_CHECKS, apply_approvals, apply_waivers
from dealcheck.catalog import Catalog, SkuEntry
from dealcheck.checks import REGISTRY
from dealcheck.checks.base import CatalogIndex, CommitmentRef, DealContext, UptimeRef
from dealcheck.contract import Contract, ContractOptions, analyse_contract, feature_matcher
from dealcheck.errors import Location, Problem
from dealcheck.findings import DealResult, DealTerms, Finding, fingerprint
from dealcheck.models import BuiltinOverride, DealBody
from dealcheck.pricing import CatalogPrices, LinePrice, deal_margin, deal_total, price_line
from dealcheck.rules import CompiledRule, compile_rules, override_problems
from dealcheck.ruleviews import (
    DealView,
    FeatureView,
    SkuView,
    feature_view,
    fired,
    follow,
    product_view,
    scope_names,
)
from dealcheck.yamlio import SourceMap

if TYPE_CHECKING:
    from dealcheck.clauses import Clause, FeatureMatcher

# -- the engine --------------------------------------------------------------------------------


class Engine:
    """Checks deals against one catalog; build once, call :meth:`check` per deal."""

    def __init__(
        self, catalog: Catalog, today: date, options: ContractOptions | None = None
    ) -> None:
        self.catalog = catalog
        self.today = today
        self.rules, rule_problems = compile_rules(catalog)
        self.problems: list[Problem] = [*catalog.errors, *rule_problems]
        if not catalog.errors:
            self.problems.extend(override_problems(catalog))
        self.overrides: dict[str, BuiltinOverride] = {}
        margins: list[Decimal] = []
        for ruleset_id in sorted(catalog.rulesets):
            ruleset = catalog.rulesets[ruleset_id]
            for check_id, override in ruleset.builtin.items():
                # Two rule sets may tune one check (one its severity, another its
                # approver): merge what each sets rather than drop the earlier one.
                earlier = self.overrides.get(check_id)
                if earlier is not None:
                    override = earlier.model_copy(update=override.model_dump(exclude_none=True))
                self.overrides[check_id] = override
            if ruleset.min_deal_margin is not None:
                margins.append(ruleset.min_deal_margin)
        self.min_deal_margin = max(margins) if margins else None
        self.prices = {
            sku: CatalogPrices(
                e.product.id,
                e.sku.edition,
                e.product.currency,
                e.sku.list_price,
                e.sku.unit_cost,
                e.sku.floor_price,
                e.sku.min_margin,
            )
            for sku, e in catalog.skus.items()
        }
        self.sku_views = {
            sku: SkuView(
                e.sku.sku,
                e.sku.name,
                e.product.id,
                e.sku.edition,
                sorted(catalog.sku_features(e)),
                e.sku.list_price,
                e.sku.unit_cost,
                e.sku.floor_price,
                e.sku.min_margin,
                e.sku.available_from,
            )
            for sku, e in catalog.skus.items()
        }
        self.product_views = {pid: product_view(p) for pid, p in catalog.products.items()}
        # built per feature on first use: a big catalog has tens of thousands, a deal a few
        self._feature_views: dict[str, FeatureView] = {}
        self.index = CatalogIndex(catalog)  # what the checks derive from the catalog alone
        self.checks = [c for c in REGISTRY.values() if c.id not in ENGINE_CHECKS]
        self.rules_by_scope: dict[str, list[CompiledRule]] = {
            scope: [r for r in self.rules if r.entry.rule.enabled and r.scope == scope]
            for scope in ("deal", "line", "commitment", "clause")
        }
        # what a firing rule records, worked out once per rule (see _Firing)
        self._firings = {id(r): _Firing.of(r) for r in self.rules}
        self.options = options or ContractOptions()
        self._matcher: FeatureMatcher | None = None

    def feature_view(self, feature_id: str) -> FeatureView | None:
        """What rules see of a catalog feature (``None``: not in the catalog)."""
        view = self._feature_views.get(feature_id)
        if view is None:
            entry = self.catalog.features.get(feature_id)
            if entry is None:
                return None  # not remembered: unknown ids must not pile up over many deals
            view = self._feature_views[feature_id] = feature_view(entry)
        return view

    @property
    def ok(self) -> bool:
        """False when the catalog has errors: no deal can be checked against it."""
        return not self.problems

    # -- one deal ------------------------------------------------------------------------

    @property
    def matcher(self) -> FeatureMatcher:
        """The feature matcher for clause text, compiled on first use."""
        if self._matcher is None:
            from dealcheck.catalog.cache import load_matcher, store_matcher

            # kept in the catalog cache: a big catalog has tens of thousands of terms
            self._matcher = load_matcher(self.catalog)
            if self._matcher is None:
                self._matcher = feature_matcher(self.catalog)
                store_matcher(self.catalog, self._matcher)
        return self._matcher

    def check(
        self, deal: DealBody, source: SourceMap, clauses: Sequence[Clause] | None = None
    ) -> DealResult:
        """Every finding for ``deal``, with approvals and waivers applied.

        ``clauses`` are all the contract's clauses (see :func:`dealcheck.contract.gather_clauses`);
        by default, the deal's inline ``clauses:``.
        """
        if clauses is None:
            from dealcheck.clauses import Clause

            clauses = [
                Clause(c.id, c.text, source.locate(("clauses", i, "text")))
                for i, c in enumerate(deal.clauses)
            ]
        contract = analyse_contract(deal, clauses, self.matcher) if clauses else Contract()
        catalog = self.catalog
        currency = deal.currency
        deal_rate = catalog.fx_rate(currency)
        partner_margin = deal.partner.margin if deal.partner else Decimal(0)
        term_months, free_months = deal.term_months, deal.free_months
        lines: list[LinePrice] = []
        line_skus: list[SkuEntry | None] = []
        skus, all_prices, one = catalog.skus, self.prices, Decimal(1)
        for i, line in enumerate(deal.lines, start=1):
            prices = all_prices.get(line.sku)
            line_deal_rate, product_rate = deal_rate, None
            if prices is not None:
                if prices.currency == currency:
                    line_deal_rate = product_rate = one  # no conversion needed
                else:
                    product_rate = catalog.fx_rate(prices.currency)
            lines.append(
                price_line(
                    index=i,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount=line.discount,
                    term_months=term_months,
                    free_months=free_months,
                    partner_margin=partner_margin,
                    deal_rate=line_deal_rate,
                    product_rate=product_rate,
                    catalog_sku=prices,
                )
            )
            line_skus.append(skus.get(line.sku))
        commitments = [
            CommitmentRef(
                index=i,
                feature=c.feature,
                due=c.due or deal.start_date,
                clause=c.clause,
                source="structured",
                text=None,
                location=source.locate(("commitments", i, "feature")),
            )
            for i, c in enumerate(deal.commitments)
        ]
        commitments.extend(contract.commitments)
        clause_refs = contract.clauses
        uptime_refs = list(contract.uptimes)
        if deal.sla_uptime is not None:
            uptime_refs.insert(
                0, UptimeRef(deal.sla_uptime, source.locate(("sla_uptime",)), None, "sla_uptime")
            )
        margin = deal_margin(lines)
        ctx = DealContext(
            deal=deal,
            catalog=catalog,
            today=self.today,
            file=source.file,
            source=source,
            lines=lines,
            line_skus=line_skus,
            commitments=commitments,
            clauses=clause_refs,
            uptimes=uptime_refs,
            overrides=self.overrides,
            min_deal_margin=self.min_deal_margin,
            deal_margin=margin,
            index=self.index,
        )
        for check in self.checks:
            check.run(ctx)
        total = deal_total(lines)
        self._run_rules(ctx, margin, total)
        apply_waivers(ctx, self.today)
        apply_approvals(ctx)
        findings = sorted(ctx.findings, key=Finding.sort_key)
        return DealResult(
            deal_id=deal.id,
            file=source.file,
            location=source.locate(),
            findings=findings,
            lines=lines,
            currency=deal.currency,
            total=total,
            margin=margin,
            customer=deal.customer.name,
            approvals_recorded=[
                {k: v for k, v in a.model_dump().items() if v is not None} for a in deal.approvals
            ],
            terms=_terms(deal, catalog, deal_rate, line_skus),
            commitments=commitments,
        )

    # -- rules ---------------------------------------------------------------------------

    def _run_rules(self, ctx: DealContext, margin: Decimal | None, total: Decimal | None) -> None:
        deal = ctx.deal
        view = DealView(
            id=deal.id,
            currency=deal.currency,
            start_date=deal.start_date,
            end_date=deal.end_date,
            term_months=deal.term_months,
            payment_terms_days=deal.payment_terms_days,
            free_months=deal.free_months,
            date_format=deal.date_format,
            sla_uptime=deal.sla_uptime,
            total=total,
            margin=margin,
            countries=list(deal.countries),
            deployment_countries=list(deal.deployment_countries or (deal.customer.country,)),
            customer=deal.customer,
            partner=deal.partner,
            lines=ctx.lines,
            commitments=ctx.commitments,
            clauses=ctx.clauses,
        )
        head = (view, deal.customer, deal.partner, self.today)
        # Rules are grouped by scope once (see __init__); each subject's arguments are built
        # once and every rule of the scope runs over them. A location is worked out only
        # for a rule that fires: most evaluations do not.
        for rule in fired(self.rules_by_scope["deal"], head):
            self._finding(ctx, rule, head, "deal", self._deal_location(ctx, rule))
        line_rules = self.rules_by_scope["line"]
        if line_rules:
            for line in ctx.lines:
                sku = self.sku_views.get(line.sku)
                product = self.product_views.get(sku.product) if sku else None
                args: tuple[Any, ...] = (*head, line, sku, product)
                for rule in fired(line_rules, args):
                    subject = f"line:{line.index}:{line.sku}"
                    self._finding(ctx, rule, args, subject, ctx.line_location(line.index))
        commitment_rules = self.rules_by_scope["commitment"]
        if commitment_rules:
            for c in ctx.commitments:
                feature = self.feature_view(c.feature)
                product = self.product_views.get(feature.product) if feature else None
                c_args: tuple[Any, ...] = (*head, c, feature, product)
                for rule in fired(commitment_rules, c_args):
                    subject = f"feature:{c.feature}:{c.clause or c.index}"
                    self._finding(ctx, rule, c_args, subject, c.location)
        clause_rules = self.rules_by_scope["clause"]
        if clause_rules:
            for clause in ctx.clauses:
                k_args: tuple[Any, ...] = (*head, clause)
                for rule in fired(clause_rules, k_args):
                    self._finding(ctx, rule, k_args, f"clause:{clause.id}", clause.location)

    def _deal_location(self, ctx: DealContext, rule: CompiledRule) -> Location:
        """Point a deal-scope finding at the first deal field its rule reads."""
        for field in sorted(rule.condition.fields):
            parts = field.split(".")
            if parts[0] == "deal" and len(parts) > 1 and ctx.source.has((parts[1],)):
                return ctx.source.locate((parts[1],))
            if parts[0] in ("customer", "partner") and ctx.source.has((parts[0],)):
                path = tuple(parts[:2])
                return ctx.source.locate(path)
        return ctx.source.locate()

    def _finding(
        self,
        ctx: DealContext,
        rule: CompiledRule,
        args: tuple[Any, ...],
        subject: str,
        location: Location,
    ) -> None:
        """Record the finding of a rule that fired."""
        firing = self._firings.get(id(rule))
        if firing is None:  # a rule of another catalog's engine: work it out here
            firing = _Firing.of(rule)
        values = [follow(args[i] if i >= 0 else None, attrs) for i, attrs in firing.getters]
        message = rule.message.fn(*args) if rule.message else firing.default_message
        ctx.findings.append(
            Finding(
                firing.id,
                firing.category,
                firing.severity,
                message,
                location,
                subject,
                fingerprint(firing.id, subject, tuple(values)),
                rule.fix.fn(*args) if rule.fix else None,
                firing.approver,
                dict(zip(firing.paths, values, strict=True)),
            )
        )


@dataclass(frozen=True, slots=True)
class _Firing:
    """What a finding of one rule needs that depends only on the rule: its fields (sorted:
    the evidence and the fingerprint's trigger), where each is found among the scope's
    arguments, and the rule's constant attributes."""

    id: str
    category: str
    severity: str
    approver: str | None
    default_message: str
    paths: tuple[str, ...]
    #: per path: the index of its name among the scope's arguments (-1: not one of them)
    #: and the attributes followed from there (see :func:`dealcheck.ruleviews.follow`)
    getters: tuple[tuple[int, tuple[str, ...]], ...]

    @classmethod
    def of(cls, rule: CompiledRule) -> _Firing:
        r = rule.entry.rule
        names = scope_names(r.scope)
        paths = tuple(sorted(rule.condition.fields))
        getters = []
        for path in paths:
            head, *attrs = path.split(".")
            index = names.index(head) if head in names else -1
            getters.append((index, tuple(attrs)))
        return cls(
            r.id,
            r.category,
            r.severity,
            r.approver if r.severity == "approval" else None,
            f"Rule {r.id} matched",
            paths,
            tuple(getters),
        )


def _terms(
    deal: DealBody, catalog: Catalog, deal_rate: Decimal | None, skus: list[SkuEntry | None]
) -> DealTerms:
    """What the approval packet shows of a deal's terms."""
    fx = catalog.fx
    return DealTerms(
        bill_to=deal.customer.country,
        deployment_countries=tuple(deal.deployment_countries or ()),
        partner=deal.partner.name if deal.partner else None,
        partner_country=deal.partner.country if deal.partner else None,
        partner_margin=deal.partner.margin if deal.partner else Decimal(0),
        start_date=deal.start_date,
        end_date=deal.end_date,
        term_months=deal.term_months,
        free_months=deal.free_months,
        payment_terms_days=deal.payment_terms_days,
        base_currency=fx.base if fx is not None else None,
        fx_rate=deal_rate,
        fx_as_of=fx.as_of if fx is not None else None,
        sku_names=tuple(entry.sku.name if entry is not None else None for entry in skus),
        rates=tuple(
            (cur, rate)
            for cur in sorted({deal.currency, *(e.product.currency for e in skus if e)})
            if (rate := catalog.fx_rate(cur)) is not None
        ),
    )
