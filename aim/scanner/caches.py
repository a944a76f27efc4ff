"""Cache directories under the scan roots, with their sizes.

The walk uses ``os.scandir`` and never follows directory symlinks (nor Windows junctions); every
directory it enters is remembered by (device, inode) so that a bind mount or junction loop is
entered once.  A matched cache is sized but not searched for more caches; ``.git`` is skipped.
Unreadable directories become notes; the time budget stops the walk and marks it truncated.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass

from aim.scanner.budget import Budget
from aim.scanner.model import CacheDir

DEFAULT_CACHE_PATTERNS = (".ruff_cache", "__pycache__", ".mypy_cache", ".pytest_cache",
                          "node_modules/.cache")
SKIP = frozenset({".git"})
MAX_UNREADABLE_NOTES = 20


@dataclass(frozen=True)
class Pattern:
    """A cache pattern split into path components (``\\`` and ``/`` alike)."""

    raw: str
    parts: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> Pattern:
        parts = tuple(os.path.normcase(p) for p in raw.replace("\\", "/").split("/") if p)
        return cls(raw, parts)

    def matches(self, tail: tuple[str, ...]) -> bool:
        """True when the last components of a path (``tail``, normcased) match every part."""
        if len(tail) < len(self.parts):
            return False
        names = tail[len(tail) - len(self.parts):]
        return all(p == n or fnmatch.fnmatchcase(n, p) for p, n in zip(self.parts, names,
                                                                        strict=True))


@dataclass(frozen=True)
class CacheFindings:
    caches: tuple[CacheDir, ...]
    notes: tuple[str, ...]
    truncated: bool
    directories: int  # how many directories were listed


class CacheWalker:
    """One walk over several roots; shares the visited set so overlapping roots count once."""

    def __init__(self, patterns: Iterable[str], *, max_depth: int, min_bytes: int,
                 budget: Budget) -> None:
        self.patterns = [p for p in map(Pattern.parse, patterns) if p.parts]
        self.keep = max((len(p.parts) for p in self.patterns), default=1)
        self.max_depth = max_depth
        self.min_bytes = min_bytes
        self.budget = budget
        self.caches: list[CacheDir] = []
        self.notes: list[str] = []
        self.visited: set[tuple[int, int]] = set()
        self.links: list[str] = []
        self.unreadable = 0
        self.directories = 0
        self.truncated = False

    def run(self, roots: Iterable[str]) -> CacheFindings:
        """Walk every root (already expanded) and return what was found."""
        for root in roots:
            if self.truncated:
                break
            self._walk_root(root)
        self._summarise()
        caches = sorted(self.caches, key=lambda c: (-c.size, c.path))
        return CacheFindings(tuple(caches), tuple(self.notes), self.truncated, self.directories)

    def _walk_root(self, root: str) -> None:
        if not os.path.isdir(root):
            self.notes.append(f"scan root {root} does not exist or is not a directory")
            return
        if not self._first_visit(os.stat(root)):
            self.notes.append(f"scan root {root} was already scanned under another root")
            return
        if self.max_depth < 1:
            return
        tail = tuple(os.path.normcase(p) for p in os.path.abspath(root).split(os.sep) if p)
        stack = [(root, tail[-self.keep:], 0)]
        while stack:
            if self.budget.expired():
                self.truncated = True
                return
            path, tail, depth = stack.pop()
            for child, name in self._subdirs(path):
                child_tail = (*tail, os.path.normcase(name))[-self.keep:]
                pattern = next((p for p in self.patterns if p.matches(child_tail)), None)
                if pattern is not None:
                    self._add_cache(child, pattern)
                elif depth + 1 < self.max_depth:
                    stack.append((child, child_tail, depth + 1))

    def _subdirs(self, path: str) -> list[tuple[str, str]]:
        """The real (not linked) subdirectories of ``path`` not seen before; .git left out."""
        found = []
        for entry in self._entries(path):
            if entry.name in SKIP or not _is_plain_dir(entry, self.links):
                continue
            st = _lstat(entry)
            if st is None:
                continue  # gone since it was listed
            if self._first_visit(st):
                found.append((entry.path, entry.name))
            else:
                self.notes.append(f"{entry.path} was reached twice (a mount or junction "
                                  "loop); skipped the second time")
        return found

    def _entries(self, path: str) -> list[os.DirEntry[str]]:
        self.directories += 1
        try:
            with os.scandir(path) as entries:
                return list(entries)
        except OSError as err:
            self.unreadable += 1
            if self.unreadable <= MAX_UNREADABLE_NOTES:
                self.notes.append(f"cannot read {path} ({err.strerror or err}); skipped")
            return []

    def _first_visit(self, st: os.stat_result | None) -> bool:
        if st is None:
            return False
        key = (st.st_dev, st.st_ino)
        if st.st_ino and key in self.visited:
            return False
        self.visited.add(key)
        return True

    def _add_cache(self, path: str, pattern: Pattern) -> None:
        size, files, complete = self._size(path)
        if not complete:
            self.truncated = True
        if size >= self.min_bytes:
            self.caches.append(CacheDir(path, pattern.raw, size, files, complete))

    def _size(self, top: str) -> tuple[int, int, bool]:
        """Bytes and count of the regular files under ``top``; False when the budget ran out."""
        size = files = 0
        stack = [top]
        while stack:
            if self.budget.expired():
                return size, files, False
            for entry in self._entries(stack.pop()):
                if entry.is_file(follow_symlinks=False):
                    st = _lstat(entry)
                    size += st.st_size if st else 0
                    files += 1
                elif _is_plain_dir(entry, None) and self._first_visit(_lstat(entry)):
                    stack.append(entry.path)
        return size, files, True

    def _summarise(self) -> None:
        if self.unreadable > MAX_UNREADABLE_NOTES:
            self.notes.append(f"… and {self.unreadable - MAX_UNREADABLE_NOTES} more unreadable "
                              "directories")
        if self.links:
            self.notes.append(f"{len(self.links)} directory symlink(s) not followed "
                              f"(e.g. {self.links[0]})")


def _is_plain_dir(entry: os.DirEntry[str], links: list[str] | None) -> bool:
    """A directory that is not a symlink or junction (those are recorded in ``links``)."""
    try:
        if entry.is_symlink() or getattr(entry, "is_junction", lambda: False)():
            if links is not None and entry.is_dir():
                links.append(entry.path)
            return False
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _lstat(entry: os.DirEntry[str]) -> os.stat_result | None:
    try:
        st = entry.stat(follow_symlinks=False)
        # Windows fills no inode from scandir: ask the file itself (without following links).
        return st if st.st_ino or os.name != "nt" else os.stat(entry.path, follow_symlinks=False)
    except OSError:
        return None
