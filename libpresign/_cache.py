"""A small bounded map for prepared signers and derived keys."""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """Keeps at most ``size`` entries, dropping the oldest first.

    Reads take no lock: writers replace the whole dict instead of mutating it, so a
    reader in another thread sees either the old or the new contents, both complete.
    """

    __slots__ = ("_entries", "_lock", "_size")

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value stored under ``key``, or ``None``; unhashable keys raise TypeError."""
        return self._entries.get(key)

    def put(self, key: K, value: V) -> None:
        """Store ``value``, dropping the oldest entries beyond the bound."""
        with self._lock:
            entries = dict(self._entries)
            entries[key] = value
            while len(entries) > self._size:
                del entries[next(iter(entries))]
            self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)
