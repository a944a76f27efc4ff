"""The bodies of the tasks declared in :mod:`aim.cli.run_tasks`."""

from __future__ import annotations

from typing import Any

from aim.cli import render
from aim.cli.common import workspace
from aim.cli.running import run_named
from aim.cli.show import print_runs
from aim.errors import InputError
from aim.workflow.names import ROLLBACK_WORKFLOW
from aim.workflow.run_index import run_rows
from aim.workspace import LATEST


def rollback(c: Any, root: str | None = None, run: str = LATEST, to: str | None = None,
             force: bool = False, dry_run: bool = False, json: bool = False,
             resume: bool = False) -> None:
    """Undo a finished or crashed run, restoring every file and keyring entry it changed."""
    inputs: dict[str, Any] = {"run": run, "force": force}
    if to is not None:
        inputs["to"] = to
    run_named(c, ROLLBACK_WORKFLOW, root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=None, inputs=inputs)


def runs(c: Any, root: str | None = None, json: bool = False, limit: int = 20) -> None:
    """List past runs with their status (newest last)."""
    if limit < 1:
        raise InputError(f"--limit {limit}: give how many of the newest runs to show, 1 or more")
    rows = run_rows(workspace(c, root), limit)
    render.emit_json(rows) if json else print_runs(rows)
