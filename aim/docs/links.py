"""Relative links between workspace files: where they point, rewriting them after a move."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from aim.docs.mdscan import find_links

MARKDOWN_SUFFIXES = (".md", ".markdown")
SKIP_DIRS = frozenset({".aim", ".git", ".venv", "node_modules"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Target:
    """A relative link destination split into its file path (decoded) and ``?query#fragment``."""

    path: str
    suffix: str
    dot: bool
    encoded: bool

    @property
    def fragment(self) -> str:
        return unquote(self.suffix.partition("#")[2])


def split_target(raw: str) -> Target | None:
    """The parts of a relative link; None for URLs, ``mailto:``, ``/rooted`` and ``//host``."""
    if _SCHEME.match(raw) or raw.startswith("/"):
        return None
    cut = min((i for i in (raw.find("?"), raw.find("#")) if i >= 0), default=len(raw))
    path, suffix = raw[:cut], raw[cut:]
    return Target(unquote(path), suffix, path.startswith("./"), "%" in path)


def resolve(file_rel: str, path: str) -> str | None:
    """The root-relative path a link in ``file_rel`` points at; None when it leaves the root."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(file_rel), path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def markdown_files(root: Path, skip: frozenset[str] = frozenset()) -> list[str]:
    """Root-relative paths of every Markdown file, sorted; ``skip`` adds folders to leave out."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS
                         and posixpath.normpath(posixpath.join(rel_folder, d)) not in skip)
        found.extend(posixpath.normpath(posixpath.join(rel_folder, name)) for name in files
                     if name.lower().endswith(MARKDOWN_SUFFIXES))
    return sorted(found)


def moved_to(path: str, moves: Mapping[str, str]) -> str | None:
    """Where ``path`` (a moved file, or a moved folder or something inside one) went."""
    if path in moves:
        return moves[path]
    for old in sorted(moves, key=len, reverse=True):
        if path.startswith(old + "/"):
            return moves[old] + path[len(old):]
    return None


def relative_link(target: str, from_file: str, like: Target, folder: bool) -> str:
    """The link text from ``from_file`` to ``target``, in the style of the link it replaces."""
    rel = posixpath.relpath(target, posixpath.dirname(from_file) or ".")
    if like.dot and not rel.startswith("../"):
        rel = "./" + rel
    if folder and not rel.endswith("/"):
        rel += "/"
    if like.encoded:
        rel = quote(rel, safe="/")
    return rel + like.suffix


@dataclass(frozen=True)
class LinkEdit:
    """One rewritten link: in ``file`` (its path after the moves), line ``line`` (1-based)."""

    file: str
    line: int
    old: str
    new: str


def rewrite_links(text: str, old_file: str, moves: Mapping[str, str]) -> tuple[str, list[LinkEdit]]:
    """``text`` (of ``old_file``) with every relative link fixed for ``moves`` (old → new path).

    Links from a moved file are recomputed from its new place; links to a moved file or folder
    follow it.  Code, URLs and links outside the root are left exactly as they are.
    """
    new_file = moved_to(old_file, moves) or old_file
    lines = text.split("\n")
    edits: list[LinkEdit] = []
    for link in sorted(find_links(text), key=lambda k: (k.line, k.start), reverse=True):
        target = split_target(link.target)
        pointed = resolve(old_file, target.path) if target and target.path else None
        if target is None or pointed is None:
            continue
        destination = moved_to(pointed, moves) or pointed
        if destination == pointed and new_file == old_file:
            continue
        new = relative_link(destination, new_file, target, target.path.endswith("/"))
        if new != link.target:
            line = lines[link.line - 1]
            lines[link.line - 1] = line[:link.start] + new + line[link.end:]
            edits.append(LinkEdit(new_file, link.line, link.target, new))
    return "\n".join(lines), sorted(edits, key=lambda e: e.line)
