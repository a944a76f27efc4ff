"""Capture and restore the exact state of a path: absent, a file, a symlink or a whole tree.

A state is a list of entries relative to the captured path (``"."`` is the path itself; an
empty list means "absent").  File contents go to the workspace's object store
(:mod:`aim.store.objects`), so capturing the same bytes twice stores them once, and a file the
store's index proves unchanged is not even read.  Restoring makes the path exactly match the
entries — contents, modes, symlinks, and nothing more, each file streamed from its object —
then re-captures it to prove it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aim import faults
from aim.errors import CheckFailed, InputError
from aim.filecopy import DigestMismatch, atomic_write_file, new_file_copy
from aim.fsio import sha256_file, sync_files
from aim.store.objects import ObjectStore

Entry = dict[str, Any]
# Paths are plain strings inside a capture or a restore: they run once per entry of trees of
# any size, where building a Path for each costs more than the system calls
Exclude = Callable[[str], bool]
# How a capture learns a file's (sha256, size): stored in the object store, hashed, or known
Hasher = Callable[[str, str, os.stat_result], tuple[str, int]]


def _never(_: str) -> bool:
    return False


def digest(entries: list[Entry]) -> str:
    """One hash for a whole state (stable: entries are kept sorted by path)."""
    return hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()


def _hashed(path: str, _rel: str, st: os.stat_result) -> tuple[str, int]:
    return sha256_file(path), st.st_size


def _entry(path: str, rel: str, st: os.stat_result, content: Hasher) -> Entry:
    mode = stat.S_IMODE(st.st_mode)
    if stat.S_ISLNK(st.st_mode):
        return {"path": rel, "kind": "symlink", "target": os.readlink(path)}
    if stat.S_ISDIR(st.st_mode):
        return {"path": rel, "kind": "dir", "mode": mode}
    if not stat.S_ISREG(st.st_mode):  # reading a FIFO would block forever
        raise InputError(f"{path}: not a regular file, folder or symlink (a FIFO, socket or "
                         "device), so it cannot be saved or restored; move it out of the way")
    sha, size = content(path, rel, st)
    return {"path": rel, "kind": "file", "mode": mode, "sha256": sha, "size": size}


def entry_order(entry: Entry) -> tuple[bool, str]:
    """The path itself first (``"-x"`` sorts before ``"."``), then parents before children."""
    return entry["path"] != ".", entry["path"]


def capture(path: Path, blobs: ObjectStore | None = None,
            exclude: Exclude = _never, *, commit: bool = True) -> list[Entry]:
    """The state of ``path``; with ``blobs``, file contents are stored there too, durably
    before this returns (so a record naming them may be written next).

    ``commit=False`` leaves the new contents in the store's batch for the caller to commit
    (one commit for several captures) before it writes a record naming them; a capture that
    fails still discards the whole batch.
    """
    if blobs is None:
        return _capture(path, _hashed, exclude)
    blobs.begin()
    try:
        entries = _capture(path, lambda file, _rel, st: blobs.put(file, st), exclude)
    except BaseException:
        blobs.discard()
        raise
    if commit:
        blobs.commit()
    return entries


def _capture(path: Path, content: Hasher, exclude: Exclude) -> list[Entry]:
    top_name = os.fspath(path)
    try:
        top = os.lstat(top_name)
    except FileNotFoundError:
        return []
    entries = [_entry(top_name, ".", top, content)]
    if entries[0]["kind"] != "dir":
        return entries
    pending = [(top_name, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                child = item.path
                if exclude(child):
                    continue
                rel = prefix + item.name
                entries.append(_entry(child, rel, item.stat(follow_symlinks=False), content))
                if entries[-1]["kind"] == "dir":
                    pending.append((child, rel + "/"))
    return sorted(entries, key=entry_order)


def _remove(path: str) -> None:
    faults.check(path, needs_space=False)
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _target(path: str, rel: str) -> str:
    return path if rel == "." else os.path.join(path, rel)


def _parent(rel: str) -> str:
    """The relative path of the folder holding the entry ``rel`` (``"."`` for the top's)."""
    return rel.rpartition("/")[0] or "."


def _chmod(path: str, mode: int) -> None:
    """Give ``path`` its recorded mode, only if it has another (an immutable file refuses)."""
    if stat.S_IMODE(os.lstat(path).st_mode) != mode:
        faults.check(path, needs_space=False)
        os.chmod(path, mode)


def _writable(folder: str) -> None:
    """Let a restore write into ``folder``; its recorded mode is set again afterwards."""
    if not os.access(folder, os.W_OK | os.X_OK) and os.path.isdir(folder):  # one call if so
        os.chmod(folder, 0o700)


def _copy(dest: str, entry: Entry, blobs: ObjectStore, new: bool) -> None:
    """Write the file entry's content at ``dest``: straight into a new file in a folder this
    restore made (``new``: nothing else can be there), else by an atomic replace."""
    source, sha = blobs.source(entry["sha256"]), entry["sha256"]
    try:
        if new:
            new_file_copy(dest, source, entry["mode"], sha256=sha)
        else:
            atomic_write_file(Path(dest), source, entry["mode"], durable=False, sha256=sha)
    except DigestMismatch as err:
        raise CheckFailed(f"{dest}: not restored, the saved copy is damaged ({err}); "
                          "check the disk, and restore from another backup") from None


def _put(dest: str, entry: Entry, blobs: ObjectStore, made: set[str]) -> bool:
    """Make ``dest`` the entry; True when file contents were written (not yet durable).
    ``made``: the folders (relative paths) this restore created, which it adds to."""
    kind, rel = entry["kind"], entry["path"]
    if _parent(rel) in made and rel != ".":  # a new folder: nothing is there yet
        if kind == "dir":
            os.mkdir(dest, 0o700)  # writable while we fill it; its mode is set afterwards
            made.add(rel)
        elif kind == "symlink":
            os.symlink(entry["target"], dest)
        else:
            _copy(dest, entry, blobs, new=True)
            return True
        return False
    try:
        mode: int | None = os.lstat(dest).st_mode  # one call: this runs for every entry
    except FileNotFoundError:
        mode = None
    if mode is not None and (kind == "symlink" or stat.S_ISLNK(mode)
                             or stat.S_ISDIR(mode) != (kind == "dir")):
        _remove(dest)
        mode = None
    if kind != "dir":
        _writable(os.path.dirname(dest))
    if kind == "dir":
        if mode is None:
            os.makedirs(dest)
            os.chmod(dest, 0o700)  # writable while we fill it; the real mode is set afterwards
            made.add(rel)
    elif kind == "symlink":
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.symlink(entry["target"], dest)
    elif not (mode is not None and stat.S_ISREG(mode)
              and sha256_file(dest) == entry["sha256"]):
        _copy(dest, entry, blobs, new=False)
        return True
    else:
        _chmod(dest, entry["mode"])
    return False


def _prune(path: str, wanted: dict[str, str], exclude: Exclude) -> None:
    """Remove what is under ``path`` now but not in the wanted state (or of another kind)."""
    start = len(os.path.join(path, ""))
    for folder, dirs, files in os.walk(path, topdown=True):
        for name in [*dirs, *files]:
            child = os.path.join(folder, name)
            if exclude(child):
                if name in dirs:
                    dirs.remove(name)
                continue
            rel = child[start:].replace(os.sep, "/")
            kind = "symlink" if os.path.islink(child) else ("dir" if name in dirs else "file")
            if wanted.get(rel) != kind:
                _remove(child)
                if name in dirs:
                    dirs.remove(name)
            elif kind == "symlink" and name in dirs:
                dirs.remove(name)


def restore(path: Path, entries: list[Entry], blobs: ObjectStore,
            exclude: Exclude = _never) -> bool:
    """Make ``path`` exactly the captured state and verify it; CheckFailed if it differs.

    Only what differs is touched: a path already in that state is left alone (False), so a
    file the run never changed is never written, even when it cannot be.  A file that goes
    where something is replaced is written through a temp file and a rename; one that goes
    into a folder this restore made is written in place, as nothing else is there (a restore
    cut short leaves it half-written: the next one writes it again).  The files written are
    made durable together (one ``syncfs`` for many) before this returns, so the record of the
    restore that the caller writes next never runs ahead of the disk.  Each file written was
    hashed as it was copied; the final check re-reads only the others.
    """
    current = capture(path, None, exclude)
    if current == entries:  # the same as comparing digests, without serialising both
        return False
    top = os.fspath(path)
    written: dict[str, str] = {}
    if not entries:
        _remove(top)
    else:
        if entries[0]["kind"] == "dir" and path.is_dir() and not path.is_symlink():
            _prune(top, {e["path"]: e["kind"] for e in entries[1:]}, exclude)
        have = {e["path"]: e for e in current}
        made: set[str] = set()
        changed = [(_target(top, e["path"]), e) for e in entries if have.get(e["path"]) != e]
        written = {e["path"]: e["sha256"] for target, e in changed
                   if _put(target, e, blobs, made)}
        for entry in reversed(entries):
            if entry["kind"] == "dir":
                _chmod(_target(top, entry["path"]), entry["mode"])
        # the files written, and every folder whose entries changed: new folders and links too
        sync_files([target for target, e in changed if e["path"] in written],
                   {path.parent, *(os.path.dirname(target) for target, _ in changed)})
    after = _capture(path, lambda file, rel, st: (written[rel], st.st_size) if rel in written
                     else _hashed(file, rel, st), exclude)
    if after != entries:
        raise CheckFailed(f"{path}: after restoring, the contents do not match the recorded "
                          "sha256 sums; check the disk and run the rollback again")
    return True


def put_back(path: Path, entries: list[Entry], moved: Path, exclude: Exclude = _never) -> bool:
    """Make ``path`` the captured state by renaming ``moved`` back over it (the path itself,
    moved aside when it was captured, see ``CheckpointStore.take``) and verify it; False when
    ``path`` is in that state already (``moved`` is then not needed)."""
    current = capture(path, None, exclude)
    if current == entries:
        return False
    if not os.path.lexists(moved):
        raise CheckFailed(f"{path}: not restored, the run moved it aside to {moved}, which is "
                          "gone; restore it from a backup")
    if current:
        _remove(os.fspath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    faults.check(path, needs_space=False)
    os.rename(moved, path)
    sync_files([], [path.parent, moved.parent])
    if capture(path, None, exclude) != entries:
        raise CheckFailed(f"{path}: after restoring, the contents do not match the recorded "
                          "sha256 sums; check the disk and run the rollback again")
    return True


def differences(expected: list[Entry], current: list[Entry]) -> list[str]:
    """Relative paths whose kind, content, mode or target differ between two states."""
    want = {e["path"]: e for e in expected}
    have = {e["path"]: e for e in current}
    return sorted(p for p in want.keys() | have.keys() if want.get(p) != have.get(p))
