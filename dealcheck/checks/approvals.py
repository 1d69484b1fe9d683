"""Checks on the deal's own paperwork: waivers that expired and approvals that went stale.

The engine performs these after all other findings exist (an approval can only be
stale against the findings it no longer matches); they are registered here so that
they are documented, explained and tunable like every other check.
"""

from __future__ import annotations

from dealcheck.checks.base import document

WAIVER_EXPIRED = """A waiver in the deal has expired; it is ignored.

What it does:
    Compares each entry of ``waivers:`` with ``--today``; an entry whose ``expires`` date
    is before today no longer waives anything and is reported.

Why it matters:
    Exceptions are granted for a time ("until the customer migrates in Q1"). A deal
    signed on an expired exception was never really approved.

Example:
    waivers: [{rule: feature-retiring, expires: 2026-10-31, ...}] checked on 2026-11-22

How to fix:
    Get the exception renewed with a new ``expires`` date, or fix what it waived.
"""

APPROVAL_STALE = """An approval pinned to a finding no longer matches: approve again.

What it does:
    An entry of ``approvals:`` with a ``fingerprint:`` approves only the finding with
    that fingerprint. When the deal changes (the rep raises the discount after the VP
    approved it) the finding gets a new fingerprint and the approval is reported stale.

Why it matters:
    An approval is for the deal the approver saw. Nothing changed, nothing to
    re-approve; something changed, approve again.

Example:
    approvals: [{rule: discount-needs-vp, approver: VP Sales, fingerprint: 3f9a0c12}]
    after the discount went from 32 % to 38 %

How to fix:
    Ask the approver to approve the current finding and record its new fingerprint
    (shown in the report), or remove the stale entry.
"""

document("waiver-expired", "data", "warning", None, WAIVER_EXPIRED)
document("approval-stale", "data", "warning", None, APPROVAL_STALE)
