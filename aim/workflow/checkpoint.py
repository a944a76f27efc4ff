"""The checkpoint store: pre-images taken before a step mutates anything.

An action calls ``ctx.checkpoint.file(path)`` (or ``.tree(path)``, ``.secret(name)``) before it
changes something.  The store captures the current state — bytes and modes into the run's blob
folder, a secret's old value into the keyring under a run-scoped service — and journals it
(fsynced) before returning, so that a crash at any later moment can be undone.  When the step
ends, the state each touched path was left in is journaled too: rollback compares against it to
find edits made after the run.

A change outside files and the keyring (a package install) cannot be captured as a pre-image.
For those the action records *how to undo it* instead: ``ctx.checkpoint.action(name, params)``
journals the registered action and its JSON parameters before the change; undoing the
checkpoint calls that action.  Such an undo must be idempotent: a crash between the undo and
its journal record runs it again.  Once the change is made, ``ctx.checkpoint.settle(left)``
journals how it left things (a package's version): rollback gives that to the undo action's
``changed`` check to find changes made after the run, as it compares files.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from aim import faults
from aim.actions import registry
from aim.fsio import atomic_write_bytes, sha256_bytes, sync_files
from aim.redact import redact_obj
from aim.store.objects import store_for
from aim.workflow import snapshot
from aim.workflow.journal import Journal
from aim.workflow.keyring_check import left_states
from aim.workflow.params import resolved_params
from aim.workflow.secret_copies import is_redo, note_copy, supersede_redo, workflow_of
from aim.workflow.secret_slots import SecretSlots, checkpoint_service
from aim.workspace import Workspace

BLOBS = "blobs"
TAKEN = "taken"  # paths that steps removed, moved aside whole (CheckpointStore.take)


def store_state(blobs: Path, entries: list[snapshot.Entry]) -> str:
    """Keep a captured state's entry list as a blob; return its digest."""
    data = json.dumps(entries, sort_keys=True).encode()
    key = sha256_bytes(data)
    if not (blobs / key).exists():
        blobs.mkdir(mode=0o700, exist_ok=True)  # state folders are private, not umask's 0755
        atomic_write_bytes(blobs / key, data, 0o600)
    return key


def load_state(blobs: Path, key: str) -> list[snapshot.Entry]:
    """The entry list stored under ``key``."""
    entries: list[snapshot.Entry] = json.loads((blobs / key).read_bytes())
    return entries


def undo_params(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` as the journal will keep them, checked against the undo action ``name``."""
    spec = registry.get(name)
    if spec is None:
        raise ValueError(f"undo action {name!r} is not a registered action")
    data: dict[str, Any] = json.loads(json.dumps(dict(params)))
    if redact_obj(data) != data:
        raise ValueError(f"the parameters of undo action {name!r} hold a secret value; "
                         "give the undo the secret's name, not its value")
    resolved_params(spec, data)
    return data


def within(inner: str, outer: str) -> bool:
    """True when the relative path ``inner`` is ``outer`` or inside it (``.`` holds them all)."""
    return inner == outer or outer == "." or inner.startswith(outer + "/")


class CheckpointStore:
    """Pre-images for one run; one instance per run, told which step is running."""

    def __init__(self, ws: Workspace, journal: Journal, run_id: str,
                 secret_store: Callable[[str], SecretSlots] | None = None) -> None:
        self.ws, self.journal, self.run_id = ws, journal, run_id
        self.blobs = journal.run_dir / BLOBS  # state lists; file contents go to the store
        self.objects = store_for(ws.state_dir, journal.run_dir)
        self._stores = secret_store
        self.step: str | None = None
        self._taken: set[str] = set()
        self.paths: list[str] = []
        self._workflow_name: str | None = None
        self._superseded = False

    def begin(self, step: str) -> None:
        self.step, self._taken = step, set()

    def _anchor(self, path: Path) -> Path:
        """The highest missing ancestor of ``path`` inside the root, so undo removes new dirs."""
        anchor = path
        while not anchor.parent.exists() and anchor.parent != self.ws.root:
            anchor = anchor.parent
        return anchor

    def path(self, path: Path) -> None:
        """Record the state of ``path`` (absent, file, symlink or whole tree) before a change.

        UnsafePath, before anything is recorded, when a symlink on the way leads outside the
        root or ``path`` is in the state folder (the last check of every step's writes)."""
        anchor = self._anchor(self.ws.check(path, follow=False, around_state=True))
        rel = self.ws.relative(anchor) if anchor != self.ws.root else "."
        if rel in self._taken:
            return
        entries = snapshot.capture(anchor, self.objects, self.ws.is_state_path)
        key = store_state(self.blobs, entries)
        self.journal.write("checkpoint", step=self.step, kind="path", target=rel, state=key)
        self._taken.add(rel)
        if rel not in self.paths:
            self.paths.append(rel)

    file = path
    tree = path

    def take(self, path: Path) -> bool:
        """Record the state of ``path`` and move it aside into the run's folder, for a step
        that removes it: the pre-image is the path itself, not a copy, so a tree of any size
        costs one reading of its files and a rename.  The record comes first: a run killed
        before the rename still has ``path`` in place.

        False when nothing is moved (``path`` is missing, is the root, was checkpointed in
        this step already, or lies on another file system than the state folder): the step
        removes it itself, after a :meth:`path` checkpoint taken here."""
        target = self.ws.check(path, follow=False, around_state=True)
        rel = self.ws.relative(target) if target != self.ws.root else "."
        if rel in self._taken or rel == "." or not self._movable(target):
            self.path(path)
            return False
        entries = snapshot.capture(target, None, self.ws.is_state_path)
        key = store_state(self.blobs, entries)
        aside = f"{TAKEN}/{secrets.token_hex(8)}"
        self.journal.write("checkpoint", step=self.step, kind="path", target=rel, state=key,
                           taken=aside)
        self._taken.add(rel)
        if rel not in self.paths:
            self.paths.append(rel)
        faults.check(target, needs_space=False)
        os.rename(target, self.journal.run_dir / aside)
        sync_files([], [target.parent, self.journal.run_dir / TAKEN])
        return True

    def _movable(self, target: Path) -> bool:
        """True when ``target`` exists and can be renamed into the run's ``taken/`` folder
        (made here): the same file system."""
        try:
            device = target.lstat().st_dev
        except FileNotFoundError:
            return False
        folder = self.journal.run_dir / TAKEN
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder.stat().st_dev == device

    def secret(self, name: str) -> None:
        """Record a keyring secret's current value (or its absence) before a change.

        The old value goes to the run's own keyring service, named first in the run's record
        of its copies (:mod:`aim.workflow.secret_copies`, which also says how long it stays).
        """
        if self._stores is None:
            raise RuntimeError("this run has no keyring: secrets cannot be checkpointed")
        if f"secret:{name}" in self._taken:
            return
        self._supersede_redo(self._stores)
        old = self._stores("aim").get(name)
        slot = f"{self.step}:{name}"
        if old is not None:
            note_copy(self.journal.run_dir, self._workflow(), slot, name, str(self.step))
            self._stores(checkpoint_service(self.run_id)).set(slot, old)
        self.journal.write("checkpoint", step=self.step, kind="secret", target=name,
                           existed=old is not None, slot=slot)
        self._taken.add(f"secret:{name}")

    def _workflow(self) -> str:
        """This run's workflow, as its journal's first record names it."""
        if self._workflow_name is None:
            self._workflow_name = workflow_of(self.journal.run_dir)
        return self._workflow_name

    def _supersede_redo(self, stores: Callable[[str], SecretSlots]) -> None:
        """Once per run that is not a rollback: drop what older rollbacks keep for a redo."""
        if not self._superseded and not is_redo(self._workflow()):
            for gone in supersede_redo(self.ws, self.run_id, stores):
                self.journal.write("copy_released", run=gone.run_id, slot=gone.slot,
                                   reason=gone.released)
        self._superseded = True

    def action(self, name: str, params: Mapping[str, Any]) -> None:
        """Record, before an external change, the registered action ``name`` that undoes it.

        ``params`` must be plain JSON and hold no secret value (the journal is redacted, so a
        secret could not be given back to the undo).  Unknown actions and wrong parameters
        fail here, before the change, rather than at rollback.
        """
        data = undo_params(name, params)
        self.journal.write("checkpoint", step=self.step, kind="action", target=name,
                           params=data)

    def settle(self, left: Mapping[str, Any]) -> None:
        """Journal how the change behind this step's latest ``action`` checkpoint left things."""
        data: dict[str, Any] = json.loads(json.dumps(dict(left)))
        self.journal.write("settled", step=self.step, left=data)

    def post_states(self) -> dict[str, Any]:
        """The state each path this step checkpointed is left in (a path inside another one it
        checkpointed is part of that one's state), and (as digests, never values) the state
        of each keyring entry this step checkpointed.

        Only what the step touched is captured, so that a run of N steps costs O(N): how the
        run left a path checkpointed by an earlier step is that step's post-state with the
        later post-states of paths inside it applied on top (:mod:`aim.workflow.expected`).
        """
        touched = [t for t in self._taken if not t.startswith("secret:")]
        post: dict[str, Any] = self._secret_states()
        for rel in sorted(touched):
            if any(other != rel and within(rel, other) for other in touched):
                continue  # captured with the path that holds it
            target = self.ws.root if rel == "." else self.ws.root / rel
            entries = snapshot.capture(target, None, self.ws.is_state_path)
            post[rel] = store_state(self.blobs, entries)
        return post

    def _secret_states(self) -> dict[str, str]:
        names = sorted(t.removeprefix("secret:") for t in self._taken if t.startswith("secret:"))
        if not names or self._stores is None:
            return {}
        return left_states(self._stores("aim"), self.run_id, self.step, names)


class NoCheckpoints(CheckpointStore):
    """The store an undo action sees: undoing must not record new undos."""

    def __init__(self) -> None:
        self.step = None

    def _refuse(self, *args: Any) -> None:
        raise RuntimeError("an undo action tried to take a checkpoint; undo actions only undo")

    path = file = tree = take = secret = action = settle = _refuse  # type: ignore[assignment]
