"""Run one piece of a file's reading in a thread beside the rest, on the machine's second core.

Two parts of reading an .xlsx spend most of their time outside Python's interpreter lock:
python-calamine's parse of a sheet (its Rust code releases the lock while it parses; measured
here, 0.9.1: a 64,000-formula sheet read beside a Python loop takes 141 ms of wall time where
the two one after the other take 182) and libxml2's well-formedness check of a part with a
target that calls no Python (45 ms for 7 MB). With the sheet's scan (the literal search, Python
and ``re``, which hold the lock) beside calamine's parse, and the check beside the search, reading
that sheet goes from ≈ 365 to ≈ 231 ms of wall time on an idle machine (issue 17; the clerk's
wait in ``bench/run.py``). A part over 16 MB is scanned before calamine parses, not beside it:
the part and calamine's cells in memory at once lift a 100,000-row sheet's peak by ≈ 30 MB,
over openpyxl's (``big_sheet``).

The limits of the worker process (memory, CPU time) count every thread, so nothing escapes them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Beside"]

T = TypeVar("T")


class Beside(Generic[T]):
    """``Beside(fn)`` starts ``fn()`` in a thread at once; :meth:`result` waits for it and returns
    its value or raises its exception (in the caller's thread, so the caller decides which of two
    failures is said first). :meth:`wait` only waits (a result no longer needed, its failure
    ignored: the caller's own path will find the same fault)."""

    def __init__(self, fn: Callable[[], T]):
        self._fn: Callable[[], T] | None = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kpi-read-beside", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()  # type: ignore[misc]
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by result()
            self._error = exc
        finally:
            self._fn = None  # what it held (a sheet's part) is let go as soon as the piece is done

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
