"""The link checker: every relative link of every Markdown file must lead somewhere real."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.docs.links import MARKDOWN_SUFFIXES, markdown_files, split_target
from aim.docs.mdscan import anchors, find_links
from aim.docs.textdoc import read_doc


@dataclass(frozen=True)
class BrokenLink:
    """A link in ``file`` (root-relative) on ``line`` whose ``target`` fails, and why."""

    file: str
    line: int
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.target}: {self.reason}"


class _Anchors:
    """Heading anchors per Markdown file, read once each."""

    def __init__(self) -> None:
        self._known: dict[Path, set[str]] = {}

    def of(self, path: Path) -> set[str]:
        if path not in self._known:
            self._known[path] = anchors(read_doc(path).text)
        return self._known[path]


def _problem(root: Path, file: str, raw: str, cache: _Anchors) -> str | None:
    target = split_target(raw)
    if target is None:
        return None
    own = root / file
    path = Path(posixpath.normpath((own.parent / target.path).as_posix())) if target.path else own
    if not path.exists():
        return "no such file or folder"
    fragment = target.fragment
    if not fragment or not path.is_file() or not path.name.lower().endswith(MARKDOWN_SUFFIXES):
        return None
    found = cache.of(path)
    if fragment in found or fragment.lower() in found:
        return None
    return f"no heading with the anchor '#{fragment}' in {path.relative_to(root).as_posix()}" \
        if root in path.parents else f"no heading with the anchor '#{fragment}'"


def check_links(root: Path, skip: frozenset[str] = frozenset()) -> list[BrokenLink]:
    """Every broken relative link (missing file, unknown ``#anchor``) of the workspace's docs.

    ``skip`` names more root-relative folders to leave out (``.aim`` and ``.git`` always are).
    URLs, ``mailto:`` and links inside code are not checked.
    """
    broken = []
    cache = _Anchors()
    for file in markdown_files(root, skip):
        for link in find_links(read_doc(root / file).text):
            reason = _problem(root, file, link.target, cache)
            if reason:
                broken.append(BrokenLink(file, link.line, link.target, reason))
    return broken


def _keys(link: BrokenLink | Mapping[str, Any]) -> tuple[tuple[str, str], tuple[str, str]]:
    """How a broken link is recognised again after a run edited or moved its file: by file and
    target, or by the two names alone (a moved file's links are rewritten to point the same)."""
    file, target = (link.file, link.target) if isinstance(link, BrokenLink) else \
        (str(link["file"]), str(link["target"]))
    return (file, target), (posixpath.basename(file), posixpath.basename(target))


def split_by_baseline(broken: list[BrokenLink], baseline: list[Mapping[str, Any]]
                      ) -> tuple[list[BrokenLink], list[BrokenLink]]:
    """``broken`` split into (new since the baseline, broken in the baseline already)."""
    known = {key for link in baseline for key in _keys(link)}
    new = [b for b in broken if not set(_keys(b)) & known]
    return new, [b for b in broken if set(_keys(b)) & known]
