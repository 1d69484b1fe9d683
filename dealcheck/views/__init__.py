"""Views across many deals: the promise register (:mod:`~dealcheck.views.promises`).

A view checks deals with the one :class:`~dealcheck.engine.Engine` (pricing, checks and
commitments are never computed a second way) and summarises them; its renderers live
in :mod:`dealcheck.report` and import a view's types only for type checking, so a view
never imports its renderer and no import goes in a circle.
"""
