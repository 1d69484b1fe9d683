"""Headroom: how far a rep can go on each line of a deal before someone must approve.

``dealcheck quote DEAL`` answers "with a 20 % partner and 3 free months, how low can I go
before I need the VP, and where is the floor?" from the catalog's own rules, for this
deal's partner margin, free months, currency and term. :func:`headroom` computes it; the
renderers in :mod:`dealcheck.quote.render` show it.
"""

from __future__ import annotations

from dealcheck.quote.headroom import Headroom, LineHeadroom, Need, PriceBand, headroom

__all__ = ["Headroom", "LineHeadroom", "Need", "PriceBand", "headroom"]
