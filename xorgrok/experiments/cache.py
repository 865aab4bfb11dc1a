"""RunCache: the one memo of expensive runs, passed explicitly (no module-level state).

Figures and the report hand one RunCache to every experiment they call, so `python -m figures all` and
`python -m xorgrok.report` train each configuration once per process; a fresh RunCache starts empty.
Keys are hashable tuples (a namespace string first, then frozen configs and seeds).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class RunCache:
    def __init__(self) -> None:
        self._store: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for `key`, computing (and storing) it on first use."""
        if key not in self._store:
            self._store[key] = compute()
        return self._store[key]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._store

    def __len__(self) -> int:
        return len(self._store)

    def clear(self) -> None:
        self._store.clear()
