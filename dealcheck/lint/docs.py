"""What each ``dealcheck lint`` finding means: the text ``dealcheck explain ID`` shows and
SARIF's rule help. Kept apart from the analyses so ``explain`` imports nothing heavy."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class LintDoc:
    id: str
    severity: str  # error | warning | info
    summary: str
    body: str

    def text(self) -> str:
        head = f"{self.id} (dealcheck lint; severity: {self.severity})"
        return f"{head}\n\n{self.summary}\n\n{textwrap.dedent(self.body).strip()}\n"


_DOCS: Final = [
    LintDoc(
        "lint-never-fires",
        "error",
        "A rule's condition can never be true for any deal the models allow.",
        """
        What it does:
            Reads the rule's `when:` as intervals of exact decimals per field and finds
            that no value makes it true: a contradiction (`line.discount > 0.5 and
            line.discount < 0.4`), or values the models forbid (a discount above 1, a
            negative quantity, payment terms of 60.5 days).

        Why it matters:
            The author meant the rule to catch something. A rule that never fires lets
            every deal through silently, and its tests rarely notice.

        Example:
            when: line.discount > 0.5 and line.discount < 0.4   # meant: > 0.4 and <= 0.5

        How to fix:
            Correct the bounds (usually swapped or a typo), or delete the rule.
        """,
    ),
    LintDoc(
        "lint-shadowed",
        "warning",
        "Every deal a rule fires for already gets a finding from another rule of the same "
        "scope, with the same or a higher severity and the same approver.",
        """
        What it does:
            Proves that rule A's condition implies rule B's (same scope, B's severity at
            least A's, same approver), so A adds nothing but a duplicate finding.

        Why it matters:
            Duplicates double the approvals to record and hide the intent: usually one of
            the two conditions was meant to be narrower.

        Example:
            discount-over-35 (line.discount > 0.35, VP Sales) inside
            discount-needs-vp (line.discount > 0.30, VP Sales)

        How to fix:
            Delete the redundant rule, or narrow one of the two so each covers its own
            band.
        """,
    ),
    LintDoc(
        "lint-band-gap",
        "error",
        "Between the lowest and the highest approval band of a quantity, some values are "
        "covered by no rule.",
        """
        What it does:
            For each numeric quantity that approval (and blocker) rules split into bands
            (line discount, effective discount, margin, payment terms, deal total, term),
            lists the values between the lowest and highest band that no rule covers.
            Ends are exact: `> 0.30` in one rule and `> 0.30` in the next leaves exactly
            0.30 uncovered; whole-number quantities (days, months) have no gap between
            `<= 60` and `> 60`.

        Why it matters:
            A deal in the gap needs nobody's approval, although a smaller and a larger
            value both do: the matrix has a hole a rep can find.

        Example:
            discount-needs-manager: line.discount > 0.20 and line.discount < 0.30
            discount-needs-vp:      line.discount > 0.30
            a discount of exactly 0.30 needs no approval

        How to fix:
            Make each band start where the previous one ends: `<= 0.30` then `> 0.30`.
        """,
    ),
    LintDoc(
        "lint-band-overlap",
        "error",
        "Two approval bands of one quantity with different approvers (or an approval and a "
        "blocker) both cover some values.",
        """
        What it does:
            Finds values of a quantity that fall in the bands of two rules routed to
            different approvers (or to an approver and a blocker).

        Why it matters:
            A deal at exactly that value needs two approvals, or is both approvable and
            blocked: the desk does not know who decides.

        Example:
            discount-needs-manager: line.discount <= 0.30   (Sales Manager)
            discount-needs-vp:      line.discount >= 0.30   (VP Sales)
            exactly 0.30 needs both

        How to fix:
            Make one end open: `<= 0.30` and `> 0.30`.
        """,
    ),
    LintDoc(
        "lint-escalation-inversion",
        "error",
        "A riskier value of a quantity is routed to a lower approver than a less risky one.",
        """
        What it does:
            With the RuleSet's `approvers:` ranking (lowest first), compares the bands of
            each quantity: a higher discount, longer payment terms or term, a larger
            total or partner margin, or a lower margin must never need a lower approver
            (a blocker ranks above everyone).

        Why it matters:
            The rep gets the bigger discount approved by the smaller authority: the
            matrix rewards asking for more.

        Example:
            approvers: [Sales Manager, VP Sales, CFO]
            line.discount > 0.20 and <= 0.30 → CFO; line.discount > 0.30 → Sales Manager

        How to fix:
            Swap the approvers, or fix the bands, so authority rises with the risk.
        """,
    ),
    LintDoc(
        "lint-unknown-approver",
        "error",
        "An approver named in a rule, a built-in override or a deal's approvals is not in "
        "any RuleSet's `approvers:` ranking.",
        """
        What it does:
            Compares every approver name (rules, `builtin:` overrides, the approvers the
            built-in checks route to, and `approvals:` of rule-test deals and of deals
            given to `dealcheck lint`) with the declared rankings, exactly, and suggests
            the nearest known name.

        Why it matters:
            Approvals match by exact name: a finding routed to "VP sales" is never
            approved by the "VP Sales" entry, and nobody owns that queue.

        Example:
            approvers: [Sales Manager, VP Sales, CFO]
            approver: VP sales

        How to fix:
            Use the name exactly as ranked, or add the approver to `approvers:`.
        """,
    ),
    LintDoc(
        "lint-no-ranking",
        "info",
        "A RuleSet with approval rules declares no `approvers:` ranking, so escalation "
        "cannot be judged.",
        """
        What it does:
            Notes each RuleSet that routes findings to approvers without saying who ranks
            above whom. Escalation inversions and unknown approvers are then not checked.

        Why it matters:
            Without a ranking, lint cannot tell a 45 % discount routed to the Sales
            Manager from one routed to the CFO.

        Example:
            kind: RuleSet
            approvers: [Sales Manager, VP Sales, Finance, CFO]   # lowest first

        How to fix:
            Add `approvers:` (lowest authority first) to the RuleSet.
        """,
    ),
]

LINT_DOCS: Final[dict[str, LintDoc]] = {doc.id: doc for doc in _DOCS}


def explain_lint(finding_id: str) -> str | None:
    """The explanation of a lint finding id, or None."""
    doc = LINT_DOCS.get(finding_id)
    return doc.text() if doc else None
