"""List and prune the keyring copies runs keep (``secrets.list --all``, ``secrets.prune``).

What a copy is and how long it lives: :mod:`aim.workflow.secret_copies`.  Only names are
shown, never a value; pruning holds the workspace lock and writes a ``secret_access`` audit
event per copy removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from aim.errors import InputError
from aim.secrets.ops import audit_access
from aim.workflow.history import RunState, list_runs
from aim.workflow.lock import WorkspaceLock
from aim.workflow.secret_copies import Copy, Stores, copies_of, is_redo, release
from aim.workspace import Workspace

ON_REQUEST = "removed on request (aim secrets.prune)"


@dataclass(frozen=True)
class CopyStatus:
    """A copy that is still kept, whether the keyring has it, and why it could go (or '')."""

    copy: Copy
    present: bool
    prunable: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = self.copy.to_dict()
        del data["released"]
        return {**data, "present": self.present, "prunable": self.prunable}


def _changes_keyring(state: RunState) -> bool:
    return any(cp.kind == "secret" for cp in state.checkpoints)


def no_longer_needed(state: RunState, later: Sequence[RunState], copy: Copy) -> str:
    """Why ``copy`` can go ('' while the run can still be undone with it)."""
    if copy.step in state.undone:
        return f"run {state.run_id} was rolled back"
    if is_redo(state.workflow):
        newer = next((s for s in later if not is_redo(s.workflow) and _changes_keyring(s)), None)
        if newer is not None:
            return f"superseded by run {newer.run_id}"
    return ""


def kept_copies(ws: Workspace) -> list[tuple[RunState, Copy, str]]:
    """Every copy still kept, oldest run first, with why it could go ('' if it cannot)."""
    states = list_runs(ws)
    found = []
    for index, state in enumerate(states):
        for copy in copies_of(state):
            if copy.released is None:
                found.append((state, copy, no_longer_needed(state, states[index + 1:], copy)))
    return found


def list_copies(ws: Workspace, stores: Stores) -> list[CopyStatus]:
    """The kept copies, each checked for presence in its keyring service (names only)."""
    return [CopyStatus(copy, stores(copy.service).get(copy.slot) is not None, why)
            for _state, copy, why in kept_copies(ws)]


def _chosen(ws: Workspace, run: str | None, everything: bool) -> list[tuple[RunState, Copy, str]]:
    """The copies a prune removes: those no longer needed, plus ``run``'s or all on request."""
    found = kept_copies(ws)
    if run is not None and not any(state.run_id == run for state, _c, _w in found):
        known = ", ".join(dict.fromkeys(state.run_id for state, _c, _w in found)) or "none"
        raise InputError(f"--run {run}: that run keeps no keyring copies (runs that do: "
                         f"{known}); see 'aim secrets.list --all'")
    return [(state, copy, why or ON_REQUEST) for state, copy, why in found
            if why or everything or state.run_id == run]


def prune_copies(ws: Workspace, stores: Stores, *, dry_run: bool = False,
                 run: str | None = None, everything: bool = False) -> list[Copy]:
    """Remove the copies no runs need any more (and ``run``'s, or all with ``everything``);
    with ``dry_run`` only say which.  The copies (with the reason in ``released``)."""

    if dry_run:
        return [replace(copy, released=why) for _s, copy, why in _chosen(ws, run, everything)]
    with WorkspaceLock(ws, "aim secrets.prune"):
        gone: list[Copy] = []
        for state, copy, why in _chosen(ws, run, everything):
            gone += release(state.run_dir, [copy], stores, why)
    _audit(ws, gone)
    return gone


def _audit(ws: Workspace, gone: list[Copy]) -> None:
    for copy in gone:
        audit_access(ws, "prune", [copy.name], service=copy.service)
