"""``dealcheck promises``: what sales has promised, to whom, by when — a promise register
for product managers.

Every deal is checked by the one :class:`~dealcheck.engine.Engine`; its result carries
the deal's commitments (``commitments:`` and those found in the contract's clauses,
with the tracked change that made a clause a promise), its total and its verdict. Each
commitment becomes a :class:`Promise`, and promises are grouped by feature with the
feature's roadmap facts, the value that rides on them and what puts them at risk.

In the order data flows:

* :mod:`~dealcheck.views.promises.model` — the data model: deals' facts, promises,
  features' roadmap facts, the register's rows and values (:class:`PromiseReport`);
* :mod:`~dealcheck.views.promises.collect` — from a checked deal to its promises, valued
  in the catalog's base currency;
* :mod:`~dealcheck.views.promises.risk` — the risk flags of a promise, and the promises a
  catalog change makes late (``dealcheck impact``);
* :mod:`~dealcheck.views.promises.register` — deals streamed through, promises grouped
  by feature, flagged and totalled; ``--move`` what-ifs; :func:`run_promises`.

Every name is importable from here.
"""

from __future__ import annotations

from dealcheck.views.promises.collect import TWELVE, Valuation, promises_of
from dealcheck.views.promises.model import (
    FLAG_TEXT,
    FLAGS,
    DealFacts,
    FeatureLine,
    FeatureState,
    Move,
    Promise,
    PromiseReport,
    PromiseRow,
    Value,
    value_of,
)
from dealcheck.views.promises.register import (
    MAX_KEPT_PROBLEMS,
    STAGES,
    PromiseError,
    PromiseRegister,
    parse_moves,
    run_promises,
)
from dealcheck.views.promises.risk import (
    DEFAULT_AT_RISK_DAYS,
    NOT_YET_GA,
    LatePromise,
    flags_of,
    is_late,
    made_late,
)

__all__ = [
    "DEFAULT_AT_RISK_DAYS",
    "FLAGS",
    "FLAG_TEXT",
    "MAX_KEPT_PROBLEMS",
    "NOT_YET_GA",
    "STAGES",
    "TWELVE",
    "DealFacts",
    "FeatureLine",
    "FeatureState",
    "LatePromise",
    "Move",
    "Promise",
    "PromiseError",
    "PromiseRegister",
    "PromiseReport",
    "PromiseRow",
    "Valuation",
    "Value",
    "flags_of",
    "is_late",
    "made_late",
    "parse_moves",
    "promises_of",
    "run_promises",
    "value_of",
]
