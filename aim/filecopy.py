"""Copying file contents: a reflink where the file system shares blocks, otherwise a chunked
copy (bounded memory), hashed on the way when the caller knows what the content must be.

:func:`atomic_write_file` replaces a file in one rename (through :func:`aim.fsio.atomic_fill`);
:func:`new_file_copy` fills a file that does not exist yet, in a folder the caller has just
made, where no temp file is needed: nothing but what the caller writes can be there.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from aim import faults
from aim.fsio import CHUNK, NEW_FILE, atomic_fill, fill_new_file, write_all

FICLONE = 0x40049409  # Linux ioctl: share another file's extents (btrfs, XFS, bcachefs)
# What a file system without reflinks answers (remembered for its device), and what one pair
# of files can answer (another file system, an immutable file): the copy is then made byte by
# byte.
_NO_REFLINK = {errno.EOPNOTSUPP, errno.ENOTTY, errno.ENOSYS}
_NOT_THIS_PAIR = {errno.EXDEV, errno.EINVAL, errno.EBADF, errno.EPERM}
_NO_REFLINK_DEVICES: set[int] = set()


def reflink(source: BinaryIO, dest: BinaryIO) -> bool:
    """Make ``dest`` share ``source``'s blocks (copy-on-write); False where the file system
    cannot, and nothing was written then."""
    if sys.platform == "win32":
        return False
    import fcntl  # POSIX only: there is no such module on Windows

    device = os.fstat(dest.fileno()).st_dev
    if device in _NO_REFLINK_DEVICES:  # asked once per file system
        return False
    try:
        fcntl.ioctl(dest.fileno(), FICLONE, source.fileno())
    except OSError as err:
        if err.errno in _NO_REFLINK:
            _NO_REFLINK_DEVICES.add(device)
        if err.errno in _NO_REFLINK or err.errno in _NOT_THIS_PAIR:
            return False
        raise
    return True


def copy_chunks(source: BinaryIO, dest: BinaryIO, hasher: Any = None) -> int:
    """Copy ``source`` to ``dest`` in chunks (bounded memory), feeding ``hasher`` (a hashlib
    object) what was copied; return the number of bytes."""
    size = 0
    for chunk in iter(lambda: source.read(CHUNK), b""):
        if hasher is not None:
            hasher.update(chunk)
        dest.write(chunk)
        size += len(chunk)
    return size


def copy_file_data(source: BinaryIO, dest: BinaryIO) -> None:
    """Copy all of ``source`` into the empty ``dest``: a reflink where the file system allows
    (no data is copied), a chunked copy otherwise."""
    if not reflink(source, dest):
        copy_chunks(source, dest)


class DigestMismatch(ValueError):
    """What was copied does not have the sha256 it should (the source is damaged)."""


def _filler(src: BinaryIO, source: str | os.PathLike[str], sha256: str | None
            ) -> Callable[[int], None]:
    """What copies the open ``src`` (the file ``source``) into a new file's descriptor,
    checking ``sha256`` when given (DigestMismatch)."""
    def fill(fd: int) -> None:
        size = os.fstat(src.fileno()).st_size
        data = src.read(size + 1) if size < CHUNK else None
        if data is not None and len(data) <= size:  # small, read whole: plain calls
            if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
                raise DigestMismatch(_mismatch(source, sha256))
            write_all(fd, data)
            return
        with open(source, "rb") as big, os.fdopen(fd, "w+b", closefd=False) as handle:
            _copy_large(big, handle, source, sha256)

    return fill


def atomic_write_file(path: Path, source: str | os.PathLike[str], mode: int | None = None,
                      durable: bool = True, sha256: str | None = None) -> None:
    """Atomically make ``path`` a copy of the file ``source``, streamed in chunks (or a
    reflink), so that memory stays bounded whatever the file's size.  With ``durable=False``
    it is not fsynced: pass it to :func:`aim.fsio.sync_files` with the rest of its batch.
    With ``sha256``, what is copied is hashed on the way and DigestMismatch raised before the
    rename when it differs (``path`` is then left as it was)."""
    with open(source, "rb", buffering=0) as src:
        atomic_fill(path, _filler(src, source, sha256), mode, durable)


def new_file_copy(path: str, source: str | os.PathLike[str], mode: int,
                  sha256: str | None = None) -> None:
    """Make ``path``, which must not exist yet (FileExistsError), a copy of ``source`` with
    ``mode``: no temp file and no fsync (pass it to :func:`aim.fsio.sync_files` with its
    batch).  Only for a folder the caller has just made, which holds nothing else; a failed
    copy (DigestMismatch, an OS error) removes what it wrote."""
    with open(source, "rb", buffering=0) as src:
        faults.check(path)
        fd = os.open(path, NEW_FILE, 0o600)
        fill_new_file(fd, path, _filler(src, source, sha256), mode, durable=False)


def _mismatch(source: str | os.PathLike[str], sha256: str) -> str:
    return f"{os.fspath(source)}: its content no longer has the sha256 {sha256} it was saved under"


def copy_hashed(src: BinaryIO, dst: BinaryIO) -> tuple[str, int]:
    """Copy ``src`` into the empty ``dst`` (open for reading too), as a reflink or in chunks;
    return (sha256, size) of what ``dst`` now holds.  A clone is hashed by reading ``dst``
    itself: the source may change under a live system, the clone cannot."""
    hasher = hashlib.sha256()
    if not reflink(src, dst):
        size = copy_chunks(src, dst, hasher)
        return hasher.hexdigest(), size
    dst.seek(0)
    size = 0
    for chunk in iter(lambda: dst.read(CHUNK), b""):
        hasher.update(chunk)
        size += len(chunk)
    return hasher.hexdigest(), size


def _copy_large(src: BinaryIO, handle: BinaryIO, source: str | os.PathLike[str],
                sha256: str | None) -> None:
    """Copy a large file in chunks or as a reflink, checking ``sha256`` when given."""
    if sha256 is None:
        copy_file_data(src, handle)
    elif copy_hashed(src, handle)[0] != sha256:
        raise DigestMismatch(_mismatch(source, sha256))
