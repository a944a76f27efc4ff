"""``rollback`` and ``runs``: undoing runs and their history."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli import render
from aim.cli.common import JSON_HELP, ROOT_HELP, run_named, workspace
from aim.cli.handler import handled
from aim.workflow.names import ROLLBACK_WORKFLOW


@task(help={
    "root": ROOT_HELP, "json": JSON_HELP,
    "run": "the run to undo (default: the newest run that is not a rollback; see 'runs')",
    "to": "undo only the steps after this one",
    "force": "overwrite files changed after the run (they are named first)",
    "dry_run": "show what would be undone and change nothing",
    "resume": "continue an interrupted rollback",
})
@handled
def rollback(c: Any, root: str | None = None, run: str = "latest", to: str | None = None,
             force: bool = False, dry_run: bool = False, json: bool = False,
             resume: bool = False) -> None:
    """Undo a finished or crashed run, restoring every file and keyring entry it changed."""
    inputs: dict[str, Any] = {"run": run, "force": force}
    if to is not None:
        inputs["to"] = to
    run_named(c, ROLLBACK_WORKFLOW, root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=None, inputs=inputs)


@task(help={"root": ROOT_HELP, "json": JSON_HELP, "limit": "show only the newest N runs"})
@handled
def runs(c: Any, root: str | None = None, json: bool = False, limit: int = 20) -> None:
    """List past runs with their status (newest last)."""
    from aim.cli.show import print_runs
    from aim.workflow.run_index import run_rows

    if limit < 1:
        from aim.errors import InputError

        raise InputError(f"--limit {limit}: give how many of the newest runs to show, 1 or more")
    rows = run_rows(workspace(c, root), limit)
    render.emit_json(rows) if json else print_runs(rows)
