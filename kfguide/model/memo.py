"""Results kept for the life of the process, keyed by everything they depend on.

``mkdocs serve`` rebuilds the whole site on every save, in the same Python process. MkDocs
re-executes the hook files on each rebuild (so a hook's module-level state is lost), but
modules under ``kfguide`` are imported once; a :class:`Store` here outlives the rebuilds.

The rule that keeps a store from going stale: the key holds the *content* of every input (or a
hash of it), never a file name or a time stamp alone. A changed input is a different key, so
the old entry is simply never asked for again, and the bounded size drops it in time.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Hashable, Iterable

_MISSING = object()


class Store:
    """A bounded mapping with least-recently-used eviction and hit/miss counters."""

    def __init__(self, name: str, maxsize: int = 256) -> None:
        self.name = name
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, object] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, default: object = None) -> object:
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            self.misses += 1
            return default
        self._data.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: Hashable, value: object) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        self._data.clear()
        self.hits = self.misses = 0


_stores: dict[str, Store] = {}


def store(name: str, maxsize: int = 256) -> Store:
    """The process-wide store called ``name`` (created on first use)."""
    found = _stores.get(name)
    if found is None:
        found = _stores[name] = Store(name, maxsize)
    return found


def digest(*parts: str | bytes | Iterable[str]) -> str:
    """A short, stable hash of strings, bytes and iterables of strings (order matters)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, str):
            part = part.encode("utf-8", "surrogatepass")
        elif not isinstance(part, (bytes, bytearray)):
            part = "\x1f".join(part).encode("utf-8", "surrogatepass")
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()
