"""One run at a time per workspace: an operating-system lock, and a side file naming its holder.

The lock is ``flock``/``LockFileEx`` on ``.aim/lock`` (:mod:`aim.oslock`): the operating
system releases it when the holder ends, even by a crash or ``kill -9``, so a lock is never
left behind and no pid has to be trusted.  Who holds it (pid, host, start time, command, run
id) is written to ``.aim/lock.json`` only for the messages: a side file that is missing,
malformed, left by a dead process or written by someone else never keeps a run out, and only
says less about a holder that really holds the lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aim.errors import InputError, LockHeld
from aim.fsio import atomic_write_json, remove_temps
from aim.oslock import OsLock, is_held
from aim.workflow.journal import utc_now
from aim.workspace import Workspace

LOCK_WAIT = 0.5  # seconds a taker waits: longer than a probe of 'aim runs' holds the lock
MAX_SIDE_FILE = 4096  # bytes of the side file read; AIM+ writes about 200


def holder_path(lock_path: Path) -> Path:
    """The side file that names the holder of the lock at ``lock_path`` (``lock.json``)."""
    return lock_path.with_name(lock_path.name + ".json")


@dataclass(frozen=True)
class LockInfo:
    """Who holds the workspace lock; all None when the side file cannot tell."""

    pid: int | None
    host: str | None
    started: str | None
    command: str | None
    run_id: str | None

    @classmethod
    def from_data(cls, data: Any) -> LockInfo | None:
        """The holder a side file's JSON names, or None unless every field has its type."""
        if not isinstance(data, dict):
            return None
        pid, host, started, command, run_id = (data.get(key) for key in (
            "pid", "host", "started", "command", "run_id"))
        texts_ok = all(isinstance(text, str) for text in (host, started, command))
        if type(pid) is not int or pid <= 0 or not texts_ok:
            return None
        if run_id is not None and not isinstance(run_id, str):
            return None
        return cls(pid, host, started, command, run_id)

    def alive(self) -> bool:
        """True: :func:`read_lock` gives a holder only while its OS lock is held, and the
        operating system ends that lock with the process."""
        return True

    def describe(self) -> str:
        if self.pid is None:
            return ("a process whose details are not recorded (its side file is missing or "
                    "unreadable)")
        run = f"run {self.run_id}, " if self.run_id else ""
        return (f"{run}pid {self.pid} on {self.host}, started {self.started}: "
                f"{self.command!r}")


UNKNOWN = LockInfo(None, None, None, None, None)


def read_details(path: Path) -> LockInfo | None:
    """The holder a side file names, or None when it is missing, malformed or foreign."""
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read(MAX_SIDE_FILE + 1))
    except (OSError, ValueError, RecursionError):
        return None
    return LockInfo.from_data(data)


def read_lock(path: Path) -> LockInfo | None:
    """The holder of the lock at ``path`` while one holds it (``UNKNOWN`` when its side file
    cannot tell who), else None.  No side file is no holder: every holder writes one at once,
    and this keeps ``aim runs`` from probing (and loading the lock code) after a clean exit."""
    side = holder_path(path)
    if not side.exists() or not is_held(path):
        return None
    return read_details(side) or UNKNOWN


class WorkspaceLock:
    """``with WorkspaceLock(ws, "aim migrate"):`` — raises LockHeld (exit 4) when taken."""

    def __init__(self, ws: Workspace, command: str, run_id: str | None = None) -> None:
        self.ws, self.path = ws, ws.lock_path
        self.info = LockInfo(os.getpid(), socket.gethostname(), utc_now(), command, run_id)
        self._lock = OsLock(self.path)

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock and record who holds it; LockHeld names the holder."""
        self.ws.ensure_state_dir()
        try:
            taken = self._lock.acquire(LOCK_WAIT)
        except OSError as err:
            self._lock.close()
            raise InputError(f"{self.path}: cannot be used as the workspace lock "
                             f"({err.strerror}); it should be a file AIM+ can write: move it "
                             f"away (mv {self.path} {self.path}.old) and run again") from None
        if not taken:
            self._lock.close()
            holder = read_details(holder_path(self.path)) or UNKNOWN
            raise LockHeld(f"another AIM+ run holds the workspace {self.ws.root}: "
                           f"{holder.describe()}. Wait for it to finish: the lock ends with "
                           "that process, even if it crashes")
        side = holder_path(self.path)
        with contextlib.suppress(OSError):  # the details serve messages only
            remove_temps(side.parent, side.name)  # a holder killed while writing them
            atomic_write_json(side, asdict(self.info), 0o600)

    def release(self) -> None:
        """Give the lock up (and its side file, if it still names this holder)."""
        if not self._lock.locked:
            return
        side = holder_path(self.path)
        if read_details(side) == self.info:
            with contextlib.suppress(OSError):
                side.unlink()
        self._lock.close()
