"""One run at a time per workspace: a lock file that names its holder.

The lock records pid, host, start time, command and run id.  It is created complete in one
step (written to a temp file, then hard-linked into place), so no reader ever sees it half
written.  A lock whose process is gone (checked by pid and the process's start time, so a
reused pid does not count) is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aim.errors import LockHeld
from aim.workflow.journal import utc_now
from aim.workspace import Workspace


def _process_start(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (Linux), to tell a live holder from a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


@dataclass(frozen=True)
class LockInfo:
    """Who holds (or held) the workspace lock."""

    pid: int
    host: str
    started: str
    command: str
    run_id: str | None
    pid_start: str | None = None

    def alive(self) -> bool:
        """True unless the holder is known to be gone (another host's holder counts as alive)."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        now = _process_start(self.pid)
        return self.pid_start is None or now is None or now == self.pid_start

    def describe(self) -> str:
        run = f"run {self.run_id}, " if self.run_id else ""
        return (f"{run}pid {self.pid} on {self.host}, started {self.started}: "
                f"{self.command!r}")


def read_lock(path: Path) -> LockInfo | None:
    """The lock's holder, or None when there is no (readable) lock."""
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return LockInfo(**data)
    except (OSError, ValueError, TypeError):
        return None


class WorkspaceLock:
    """``with WorkspaceLock(ws, "aim migrate"):`` — raises LockHeld (exit 4) when taken."""

    def __init__(self, ws: Workspace, command: str, run_id: str | None = None) -> None:
        self.ws, self.path = ws, ws.lock_path
        self.info = LockInfo(os.getpid(), socket.gethostname(), utc_now(), command, run_id,
                             _process_start(os.getpid()))

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _create(self) -> bool:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".lock.")
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(asdict(self.info), handle)
            os.link(tmp, self.path)
            return True
        except FileExistsError:
            return False
        finally:
            os.unlink(tmp)

    def acquire(self) -> None:
        """Take the lock, taking over one left by a dead process."""
        self.ws.ensure_state_dir()
        for _ in range(5):
            if self._create():
                return
            holder = read_lock(self.path)
            if holder is not None and holder.alive():
                raise LockHeld(f"another AIM+ run holds the workspace {self.ws.root}: "
                               f"{holder.describe()}. Wait for it to finish, or if that "
                               f"process is gone from another machine, remove {self.path}")
            self._take_over(holder)
        raise LockHeld(f"could not take the lock {self.path}: other runs keep taking it")

    def _take_over(self, stale: LockInfo | None) -> None:
        """Remove a dead holder's lock, unless it changed meanwhile (another taker won)."""
        if stale is None and not self.path.exists():
            return
        if read_lock(self.path) == stale:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def release(self) -> None:
        """Give the lock up if it is still ours."""
        if read_lock(self.path) == self.info:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
