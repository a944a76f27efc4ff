"""Run actions: undo another run, and check the workspace it restored (``rollback.yaml``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aim.actions.registry import action
from aim.config.load import config_path, load_config
from aim.errors import AimError, CheckFailed, NotFound
from aim.legacy.reader import read_legacy
from aim.workflow.context import StepContext
from aim.workflow.history import load_run
from aim.workflow.journal import Journal
from aim.workflow.keyring_check import keyring_changed
from aim.workflow.names import ROLLBACK_WORKFLOW, VALIDATE_WORKFLOW
from aim.workflow.rollback import preview_rollback, steps_to_undo, undo
from aim.workflow.run_index import newest
from aim.workspace import LATEST, LEGACY_DIR

if TYPE_CHECKING:
    from aim.workflow.history import RunState
    from aim.workflow.rollback import RollbackResult

PASSED_OVER = (ROLLBACK_WORKFLOW, VALIDATE_WORKFLOW)  # what a plain 'aim rollback' never picks
NO_MARKS = ("sync",)  # runs that change packages only: undoing them leaves AI_MANGER alone


def _target(ctx: StepContext, run: str) -> RunState:
    """The run to undo: ``run``, or for ``latest`` the newest run with changes left to undo.

    Rollbacks and validations (which only add their reports) are passed over; when no run has
    anything left to undo, the newest one is taken again, so a second rollback does nothing.
    """
    if run != LATEST:
        return load_run(ctx.ws, run)
    first: str | None = None
    for row in newest(ctx.ws):  # the index: no journal is read but the one chosen
        if row.run_id == ctx.run_id or row.workflow in PASSED_OVER:
            continue
        if row.undoable:
            return load_run(ctx.ws, row.run_id)
        first = first or row.run_id
    if first is None:
        raise NotFound(f"no run to roll back in {ctx.ws.root}; see 'aim runs'")
    return load_run(ctx.ws, first)


def _later_validations(ctx: StepContext, target: RunState) -> list[RunState]:
    """Validation runs after ``target`` whose reports are still there, newest first.

    They only added reports, which sit where the target run wrote (``reports/``): they are
    undone first, so a migration can be rolled back after it was validated.
    """
    later = []
    for row in newest(ctx.ws):
        if row.run_id <= target.run_id:
            break
        if row.workflow == VALIDATE_WORKFLOW and row.undoable:
            later.append(load_run(ctx.ws, row.run_id))
    return later


def _unmarks(state: RunState, to: str | None) -> bool:
    """Whether undoing ``state`` should clear AI_MANGER of aim blocks (see ``rollback``)."""
    return to is None and state.workflow not in (*PASSED_OVER, *NO_MARKS)


def _preview(ctx: StepContext, run: str = LATEST, to: str | None = None,
             force: bool = False) -> dict[str, Any]:
    state = _target(ctx, run)
    first = [preview_rollback(ctx.ws, v.run_id) for v in _later_validations(ctx, state)]
    removed = {path for p in first for path in p["restore"]}
    preview = preview_rollback(ctx.ws, state.run_id, to=to)
    preview["changed_since"] = [p for p in preview["changed_since"] if p not in removed] + \
        _keyring_changed(ctx, state, preview["steps"])
    lines = [f"undo validation run {p['run_id']} first: remove {', '.join(p['restore'])}"
             for p in first]
    lines += [f"undo run {state.run_id} ({state.workflow}): steps "
              f"{', '.join(preview['steps']) or 'none (already rolled back)'}"]
    secrets = {cp.target for cp in state.checkpoints if cp.kind == "secret"}
    lines += [f"restore keyring aim/{path}" if path in secrets else f"restore {path}"
              for path in preview["restore"]]
    lines += [f"changed after the run{'' if force else ' (needs --force)'}: {path}"
              for path in preview["changed_since"]]
    lines += [f"undo with {a['action']} ({a['step']}): {line}" for a in preview["undo_actions"]
              for line in a["does"]] + preview["unverified"]
    files = [p for p in [*removed, *preview["restore"]] if p not in secrets]
    unmark = _unmarks(state, to)
    return {"lines": lines, "files": sorted(set(files)), **preview,
            "outputs": {"run": state.run_id, "unmark": unmark}}


def _keyring_changed(ctx: StepContext, state: RunState, steps: list[str]) -> list[str]:
    """The keyring entries the preview's steps touched that changed after the run."""
    return keyring_changed(state, [c for c in state.checkpoints if c.step in steps], ctx.hooks)


def _undo(ctx: StepContext, state: RunState, to: str | None, force: bool) -> RollbackResult:
    """Undo ``state`` (or its steps after ``to``), checkpointing what it restores first."""
    steps = steps_to_undo(state, to)

    def checkpoint() -> None:  # only once the rollback goes ahead: a refusal saves nothing
        for cp in [c for c in state.checkpoints if c.step in steps]:
            if cp.kind == "path":
                ctx.checkpoint.tree(ctx.ws.root if cp.target == "." else ctx.path(cp.target))
            elif cp.kind == "secret":
                ctx.checkpoint.secret(cp.target)

    journal = Journal(state.run_dir)
    try:
        return undo(ctx.ws, state, journal, ctx.hooks, to=to, force=force, prepare=checkpoint)
    finally:
        journal.close()


@action("run.rollback", outputs=("run", "steps", "restored", "changed_since", "validations",
                                 "unmark"), preview=_preview)
def rollback(ctx: StepContext, run: str = LATEST, to: str | None = None,
             force: bool = False) -> dict[str, Any]:
    """Undo another run: verify nothing changed since (unless ``force``), restore, re-verify.

    ``run`` is a run id or ``latest`` (the newest run with changes left to undo that is not a
    rollback or a validation).  Validation runs made after it are undone first (their reports
    go).  What it restores is checkpointed first, so this rollback can be undone in turn.
    ``unmark`` says whether AI_MANGER should now be cleared of aim blocks: not after a partial
    rollback (``to``), nor after undoing a rollback (which puts back what it had removed).
    """
    state = _target(ctx, run)
    validations = [v.run_id for v in _later_validations(ctx, state)
                   if _undo(ctx, v, None, force) is not None]
    result = _undo(ctx, state, to, force)
    return {"run": state.run_id, "steps": list(result.steps), "restored": list(result.restored),
            "changed_since": list(result.changed_since), "validations": validations,
            "unmark": _unmarks(state, to)}


def _problems_of(check: Any) -> list[str]:
    try:
        check()
    except AimError as err:
        return [str(err)]
    return []


@action("rollback.check", outputs=("legacy", "config"))
def rollback_check(ctx: StepContext, legacy: str = LEGACY_DIR) -> dict[str, Any]:
    """Check the restored workspace: the legacy config (when there is one) reads (its values
    are the migration's to fit, never a problem), and aim_config.json (when there is one)
    validates.  Changes nothing.
    """
    def read() -> None:
        read_legacy(ctx.ws.root, legacy)

    has_legacy = ctx.path(legacy).exists()
    has_config = config_path(ctx.ws).is_file()
    problems = (_problems_of(read) if has_legacy else []) + \
        (_problems_of(lambda: load_config(ctx.ws)) if has_config else [])
    if problems:
        raise CheckFailed("the restored workspace has problems: " + " ".join(problems))
    ctx.log(f"restored workspace: legacy config {'reads' if has_legacy else 'absent'}, "
            f"aim_config.json {'valid' if has_config else 'absent'}")
    return {"legacy": "ok" if has_legacy else "absent", "config": "ok" if has_config else
            "absent"}
