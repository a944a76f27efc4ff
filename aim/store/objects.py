"""The object store: each saved file content once, named by its sha256, shared by every backup
and run checkpoint of the workspace (``<state>/store/objects/ab/cdef…``).

A capture copies each file that is not in the store yet into ``store/tmp/`` (a reflink where
the file system allows, otherwise a chunked copy, never a hard link: a later in-place edit of
the workspace file would change the stored copy), and skips the files the stat index proves
unchanged.  :meth:`ObjectStore.commit` then makes the whole batch durable at once and only
then renames each object into place, so an object under its final name is always complete:
a crash before the rename leaves a temp file (removed by ``aim prune``), never a short object.
The caller writes the manifest or journal record that refers to the objects after
:meth:`ObjectStore.commit` returns, so no record ever names an object that is not durable.

Objects are never modified once in place (mode 0400); ``aim prune`` removes those that no kept
backup or run refers to.  Reading falls back to the per-run and per-backup ``blobs/`` folders
of older versions of AIM+ (flat files named by sha256), so their runs still roll back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from aim import faults
from aim.filecopy import copy_hashed
from aim.fsio import CHUNK, sync_files, temps, write_all
from aim.store.index import RACY_NS, StatIndex

STORE, OBJECTS, TMP, INDEX = "store", "objects", "tmp", "index.json"
OBJECT_MODE = 0o400


def _private(*folders: Path) -> None:
    """Create each folder in turn (mode 0700, as the whole state folder is) if missing."""
    for folder in folders:
        folder.mkdir(mode=0o700, exist_ok=True)


class ObjectStore:
    """The store of one state folder; ``legacy`` folders are read when an object is not in it."""

    def __init__(self, state_dir: Path, legacy: Sequence[Path] = (),
                 racy_ns: int = RACY_NS) -> None:
        self.root = state_dir / STORE
        self.objects, self.tmp = self.root / OBJECTS, self.root / TMP
        self._objects = os.fspath(self.objects)
        self.legacy = tuple(f for f in legacy if f.is_dir())  # none are made any more
        self.index = StatIndex(self.root / INDEX, racy_ns)
        self._pending: dict[str, str] = {}  # sha256 -> its temp file, until commit
        self._tmp, self._fault = os.fspath(self.tmp), self.tmp / "object"
        self._since = time.time_ns()
        self._token, self._count = secrets.token_hex(4), 0
        self.counts = {"files": 0, "unchanged": 0, "new": 0, "new_bytes": 0}

    def object_path(self, sha: str) -> Path:
        """Where the object ``sha`` lives (whether or not it is there)."""
        return Path(self._object(sha))

    def _object(self, sha: str) -> str:
        return f"{self._objects}{os.sep}{sha[:2]}{os.sep}{sha[2:]}"  # a string: once per file

    def locate(self, sha: str) -> Path:
        """The file holding content ``sha``: the store's object, else an old ``blobs/`` copy
        (the store's path when neither exists: opening it names what is missing)."""
        return Path(self.source(sha))

    def source(self, sha: str) -> str:
        """:meth:`locate` as a string (a restore asks once per file)."""
        found = self._object(sha)
        if self.legacy and not os.path.isfile(found):
            for folder in self.legacy:
                if (folder / sha).is_file():
                    return os.fspath(folder / sha)
        return found

    def known(self, sha: str) -> bool:
        """True when ``sha`` is stored (or waits in this batch to be)."""
        # os.path on a string: this runs for every file of every capture
        return sha in self._pending or os.path.isfile(self._object(sha))

    def begin(self) -> None:
        """Start a capture: files changed after this moment are never trusted to the index."""
        self._since = time.time_ns()

    def put(self, path: str | os.PathLike[str], st: os.stat_result) -> tuple[str, int]:
        """Store the regular file ``path`` (``st``: its lstat, taken after :meth:`begin`);
        return (sha256, size) of what was stored."""
        self.counts["files"] += 1
        name = os.fspath(path)
        sha = self.index.lookup(name, st)
        if sha is not None and self.known(sha):
            self.counts["unchanged"] += 1
            return sha, st.st_size
        faults.check(self._fault)
        sha, size = self._ingest(name, st.st_size)
        self.index.record(name, st, sha, self._since)
        return sha, size

    def put_json(self, data: object) -> str:
        """Store ``data`` as JSON (a saved state's entry list); return its sha256.  Durable
        once :meth:`commit` returns, like the files."""
        raw = json.dumps(data, sort_keys=True).encode()
        sha = hashlib.sha256(raw).hexdigest()
        if not self.known(sha):
            self._write_small(sha, raw)
        return sha

    def _new_temp(self) -> tuple[int, str]:
        if self._count == 0:
            _private(self.root.parent, self.root, self.tmp)
        self._count += 1
        path = f"{self._tmp}{os.sep}{self._token}-{self._count}"
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, OBJECT_MODE), path

    def _write_small(self, sha: str, data: bytes) -> None:
        fd, tmp = self._new_temp()
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
        self._add(sha, tmp, len(data))

    def _ingest(self, path: str, size: int) -> tuple[str, int]:
        """Copy a file not known to be stored (``size`` bytes when it was listed), hashing
        exactly what was copied.  Small files take plain system calls: there are many."""
        want = min(size + 1, CHUNK)  # one read of its own size, not a 1 MiB buffer each
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            head = os.read(fd, want)
        finally:
            os.close(fd)
        if len(head) < want:  # small, and whole: written only if the content is new
            sha = hashlib.sha256(head).hexdigest()
            if not self.known(sha):
                self._write_small(sha, head)
            return sha, len(head)
        with open(path, "rb") as src:  # it is large (or grew since it was listed)
            return self._ingest_large(src)

    def _ingest_large(self, src: BinaryIO) -> tuple[str, int]:
        fd, tmp = self._new_temp()
        try:
            with os.fdopen(fd, "w+b") as dst:
                sha, size = copy_hashed(src, dst)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        if self.known(sha):
            os.unlink(tmp)
        else:
            self._add(sha, tmp, size)
        return sha, size

    def _add(self, sha: str, tmp: str, size: int) -> None:
        self._pending[sha] = tmp
        self.counts["new"] += 1
        self.counts["new_bytes"] += size

    def commit(self) -> None:
        """Make this batch's new objects durable, put them in place, make that durable, and
        save the index; a record naming the objects may be written once this returns."""
        if self._pending:
            batch = list(self._pending.items())
            sync_files([tmp for _, tmp in batch])
            folders: set[str] = set()
            for sha, tmp in batch:
                final = self._object(sha)
                folder = os.path.dirname(final)
                if folder not in folders:
                    _private(self.objects, Path(folder))
                    folders.add(folder)
                faults.in_write(final)
                os.replace(tmp, final)
            self._pending.clear()
            sync_files([], [*folders, self.objects, self.root, self.root.parent])
        self.index.save()

    def discard(self) -> None:
        """Forget this batch (a capture failed): remove its temp files."""
        for tmp in self._pending.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self._pending.clear()

    def stored(self) -> Iterable[tuple[str, Path]]:
        """Every (sha256, path) in the store."""
        if not self.objects.is_dir():
            return
        for folder in sorted(self.objects.iterdir()):
            if len(folder.name) == 2 and folder.is_dir():
                for item in folder.iterdir():
                    yield folder.name + item.name, item


LEGACY = "blobs"  # a run's or backup's own folder of file contents, before the shared store


def store_for(state_dir: Path, owner: Path | None = None) -> ObjectStore:
    """The store of ``state_dir``, reading the old ``blobs/`` folder of ``owner`` (a run or
    backup folder) for contents saved before the store existed."""
    return ObjectStore(state_dir, () if owner is None else (owner / LEGACY,))


def leftovers(state_dir: Path) -> list[Path]:
    """What captures killed half-way left: object temps (``store/tmp/``), the index's atomic
    write and the staging folders of backups never finished (``backups/.ID.tmp``)."""
    found = sorted((state_dir / STORE / TMP).glob("*")) + temps(state_dir / STORE, INDEX)
    backups = state_dir / "backups"
    if backups.is_dir():
        found += sorted(p for p in backups.iterdir()
                        if p.name.startswith(".") and p.name.endswith(".tmp"))
    return found


def remove_leftovers(state_dir: Path) -> list[Path]:
    """Remove :func:`leftovers` (only under the workspace lock: nobody writes them then)."""
    found = leftovers(state_dir)
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return found
