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
import json
import os
from collections import OrderedDict
from pathlib import Path
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


# --------------------------------------------------------------------------------------------
# Entries that outlive the process: a fresh `mkdocs build` reads what the previous one computed


_CODE: list[str] = []


def code_digest() -> str:
    """A digest of the code that computes every stored result: each Python file of the kfguide
    package and of the hooks/ folder beside it, taken once per process (the code this process
    runs; an edit made under a running ``mkdocs serve`` is not loaded either)."""
    if not _CODE:
        package = Path(__file__).resolve().parents[1]
        _CODE.append(tree_digest(package, package.parent / "hooks"))
    return _CODE[0]


def tree_digest(*folders: Path) -> str:
    """A digest of the names and bytes of every ``*.py`` file under ``folders`` (a missing
    folder counts as empty)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        h.update(folder.name.encode("utf-8") + b"\0\0")
        if not folder.is_dir():
            continue
        for file in sorted(folder.rglob("*.py")):
            h.update(file.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            try:
                h.update(file.read_bytes())
            except OSError:
                h.update(b"unreadable")
            h.update(b"\0")
    return h.hexdigest()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (str as UTF-8) to ``path`` through a temporary file beside it and a rename,
    so a reader never sees half a file and two processes writing at once leave one whole
    version; the folder is made first. OSError goes to the caller."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


class DiskStore:
    """A JSON file of ``{key: value}`` read once and written back by :meth:`save`.

    The same rule as :class:`Store`: a key is a digest of the content of every input (use
    :func:`digest`), so a changed input is a different key and an old entry is never asked for.
    What no key holds, the file's *context* does: :func:`code_digest` plus the caller's
    ``context`` (the content of inputs every entry shares). A file written under another
    context, one that cannot be read, or one that is not this shape counts as empty.

    ``load`` turns a stored JSON value into the caller's value and ``dump`` back (default: the
    value as it is). A value ``load`` refuses (None, or ValueError, TypeError, KeyError,
    AttributeError: another shape) is a miss, and the caller computes it again.

    :meth:`save` writes only the entries this process used (found or put), so the file holds
    the last build's entries and does not grow with every edit, and it writes nothing when they
    are exactly what the file held. ``file=None``: nothing is read or written.
    """

    def __init__(self, file: Path | None, context: str = "", load=None, dump=None) -> None:
        self.file = file
        self.context = digest(code_digest(), context)
        self.load = load
        self.dump = dump
        self._loaded: dict[str, object] | None = None
        self._used: dict[str, object] = {}
        self._changed = False
        self.hits = 0
        self.misses = 0

    def _entries(self) -> dict[str, object]:
        if self._loaded is None:
            self._loaded = {}
            if self.file is not None:
                try:
                    data = json.loads(self.file.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    data = None
                if (isinstance(data, dict) and data.get("context") == self.context
                        and isinstance(data.get("entries"), dict)):
                    self._loaded = data["entries"]
        return self._loaded

    def get(self, key: str, default: object = None) -> object:
        raw = self._used[key] if key in self._used else self._entries().get(key, _MISSING)
        value = _MISSING
        if raw is not _MISSING:
            try:
                value = raw if self.load is None else self.load(raw)
            except (ValueError, TypeError, KeyError, AttributeError):
                value = None
        if value is _MISSING or value is None:
            self.misses += 1
            return default
        self._used[key] = raw
        self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        raw = value if self.dump is None else self.dump(value)
        if self._used.get(key, _MISSING) != raw:
            self._changed = True
        self._used[key] = raw

    def save(self) -> bool:
        """Write the used entries (atomically); True when the file was written. Errors are
        ignored: the store only saves time."""
        if self.file is None:
            return False
        if not self._changed and self._used.keys() == self._entries().keys():
            return False
        try:
            write_atomic(self.file, json.dumps({"context": self.context, "entries": self._used},
                                               ensure_ascii=False, separators=(",", ":")))
        except OSError:
            return False
        self._loaded = dict(self._used)
        self._changed = False
        return True


def recall(store: Store, key: tuple, disk: DiskStore | None, compute):
    """The value for ``key``: from ``store`` (computed earlier in this process), else from
    ``disk`` (an earlier process; its key is :func:`digest` of ``key``'s parts), else
    ``compute()``. Whichever answers, both keep it. ``disk=None``: the process store only."""
    value = store.get(key)
    disk_key = digest(*key) if disk is not None else ""
    if value is None and disk is not None:
        value = disk.get(disk_key)
    if value is None:
        value = compute()
    store.put(key, value)
    if disk is not None:
        disk.put(disk_key, value)
    return value


#: The folder of the stores, under the project root (.gitignore has .cache/).
DISK_FOLDER = Path(".cache") / "kfguide"


def disk_store(root: Path | str | None, name: str, context: str = "", load=None, dump=None) -> DiskStore:
    """The store ``<root>/.cache/kfguide/<name>.json`` (``root=None``: memory only)."""
    return DiskStore(None if root is None else Path(root) / DISK_FOLDER / f"{name}.json", context, load, dump)
