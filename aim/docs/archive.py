"""Copy files with a proof: sha256 checked after the copy, and a manifest of what went where."""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from aim.errors import CheckFailed, UnsafePath
from aim.filecopy import DigestMismatch, atomic_write_file
from aim.fsio import atomic_symlink, atomic_write_json, sha256_bytes, sha256_file
from aim.workspace import under

MANIFEST = "MANIFEST.json"


@dataclass(frozen=True)
class Copied:
    """One file copied from ``source`` to ``dest`` (root-relative), with its sha256 and size."""

    source: str
    dest: str
    sha256: str
    size: int
    kind: str  # archived | moved


def entry_digest(path: Path) -> str:
    """The sha256 of a file, or of ``symlink:<target>`` for a symbolic link (never followed)."""
    if path.is_symlink():
        return sha256_bytes(f"symlink:{os.readlink(path)}".encode())
    return sha256_file(path)


def same_entry(a: Path, b: Path) -> bool:
    """True when two paths hold the same file bytes (or the same link target)."""
    return (a.is_symlink() or a.is_file()) and (b.is_symlink() or b.is_file()) \
        and entry_digest(a) == entry_digest(b)


def copy_verified(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst`` (mode and times kept) and prove the copy; return its digest.

    The copy goes through a temp file next to ``dst`` (:mod:`aim.fsio`), hashed as it is
    written, and is renamed only when its sha256 is the source's, so ``dst`` never holds a
    partial or wrong copy.  A symbolic link is copied as a link (see :func:`entry_digest`).
    """
    expected = entry_digest(src)
    if src.is_symlink():
        atomic_symlink(dst, os.readlink(src))
        return expected
    try:
        atomic_write_file(dst, src, stat.S_IMODE(src.stat().st_mode), sha256=expected)
    except DigestMismatch:
        raise CheckFailed(f"{dst}: the copy of {src} does not have the sha256 {expected} (the "
                          "source changed or the disk failed); the source was kept; check the "
                          "disk and run again") from None
    shutil.copystat(src, dst)  # the times, as the archive keeps them
    return expected


def write_manifest(path: Path, source: str, entries: list[Copied]) -> None:
    """Write (or extend) the manifest at ``path``: every copied file, keyed by its source."""
    known: dict[str, dict[str, object]] = {}
    if path.is_file():
        known = {e["source"]: e for e in json.loads(path.read_text("utf-8")).get("files", [])}
    known.update({e.source: asdict(e) for e in entries})
    atomic_write_json(path, {"version": 1, "source": source,
                             "files": [known[k] for k in sorted(known)]}, 0o644)


def verify_manifest(root: Path, path: Path) -> list[str]:
    """Problems with the archived files a manifest lists (missing, or sha256 differs)."""
    problems = []
    for entry in json.loads(path.read_text("utf-8")).get("files", []):
        if entry.get("kind") != "archived":
            continue
        try:
            target = under(root, str(entry["dest"]), follow=False)
        except UnsafePath as err:
            problems.append(f"{entry['dest']}: not a path inside the workspace ({err})")
            continue
        if not (target.is_file() or target.is_symlink()):
            problems.append(f"{entry['dest']}: missing")
        elif entry_digest(target) != entry["sha256"]:
            problems.append(f"{entry['dest']}: sha256 differs from the manifest")
    return problems
