"""The keyring copies a run keeps of secrets' old values, the record of them, and their lifetime.

Before a step changes a keyring entry, the checkpoint store saves the entry's old value under
the run's own service ``aim-checkpoint/<run-id>``, slot ``<step>:<name>``.  Keyring backends
cannot always list what a service holds, so the run's folder keeps a record of its slots
(``keyring-copies.json``: names only, never a value), written before each copy is made.

A copy lives as long as the run can be undone with it:

- when a rollback of the run completes, the copies of the steps it undid are removed (the
  rollback that a failed run gets at once included);
- the copies a rollback run keeps, so that the rollback can itself be undone (which redoes
  the run it undid), are superseded when a newer run that is not a rollback changes a keyring
  entry — as an editor's redo goes with the next edit;
- ``aim secrets.prune`` removes what those rules left behind (a process killed between the
  rollback and the removal, runs made before this record existed), and with ``--run ID`` the
  copies of one run on purpose.

A run whose copies are gone can no longer be undone: its rollback stops before it changes
anything, naming the entries (:func:`check_kept`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aim.errors import CheckFailed
from aim.fsio import atomic_write_json
from aim.workflow.journal import read_journal, utc_now
from aim.workflow.secret_slots import SecretSlots, checkpoint_service

if TYPE_CHECKING:
    from aim.workflow.history import Checkpoint, RunState
    from aim.workspace import Workspace

RECORD = "keyring-copies.json"
REDO_WORKFLOWS = ("rollback",)  # runs that undo another run (see aim.actions.runs)
Stores = Callable[[str], SecretSlots]


@dataclass(frozen=True)
class Copy:
    """One saved old value: where it is (service, slot), whose it is, and whether it is gone."""

    run_id: str
    slot: str
    name: str
    step: str
    released: str | None = None  # why it was removed; None while it is kept

    @property
    def service(self) -> str:
        return checkpoint_service(self.run_id)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "service": self.service}


def _read(run_dir: Path) -> dict[str, Any]:
    """The run's record; empty when it has none (or it cannot be read: the journal remains)."""
    try:
        data = json.loads((run_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(run_dir: Path, data: dict[str, Any]) -> None:
    atomic_write_json(run_dir / RECORD, data, 0o600)


def note_copy(run_dir: Path, workflow: str, slot: str, name: str, step: str) -> None:
    """Record, before it is made, that slot ``slot`` of the run's service holds ``name``."""
    data = _read(run_dir)
    data["workflow"] = workflow
    data.setdefault("copies", {})[slot] = {"name": name, "step": step, "released": None}
    _write(run_dir, data)


def copies_of(state: RunState) -> list[Copy]:
    """Every copy the run made: its record, and the journal's secret checkpoints (runs from
    before the record, or a record that cannot be read)."""
    recorded = _read(state.run_dir).get("copies", {})
    found = {slot: Copy(state.run_id, slot, str(e.get("name")), str(e.get("step")),
                        e.get("released")) for slot, e in recorded.items()}
    for cp in state.checkpoints:
        if cp.kind == "secret" and cp.existed and cp.slot and cp.slot not in found:
            found[cp.slot] = Copy(state.run_id, cp.slot, cp.target, cp.step)
    return list(found.values())


def release(run_dir: Path, copies: Iterable[Copy], stores: Stores, reason: str) -> list[Copy]:
    """Remove ``copies`` from the keyring and mark them released (with ``reason``) in the
    record; the copies released."""
    gone = [replace(c, released=f"{reason} ({utc_now()})") for c in copies if c.released is None]
    for copy in gone:
        stores(copy.service).delete(copy.slot)
    if gone:
        data = _read(run_dir)
        entries = data.setdefault("copies", {})
        for copy in gone:
            entries[copy.slot] = {"name": copy.name, "step": copy.step, "released": copy.released}
        _write(run_dir, data)
    return gone


def check_kept(state: RunState, cps: list[Checkpoint]) -> None:
    """CheckFailed when an old value that undoing ``cps`` needs was removed already."""
    released = {c.slot: c for c in copies_of(state) if c.released is not None}
    needed = [released[str(cp.slot)] for cp in cps
              if cp.kind == "secret" and cp.existed and cp.slot in released]
    if needed:
        names = ", ".join(dict.fromkeys(c.name for c in needed))
        raise CheckFailed(f"run {state.run_id} can no longer be undone: the old values of the "
                          f"keyring entries {names} it saved were removed ({needed[0].released})"
                          ". Nothing was undone. Set an entry by hand with 'aim secrets.set "
                          "NAME' if it needs its old value")


def release_undone(state: RunState, steps: Iterable[str], stores: Stores | None) -> list[Copy]:
    """After a rollback of ``state`` completed: remove the copies of the ``steps`` it undid."""
    undone = set(steps)
    copies = [c for c in copies_of(state) if c.step in undone]
    if stores is None or not copies:
        return []
    return release(state.run_dir, copies, stores, f"run {state.run_id} was rolled back")


def is_redo(workflow: str) -> bool:
    """Whether runs of ``workflow`` undo other runs (their copies only serve a redo)."""
    return workflow in REDO_WORKFLOWS


def supersede_redo(ws: Workspace, run_id: str, stores: Stores) -> list[Copy]:
    """A run that is not a rollback changes a keyring entry: remove the copies older rollback
    runs keep for a redo (their record says which; older runs are left to ``prune``)."""
    gone: list[Copy] = []
    for run_dir in sorted(ws.runs_dir.glob("*")):
        data = _read(run_dir)
        if run_dir.name >= run_id or not is_redo(str(data.get("workflow"))):
            continue
        kept = [Copy(run_dir.name, slot, str(e.get("name")), str(e.get("step")))
                for slot, e in data.get("copies", {}).items() if e.get("released") is None]
        gone += release(run_dir, kept, stores, f"superseded by run {run_id}")
    return gone


def workflow_of(run_dir: Path) -> str:
    """The workflow a run's journal names ('?' before its first record)."""
    records = read_journal(run_dir)
    return str(records[0].get("workflow", "?")) if records else "?"
