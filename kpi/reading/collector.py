"""Python's cycle collector paused while a reader builds 10⁵ objects without cycles.

A read builds rows, cells, positions and formula texts that live on and hold no reference cycle;
with the collector running, each of its collections (set off by the count of new objects) walks
them all again as they grow (issue 17: ≈ 55 of the 300 ms of a 64,000-formula sheet, ≈ 40 of the
80 ms of its answer unpickled). The one place the readers pause it: :func:`read_workbook
<kpi.reading.workbook.read_workbook>` for the whole read (formula evaluation, which may make
cycles, runs after it), and the server while it unpacks a worker's answer.
"""

from __future__ import annotations

import contextlib
import gc

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused():
    """The cycle collector off for the block, then as it was (process-wide, for the block's
    milliseconds; a nested pause leaves it to the outer one)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
