"""The stat index: which sha256 a file had, so that an unchanged file is not hashed again.

As git's index does, an entry keys a file's content on what the kernel says about it: size,
mtime, ctime, inode and device.  Writing a file's bytes always moves its ctime (which no
program can set back, unlike mtime), and replacing it gives a new inode, so an entry that
still matches means the same bytes.  One case remains: a change within the same tick of the
file system's clock as the look that recorded it.  An entry is therefore trusted only when the
file's mtime and ctime were already ``racy_ns`` older than the moment the capture began;
a younger file is hashed again next time (and recorded then).

The index is only ever a shortcut: it is written atomically (not for a handful of new entries
in a large index, whose files are simply hashed again), a torn, stale or unreadable one is
treated as empty, and an entry is used only while its object is in the store, so a wrong
index costs speed, never correctness.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aim.fsio import atomic_write_bytes

VERSION = 1
# Files changed this close to a capture's start are hashed again next time: more than the
# coarsest timestamp granularity of a Linux file system (1 s) plus the kernel's clock tick.
RACY_NS = 2_000_000_000
SMALL = 64  # fewer new entries than this, and under 1/20 of the index: not worth a rewrite
_SHA256 = re.compile(r"[0-9a-f]{64}")
Stat = tuple[int, int, int, int, int]


def stat_key(st: os.stat_result) -> Stat:
    """What the index compares: size, mtime, ctime (ns), inode, device."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


class StatIndex:
    """The index file of one store, loaded on first use and saved by :meth:`save`."""

    def __init__(self, path: Path, racy_ns: int = RACY_NS) -> None:
        self.path, self.racy_ns = path, racy_ns
        self._entries: dict[str, list[Any]] | None = None
        self._dirty = False
        self._recorded = 0  # entries recorded since the last save

    @property
    def entries(self) -> dict[str, list[Any]]:
        if self._entries is None:
            self._entries = _read(self.path)
        return self._entries

    def lookup(self, name: str, st: os.stat_result) -> str | None:
        """The sha256 recorded for the file ``name`` if it is provably unchanged since."""
        entry = self.entries.get(name)
        if entry is None or tuple(entry[:5]) != stat_key(st):
            return None
        since, sha = entry[5], entry[6]
        if max(st.st_mtime_ns, st.st_ctime_ns) >= since - self.racy_ns:
            return None  # changed too close to when it was hashed: it may have changed again
        return str(sha)

    def record(self, name: str, st: os.stat_result, sha: str, since: int) -> None:
        """Remember that ``name``, as ``st`` describes it, held ``sha``; ``since`` is a time
        (ns) no later than when ``st`` was taken."""
        self.entries[name] = [*stat_key(st), since, sha]
        self._dirty = True
        self._recorded += 1

    def keep_only(self, wanted: Callable[[str], bool]) -> int:
        """Drop the entries whose sha256 is not ``wanted`` (pruned objects); return how many."""
        gone = [name for name, entry in self.entries.items() if not wanted(entry[6])]
        for name in gone:
            del self.entries[name]
        self._dirty = self._dirty or bool(gone)
        return len(gone)

    def save(self, force: bool = False) -> None:
        """Write the index atomically if it changed enough to be worth it: a few new entries
        in a large index are not (their files are only hashed again next time), unless
        ``force``."""
        if not self._dirty or self._entries is None:
            return
        if not force and self._recorded < SMALL and self._recorded * 20 < len(self._entries):
            return
        data = {"version": VERSION, "entries": self._entries}
        atomic_write_bytes(self.path, json.dumps(data, separators=(",", ":")).encode(), 0o600)
        self._dirty, self._recorded = False, 0


def _valid(entry: Any) -> bool:
    return (isinstance(entry, list) and len(entry) == 7
            and all(isinstance(n, int) for n in entry[:6])
            and isinstance(entry[6], str) and _SHA256.fullmatch(entry[6]) is not None)


def _read(path: Path) -> dict[str, list[Any]]:
    """The entries of the index file; empty when it is missing or not a valid index."""
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        return {}
    entries = raw.get("entries")
    if not isinstance(entries, dict):
        return {}
    return {name: entry for name, entry in entries.items() if _valid(entry)}
