"""Feature checks: a contract may promise only what is built, bought, on time and allowed.

Commitments come from the deal's ``commitments:`` and from clause analysis; a finding
from a clause carries the clause id and the matched text as evidence.
"""

from __future__ import annotations

from dealcheck.checks.base import DealContext, check
from dealcheck.checks.commitments import evidence_of, subject_of, tracked_suffix, where_of
from dealcheck.models import Feature

NOT_YET_GA = ("planned", "preview", "beta")


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
            + tracked_suffix(c),
            location=c.location,
            subject=subject_of(c),
            trigger=(c.feature,),
            evidence=evidence_of(c, suggestion=hint),
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
    for c, entry in ctx.known_commitments():
        f = entry.feature
        if f.status in NOT_YET_GA and not f.is_committable:
            when = f" (target {f.target})" if f.target else ""
            ctx.emit(
                "feature-not-built",
                message=f"{where_of(c).capitalize()} commits to {f.name} ({f.id}), which is "
                f"{f.status}{when} and not committable" + tracked_suffix(c),
                location=c.location,
                subject=subject_of(c),
                trigger=(f.status, c.due),
                evidence=evidence_of(c, status=f.status, target=f.target),
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
    for c, entry in ctx.known_commitments():
        f = entry.feature
        if f.target is not None and f.status in NOT_YET_GA and c.due < f.target:
            ctx.emit(
                "feature-late",
                message=f"{f.name} ({f.id}) is promised by {c.due} in {where_of(c)}, "
                f"before its roadmap target {f.target}" + tracked_suffix(c),
                location=c.location,
                subject=subject_of(c),
                trigger=(c.due, f.target),
                evidence=evidence_of(c, target=f.target),
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
    for c, entry in ctx.known_commitments():
        f = entry.feature
        late = f.target is not None and c.due < f.target
        if f.status in NOT_YET_GA and f.is_committable and not late:
            ctx.emit(
                "feature-roadmap-commitment",
                message=f"Commitment to roadmap feature {f.name} ({f.id}, {f.status}) "
                f"due {c.due} needs approval" + tracked_suffix(c),
                location=c.location,
                subject=subject_of(c),
                trigger=(c.due, f.target),
                evidence=evidence_of(c, status=f.status, target=f.target),
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
    for c, entry in ctx.known_commitments():
        if entry.feature.status == "retired":
            ctx.emit(
                "feature-retired",
                message=f"{where_of(c).capitalize()} commits to {entry.feature.name} "
                f"({entry.feature.id}), which is retired" + tracked_suffix(c),
                location=c.location,
                subject=subject_of(c),
                trigger=("retired",),
                evidence=evidence_of(c, status="retired"),
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
    committed: set[str] = set()
    for c, entry in ctx.known_commitments():
        f = entry.feature
        if not _retiring(f) or f.end_of_life is None or not f.end_of_life < ctx.end_date:
            continue
        end = ctx.end_date
        committed.add(f.id)
        ctx.emit(
            "feature-retiring",
            message=f"{f.name} ({f.id}) is committed but reaches end of life on "
            f"{f.end_of_life}, before the contract ends on {end}" + tracked_suffix(c),
            location=c.location,
            subject=subject_of(c),
            trigger=(f.end_of_life, end),
            evidence=evidence_of(c, end_of_life=f.end_of_life, contract_end=end),
            fix=f"Support {f.name} until {end}, or plan and document the customer's migration.",
        )
    # included features: each SKU's retiring ones come from the catalog index, and a
    # feature counts once, for the first line whose SKU brings it
    seen: set[str] = set()
    for line, facts in zip(ctx.lines, ctx.line_facts(), strict=True):
        if facts is None or facts.first_end_of_life is None:
            continue
        if not facts.first_end_of_life < ctx.end_date:
            continue  # nothing it brings ends before the contract does, whichever SKU
        for entry2 in facts.retiring:
            f = entry2.feature
            if f.id in seen:
                continue
            seen.add(f.id)
            if f.id in committed or f.end_of_life is None or not f.end_of_life < ctx.end_date:
                continue
            end = ctx.end_date
            ctx.emit(
                "feature-retiring",
                message=f"{f.name} ({f.id}), included in {facts.sku}, reaches end of life on "
                f"{f.end_of_life}, before the contract ends on {end}",
                location=ctx.line_location(line.index, "sku"),
                subject=f"included:{f.id}",
                trigger=(f.end_of_life, end),
                evidence={
                    "feature": f.id,
                    "sku": facts.sku,
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
    for c, entry in ctx.known_commitments():
        f = entry.feature
        if f.status == "retired":
            continue
        included = ctx.included_ids()
        if f.id in included:
            continue
        sellers = ctx.catalog.skus_with_feature(f.id)
        ctx.emit(
            "feature-not-in-edition",
            message=f"{f.name} ({f.id}) is committed but no edition or add-on on the quote "
            "includes it" + tracked_suffix(c),
            location=c.location,
            subject=subject_of(c),
            trigger=tuple(sorted(included)),
            evidence=evidence_of(c, sold_by=", ".join(sellers[:5]) or None),
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
    codes = ctx.country_codes()
    index = ctx.catalog_index
    done: set[tuple[str, str]] = set()
    for c, entry in ctx.known_commitments():
        facts = index.feature(entry)
        if codes.isdisjoint(facts.restricted):
            continue  # restricted in no deal country (or nowhere)
        for restriction, where in facts.restricted_in:
            for country, _where_loc, role in ctx.countries():
                if country not in where:
                    continue
                done.add((entry.feature.id, country))
                ctx.emit(
                    "feature-restricted",
                    message=f"{entry.feature.name} ({entry.feature.id}) is committed but "
                    f"restricted in {country} ({role}): {restriction.reason}" + tracked_suffix(c),
                    location=c.location,
                    subject=f"{subject_of(c)}:{country}",
                    trigger=(country,),
                    evidence=evidence_of(c, country=country, reason=restriction.reason),
                    fix=f"Remove the commitment for {country}"
                    + (
                        f" or get {restriction.approver}'s approval."
                        if restriction.approver
                        else "."
                    ),
                    severity=restriction.severity,
                    approver=restriction.approver,
                )
    # included features: each SKU's restricted ones come from the catalog index, and a
    # feature counts once, for the first line whose SKU brings it
    seen: set[str] = set()
    for line_facts in ctx.line_facts():
        if line_facts is None or codes.isdisjoint(line_facts.restricted_features_in):
            continue  # none of its features is restricted in a deal country, whichever SKU
        sku = line_facts.sku
        for facts in line_facts.restricted_features:
            feature = facts.entry.feature
            feature_id = feature.id
            if feature_id in seen:
                continue
            seen.add(feature_id)
            for restriction, where in facts.restricted_in:
                for country, where_loc, role in ctx.countries():
                    if country not in where or (feature_id, country) in done:
                        continue
                    done.add((feature_id, country))
                    ctx.emit(
                        "feature-restricted",
                        message=f"{feature.name} ({feature_id}), included in {sku}, is "
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
                        fix=f"Make sure {feature.name} is switched off for users in {country}.",
                        severity="warning",
                    )
