"""``rollback`` and ``runs``: undoing runs and their history."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli import render
from aim.cli.common import JSON_HELP, ROOT_HELP, make_hooks, workspace
from aim.cli.handler import handled


@task(help={
    "root": ROOT_HELP, "json": JSON_HELP,
    "run": "the run to undo (default: the latest; see 'runs')",
    "to": "undo only the steps after this one",
    "force": "overwrite files changed after the run (they are named first)",
    "dry_run": "show what would be undone and change nothing",
})
@handled
def rollback(c: Any, root: str | None = None, run: str = "latest", to: str | None = None,
             force: bool = False, dry_run: bool = False, json: bool = False) -> None:
    """Undo a finished or crashed run, restoring every file it changed."""
    ws = workspace(c, root)
    if dry_run:
        from aim.workflow.rollback import preview_rollback

        preview = preview_rollback(ws, run, to=to)
        if json:
            render.emit_json(preview)
            return
        _print_preview(preview)
        return
    from aim.workflow.rollback import rollback_run

    result = rollback_run(ws, run, to=to, force=force, hooks=make_hooks(ws, json))
    if json:
        render.emit_json(result.to_dict())
        return
    if not result.steps:
        render.say(f"run {result.run_id}: nothing to undo (already rolled back)")
        return
    render.say(f"run {result.run_id}: rolled back {len(result.steps)} step(s); "
               f"{len(result.restored)} path(s) restored and verified")


def _print_preview(preview: dict[str, Any]) -> None:
    render.say(f"rollback of run {preview['run_id']} would undo: "
               f"{', '.join(preview['steps']) or 'nothing'}")
    for path in preview["restore"]:
        render.say(f"  restore {path}")
    for path in preview["changed_since"]:
        render.say(f"  changed after the run (needs --force): {path}")


@task(help={"root": ROOT_HELP, "json": JSON_HELP, "limit": "show only the newest N runs"})
@handled
def runs(c: Any, root: str | None = None, json: bool = False, limit: int = 20) -> None:
    """List past runs with their status (newest last)."""
    from aim.cli.show import print_runs
    from aim.workflow.history import run_rows

    rows = run_rows(workspace(c, root))[-limit:]
    render.emit_json(rows) if json else print_runs(rows)
