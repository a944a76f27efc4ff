"""Run actions: undo another run (the ``rollback`` workflow's first step)."""

from __future__ import annotations

from typing import Any

from aim.actions.registry import action
from aim.errors import NotFound
from aim.workflow.context import StepContext

ROLLBACK_WORKFLOW = "rollback"


def _target(ctx: StepContext, run: str) -> Any:
    """The run to undo: ``run``, or for ``latest`` the newest run that is not a rollback."""
    from aim.workflow.history import load_run, run_ids

    if run != "latest":
        return load_run(ctx.ws, run)
    for run_id in reversed(run_ids(ctx.ws)):
        state = load_run(ctx.ws, run_id)
        if run_id != ctx.run_id and state.workflow != ROLLBACK_WORKFLOW:
            return state
    raise NotFound(f"no run to roll back in {ctx.ws.root}; see 'aim runs'")


def _preview(ctx: StepContext, run: str = "latest", to: str | None = None,
             force: bool = False) -> dict[str, Any]:
    from aim.workflow.rollback import preview_rollback

    state = _target(ctx, run)
    preview = preview_rollback(ctx.ws, state.run_id, to=to)
    lines = [f"undo run {state.run_id} ({state.workflow}): steps "
             f"{', '.join(preview['steps']) or 'none (already rolled back)'}"]
    lines += [f"restore {path}" for path in preview["restore"]]
    lines += [f"changed after the run{'' if force else ' (needs --force)'}: {path}"
              for path in preview["changed_since"]]
    lines += [f"undo with {a['action']} ({a['step']}): {line}" for a in preview["undo_actions"]
              for line in a["does"]] + preview["unverified"]
    files = [p for p in preview["restore"] if not p.startswith("secret:")]
    return {"lines": lines, "files": files, **preview}


@action("run.rollback", outputs=("run", "steps", "restored", "changed_since"), preview=_preview)
def rollback(ctx: StepContext, run: str = "latest", to: str | None = None,
             force: bool = False) -> dict[str, Any]:
    """Undo another run: verify nothing changed since (unless ``force``), restore, re-verify.

    ``run`` is a run id or ``latest`` (the newest run that is not itself a rollback).  What it
    restores is checkpointed first, so this rollback can be undone in turn.
    """
    from aim.workflow.journal import Journal
    from aim.workflow.rollback import steps_to_undo, undo

    state = _target(ctx, run)
    steps = steps_to_undo(state, to)
    for cp in [c for c in state.checkpoints if c.step in steps]:
        if cp.kind == "path":
            ctx.checkpoint.tree(ctx.ws.root if cp.target == "." else ctx.path(cp.target))
        elif cp.kind == "secret":
            ctx.checkpoint.secret(cp.target)
    journal = Journal(state.run_dir)
    try:
        result = undo(ctx.ws, state, journal, ctx.hooks, to=to, force=force)
    finally:
        journal.close()
    return {"run": state.run_id, "steps": list(result.steps), "restored": list(result.restored),
            "changed_since": list(result.changed_since)}
