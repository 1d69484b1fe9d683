"""Rendered deals written by the worker processes themselves, in input order.

With ``--jobs``, each worker renders the deals of its work units. Sending that text back
to the parent costs a pipe, a pickle and a second write per byte, all in the one process
that every worker waits on: about 9 KB per deal of JSON, a tenth of the parent's time for
nothing. So where the report goes to a file descriptor the workers inherited (stdout, the
``--output`` temp file), each worker writes its own units there, one at a time in input
order: the unit numbered ``n`` waits until unit ``n - 1`` is written. Only the deals'
stats travel back, for the summary the parent writes at the end.

The head of the report is written with the first deal, never before: a run that finds no
deals writes nothing (the CLI reports that as an error). Between two deals' texts goes
the format's separator, as :func:`~dealcheck.report.results.render_each` joins them.

A worker cannot wait on a unit no other worker holds: units are handed out in order, so
the lowest unit not yet written is always being checked. A worker that dies ends the run
(the parent stops every worker).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dealcheck.fdio import write_all
from dealcheck.report.results import Framing, RenderedDeals

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext


@dataclass
class OrderedOutput:
    """Writes the units' rendered deals to ``fd`` from the worker processes, in order.

    :meth:`prepare` (in the parent, before the workers are forked) makes the shared
    state; :meth:`take` (in a worker) writes one unit's text when its turn comes and
    returns its deals with no text (``written``).
    """

    fd: int
    framing: Framing
    _shared: Any = field(default=None, repr=False)

    def prepare(self, context: BaseContext) -> None:
        # the next unit to write, and whether a deal has been written (so the head has)
        self._shared = (context.RawValue("q", 0), context.RawValue("b", 0), context.Condition())

    def take(self, index: int, batches: list[RenderedDeals]) -> list[RenderedDeals]:
        assert self._shared is not None, "prepare() first"
        turn, started, changed = self._shared
        with changed:
            changed.wait_for(lambda: turn.value == index)
            framing = self.framing
            for batch in batches:
                if started.value:
                    write_all(self.fd, framing.separator)
                else:
                    write_all(self.fd, framing.head + framing.opener)
                    started.value = 1
                write_all(self.fd, batch.text)
            # (a failed write raises first: the turn never passes, so no later unit is
            # written after a gap; the parent stops every worker)
            turn.value = index + 1
            changed.notify_all()
        return [RenderedDeals(batch.stats, b"", written=True) for batch in batches]
