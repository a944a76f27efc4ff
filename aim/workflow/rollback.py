"""Undo a run: verify nothing changed since, then restore its pre-images in reverse order.

Rollback first compares every path the run touched with the state the run left it in; a file
edited afterwards is named and nothing is undone unless ``force``.  Then the checkpoints are
applied newest first, each restored path re-hashed against its recorded sha256.  Rollback is
journaled, idempotent (applying the same pre-images again gives the same tree) and can be
resumed after a crash.

An ``action`` checkpoint (an external change such as a package install) is undone by calling
the undo action it names, in its place in the newest-first order.  When the change was settled
(its result journaled) and the undo action has a ``changed`` check, that check compares the
outside world with how the run left it (a package's version in its manager's listing), just as
files are compared; otherwise it is not verified before the undo (the preview says so).  Once
its ``undo`` record is journaled it is never run again, and an undo action must tolerate
running twice, since a crash can fall between the undo and that record.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from typing import Any

from aim.actions import registry
from aim.errors import AimError, CheckFailed, NotFound, RollbackRefused
from aim.fsio import describe_os_error, remove_temps, temp_target
from aim.store.objects import store_for
from aim.workflow import snapshot
from aim.workflow.checkpoint import BLOBS, NoCheckpoints, load_state, within
from aim.workflow.context import Hooks, StepContext
from aim.workflow.expected import ExpectedStates
from aim.workflow.history import Checkpoint, RunState
from aim.workflow.journal import Journal
from aim.workflow.keyring_check import keyring_changed
from aim.workflow.lock import WorkspaceLock
from aim.workflow.params import resolved_params
from aim.workflow.run_index import find_run, index_path, note_closed, note_open
from aim.workflow.secret_copies import release_undone
from aim.workflow.secret_slots import checkpoint_service
from aim.workflow.steps import call_action
from aim.workflow.undone import RollbackIncomplete, UndoPass, label, reason_of, remove_run_temps
from aim.workspace import LATEST, Workspace

UNVERIFIED = ("not verified before the undo: {action} undoes a change outside the workspace "
              "files (step {step}), which cannot be compared with how the run left it")


@dataclass(frozen=True)
class RollbackResult:
    """What a rollback undid."""

    run_id: str
    to: str | None
    steps: tuple[str, ...]
    restored: tuple[str, ...]
    forced: bool = False
    changed_since: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()  # undo actions run, as "action (step)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _undo_context(ws: Workspace, state: RunState, cp: Checkpoint, hooks: Hooks) -> StepContext:
    run = {"id": state.run_id, "root": str(ws.root), "workflow": state.workflow,
           "status": "rolling_back", "failed_step": state.failed_step}
    return StepContext(ws, state.run_id, cp.step, NoCheckpoints(), hooks, run)


def undo_action(ws: Workspace, state: RunState, cp: Checkpoint, hooks: Hooks) -> None:
    """Call the undo action an ``action`` checkpoint names, with its recorded parameters."""
    ctx = _undo_context(ws, state, cp, hooks)
    try:
        call_action(ctx, cp.target, cp.params or {}, None, False, state.run_dir / "errors.log")
    except AimError as err:
        raise CheckFailed(f"undoing step {cp.step} of run {state.run_id} with {cp.target} "
                          f"failed: {err}. Fix the cause and try again: 'aim rollback --run "
                          f"{state.run_id}' goes on from where it stopped") from err


def undo_checkpoint(ws: Workspace, state: RunState, cp: Checkpoint, hooks: Hooks) -> None:
    """Put one pre-image back (a path's whole state, a keyring entry) or run an undo action."""
    if cp.kind == "path":
        blobs = state.run_dir / BLOBS
        target = ws.root if cp.target == "." else ws.root / cp.target
        entries = load_state(blobs, str(cp.state))
        if cp.taken is not None:
            snapshot.put_back(target, entries, state.run_dir / cp.taken, ws.is_state_path)
        else:
            snapshot.restore(target, entries, store_for(ws.state_dir, state.run_dir),
                             ws.is_state_path)
        if target != ws.root:  # what a write of it killed half-way left beside it
            remove_temps(target.parent, target.name)
        return
    if cp.kind == "action":
        undo_action(ws, state, cp, hooks)
        return
    stores = hooks.secret_store
    if stores is None:
        raise AimError(f"run {state.run_id} changed the keyring entry {cp.target}; undoing it "
                       "needs the keyring, which this command was started without")
    if not cp.existed:
        stores("aim").delete(cp.target)
        return
    old = stores(checkpoint_service(state.run_id)).get(str(cp.slot))
    if old is None:
        raise CheckFailed(f"the saved value of {cp.target} for run {state.run_id} is missing "
                          f"from the keyring (service {checkpoint_service(state.run_id)}); "
                          f"set it again with 'aim secrets.set {cp.target}'")
    stores("aim").set(cp.target, old)


def _checked(cp: Checkpoint, state: RunState) -> bool:
    """True when an action checkpoint's effect can be compared with how the run left it."""
    spec = registry.get(cp.target)
    return (cp.kind == "action" and cp.left is not None and cp.seq not in state.consumed
            and spec is not None and spec.changed is not None)


def actions_changed(ws: Workspace, state: RunState, cps: list[Checkpoint]) -> list[str]:
    """What undo actions' ``changed`` checks find different from how the run left it."""
    changed: list[str] = []
    for cp in (c for c in cps if _checked(c, state)):
        spec = registry.get(cp.target)
        assert spec is not None and spec.changed is not None
        params = resolved_params(spec, cp.params or {})
        changed += spec.changed(_undo_context(ws, state, cp, Hooks()), cp.left, **params)
    return changed


def changed_since(ws: Workspace, state: RunState, cps: list[Checkpoint]) -> list[str]:
    """Paths (files inside trees named one by one), then outside changes (packages) checked
    by their undo actions, that differ from how the run left them.

    What the run itself was writing when it stopped is the run's, not a change made after it:
    anything inside a path that a cut-off step had checkpointed, and the temp files of its
    interrupted writes.  Neither is a path already back in the state the rollback restores.
    """
    blobs = state.run_dir / BLOBS
    paths = [cp for cp in cps if cp.kind == "path"]
    restores = {cp.target: str(cp.state) for cp in reversed(paths)}  # the oldest pre-image
    writing = {cp.target for cp in paths if cp.step in state.cut_off}
    expected = ExpectedStates(state, blobs)
    changed: list[str] = []
    for rel in dict.fromkeys(cp.target for cp in paths):
        left = expected.entries(rel)
        if left is None:
            continue  # the step died before recording its result: nothing to compare with
        target = ws.root if rel == "." else ws.root / rel
        current = snapshot.capture(target, None, ws.is_state_path)
        restored = {e["path"]: e for e in load_state(blobs, restores[rel])}
        now = {e["path"]: e for e in current}
        for inner in snapshot.differences(left, current):
            full = rel if inner == "." else (inner if rel == "." else f"{rel}/{inner}")
            if now.get(inner) != restored.get(inner) and not _the_runs(full, writing,
                                                                     restores):
                changed.append(full)
    return list(dict.fromkeys(changed)) + actions_changed(ws, state, cps)  # a file once


def _the_runs(path: str, writing: set[str], targets: dict[str, str]) -> bool:
    """True when ``path`` is something the run was writing: inside a cut-off step's path, or
    the temp file of an interrupted write of a path the run checkpointed."""
    if any(within(path, t) for t in writing):
        return True
    folder, _, name = path.rpartition("/")
    written = temp_target(name)
    return written is not None and (f"{folder}/{written}" if folder else written) in targets


def steps_to_undo(state: RunState, to: str | None) -> list[str]:
    """The run's steps, in the order they started, that a rollback ``--to`` would undo."""
    order = [s for s in dict.fromkeys([*state.started, *(c.step for c in state.checkpoints)])
             if s not in state.undone]
    if to is None:
        return order
    if to not in state.started:
        known = ", ".join(state.started) or "none"
        raise NotFound(f"run {state.run_id} has no step {to!r}; its steps: {known}")
    return [s for s in order if state.started.index(s) > state.started.index(to)]


def _refusal(state: RunState, changed: list[str]) -> RollbackRefused:
    shown = ", ".join(changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10
                                       else "")
    return RollbackRefused(f"not rolling back run {state.run_id}: changed after the run: "
                           f"{shown}. Nothing was undone. Keep a copy of your edits, then run "
                           "the rollback again with --force to overwrite them")


def undo(ws: Workspace, state: RunState, journal: Journal, hooks: Hooks, *,
         to: str | None = None, force: bool = False,
         prepare: Callable[[], None] | None = None) -> RollbackResult:
    """Roll back ``state`` while the caller holds the workspace lock; ``prepare`` runs once
    the rollback is known to go ahead, before anything is undone.

    RollbackIncomplete (after undoing everything else) names what could not be put back, or
    says that the rollback could not be recorded; running it again finishes it.  The run
    index shows the run as being written until the rollback's end is recorded.
    """
    steps = steps_to_undo(state, to)
    cps = [cp for cp in state.checkpoints if cp.step in steps]
    changed = [] if state.rollback_pending else (changed_since(ws, state, cps)
                                                 + keyring_changed(state, cps, hooks))
    if changed and not force:
        raise _refusal(state, changed)
    if prepare is not None:
        prepare()
    try:
        note_open(ws, state.run_id, new=False)
    except OSError as err:  # nothing is undone yet: the run is left as it is
        raise RollbackIncomplete(f"not rolling back run {state.run_id}: the run index "
                                 f"{index_path(ws)} cannot be written "
                                 f"({describe_os_error(err)}). Nothing was undone; fix that "
                                 "and run the rollback again") from err
    try:
        return _undo_all(ws, state, journal, hooks, steps, cps, to, force, changed)
    finally:
        note_closed(ws, state.run_id)


def _undo_all(ws: Workspace, state: RunState, journal: Journal, hooks: Hooks, steps: list[str],
              cps: list[Checkpoint], to: str | None, force: bool,
              changed: list[str]) -> RollbackResult:
    """Undo ``cps``, journaled in the run's journal and audited (see :func:`undo`)."""
    done = UndoPass(recorded=journal.try_write("rollback_start", to=to, force=force,
                                               changed=changed))
    undo_checkpoints(ws, state, journal, hooks, cps, done)
    remove_run_temps(state.run_dir)
    status = "incomplete" if done.failed else "done"
    done.recorded &= journal.try_write("rollback_end", status=status, to=to, steps=steps,
                                       failed=[label(cp) for cp, _ in done.failed])
    if not done.failed:  # the keyring copies serve a rollback until it is complete
        try:
            release_undone(state, steps, hooks.secret_store)
        except OSError as err:  # left for 'aim secrets.prune'
            journal.error, done.recorded = journal.error or err, False
    restored = tuple(dict.fromkeys(cp.target for cp in cps if cp.kind != "action"))
    actions = tuple(f"{cp.target} ({cp.step})" for cp in done.undone if cp.kind == "action")
    try:
        hooks.audit("rollback", state.run_id, {
            "to": to, "steps": steps, "restored": list(restored), "actions": list(actions),
            "forced": force, "changed_since": changed, "status": status,
            "failed": [label(cp) for cp, _ in done.failed]})
    except OSError as err:
        journal.error, done.recorded = journal.error or err, False
    done.raise_if_incomplete(state, journal, f"aim rollback --run {state.run_id}")
    return RollbackResult(state.run_id, to, tuple(steps), restored, force, tuple(changed),
                          actions)


def undo_checkpoints(ws: Workspace, state: RunState, journal: Journal, hooks: Hooks,
                     cps: list[Checkpoint], done: UndoPass | None = None) -> UndoPass:
    """Undo ``cps`` newest first, journaling each; undo actions already run are passed over.

    One that cannot be undone (a read-only file, a full disk) does not stop the others; it is
    kept in the pass's ``failed``, unless an older checkpoint of the same place made it good.
    """
    done = done or UndoPass()
    for cp in reversed(cps):
        if cp.kind == "action" and cp.seq in state.consumed:
            continue
        try:
            undo_checkpoint(ws, state, cp, hooks)
        except (OSError, AimError) as err:
            done.failed.append((cp, reason_of(err)))
            continue
        done.recorded &= journal.try_write("undo", step=cp.step, kind=cp.kind,
                                           target=cp.target, state=cp.state, seq=cp.seq)
        hooks.progress(f"undone {cp.target} ({cp.step})" if cp.kind == "action"
                       else f"restored {cp.target}")
        done.undone.append(cp)
    done.settle()
    return done


def undo_steps(ws: Workspace, state: RunState, journal: Journal, hooks: Hooks,
               steps: Collection[str]) -> UndoPass:
    """Undo the checkpoints of ``steps`` (a retry's failed attempt, a resume's unfinished
    steps) and remove the temp files that writes killed half-way left in the run's folder."""
    cps = [cp for cp in state.checkpoints if cp.step in steps]
    done = undo_checkpoints(ws, state, journal, hooks, cps)
    remove_run_temps(state.run_dir)
    return done


def rollback_run(ws: Workspace, run_id: str = LATEST, *, to: str | None = None,
                 force: bool = False, hooks: Hooks | None = None,
                 command: str = "aim rollback") -> RollbackResult:
    """Undo a finished or crashed run (``aim rollback``), taking the workspace lock."""
    hooks = hooks or Hooks()
    with WorkspaceLock(ws, command, run_id):
        state = find_run(ws, run_id)
        journal = Journal(state.run_dir)
        try:
            return undo(ws, state, journal, hooks, to=to, force=force)
        finally:
            journal.close()


def preview_rollback(ws: Workspace, run_id: str = LATEST, *,
                     to: str | None = None) -> dict[str, Any]:
    """What ``rollback`` would undo and which paths changed after the run; changes nothing."""
    state = find_run(ws, run_id)
    steps = steps_to_undo(state, to)
    cps = [cp for cp in state.checkpoints if cp.step in steps]
    actions = [cp for cp in reversed(cps) if cp.kind == "action" and cp.seq not in state.consumed]
    return {"run_id": state.run_id, "to": to, "steps": steps,
            "restore": list(dict.fromkeys(cp.target for cp in cps if cp.kind != "action")),
            "changed_since": changed_since(ws, state, cps),
            "undo_actions": [{"step": cp.step, "action": cp.target,
                              "does": describe_undo(ws, state, cp)} for cp in actions],
            "unverified": list(dict.fromkeys(UNVERIFIED.format(action=cp.target, step=cp.step)
                                             for cp in actions if not _checked(cp, state)))}


def describe_undo(ws: Workspace, state: RunState, cp: Checkpoint) -> list[str]:
    """What an undo action would do: its preview's lines, else its name and parameters."""
    spec = registry.get(cp.target)
    params = cp.params or {}
    if spec is None or spec.preview is None:
        return [f"{cp.target} {params}"]
    preview = spec.preview(_undo_context(ws, state, cp, Hooks()),
                           **resolved_params(spec, params))
    return [str(line) for line in preview.get("lines", [])]
