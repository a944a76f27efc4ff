"""The run index file: its lines, read from the end, appended under the lock, rewritten whole.

Each line is one JSON record: ``{"v": 1, "run_id": ..., "open": true, "new": ...}`` while a
run's journal is being written, or ``"open": false`` with the run's row (:class:`RunRow`).
``new`` marks a run's first line, so a reader going back from the end knows when it has seen
every line of the newest runs.  See :mod:`aim.workflow.run_index` for how they are used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from aim.fsio import AppendLog, atomic_write_bytes

VERSION = 1
CHUNK = 1 << 16


@dataclass(frozen=True)
class RunRow:
    """One run as ``aim runs`` shows it, and what choosing a run to undo or resume needs."""

    run_id: str
    workflow: str
    status: str
    started: str
    ended: str
    failed_step: str | None
    incomplete_step: str | None
    undoable: bool  # a step that checkpointed something is not undone yet
    undone: bool  # some of its steps were rolled back

    def to_dict(self) -> dict[str, Any]:
        """The row of ``aim runs --json``."""
        return {"run_id": self.run_id, "workflow": self.workflow, "status": self.status,
                "started": self.started, "failed_step": self.failed_step,
                "incomplete_step": self.incomplete_step}


_TYPES = {f.name: f.type for f in fields(RunRow)}


class Stale(Exception):
    """The index is missing or holds a line that is not a record."""


def _valid(record: Any) -> bool:
    if not isinstance(record, dict) or record.get("v") != VERSION:
        return False
    if not isinstance(record.get("run_id"), str) or not isinstance(record.get("new"), bool):
        return False
    if record.get("open") is True:
        return True
    wanted: dict[str, type | tuple[type, ...]] = {"str": str, "bool": bool,
                                                  "str | None": (str, type(None))}
    return record.get("open") is False and all(
        isinstance(record.get(name), wanted[str(kind)]) for name, kind in _TYPES.items())


def parse(line: bytes) -> dict[str, Any]:
    """The record on ``line``; Stale when it is not one."""
    try:
        record = json.loads(line)
    except ValueError:
        raise Stale from None
    if not _valid(record):
        raise Stale
    return dict(record)


def row_from(record: dict[str, Any]) -> RunRow:
    """The row a (closed) record holds."""
    return RunRow(**{name: record[name] for name in _TYPES})


def lines_backwards(path: Path) -> Iterator[bytes]:
    """The complete lines of ``path``, last first (a torn last line is left out)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        raise Stale from None
    try:
        end, rest, last = os.lseek(fd, 0, os.SEEK_END), b"", True
        while end > 0:
            start = max(0, end - CHUNK)
            lines = (os.pread(fd, end - start, start) + rest).split(b"\n")
            rest = lines.pop(0) if start > 0 else b""
            if last:
                lines.pop()  # "" after the final newline, or a torn line
                last = False
            yield from reversed(lines)
            end = start
    finally:
        os.close(fd)


def signature(path: Path) -> tuple[int, int, int] | None:
    """The index file's (inode, size, mtime), None when it is missing."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def row_line(row: RunRow, new: bool) -> str:
    """The line of ``row``; ``new`` on a run's first line."""
    return json.dumps({"v": VERSION, "run_id": row.run_id, "open": False, "new": new,
                       **asdict(row)}, separators=(",", ":"))


def open_line(run_id: str, new: bool) -> str:
    """The line that says run ``run_id`` is being written (``new``: it starts)."""
    return json.dumps({"v": VERSION, "run_id": run_id, "open": True, "new": new},
                      separators=(",", ":"))


def write_rows(path: Path, rows: Iterable[RunRow]) -> None:
    """Write ``rows`` (oldest first) as the whole index, atomically."""
    data = "".join(row_line(row, True) + "\n" for row in rows).encode()
    atomic_write_bytes(path, data, 0o600)


def cut_torn_tail(path: Path) -> None:
    """Cut off a line an append killed half-way left at the end of the index."""
    with open(path, "rb+") as handle:
        end = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, end - 1))
        if end == 0 or handle.read(1) == b"\n":
            return
        while end > 0:
            start = max(0, end - CHUNK)
            handle.seek(start)
            cut = handle.read(end - start).rfind(b"\n")
            if cut >= 0:
                handle.truncate(start + cut + 1)
                return
            end = start
        handle.truncate(0)


def append_lines(path: Path, lines: list[str], sync: bool) -> None:
    """Append ``lines`` to the index (after cutting off a torn last line), while holding the
    lock: no one else writes it then."""
    cut_torn_tail(path)
    with AppendLog(path) as log:
        for line in lines:
            log.append(line, sync=sync)
