"""A small least-recently-used cache that is safe under threads and bounded by count and bytes.

Streamlit runs each session's script in its own thread, so a cache shared by the process
(:data:`kpi.reporting.attainment_report._REPORTS`, :data:`kpi.storage.catalogue._CATALOGUES`) is read and written concurrently: an
``OrderedDict`` without a lock can lose an entry between ``in`` and ``move_to_end`` (a
``KeyError`` in a page) or grow past its bound. Every operation here holds one lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["LRU"]

V = TypeVar("V")


class LRU(Generic[V]):
    """At most ``max_entries`` values and, with ``sizeof``, at most ``max_bytes`` in all; the least
    recently used go first. A value larger than ``max_bytes`` alone is not kept.

    :param sizeof: a value's size in bytes (an estimate is enough); ``None`` counts entries only.
    """

    def __init__(self, max_entries: int, max_bytes: int | None = None, sizeof: Callable[[V], int] | None = None):
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._sizeof = sizeof
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: V | None = None) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return default
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: V) -> None:
        size = self._sizeof(value) if self._sizeof is not None else 0
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if self.max_bytes is not None and size > self.max_bytes:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while len(self._items) > self.max_entries or (self.max_bytes is not None and self._bytes > self.max_bytes):
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def discard_where(self, predicate: Callable[[Hashable], bool]) -> int:
        """Drop every entry whose key matches (e.g. a superseded data version); returns how many."""
        with self._lock:
            keys = [k for k in self._items if predicate(k)]
            for k in keys:
                self._bytes -= self._items.pop(k)[1]
            return len(keys)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def keys(self) -> list[Hashable]:
        """The keys, least recently used first (a copy)."""
        with self._lock:
            return list(self._items)

    @property
    def nbytes(self) -> int:
        """The total size of the values held, as ``sizeof`` counts it."""
        with self._lock:
            return self._bytes
