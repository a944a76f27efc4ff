"""Durable file primitives: atomic writes, fsynced appends, hashing.

Every file AIM+ writes goes through here, so that a crash at any moment leaves either the old
content or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of the file at ``path`` (read in chunks, never whole into memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a directory's entries (a new or renamed file) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def dumps_json(obj: Any) -> str:
    """The one JSON style of AIM+ files: two-space indent, key order kept, final newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def atomic_write_json(path: Path, obj: Any, mode: int | None = None) -> None:
    """Atomically write ``obj`` as JSON (see :func:`dumps_json`)."""
    atomic_write_bytes(path, dumps_json(obj).encode("utf-8"), mode)


class AppendLog:
    """An append-only line file whose lines are fsynced before ``append`` returns."""

    def __init__(self, path: Path, mode: int = 0o600) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, mode)

    def append(self, line: str, sync: bool = True) -> None:
        """Append one line (a newline is added) and fsync it.

        With ``sync=False`` the line is written but made durable only by the next synced
        append (an fsync covers every earlier write to the file, in order).
        """
        os.write(self._fd, (line + "\n").encode("utf-8"))
        if sync:
            os.fsync(self._fd)

    def close(self) -> None:
        """Close the file; further appends fail."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> AppendLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_json_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a line file, skipping a torn (unparseable) last line.

    A process killed in the middle of ``AppendLog.append`` can leave one partial line at the
    end; it is ignored, so a journal is never left unreadable.
    """
    with open(path, "rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                return
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record
