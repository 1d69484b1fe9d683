"""Pydantic models of every document kind (SPEC §2): frozen, strict, unknown keys rejected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from dealcheck.models.fields import (
    Aliases,
    CountryCode,
    CurrencyCode,
    Flag,
    Fraction,
    Identifier,
    ISODate,
    Money,
    Percent,
    PositiveNumber,
    RoadmapDate,
    Term,
    Text,
)

FeatureStatus = Literal["ga", "beta", "preview", "planned", "deprecated", "retired"]
RestrictionSeverity = Literal["blocker", "approval", "warning"]
Severity = Literal["blocker", "approval", "warning", "info"]
Scope = Literal["deal", "line", "commitment", "clause"]
RegionName = Annotated[str, Field(min_length=1, max_length=64)]


class Strict(BaseModel):
    """Base of every model: immutable, and an unknown key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, hide_input_in_errors=True)


class DocumentModel(Strict):
    """A top-level document: may carry free-form ``labels`` and ``notes``."""

    labels: dict[str, str] | None = None
    notes: str | None = None


# -- Regions and FX -------------------------------------------------------------------------


class Regions(DocumentModel):
    kind: Literal["Regions"]
    groups: dict[str, tuple[RegionName, ...]]


class FxRates(DocumentModel):
    kind: Literal["FxRates"]
    base: CurrencyCode
    as_of: ISODate
    rates: dict[CurrencyCode, PositiveNumber]


# -- Products ------------------------------------------------------------------------------


class Restriction(Strict):
    where: tuple[RegionName, ...] = Field(min_length=1)
    reason: Text
    severity: RestrictionSeverity = "blocker"
    approver: Text | None = None

    @model_validator(mode="after")
    def _approver_for_approval(self) -> Restriction:
        if self.severity == "approval" and not self.approver:
            raise ValueError("a restriction with severity 'approval' needs an 'approver'")
        return self


class Sla(Strict):
    uptime: Percent


class Feature(Strict):
    id: Identifier
    name: Term
    aliases: Aliases = ()
    status: FeatureStatus
    target: RoadmapDate | None = None
    end_of_life: RoadmapDate | None = None
    committable: Flag | None = None
    restricted_in: tuple[Restriction, ...] = ()

    @property
    def is_committable(self) -> bool:
        """May a contract commit to it? Default: only ``ga`` and ``deprecated``; never ``retired``."""
        if self.status == "retired":
            return False
        if self.committable is not None:
            return self.committable
        return self.status in ("ga", "deprecated")


class Edition(Strict):
    id: Identifier
    name: Text
    includes: tuple[Identifier, ...] = ()
    features: tuple[Identifier, ...] = ()


class Sku(Strict):
    sku: Identifier
    name: Text
    edition: Identifier | None = None
    features: tuple[Identifier, ...] | None = None
    list_price: Money
    unit_cost: Money
    floor_price: Money | None = None
    min_margin: Fraction | None = None
    available_from: ISODate | None = None
    sellable_in: tuple[RegionName, ...] | None = None
    restricted_in: tuple[Restriction, ...] = ()

    @model_validator(mode="after")
    def _edition_or_features(self) -> Sku:
        if (self.edition is None) == (self.features is None):
            raise ValueError(
                "a SKU needs exactly one of 'edition' (a plan) or 'features' (an add-on)"
            )
        return self


class Product(DocumentModel):
    kind: Literal["Product"]
    id: Identifier
    name: Text
    currency: CurrencyCode
    sellable_in: tuple[RegionName, ...] | None = None
    restricted_in: tuple[Restriction, ...] = ()
    sla: Sla | None = None
    features: tuple[Feature, ...] = ()
    editions: tuple[Edition, ...] = ()
    skus: tuple[Sku, ...] = ()


# -- Deals ---------------------------------------------------------------------------------


class Customer(Strict):
    name: Text
    country: CountryCode
    segment: str | None = None


class Partner(Strict):
    name: Text
    country: CountryCode
    margin: Fraction = Decimal(0)


class Line(Strict):
    sku: Identifier
    quantity: PositiveNumber
    unit_price: Money | None = None
    discount: Fraction | None = None

    @model_validator(mode="after")
    def _one_price(self) -> Line:
        if (self.unit_price is None) == (self.discount is None):
            raise ValueError("a line needs exactly one of 'unit_price' or 'discount'")
        return self


class Commitment(Strict):
    feature: Identifier
    due: RoadmapDate | None = None
    clause: str | None = None


class ClauseText(Strict):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    text: Text


class Approval(Strict):
    rule: Identifier
    approver: Text
    by: str | None = None
    on: ISODate | None = None
    ref: str | None = None
    fingerprint: Annotated[str, Field(pattern=r"^[0-9a-f]{4,64}$")] | None = None


class Waiver(Strict):
    rule: Identifier
    reason: Text
    approved_by: Text
    expires: ISODate | None = None


class DealBody(DocumentModel):
    """Everything a deal says; :class:`Deal` adds ``kind`` and a required ``id``."""

    id: Identifier = "test-deal"
    customer: Customer
    deployment_countries: tuple[CountryCode, ...] | None = None
    currency: CurrencyCode
    start_date: ISODate
    term_months: Annotated[int, Field(ge=1, le=1200)]
    payment_terms_days: Annotated[int, Field(ge=0, le=3650)] | None = None
    date_format: Literal["dmy", "mdy"] = "dmy"
    free_months: Annotated[int, Field(ge=0)] = 0
    partner: Partner | None = None
    lines: tuple[Line, ...] = ()
    lines_file: str | None = None
    commitments: tuple[Commitment, ...] = ()
    sla_uptime: Percent | None = None
    clauses: tuple[ClauseText, ...] = ()
    clauses_file: str | None = None
    approvals: tuple[Approval, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    # Where the deal is: a signed deal's promises are obligations, an open one's risks.
    stage: Literal["draft", "open", "signed"] = "open"
    owner: Text | None = None  # who to call about the deal (free text)

    @field_validator("term_months")
    @classmethod
    def _ends_by_year_9999(cls, term: int, info: ValidationInfo) -> int:
        from dealcheck.pricing import add_months

        start = info.data.get("start_date")
        if isinstance(start, date):
            try:
                add_months(start, term)
            except (ValueError, OverflowError):  # a date past 9999-12-31 cannot exist
                raise ValueError(
                    f"the contract would end after the year 9999 ({start} plus {term} months)"
                ) from None
        return term

    @field_validator("clauses", mode="before")
    @classmethod
    def _plain_clauses(cls, value: Any) -> Any:
        """A clause may be plain text: the n-th entry of the list is then clause "n"."""
        if isinstance(value, list | tuple):
            return [
                {"id": str(n), "text": item} if isinstance(item, str) else item
                for n, item in enumerate(value, 1)
            ]
        return value

    @model_validator(mode="after")
    def _free_within_term(self) -> DealBody:
        if self.free_months >= self.term_months:
            raise ValueError(
                f"free_months ({self.free_months}) must be less than term_months ({self.term_months})"
            )
        return self

    @property
    def end_date(self) -> date:
        """The day the contract ends: ``start_date`` plus ``term_months``."""
        from dealcheck.pricing import add_months

        return add_months(self.start_date, self.term_months)

    @property
    def countries(self) -> tuple[str, ...]:
        """Deal countries: bill-to, deployment and partner countries, in that order, once each."""
        seen: dict[str, None] = {self.customer.country: None}
        for c in self.deployment_countries or ():
            seen[c] = None
        if self.partner:
            seen[self.partner.country] = None
        return tuple(seen)


class Deal(DealBody):
    kind: Literal["Deal"]
    id: Identifier


# -- Rule sets -----------------------------------------------------------------------------


class Rule(Strict):
    id: Identifier
    scope: Scope = "deal"
    when: Annotated[Text, Field(max_length=2000)]
    severity: Severity = "warning"
    approver: Text | None = None
    category: str = "policy"
    message: str | None = None
    fix: str | None = None
    description: str | None = None
    enabled: Flag = True

    @model_validator(mode="after")
    def _approver_for_approval(self) -> Rule:
        if self.severity == "approval" and not self.approver:
            raise ValueError("a rule with severity 'approval' needs an 'approver'")
        return self


class BuiltinOverride(Strict):
    severity: Severity | None = None
    approver: Text | None = None
    enabled: Flag | None = None


class RuleTest(Strict):
    name: Identifier
    deal: DealBody
    today: ISODate | None = None
    expect: tuple[Identifier, ...] = ()
    expect_not: tuple[Identifier, ...] = ()


class RuleSet(DocumentModel):
    kind: Literal["RuleSet"]
    id: Identifier
    description: str | None = None
    min_deal_margin: Fraction | None = None
    # Who may approve, lowest authority first (``dealcheck lint`` checks escalation and names).
    approvers: tuple[Text, ...] | None = None
    builtin: dict[Identifier, BuiltinOverride] = {}
    rules: tuple[Rule, ...] = ()
    tests: tuple[RuleTest, ...] = ()


CatalogDocument = Regions | FxRates | Product | RuleSet

KINDS: dict[str, type[DocumentModel]] = {
    "Regions": Regions,
    "FxRates": FxRates,
    "Product": Product,
    "RuleSet": RuleSet,
    "Deal": Deal,
}
CATALOG_KINDS = ("Regions", "FxRates", "Product", "RuleSet")


def model_for(kind: Any) -> type[DocumentModel] | None:
    return KINDS.get(kind) if isinstance(kind, str) else None
