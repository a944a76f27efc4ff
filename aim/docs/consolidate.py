"""Fold a notes folder (AUX_mcp-data) into the docs: guides and schemas move, the rest is archived.

:func:`plan_consolidation` is pure: it reads the workspace and returns every move, archive and
link edit, which a dry-run lists and an action checkpoints.  :func:`apply_consolidation` then
copies with sha256 proof, rewrites links, writes the manifest, and only then removes sources.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from aim.docs.archive import (
    MANIFEST,
    Copied,
    copy_verified,
    entry_digest,
    same_entry,
    write_manifest,
)
from aim.docs.links import MARKDOWN_SUFFIXES, LinkEdit, markdown_files, moved_to, rewrite_links
from aim.docs.textdoc import FileWrite, apply_write, read_doc
from aim.errors import CheckFailed, InputError
from aim.workspace import Workspace

DOC_FOLDERS = ("schemas",)


@dataclass(frozen=True)
class Move:
    """``source`` goes to ``dest`` (root-relative); ``kind`` is ``moved`` or ``archived``."""

    source: str
    dest: str
    kind: str


@dataclass(frozen=True)
class ConsolidationPlan:
    """Everything a consolidation would do; empty ``moves`` and ``writes``: nothing to do."""

    source: str
    dest: str
    archive: str
    moves: tuple[Move, ...]
    link_edits: tuple[LinkEdit, ...]
    writes: tuple[FileWrite, ...]

    @property
    def manifest(self) -> str:
        return f"{self.archive}/{MANIFEST}"

    def checkpoint_paths(self, root: Path) -> list[str]:
        """Paths to checkpoint first: the three folders and every other file whose links change."""
        folders = [self.source, self.dest, self.archive]
        edited = [Path(w.path).relative_to(root).as_posix() for w in self.writes]
        inside = [p for p in edited for f in folders if p == f or p.startswith(f + "/")]
        return folders + [p for p in edited if p not in inside]

    def files(self, root: Path) -> list[str]:
        """Every root-relative path created, changed, moved or archived (and the folder removed)."""
        if not self.moves and not self.writes:
            return []
        paths = [p for m in self.moves for p in (m.source, m.dest)]
        paths += [Path(w.path).relative_to(root).as_posix() for w in self.writes]
        if any(m.kind == "archived" for m in self.moves):
            paths.append(self.manifest)
        return list(dict.fromkeys([*paths, self.source]))

    def describe(self) -> list[str]:
        """One line per file created, changed, moved or archived, and the folder removed."""
        if not self.moves and not self.writes:
            return []
        lines = [f"{m.kind[:-1]} {m.source} -> {m.dest}" for m in self.moves]
        edits: dict[str, int] = {}
        for edit in self.link_edits:
            edits[edit.file] = edits.get(edit.file, 0) + 1
        lines += [f"rewrite {n} link(s) in {file}" for file, n in sorted(edits.items())]
        if any(m.kind == "archived" for m in self.moves):
            lines.append(f"write {self.manifest} (sha256 of every archived file)")
        return [*lines, f"remove the emptied folder {self.source}/"]


def _destination(rel: str, dest: str, archive: str) -> Move:
    parts = rel.split("/")
    is_doc = rel.lower().endswith(MARKDOWN_SUFFIXES) or parts[0] in DOC_FOLDERS
    return Move(rel, f"{dest if is_doc else archive}/{rel}", "moved" if is_doc else "archived")


def _moves(ws: Workspace, source: str, dest: str, archive: str) -> list[Move]:
    base = ws.path(source)
    moves = []
    for folder, dirs, files in os.walk(base):
        links = [d for d in dirs if (Path(folder) / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if d not in links)
        rel_folder = Path(folder).relative_to(base).as_posix()
        for name in sorted(files + links):
            rel = posixpath.normpath(posixpath.join(rel_folder, name))
            move = _destination(rel, dest, archive)
            moves.append(Move(f"{source}/{rel}", move.dest, move.kind))
    return moves


def _entry(ws: Workspace, rel: str) -> Path:
    """A moved file or symlink: its folders must stay inside the root; a symlink itself is
    moved as a link, never followed, so where it points does not matter."""
    return ws.path(rel, follow=False)


def _check_free(ws: Workspace, moves: list[Move], manifest: str) -> None:
    for move in moves:
        target = _entry(ws, move.dest)
        in_way = target.exists() or target.is_symlink()
        if move.dest == manifest or (in_way and not same_entry(_entry(ws, move.source), target)):
            raise InputError(f"{move.dest}: already exists and is not the same as {move.source}; "
                             "move or rename it and run again (nothing was changed)")


def _link_rewrites(ws: Workspace,
                   mapping: dict[str, str]) -> tuple[list[LinkEdit], list[FileWrite]]:
    edits: list[LinkEdit] = []
    writes: list[FileWrite] = []
    for rel in markdown_files(ws.root):
        doc = read_doc(ws.root / rel)
        text, found = rewrite_links(doc.text, rel, mapping)
        new_rel = moved_to(rel, mapping) or rel
        if found:
            edits.extend(found)
            writes.append(FileWrite(ws.path(new_rel), doc.encode(text), False))
    return edits, writes


def plan_consolidation(ws: Workspace, source: str, dest: str, archive: str) -> ConsolidationPlan:
    """What consolidating ``source`` into ``dest`` (docs) and ``archive`` (the rest) would do."""
    base = ws.path(source)
    ws.path(dest), ws.path(archive)  # refuse paths outside the root before anything else
    if not base.is_dir():
        return ConsolidationPlan(source, dest, archive, (), (), ())
    moves = _moves(ws, source, dest, archive)
    _check_free(ws, moves, f"{archive}/{MANIFEST}")
    mapping = {source: dest, **{m.source: m.dest for m in moves}}
    edits, writes = _link_rewrites(ws, mapping)
    return ConsolidationPlan(source, dest, archive, tuple(moves), tuple(edits), tuple(writes))


def _remove_emptied(base: Path) -> None:
    for folder, dirs, files in os.walk(base, topdown=False):
        if not files and not any((Path(folder) / d).exists() for d in dirs):
            Path(folder).rmdir()


def apply_consolidation(ws: Workspace, plan: ConsolidationPlan) -> list[Copied]:
    """Carry out ``plan``; a source file is removed only after its copy is proven."""
    copied = []
    for move in plan.moves:
        src, dst = _entry(ws, move.source), _entry(ws, move.dest)
        digest = copy_verified(src, dst)
        copied.append(Copied(move.source, move.dest, digest, src.lstat().st_size, move.kind))
    for write in plan.writes:
        apply_write(write)
    archived = [c for c in copied if c.kind == "archived"]
    if archived:
        write_manifest(ws.path(plan.manifest), plan.source, archived)
    for entry in copied:
        target = _entry(ws, entry.dest)
        there = target.exists() or target.is_symlink()
        if not there or (entry.kind == "archived" and entry_digest(target) != entry.sha256):
            raise CheckFailed(f"{entry.dest}: not as copied from {entry.source}; the source was "
                              "kept; check the folder and run again")
        _entry(ws, entry.source).unlink()
    if ws.path(plan.source).is_dir():
        _remove_emptied(ws.path(plan.source))
    return copied
