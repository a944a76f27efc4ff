"""Appending to the audit trail: one fsynced, hash-chained line per event.

The file is opened once and the last hash is kept in memory, so an append costs one write and
one fsync.  On open, the last hash is recovered from the file's tail only (never the whole
file).  A line torn by a crash is left where it is (the trail is append-only), ended with a
newline so the next event starts on a line of its own, and skipped by query and verify.

Writers (threads and processes) exclude each other with one OS lock on ``audit.lock`` beside
the trail (:mod:`aim.oslock`: ``flock``, or ``LockFileEx`` on Windows, so never no lock), held
from the check of the live file through the chain head, the size check, a rotation and the
write.  The lock file is never renamed, so a rotation cannot open a gap in which a new live
file exists unlocked.
"""

from __future__ import annotations

import getpass
import os
import socket
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aim.audit import segments
from aim.audit.format import GENESIS, KIND_RE, VERSION, encode, jsonable, links, utc_stamp
from aim.errors import InputError
from aim.fsio import Closing, write_all
from aim.oslock import OsLock, names_file
from aim.redact import redact_obj

MAX_BYTES = 10 * 1024 * 1024
KEEP = 5
TAIL_CHUNK = 64 * 1024
_EMPTY: Mapping[str, Any] = {}


def default_actor() -> str:
    """``user@host`` of this process (the uid when the user has no name)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _read_at(fd: int, count: int, offset: int) -> bytes:
    """``count`` bytes at ``offset`` (appends go to the end whatever the file position is)."""
    if hasattr(os, "pread"):
        return os.pread(fd, count, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows has no pread
    return os.read(fd, count)  # pragma: no cover


def _last_hash_in(fd: int, size: int) -> str | None:
    """The hash of the last intact line of an open file, reading backwards from its end."""
    window = TAIL_CHUNK
    while True:
        start = max(0, size - window)
        data = _read_at(fd, size - start, start)
        lines = data.split(b"\n")
        if start > 0:
            lines = lines[1:]  # the first piece may be the end of a longer line
        for line in reversed(lines):
            parts = links(line)
            if parts is not None:
                return parts[1].decode("ascii")
        if start == 0:
            return None
        window *= 4


class AuditLog(Closing):
    """The append side of an audit trail at ``path`` (``Workspace.audit_path``).

    ``max_bytes`` is the size at which the live file is rotated; ``keep`` is how many rotated
    segments (``audit.1.jsonl`` … ``audit.<keep>.jsonl``) are kept beside it.
    """

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, keep: int = KEEP,
                 actor: str | None = None, clock: Callable[[], datetime] = _utc_now) -> None:
        if max_bytes < 1 or keep < 1:
            raise InputError(f"audit trail {path}: max_bytes ({max_bytes}) and keep ({keep}) "
                             "must both be at least 1; fix audit.max_bytes / audit.keep in "
                             "aim_config.json")
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.keep = keep
        self.actor = actor or default_actor()
        self.clock = clock
        self.torn: list[str] = []  # torn lines found at open (a crash in an earlier append)
        segments.make_parent(self.path)
        self._fd = -1
        self._closed = False
        self._last = GENESIS
        self._size = -1
        self._thread_lock = threading.Lock()  # this object's state, between its threads
        self._lock = OsLock(segments.lock_path(self.path))  # the trail, between all writers
        with self._thread_lock, self._lock:
            self._follow()

    def _open_live(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, segments.FILE_MODE)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, segments.FILE_MODE)
        return fd

    def _follow(self) -> None:
        """(Holding the lock.) Write to the live file as it is now: reopen it after another
        writer rotated it away, recover the chain head after another writer appended."""
        if self._fd >= 0 and not names_file(self.path, self._fd):
            os.close(self._fd)
            self._fd = -1
        if self._fd < 0:
            self._fd, self._size = self._open_live(), -1
        if os.fstat(self._fd).st_size != self._size:
            self._resync()

    def _resync(self) -> None:
        """Recover the last hash from the tail (on open, or after another process wrote)."""
        size = os.fstat(self._fd).st_size
        if size and _read_at(self._fd, 1, size - 1) != b"\n":
            self.torn.append(f"{self.path}: torn last line (ending at byte {size}) left by an "
                             "interrupted write; it is skipped, and ended so that the next "
                             "event starts on a line of its own")
            os.write(self._fd, b"\n")
            os.fsync(self._fd)
            size += 1
        last = _last_hash_in(self._fd, size) if size else None
        self._last = last if last is not None else self._previous_segments_hash()
        self._size = size

    def _previous_segments_hash(self) -> str:
        for path in reversed(segments.segments(self.path)[:-1]):
            fd = os.open(path, os.O_RDONLY)
            try:
                found = _last_hash_in(fd, os.fstat(fd).st_size)
            finally:
                os.close(fd)
            if found is not None:
                return found
        return segments.read_anchor(self.path)

    def append(self, kind: str, *, run_id: str | None = None,
               details: Mapping[str, Any] = _EMPTY) -> dict[str, Any]:
        """Record one event (secret values redacted) and return it as written, with its hash."""
        if not KIND_RE.match(kind):
            raise InputError(f"audit event type {kind!r}: use lower-case letters, digits, '_' "
                             "and '.', starting with a letter (e.g. 'secret_access')")
        safe = redact_obj({"run": run_id, "actor": self.actor, "details": jsonable(details)})
        event: dict[str, Any] = {"v": VERSION, "time": utc_stamp(self.clock()), "type": kind,
                                 **safe}
        with self._thread_lock:
            if self._closed:
                raise ValueError(f"audit trail {self.path} is closed")
            with self._lock:
                line, digest = self._append_locked(event)
            event["prev"], event["hash"] = self._last, digest
            self._last, self._size = digest, self._size + len(line)
        return event

    def _append_locked(self, event: dict[str, Any]) -> tuple[bytes, str]:
        """(Holding both locks.) Write ``event`` after the chain head; its line and hash."""
        self._follow()
        line, digest = encode(event, self._last)
        if self._size and self._size + len(line) > self.max_bytes:
            self._rotate()
        write_all(self._fd, line)
        os.fsync(self._fd)
        return line, digest

    def _rotate(self) -> None:
        """(Holding the lock.) Start a new live file; the chain head stays ``self._last``."""
        os.close(self._fd)
        self._fd = -1
        segments.rotate(self.path, self.keep)
        self._fd, self._size = self._open_live(), 0

    def close(self) -> None:
        """Close the file; further appends fail."""
        with self._thread_lock:
            self._closed = True
            self._lock.close()
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1

