"""The bodies of the tasks declared in :mod:`aim.cli.run_tasks`."""

from __future__ import annotations

from typing import Any

from aim.cli.running import run_named
from aim.workflow.names import ROLLBACK_WORKFLOW
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
