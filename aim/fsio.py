"""Durable file primitives: atomic writes, fsynced appends, hashing.

Every file AIM+ writes goes through here, so that a crash at any moment leaves either the old
content or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from aim import faults

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of the file at ``path`` (read in chunks, never whole into memory)."""
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as handle:
        # a small file is read in one call of its own size, not into a fresh 1 MiB buffer
        size = min(os.fstat(handle.fileno()).st_size + 1, CHUNK)
        for chunk in iter(lambda: handle.read(size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: str | os.PathLike[str]) -> None:
    """Make a directory's entries (a new or renamed file) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# The temp file of an atomic write of NAME: ".NAME.xxxxxxxx.tmp" beside it (mkstemp's random
# part), which a process killed before the rename leaves behind.
_Made = TypeVar("_Made")
_TEMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
# A file made exclusively (never one that exists, never through a symlink)
NEW_FILE = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))


def _new_temp(folder: Path, name: str, make: Callable[[str], _Made]) -> tuple[_Made, str]:
    """``make(path)`` at a free temp path ``.NAME.xxxxxxxx.tmp`` in ``folder``: (its result,
    path); ``make`` must fail with FileExistsError when the path is taken."""
    # mkstemp's own name maker costs more than the write of a small file; this is the same
    # name, made exclusively, with a random part from the OS
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return make(path), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name", os.fspath(folder))


def temp_file(folder: Path, name: str) -> tuple[int, str]:
    """A new temp file (0600) in ``folder`` for the file ``name``: (fd, path)."""
    return _new_temp(folder, name, lambda path: os.open(path, NEW_FILE, 0o600))


def temp_target(name: str) -> str | None:
    """The file name that the temp file ``name`` was written for, or None if it is not one."""
    match = _TEMP.fullmatch(name)
    return match["name"] if match else None


def temps(folder: Path, name: str | None = None) -> list[Path]:
    """The temp files of atomic writes in ``folder`` (only those of the file ``name``, when
    given)."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(folder / n for n in names if temp_target(n) is not None
                  and (name is None or temp_target(n) == name))


def remove_temps(folder: Path, name: str | None = None) -> list[Path]:
    """Remove the temp files that interrupted writes left in ``folder`` (only those of the file
    ``name``, when given); return them.  Only while no one else writes there (the lock)."""
    stale = temps(folder, name)
    for path in stale:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return stale


_FIXES = {errno.ENOSPC: "free some space", errno.EDQUOT: "free some space",
          errno.EROFS: "the file system is read-only", errno.EACCES: "make it writable",
          errno.EPERM: "make it writable: chmod, or chattr -i for an immutable file"}


def describe_os_error(err: OSError, path: bool = True) -> str:
    """An OS error as a message: what failed, where (unless not ``path``), the usual fix."""
    where = f": {err.filename}" if err.filename and path else ""
    fix = _FIXES.get(err.errno or 0)
    return f"{err.strerror or err}{where}" + (f" ({fix})" if fix else "")


def fill_new_file(fd: int, path: str, fill: Callable[[int], None], mode: int | None,
                  durable: bool) -> None:
    """Fill the file just made at ``path`` (open as ``fd``) with ``fill``, fsync it with
    ``durable``, close it and give it ``mode``; on any failure it is removed."""
    try:
        try:
            fill(fd)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(path, mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        raise


def atomic_fill(path: Path, fill: Callable[[int], None], mode: int | None,
                durable: bool = True) -> None:
    """Fill a temp file in ``path``'s folder with ``fill`` (given its descriptor), fsync it,
    rename it over ``path`` (without ``durable``, no fsync: the caller makes a whole batch
    durable with sync_files)."""
    faults.check(path)
    try:
        fd, tmp = temp_file(path.parent, path.name)
    except FileNotFoundError:  # the folder is missing (rarely: tried first, one call less)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temp_file(path.parent, path.name)
    fill_new_file(fd, tmp, fill, mode, durable)
    try:
        faults.in_write(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_symlink(path: Path, target: str) -> None:
    """Make ``path`` a symbolic link to ``target`` in one rename (over what was there)."""
    faults.check(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _, tmp = _new_temp(path.parent, path.name, lambda link: os.symlink(target, link))
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (a regular file may take it in parts)."""
    view = memoryview(data)
    while view:  # os.write may write less than asked
        view = view[os.write(fd, view):]


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder, fsync, rename."""
    atomic_fill(path, lambda fd: write_all(fd, data), mode)


BATCH = 32  # more files than this are made durable by one syncfs, not one fsync each


def _syncfs() -> Any:
    """libc's ``syncfs`` (Linux: flush one file system and wait for it), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


def sync_filesystem(folder: Path) -> bool:
    """Flush the file system that holds ``folder`` (data and metadata, every file); False if
    this system has no ``syncfs`` (then each file must be fsynced)."""
    call = _syncfs()
    if call is None:
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        if call(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(folder))
    finally:
        os.close(fd)
    return True


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Make one file's data durable (a file its mode lets no one open: the whole system)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except PermissionError:
        os.sync()
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_files(files: Sequence[str | os.PathLike[str]],
               folders: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Make files written without fsync durable, with their folders' entries and ``folders``
    (a batch of renames: ``files`` may be empty): one ``syncfs`` per file system for a large
    batch, else an fsync each."""
    dirs = {os.path.dirname(os.fspath(name)) for name in files}
    dirs.update(os.fspath(folder) for folder in folders)
    if len(files) + len(dirs) > BATCH:
        devices = {os.stat(folder).st_dev: folder for folder in dirs}
        if all([sync_filesystem(Path(folder)) for folder in devices.values()]):
            return
    for path in files:
        fsync_file(path)
    for folder in dirs:
        fsync_dir(folder)


def folder_size(path: Path) -> int:
    """Bytes of the regular files under ``path`` (0 when it does not exist)."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(folder, name))
            except FileNotFoundError:
                continue
            total += st.st_size
    return total


def dumps_json(obj: Any) -> str:
    """The one JSON style of AIM+ files: two-space indent, key order kept, final newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def atomic_write_json(path: Path, obj: Any, mode: int | None = None) -> None:
    """Atomically write ``obj`` as JSON (see :func:`dumps_json`)."""
    atomic_write_bytes(path, dumps_json(obj).encode("utf-8"), mode)


_Opened = TypeVar("_Opened", bound="Closing")


class Closing:
    """A file-like thing that ``with`` closes: subclasses define ``close``."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Opened) -> _Opened:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AppendLog(Closing):
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
        faults.check(self.path)
        os.write(self._fd, (line + "\n").encode("utf-8"))
        if sync:
            os.fsync(self._fd)

    def close(self) -> None:
        """Close the file; further appends fail."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


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
