"""Waivers and approvals: how the decisions recorded on a deal change its findings'
statuses (SPEC §7). They change statuses only, never which findings exist; the two
findings they can add themselves (an expired waiver, a stale pinned approval) are the
engine's own checks, :data:`ENGINE_CHECKS`.
"""

from __future__ import annotations

from datetime import date

from dealcheck.checks.base import DealContext

__all__ = ["ENGINE_CHECKS", "apply_approvals", "apply_waivers"]

#: Built-in checks the engine runs itself, after every other check and rule.
ENGINE_CHECKS = ("waiver-expired", "approval-stale")


def apply_waivers(ctx: DealContext, today: date) -> None:
    """Waive the open findings of each waiver's rule; an expired waiver waives nothing and
    is itself a ``waiver-expired`` finding."""
    for i, waiver in enumerate(ctx.deal.waivers):
        if waiver.expires is not None and waiver.expires < today:
            ctx.emit(
                "waiver-expired",
                message=f"Waiver for {waiver.rule} expired on {waiver.expires}; it is ignored",
                location=ctx.source.locate(("waivers", i, "expires")),
                subject=f"waiver:{i}:{waiver.rule}",
                trigger=(waiver.expires,),
                evidence={
                    "rule": waiver.rule,
                    "expires": waiver.expires,
                    "approved_by": waiver.approved_by,
                },
                fix=f"Renew the waiver with {waiver.approved_by} or fix what it waived.",
            )
            continue
        for finding in ctx.findings:
            if finding.rule == waiver.rule and finding.is_open:
                finding.status = "waived"
                finding.status_note = f"waived by {waiver.approved_by}: {waiver.reason}"


def apply_approvals(ctx: DealContext) -> None:
    """Approve the open approval findings each approval names (its rule, its approver, and
    its fingerprint when pinned); a pin that matches no finding is ``approval-stale``."""
    for i, approval in enumerate(ctx.deal.approvals):
        matched_pin = False
        for finding in ctx.findings:
            if finding.rule != approval.rule:
                continue
            if approval.fingerprint is not None:
                if finding.fingerprint != approval.fingerprint:
                    continue
                matched_pin = True
            if (
                finding.severity == "approval"
                and finding.is_open
                and (finding.approver or "").casefold() == approval.approver.casefold()
            ):
                finding.status = "approved"
                who = f" by {approval.by}" if approval.by else ""
                when = f" on {approval.on}" if approval.on else ""
                ref = f" ({approval.ref})" if approval.ref else ""
                finding.status_note = f"approved{who} for {approval.approver}{when}{ref}"
        if approval.fingerprint is not None and not matched_pin:
            ctx.emit(
                "approval-stale",
                message=f"Approval of {approval.rule} by {approval.approver} is pinned to "
                f"{approval.fingerprint}, which matches no finding now: the deal changed "
                "since it was approved",
                location=ctx.source.locate(("approvals", i, "fingerprint")),
                subject=f"approval:{i}:{approval.rule}",
                trigger=(approval.fingerprint,),
                evidence={
                    "rule": approval.rule,
                    "approver": approval.approver,
                    "fingerprint": approval.fingerprint,
                },
                fix="Ask the approver to approve the current finding and record its new fingerprint.",
            )
