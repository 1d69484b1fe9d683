"""Views across many deals: each checks deals with the one
:class:`~dealcheck.engine.Engine` (pricing, checks and commitments are never computed a
second way) and summarises them.

* :mod:`~dealcheck.views.promises` — the promise register (``dealcheck promises``);
* :mod:`~dealcheck.views.impact` — what a catalog change does to the deals
  (``dealcheck impact``): its report in :mod:`~dealcheck.views.impact_model`, the
  comparison of each deal under both catalogs (in worker processes with ``--jobs``) in
  :mod:`~dealcheck.views.impact_compare`, with :mod:`~dealcheck.views.catalogdiff` (the
  catalog diff and the causes of changed findings) and :mod:`~dealcheck.views.gitfiles`
  (the base catalog read from a git revision).

Their renderers live in :mod:`dealcheck.report` (``report/impact*.py``,
``report/promises*.py``: one module per format) and import a view's types only for
type checking: a view never imports its renderers, so no import goes in a circle.
"""
