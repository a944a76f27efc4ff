"""Resuming a run: whether it can be, and undoing what its unfinished steps left half done."""

from __future__ import annotations

from aim.errors import InputError
from aim.fsio import sha256_file
from aim.workflow.context import Hooks
from aim.workflow.history import RunState
from aim.workflow.journal import Journal
from aim.workflow.model import Workflow
from aim.workflow.rollback import undo_steps
from aim.workspace import Workspace


def check_resumable(wf: Workflow, state: RunState) -> None:
    """InputError when ``state`` cannot be resumed with ``wf``, saying what to do instead."""
    if state.status in ("rolled_back", "partly_rolled_back") or state.undone:
        raise InputError(f"run {state.run_id} was rolled back; start a new run instead of "
                         "resuming it")
    if state.rollback_pending:
        raise InputError(f"run {state.run_id} was being rolled back when it stopped, so its "
                         "steps are partly undone; finish the rollback with 'aim rollback "
                         f"--run {state.run_id}', then start a new run")
    if not state.info:  # killed as it started: nothing was done, it starts from the top
        return
    if state.status == "success":
        raise InputError(f"run {state.run_id} already finished successfully; nothing to resume")
    if state.info.get("file_sha256") != sha256_file(wf.path):
        raise InputError(f"{wf.path} changed since run {state.run_id} started; a resume needs "
                         "the same steps. Roll the run back ('aim rollback --run "
                         f"{state.run_id}') and start it again")


def undo_unfinished(ws: Workspace, state: RunState, journal: Journal, hooks: Hooks) -> None:
    """Undo the steps that were cut off, failed or aborted (they run again), and remove the
    temp files that writes killed half-way left; RollbackIncomplete if that is not complete."""
    redo = {s for s in state.started if state.steps.get(s) is None
            or state.steps[s].status in ("failed", "aborted")}
    done = undo_steps(ws, state, journal, hooks, redo)
    done.raise_if_incomplete(state, journal, "the same command with --resume")
