"""Feature checks: a contract may promise only what is built, bought, on time and allowed.

Commitments come from the deal's ``commitments:`` and from clause analysis; a finding
from a clause carries the clause id and the matched text as evidence.
"""

from __future__ import annotations

from typing import Any

from dealcheck.catalog import FeatureEntry
from dealcheck.checks.base import CommitmentRef, DealContext, check
from dealcheck.clauses.model import Revision
from dealcheck.models import Feature

NOT_YET_GA = ("planned", "preview", "beta")


def _revision(c: CommitmentRef) -> Revision | None:
    revision = c.revision  # set on commitments inferred from a redlined clause
    return revision if isinstance(revision, Revision) else None


def _tracked(c: CommitmentRef) -> str:
    """The message suffix of a commitment made by a tracked change ("" if none)."""
    from dealcheck.contract import tracked_change

    return tracked_change(_revision(c))


def _evidence(c: CommitmentRef, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "feature": c.feature,
        "due": c.due,
        "clause": c.clause,
        "source": c.source,
    }
    if c.text:
        out["text"] = c.text
    if c.evidence:
        out["matched"] = c.evidence
    revision = _revision(c)
    if revision is not None:
        from dealcheck.contract import tracked_evidence

        out.update(tracked_evidence(revision))
    out.update(extra)
    return out


def _subject(c: CommitmentRef) -> str:
    return f"feature:{c.feature}:{c.clause or c.index}"


def _known(ctx: DealContext) -> list[tuple[CommitmentRef, FeatureEntry]]:
    return [
        (c, ctx.catalog.features[c.feature])
        for c in ctx.commitments
        if c.feature in ctx.catalog.features
    ]


def _where(c: CommitmentRef) -> str:
    return f"clause {c.clause}" if c.source == "clause" and c.clause else "the contract"


@check("feature-unknown", "feature", "blocker")
def feature_unknown(ctx: DealContext) -> None:
    """A commitment names a feature the catalog does not know.

    What it does:
        Looks up each committed feature id and suggests the nearest catalog feature
        (by id, name or alias).

    Why it matters:
        Nobody can say whether an unknown feature exists, is on the roadmap or is
        allowed: the promise cannot be checked, so it must not be signed unchecked.

    Example:
        commitments: [{feature: sso-saml2}]   # the catalog has sso-saml

    How to fix:
        Use the catalog's feature id (``dealcheck catalog features``), or ask Product
        to add the feature to the catalog.
    """
    features = ctx.catalog.features
    for c in ctx.commitments:
        if c.feature in features:
            continue
        hint = ctx.catalog_index.suggest("feature", c.feature)
        ctx.emit(
            "feature-unknown",
            message=f"Commitment to unknown feature '{c.feature}'"
            + (f" (did you mean {hint}?)" if hint else "")
            + _tracked(c),
            location=c.location,
            subject=_subject(c),
            trigger=(c.feature,),
            evidence=_evidence(c, suggestion=hint),
            fix=f"Use the catalog id {hint}." if hint else "Use a feature id from the catalog.",
        )


@check("feature-not-built", "feature", "blocker")
def feature_not_built(ctx: DealContext) -> None:
    """The contract commits to a feature that is not built and may not be promised.

    What it does:
        Reports a commitment to a ``planned``, ``preview`` or ``beta`` feature that is
        not ``committable`` in the catalog.

    Why it matters:
        This is the classic promise-but-unbuilt failure: sales signs, engineering
        learns of the date afterwards, and the company owes a feature it may never ship.

    Example:
        commitments: [{feature: eu-data-residency, due: 2027-03-31}]  # status: planned

    How to fix:
        Remove the commitment, or replace it with roadmap language ("if and when
        generally available"); if Product agrees to commit, they mark the feature
        ``committable: true`` in the catalog.
    """
    for c, entry in _known(ctx):
        f = entry.feature
        if f.status in NOT_YET_GA and not f.is_committable:
            when = f" (target {f.target})" if f.target else ""
            ctx.emit(
                "feature-not-built",
                message=f"{_where(c).capitalize()} commits to {f.name} ({f.id}), which is "
                f"{f.status}{when} and not committable" + _tracked(c),
                location=c.location,
                subject=_subject(c),
                trigger=(f.status, c.due),
                evidence=_evidence(c, status=f.status, target=f.target),
                fix=f"Remove the commitment to {f.name} or make it conditional "
                "('if and when generally available'); Product decides whether it can be committed.",
            )


@check("feature-late", "feature", "blocker")
def feature_late(ctx: DealContext) -> None:
    """A commitment is due before the feature's roadmap target.

    What it does:
        Compares each commitment's ``due`` date (from ``commitments:`` or the clause
        text; ``start_date`` when none is given) with the feature's ``target``.

    Why it matters:
        Promising a date earlier than the roadmap means a breach on the due date, or
        engineering re-planned around one customer.

    Example:
        due: 2027-03-31 for a feature with target: 2027-Q2 (2027-06-30)

    How to fix:
        Move the due date to on or after the target, or get Product to bring the
        target forward first.
    """
    for c, entry in _known(ctx):
        f = entry.feature
        if f.target is not None and f.status in NOT_YET_GA and c.due < f.target:
            ctx.emit(
                "feature-late",
                message=f"{f.name} ({f.id}) is promised by {c.due} in {_where(c)}, "
                f"before its roadmap target {f.target}" + _tracked(c),
                location=c.location,
                subject=_subject(c),
                trigger=(c.due, f.target),
                evidence=_evidence(c, target=f.target),
                fix=f"Move the due date to {f.target} or later.",
            )


@check("feature-roadmap-commitment", "feature", "approval", "Product")
def feature_roadmap_commitment(ctx: DealContext) -> None:
    """The contract commits to a committable roadmap feature: Product signs off.

    What it does:
        Reports a commitment to a not-yet-GA feature that the catalog marks
        ``committable: true``, due on or after its target.

    Why it matters:
        Product has said the feature may be promised, but every such promise is a
        dated obligation on the roadmap: the product owner must know it exists.

    Example:
        commitments: [{feature: scim-provisioning, due: 2027-09-30}]  # beta, committable

    How to fix:
        Get the approval of the approver shown (Product by default) and record it
        under ``approvals:``.
    """
    for c, entry in _known(ctx):
        f = entry.feature
        late = f.target is not None and c.due < f.target
        if f.status in NOT_YET_GA and f.is_committable and not late:
            ctx.emit(
                "feature-roadmap-commitment",
                message=f"Commitment to roadmap feature {f.name} ({f.id}, {f.status}) "
                f"due {c.due} needs approval" + _tracked(c),
                location=c.location,
                subject=_subject(c),
                trigger=(c.due, f.target),
                evidence=_evidence(c, status=f.status, target=f.target),
                fix="Record the approval under approvals: once obtained.",
            )


@check("feature-retired", "feature", "blocker")
def feature_retired(ctx: DealContext) -> None:
    """The contract commits to a feature that no longer exists.

    What it does:
        Reports a commitment to a feature whose status is ``retired``.

    Why it matters:
        A retired feature cannot be delivered at all: the promise is broken on the
        day it is signed.

    Example:
        commitments: [{feature: classic-dashboards}]   # status: retired

    How to fix:
        Remove the commitment, or commit to the feature that replaced it.
    """
    for c, entry in _known(ctx):
        if entry.feature.status == "retired":
            ctx.emit(
                "feature-retired",
                message=f"{_where(c).capitalize()} commits to {entry.feature.name} "
                f"({entry.feature.id}), which is retired" + _tracked(c),
                location=c.location,
                subject=_subject(c),
                trigger=("retired",),
                evidence=_evidence(c, status="retired"),
                fix="Remove the commitment or promise the feature that replaced it.",
            )


def _retiring(feature: Feature) -> bool:
    """Has the feature an end of life a deal can run past? A retired feature has ended
    (``feature-retired``); any other status with an ``end_of_life`` is going away."""
    return feature.status != "retired"


@check("feature-retiring", "feature", "approval", "Product")
def feature_retiring(ctx: DealContext) -> None:
    """A feature the deal relies on reaches end of life before the contract ends.

    What it does:
        For each feature with an ``end_of_life`` (deprecated ones must have one; a
        date left on a feature of another status counts too, unless it is retired)
        that is committed (approval, Product) or only included in what is bought
        (warning), compares its ``end_of_life`` with the contract end
        (``start_date`` + ``term_months``).

    Why it matters:
        The customer will lose something they bought or were promised during the
        term: a renewal fight or a breach.

    Example:
        legacy-reports-api with end_of_life: 2027-06-30 in a 36-month deal from 2027-01-01

    How to fix:
        Shorten the term, plan the customer's migration (and waive with a reason),
        or get Product's approval to support the feature until the contract ends.
    """
    end = ctx.deal.end_date
    committed: set[str] = set()
    for c, entry in _known(ctx):
        f = entry.feature
        if _retiring(f) and f.end_of_life is not None and f.end_of_life < end:
            committed.add(f.id)
            ctx.emit(
                "feature-retiring",
                message=f"{f.name} ({f.id}) is committed but reaches end of life on "
                f"{f.end_of_life}, before the contract ends on {end}" + _tracked(c),
                location=c.location,
                subject=_subject(c),
                trigger=(f.end_of_life, end),
                evidence=_evidence(c, end_of_life=f.end_of_life, contract_end=end),
                fix=f"Support {f.name} until {end}, or plan and document the customer's migration.",
            )
    deprecated = ctx.catalog_index.deprecated()  # the only features this can apply to
    for feature_id, sku in ctx.included_features().items():
        if feature_id not in deprecated:
            continue
        entry2 = ctx.catalog.features.get(feature_id)
        if entry2 is None or feature_id in committed:
            continue
        f = entry2.feature
        if _retiring(f) and f.end_of_life is not None and f.end_of_life < end:
            line = next(ln for ln in ctx.lines if ln.sku == sku)
            ctx.emit(
                "feature-retiring",
                message=f"{f.name} ({f.id}), included in {sku}, reaches end of life on "
                f"{f.end_of_life}, before the contract ends on {end}",
                location=ctx.line_location(line.index, "sku"),
                subject=f"included:{f.id}",
                trigger=(f.end_of_life, end),
                evidence={
                    "feature": f.id,
                    "sku": sku,
                    "end_of_life": f.end_of_life,
                    "contract_end": end,
                },
                fix=f"Tell the customer {f.name} ends on {f.end_of_life} and plan the migration.",
                severity="warning",
            )


@check("feature-not-in-edition", "feature", "blocker")
def feature_not_in_edition(ctx: DealContext) -> None:
    """The contract commits to a feature the customer is not buying.

    What it does:
        Checks that every committed feature is included in an edition (with the
        editions it builds on) or an add-on SKU on the quote.

    Why it matters:
        Promising an Enterprise feature on a Standard quote gives the feature away, or
        sets up a dispute when the customer finds it missing.

    Example:
        A Standard-edition quote whose contract commits to sso-saml (Enterprise only)

    How to fix:
        Add the edition or add-on SKU that includes the feature, or remove the
        commitment.
    """
    included = ctx.included_features()
    for c, entry in _known(ctx):
        f = entry.feature
        if f.id in included or f.status == "retired":
            continue
        sellers = ctx.catalog.skus_with_feature(f.id)
        ctx.emit(
            "feature-not-in-edition",
            message=f"{f.name} ({f.id}) is committed but no edition or add-on on the quote "
            "includes it" + _tracked(c),
            location=c.location,
            subject=_subject(c),
            trigger=tuple(sorted(included)),
            evidence=_evidence(c, sold_by=", ".join(sellers[:5]) or None),
            fix=f"Add a SKU that includes it ({', '.join(sellers[:3])}) or remove the commitment."
            if sellers
            else "Remove the commitment: no SKU sells this feature.",
        )


@check("feature-restricted", "region", "blocker")
def feature_restricted(ctx: DealContext) -> None:
    """A committed or included feature is restricted in a deal country.

    What it does:
        Matches every deal country (customer, deployment and partner countries) with
        the ``restricted_in`` entries of each committed feature (the restriction's
        severity, blocker by default) and of each feature included in what is bought
        (a warning: the feature must be switched off there).

    Why it matters:
        Some features may not be offered in some places (an AI assistant not yet
        assessed under the EU AI Act): promising it there is a legal exposure.

    Example:
        deployment_countries: [DE] and a commitment to ai-assistant, restricted in EU

    How to fix:
        Remove the commitment for that country, or get the restriction's approver to
        clear it; for an included feature, make sure it is disabled there.
    """
    done: set[tuple[str, str]] = set()
    for c, entry in _known(ctx):
        for restriction in entry.feature.restricted_in:
            for country, _where_loc, role in ctx.countries_in(restriction.where):
                done.add((entry.feature.id, country))
                ctx.emit(
                    "feature-restricted",
                    message=f"{entry.feature.name} ({entry.feature.id}) is committed but "
                    f"restricted in {country} ({role}): {restriction.reason}" + _tracked(c),
                    location=c.location,
                    subject=f"{_subject(c)}:{country}",
                    trigger=(country,),
                    evidence=_evidence(c, country=country, reason=restriction.reason),
                    fix=f"Remove the commitment for {country}"
                    + (
                        f" or get {restriction.approver}'s approval."
                        if restriction.approver
                        else "."
                    ),
                    severity=restriction.severity,
                    approver=restriction.approver,
                )
    restricted = ctx.catalog_index.restricted()  # the only features this can apply to
    for feature_id, sku in ctx.included_features().items():
        if feature_id not in restricted:
            continue
        entry2 = ctx.catalog.features.get(feature_id)
        if entry2 is None:
            continue
        for restriction in entry2.feature.restricted_in:
            for country, where_loc, role in ctx.countries_in(restriction.where):
                if (feature_id, country) in done:
                    continue
                done.add((feature_id, country))
                ctx.emit(
                    "feature-restricted",
                    message=f"{entry2.feature.name} ({feature_id}), included in {sku}, is "
                    f"restricted in {country} ({role}): {restriction.reason}",
                    location=where_loc,
                    subject=f"included:{feature_id}:{country}",
                    trigger=(country,),
                    evidence={
                        "feature": feature_id,
                        "sku": sku,
                        "country": country,
                        "reason": restriction.reason,
                    },
                    fix=f"Make sure {entry2.feature.name} is switched off for users in {country}.",
                    severity="warning",
                )
