"""Run one piece of a file's reading in a thread beside the rest, on the machine's second core.

Two parts of reading an .xlsx spend most of their time outside Python's interpreter lock:
python-calamine's parse of a sheet (its Rust code releases the lock while it parses; measured
here, 0.9.1: a 64,000-formula sheet read beside a Python loop takes 141 ms of wall time where
the two one after the other take 182) and libxml2's well-formedness check of a part with a
target that calls no Python (45 ms for 7 MB, wholly hidden beside calamine). Run beside the
literal search of the same sheet (Python and ``re``, which hold the lock), the clerk's wait for
that sheet goes from ≈ 313 to ≈ 221 ms (issue 17; ``bench/run.py``, ``clerk``).

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
        self._fn = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kpi-read-beside", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by result()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
