"""The one lock implementation of AIM+: an exclusive operating-system lock on a file.

``flock`` on POSIX, ``LockFileEx`` on Windows, both through ``filelock``'s descriptor locks
(a small module, imported with this one).  The operating system
releases the lock when its holder ends, however it ends, so a crash never leaves a lock behind
and nothing has to guess from a pid whether a holder is still alive.  Each :class:`OsLock` has
its own open file, so two of them exclude each other within one process too (threads) as well
as across processes.  The lock file is never removed (a holder and a waiter would then lock two
different files); its contents do not matter.  Runs, the keyring-changing commands and the
audit trail all lock through here.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from filelock import lock_descriptor, unlock_descriptor

FILE_MODE = 0o600
_FIRST_POLL, _LAST_POLL = 0.001, 0.05  # seconds between attempts while another holds it


def _try_lock(fd: int) -> bool:
    return bool(lock_descriptor(fd, blocking=False))


def _unlock(fd: int) -> None:
    unlock_descriptor(fd)


def _open(path: Path, create: bool) -> int:
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | (os.O_CREAT if create else 0)
    return os.open(path, flags, FILE_MODE)


def names_file(path: Path, fd: int) -> bool:
    """True when ``path`` still names the open file ``fd`` (not removed or replaced)."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)


class OsLock:
    """An exclusive lock on ``path`` (created 0600 when missing).

    ``with lock:`` waits as long as it takes; ``acquire(timeout)`` says whether it got the
    lock in time.  The file stays open between holds (cheap to take again) until ``close``.
    OSError (the path is a folder, a symlink, not writable) is left to the caller.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.locked = False
        self._fd = -1

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock, waiting at most ``timeout`` seconds (None: until it is free)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = _FIRST_POLL
        while not self._attempt():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            time.sleep(delay if left is None else min(delay, left))
            delay = min(delay * 2, _LAST_POLL)
        return True

    def _attempt(self) -> bool:
        if self._fd < 0:
            self._fd = _open(self.path, create=True)
        if not _try_lock(self._fd):
            return False
        if names_file(self.path, self._fd):
            self.locked = True
            return True
        self.close()  # someone replaced the file since it was opened: lock the new one
        return False

    def release(self) -> None:
        """Give the lock up (the file stays open for the next hold)."""
        if self.locked:
            self.locked = False
            _unlock(self._fd)

    def close(self) -> None:
        """Give the lock up and close the file."""
        self.release()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> OsLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_held(path: Path) -> bool:
    """Whether some holder has the lock on ``path`` now.  A probe: it takes the lock for an
    instant when it is free (so takers wait a little, see WorkspaceLock); no file, or one
    that cannot be opened, is no lock held."""
    try:
        fd = _open(path, create=False)
    except OSError:
        return False
    try:
        if _try_lock(fd):
            _unlock(fd)
            return False
        return True
    finally:
        os.close(fd)
