"""Built-in checks: one module per family, all registered in :data:`REGISTRY`.

Every check is listed in docs/formats.md#built-in-checks.

Adding a check: write a function in the family's module, decorate it with
``@check(ID, category, default_severity, default_approver)``, give it a docstring with
the headings *What it does / Why it matters / Example / How to fix*, add a case file
under ``tests/checks/cases/``, a row in docs/formats.md (``tests/test_formats_doc.py``
checks it) and a CHANGELOG line.
"""

from __future__ import annotations

from dealcheck.checks import approvals, data, features, margins, regions, sla
from dealcheck.checks.base import DOC_HEADINGS, REGISTRY, Check

__all__ = ["BUILTIN_IDS", "DOC_HEADINGS", "FAMILIES", "REGISTRY", "Check"]

FAMILIES = (data, features, regions, margins, sla, approvals)
BUILTIN_IDS: tuple[str, ...] = tuple(REGISTRY)
