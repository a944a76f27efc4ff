"""How a run left each path it checkpointed, composed from the states its journal keeps.

A step journals the state of what it touched only (its ``post`` states), so a run of N steps
costs O(N) however many of them write into a folder an earlier step created.  How the run left
a path is then composed in journal order from every state recorded for it or around it:

- a state of the path itself, or of a folder holding it, replaces what was known (the part of
  that folder's state at the path);
- a later state of a path inside it is applied on top (that subtree is replaced);
- a checkpoint of the path or of a folder holding it makes it unknown until its step ends (a
  step cut off before it recorded its end left nothing to compare with);
- an undo puts the path's pre-image back, so that is how the path is left from then on.

Journals written when every overlapping checkpointed path was captured again at each step end
compose to the same states, so they still roll back.
"""

from __future__ import annotations

import bisect
from pathlib import Path

from aim.workflow.checkpoint import load_state, within
from aim.workflow.history import RunState
from aim.workflow.snapshot import Entry, entry_order

Tree = dict[str, Entry]  # entries by their path relative to the composed path


def _part(tree: Tree, sub: str) -> Tree:
    """The entries of ``tree`` at ``sub`` and below, relative to ``sub``."""
    if sub == ".":
        return dict(tree)
    prefix = sub + "/"
    part = {".": {**tree[sub], "path": "."}} if sub in tree else {}
    part.update({p[len(prefix):]: {**e, "path": p[len(prefix):]} for p, e in tree.items()
                 if p.startswith(prefix)})
    return part


def _graft(tree: Tree, sub: str, state: Tree) -> None:
    """Replace ``sub`` (never ``.``) and what is below it in ``tree`` with ``state``."""
    old = tree.pop(sub, None)
    if old is not None and old["kind"] == "dir":  # only a folder has entries below it
        prefix = sub + "/"
        for path in [p for p in tree if p.startswith(prefix)]:
            del tree[path]
    for path, entry in state.items():
        full = sub if path == "." else f"{sub}/{path}"
        tree[full] = {**entry, "path": full}


def _inner(path: str, outer: str) -> str:
    """``path`` relative to ``outer``, which holds it."""
    if path == outer:
        return "."
    return path if outer == "." else path[len(outer) + 1:]


class ExpectedStates:
    """How the run ``state`` left its checkpointed paths (state digests in ``blobs``)."""

    def __init__(self, state: RunState, blobs: Path) -> None:
        self.layers, self.blobs = state.layers, blobs
        self._at: dict[str, list[int]] = {}
        for seq, (path, _) in enumerate(self.layers):
            self._at.setdefault(path, []).append(seq)
        self._paths = sorted(self._at)
        self._loaded: dict[str, Tree] = {}

    def entries(self, rel: str) -> list[Entry] | None:
        """The entries ``rel`` was left with (``[]``: absent), None when that is unknown."""
        tree: Tree | None = None
        for seq in self._layers_around(rel):
            path, key = self.layers[seq]
            if within(rel, path):
                tree = None if key is None else _part(self._load(key), _inner(rel, path))
            elif tree is not None and key is not None:
                _graft(tree, _inner(path, rel), self._load(key))
        return None if tree is None else sorted(tree.values(), key=entry_order)

    def _layers_around(self, rel: str) -> list[int]:
        """Every state recorded for ``rel``, a folder holding it or a path inside it, in order."""
        parts = [] if rel == "." else rel.split("/")
        paths = [".", *("/".join(parts[:n]) for n in range(1, len(parts) + 1))]
        prefix = "" if rel == "." else rel + "/"
        start = bisect.bisect_left(self._paths, prefix)
        for path in self._paths[start:]:
            if not path.startswith(prefix):
                break
            if path != ".":
                paths.append(path)
        return sorted(seq for path in dict.fromkeys(paths) for seq in self._at.get(path, ()))

    def _load(self, key: str) -> Tree:
        if key not in self._loaded:
            self._loaded[key] = {e["path"]: e for e in load_state(self.blobs, key)}
        return self._loaded[key]
