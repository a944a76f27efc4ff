"""Backups: snapshots of workspace paths in ``.aim/backups/<id>/``, verified and restorable.

A backup folder holds ``manifest.json``: each saved path with the sha256 of its saved state (the
list of its entries: each file's sha256 and mode, symlink targets, folders; empty when the path
did not exist).  The states and the file contents go to the workspace's object store
(:mod:`aim.store.objects`), shared with other backups and with run checkpoints, durably before
the manifest is written: a backup of an unchanged tree adds only its small manifest.  (Format-1
manifests, from before the store, hold the entry lists themselves and the contents are in the
backup's own ``blobs/`` folder; both are still read.)  A backup is built in a hidden temp
folder and renamed into place, so a crash never leaves half a backup.  Restoring makes
each saved path exactly as it was (files that did not exist are removed) and re-hashes it; it
refuses any path that would leave the workspace root, including ones written into a tampered
manifest.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from aim.errors import CheckFailed, InputError, NotFound, UnsafePath
from aim.fsio import atomic_write_json, fsync_dir, sha256_bytes, sha256_file
from aim.store.objects import ObjectStore, store_for
from aim.workflow import snapshot
from aim.workspace import LATEST, Workspace, lexical

MANIFEST = "manifest.json"
FORMAT = 2
FORMATS = (1, 2)  # 1: entries inline and contents in the backup's blobs/; still read
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KINDS = ("file", "dir", "symlink")
TAMPERED = "the manifest was tampered with; nothing was restored, use another backup"


@dataclass(frozen=True)
class Backup:
    """One backup as its manifest tells it.

    ``paths`` are the saved paths (relative to the root), ``absent`` those of them that did
    not exist, ``entries`` every saved file, folder and symlink with its root-relative path.
    """

    id: str
    label: str | None
    created: str
    paths: tuple[str, ...]
    absent: tuple[str, ...]
    entries: tuple[Mapping[str, Any], ...]
    states: Mapping[str, tuple[snapshot.Entry, ...]]

    def to_dict(self) -> dict[str, Any]:
        """A summary for ``--json`` output."""
        return {"id": self.id, "label": self.label, "created": self.created,
                "paths": list(self.paths), "absent": list(self.absent),
                "entries": len(self.entries)}


def new_backup_id(now: datetime | None = None) -> str:
    """A unique id that sorts by creation time: ``20261124T150102.123456Z-3fa2``."""
    now = now or datetime.now(timezone.utc)
    return f"{now.strftime('%Y%m%dT%H%M%S.%f')}Z-{secrets.token_hex(2)}"


def _check_relative(ws: Workspace, rel: Any, where: str, fix: str | None = None) -> str:
    """``rel`` as a clean POSIX path inside the root (lexically); UnsafePath otherwise."""
    if not isinstance(rel, str) or not rel.strip():
        raise UnsafePath(f"{where}: {rel!r} is not a path; {fix or 'give a path inside the root'}")
    try:
        return lexical(rel, ws.root).relative_to(ws.root).as_posix()
    except UnsafePath as err:
        raise UnsafePath(f"{where}: {err}" + (f"; {fix}" if fix else "")) from None


def normalise(ws: Workspace, paths: Iterable[str]) -> list[str]:
    """The paths to save cleaned and checked (inside the root with symlinks followed, not the
    state folder), without duplicates or paths inside other ones."""
    cleaned: list[str] = []
    for index, rel in enumerate(paths):
        clean = _check_relative(ws, rel, f"paths[{index}]")
        if ws.is_state_path(ws.root / clean):
            raise UnsafePath(f"paths[{index}]: {rel!r} is AIM+'s state folder "
                             f"{ws.state_dir}, which is never backed up; leave it out")
        _target(ws, clean)
        cleaned.append(clean)
    if not cleaned:
        raise InputError("backup: no paths given; name the files and folders to save")
    unique = sorted(set(cleaned))
    return [p for p in unique if not any(_inside(p, q) for q in unique if q != p)]


def _inside(path: str, parent: str) -> bool:
    return parent == "." or path.startswith(parent + "/")


def _target(ws: Workspace, rel: str) -> Path:
    """The absolute path of a saved path, checked against the disk (see ``Workspace.path``):
    inside the root with its symlinks followed, outside the state folder (which a snapshot
    leaves out when it is inside a saved folder)."""
    return ws.path(rel, around_state=True)


def _bad(where: str, what: str) -> CheckFailed:
    return CheckFailed(f"{where}: {what}; the backup is damaged or was edited by hand, so it "
                       "is not used: restore another backup (each folder in .aim/backups is one)")


def _parse_manifest(ws: Workspace, raw: Any, where: str) -> dict[str, tuple[snapshot.Entry, ...]]:
    """The saved states of a manifest, every path in it checked to stay inside the root."""
    if not isinstance(raw, dict) or raw.get("format") not in FORMATS:
        raise _bad(where, "not a format-1 or format-2 backup manifest")
    if not isinstance(raw.get("states"), list):
        raise _bad(where, "'states' is missing or not a list")
    states: dict[str, tuple[snapshot.Entry, ...]] = {}
    for index, state in enumerate(raw["states"]):
        place = f"{where}: states[{index}]"
        if not isinstance(state, dict) or not isinstance(state.get("entries"), list):
            raise _bad(place, "not a {path, entries} object")
        rel = _check_relative(ws, state.get("path"), f"{place}.path", TAMPERED)
        if rel != state["path"] or ws.is_state_path(ws.root / rel):
            raise UnsafePath(f"{place}.path: {state['path']!r} is not a plain path inside the "
                             "root outside the state folder; the manifest was tampered with")
        if any(rel == q or _inside(rel, q) or _inside(q, rel) for q in states):
            raise _bad(f"{place}.path", f"{rel!r} overlaps another saved path")
        states[rel] = tuple(_check_entries(ws, rel, state["entries"], place))
    return states


def _check_entries(ws: Workspace, rel: str, entries: list[Any],
                   place: str) -> list[snapshot.Entry]:
    """One state's entries, each inside a saved folder of the same state (never a symlink)."""
    kinds: dict[str, str] = {}
    base = ws.root / rel
    guard = base == ws.state_dir or base in ws.state_dir.parents  # the state folder is in it
    for index, entry in enumerate(entries):
        at = f"{place}.entries[{index}]"
        if not isinstance(entry, dict) or entry.get("kind") not in _KINDS:
            raise _bad(at, "not a file, dir or symlink entry")
        inner: Any = entry.get("path")
        if (inner == ".") != (index == 0):
            raise _bad(f"{at}.path", "the saved path itself ('.') must be the first entry")
        if inner != ".":
            if not _plain(inner):  # the full check, for its message (or an unusual name)
                clean = _check_relative(ws, inner, f"{at}.path", TAMPERED)
                if clean != inner or "." in PurePosixPath(clean).parts:
                    raise _bad(f"{at}.path", f"{inner!r} is not a plain, unique relative path")
            if inner in kinds:
                raise _bad(f"{at}.path", f"{inner!r} is not a plain, unique relative path")
            if kinds.get(inner.rpartition("/")[0] or ".") != "dir":
                raise UnsafePath(f"{at}.path: {inner!r} is not inside a saved folder (it would "
                                 "be written through a symlink or a file); the manifest was "
                                 "tampered with")
        if guard and ws.is_state_path(base / inner):
            raise UnsafePath(f"{at}.path: {inner!r} is inside the state folder; the manifest "
                             "was tampered with")
        _check_fields(entry, at)
        kinds[inner] = entry["kind"]
    return entries


def _plain(inner: Any) -> bool:
    """True for a clean relative POSIX path with no empty, ``.`` or ``..`` part and nothing a
    platform reads otherwise (``\\``, ``:``): what saved entries are, checked cheaply."""
    return (isinstance(inner, str) and bool(inner) and not inner.startswith("/")
            and "\\" not in inner and ":" not in inner
            and all(part not in ("", ".", "..") for part in inner.split("/")))


def _check_fields(entry: dict[str, Any], at: str) -> None:
    kind, mode = entry["kind"], entry.get("mode")
    if kind != "symlink" and not (isinstance(mode, int) and 0 <= mode <= 0o7777):
        raise _bad(f"{at}.mode", f"{mode!r} is not a file mode")
    if kind == "file" and not (isinstance(entry.get("sha256"), str)
                               and _SHA256.fullmatch(entry["sha256"])):
        raise _bad(f"{at}.sha256", "not a sha256 hex digest")
    if kind == "symlink" and not (isinstance(entry.get("target"), str) and entry["target"]):
        raise _bad(f"{at}.target", "a symlink without a target")


def _flatten(rel: str, entries: Iterable[snapshot.Entry]) -> list[dict[str, Any]]:
    """A saved path's entries with root-relative paths (for listings and counts)."""
    flat = []
    for entry in entries:
        inner = entry["path"]
        full = rel if inner == "." else (inner if rel == "." else f"{rel}/{inner}")
        flat.append({**entry, "path": full})
    return flat


def create_backup(ws: Workspace, paths: Iterable[str], label: str | None = None) -> Backup:
    """Save ``paths`` (relative to the root) as a new backup; changes no workspace file."""
    rels = normalise(ws, paths)
    backup_id = new_backup_id()
    ws.ensure_state_dir()
    ws.backups_dir.mkdir(mode=0o700, exist_ok=True)
    staging = ws.backups_dir / f".{backup_id}.tmp"
    staging.mkdir(mode=0o700)
    store = store_for(ws.state_dir)
    try:
        captured = {rel: snapshot.capture(_target(ws, rel), store, ws.is_state_path,
                                          commit=False) for rel in rels}
        states = [{"path": rel, "state": store.put_json(entries)}
                  for rel, entries in captured.items()]
        store.commit()  # once, for every path's contents and states, before the manifest
        manifest = {"format": FORMAT, "id": backup_id, "label": label,
                    "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "root": str(ws.root), "states": states}
        atomic_write_json(staging / MANIFEST, manifest, 0o600)
        os.replace(staging, ws.backups_dir / backup_id)
    except BaseException:
        store.discard()  # what was not committed yet (nothing once the commit returned)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_dir(ws.backups_dir)
    return _summary(backup_id, manifest, {rel: tuple(es) for rel, es in captured.items()})


def backup_ids(ws: Workspace) -> list[str]:
    """Every complete backup's id, oldest first."""
    if not ws.backups_dir.is_dir():
        return []
    return sorted(p.name for p in ws.backups_dir.iterdir()
                  if not p.name.startswith(".") and (p / MANIFEST).is_file())


def _resolve_id(ws: Workspace, id_or_latest: str) -> str:
    ids = backup_ids(ws)
    if id_or_latest == LATEST:
        if not ids:
            raise NotFound(f"no backups yet in {ws.backups_dir}; make one with 'aim backup'")
        return ids[-1]
    if id_or_latest not in ids:
        known = ", ".join(ids[-10:]) or "none"
        raise NotFound(f"no backup {id_or_latest!r} in {ws.backups_dir} (known: {known}); "
                       "give one of those ids or 'latest'")
    return id_or_latest


def load_backup(ws: Workspace, id_or_latest: str = LATEST) -> Backup:
    """The backup ``id_or_latest``; NotFound names the known ids, CheckFailed/UnsafePath
    name what is wrong with a damaged or tampered manifest."""
    backup_id = _resolve_id(ws, id_or_latest)
    path = ws.backups_dir / backup_id / MANIFEST
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError) as err:
        raise CheckFailed(f"{path}: the manifest cannot be read ({err}); this backup is "
                          "damaged, use another one") from None
    states = _parse_manifest(ws, _inline_states(ws, backup_id, raw, str(path)), str(path))
    return _summary(backup_id, raw, states)


def _summary(backup_id: str, raw: Mapping[str, Any],
             states: dict[str, tuple[snapshot.Entry, ...]]) -> Backup:
    label = raw.get("label")
    return Backup(
        id=backup_id, label=label if isinstance(label, str) else None,
        created=str(raw.get("created", "")),
        paths=tuple(states), absent=tuple(p for p, e in states.items() if not e),
        entries=tuple(e for rel, es in states.items() for e in _flatten(rel, es)),
        states=states)


def _inline_states(ws: Workspace, backup_id: str, raw: Any, where: str) -> Any:
    """A format-2 manifest with each state's entry list read from the store in its place,
    each checked to be the object its sha256 names."""
    if not isinstance(raw, dict) or raw.get("format") != 2 or not isinstance(
            raw.get("states"), list):
        return raw
    store, states = _store(ws, backup_id), []
    for index, state in enumerate(raw["states"]):
        sha = state.get("state") if isinstance(state, dict) else None
        if not (isinstance(sha, str) and _SHA256.fullmatch(sha)):
            raise _bad(f"{where}: states[{index}].state", "not a sha256 hex digest")
        blob = store.locate(sha)
        try:
            raw_state = blob.read_bytes()
        except OSError as err:
            raise _bad(f"{where}: states[{index}]", f"its saved state {sha} cannot be read "
                       f"from the store ({err})") from None
        if sha256_bytes(raw_state) != sha:
            raise _bad(f"{where}: states[{index}]", f"sha256 mismatch in object {blob} "
                       "(its saved state)")
        try:
            entries = json.loads(raw_state)
        except ValueError as err:
            raise _bad(f"{where}: states[{index}]", f"its saved state {sha} cannot be read "
                       f"from the store ({err})") from None
        states.append({"path": state.get("path"), "entries": entries})
    return {**raw, "states": states}


def list_backups(ws: Workspace) -> list[Backup]:
    """Every backup, oldest first."""
    return [load_backup(ws, backup_id) for backup_id in backup_ids(ws)]


def verify_backup(ws: Workspace, backup_id: str, loaded: Backup | None = None) -> list[str]:
    """Problems with a backup: a bad manifest, a missing object, an object whose sha256
    differs (``loaded``: the backup as :func:`load_backup` just read it)."""
    try:
        backup = loaded or load_backup(ws, backup_id)
    except (CheckFailed, UnsafePath) as err:
        return [f"bad manifest: {err}"]
    blobs = _store(ws, backup.id)
    names: dict[str, list[str]] = {}
    for entry in backup.entries:
        if entry["kind"] == "file":
            names.setdefault(entry["sha256"], []).append(entry["path"])
    problems: list[str] = []
    for sha in sorted(names):
        blob = blobs.locate(sha)
        try:
            found = sha256_file(blob)
        except FileNotFoundError:
            problems.append(f"missing object {blob} (content of {', '.join(names[sha])})")
            continue
        if found != sha:
            problems.append(f"sha256 mismatch in object {blob} "
                            f"(content of {', '.join(names[sha])})")
    return problems


def _store(ws: Workspace, backup_id: str) -> ObjectStore:
    """Where this backup's contents are: the store, or its own ``blobs/`` if it is older."""
    return store_for(ws.state_dir, ws.backups_dir / backup_id)


def _loaded(ws: Workspace, backup: Backup | str) -> Backup:
    """``backup`` itself when it is already loaded, else the backup with that id (or
    ``latest``) as :func:`load_backup` reads it."""
    return backup if isinstance(backup, Backup) else load_backup(ws, backup)


def backup_touches(ws: Workspace, backup: Backup | str) -> dict[str, Path]:
    """The root-relative paths restoring this backup (loaded, or its id) would change (to
    checkpoint first), each with its absolute path, checked against the disk now: UnsafePath
    when a symlink leads one outside the root."""
    return {rel: _target(ws, rel) for rel in _loaded(ws, backup).paths}


def backup_size(ws: Workspace, backup: Backup | str) -> int:
    """Bytes the backup (loaded, or its id) takes in the state folder: its folder and the
    objects it refers to (an object shared with other backups or runs counts in each)."""
    found = _loaded(ws, backup)
    folder = ws.backups_dir / found.id
    own = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    blobs = _store(ws, found.id)
    shas = {e["sha256"] for e in found.entries if e["kind"] == "file"}
    return own + sum(p.stat().st_size for p in map(blobs.locate, shas)
                     if p.is_file() and not p.is_relative_to(folder))


def restore_changes(ws: Workspace, backup: Backup | str) -> list[tuple[str, str]]:
    """(root-relative path, what a restore does to it) for every path that differs from the
    backup (loaded, or its id) now: ``overwrite`` (changed since), ``create`` (gone since),
    ``remove`` (new since)."""
    changes: list[tuple[str, str]] = []
    for rel, saved in _loaded(ws, backup).states.items():
        current = snapshot.capture(_target(ws, rel), exclude=ws.is_state_path)
        want = {e["path"] for e in saved}
        have = {e["path"] for e in current}
        for inner in snapshot.differences(list(saved), current):
            what = "overwrite" if inner in want and inner in have else \
                "create" if inner in want else "remove"
            full = rel if inner == "." else (inner if rel == "." else f"{rel}/{inner}")
            changes.append((full, what))
    return changes


def restore_backup(ws: Workspace, which: Backup | str) -> list[str]:
    """Put every path of the backup (loaded, or its id) back exactly as saved; return the
    restored paths.

    The backup's objects are verified before anything is written, every target is checked to
    be inside the root (no symlink on the way leading out), and each path is re-hashed
    afterwards.
    """
    backup = _loaded(ws, which)
    problems = verify_backup(ws, backup.id, backup)
    if problems:
        raise CheckFailed(f"backup {backup.id} does not verify, nothing was restored: "
                          + "; ".join(problems[:10]))
    targets = {rel: _target(ws, rel) for rel in backup.paths}
    blobs = _store(ws, backup.id)
    for rel, target in targets.items():
        snapshot.restore(target, list(backup.states[rel]), blobs, ws.is_state_path)
    return list(backup.paths)
