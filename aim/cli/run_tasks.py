"""``rollback`` and ``runs``: undoing runs and their history."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by
from aim.workspace import LATEST


@task(help={
    "root": ROOT_HELP, "json": JSON_HELP,
    "run": "the run to undo (default: the newest run that is not a rollback; see 'runs')",
    "to": "undo only the steps after this one",
    "force": "overwrite files changed after the run (they are named first)",
    "dry_run": "show what would be undone and change nothing",
    "resume": "continue an interrupted rollback",
})
@handled
@implemented_by("aim.cli.run_commands:rollback")
def rollback(c: Any, root: str | None = None, run: str = LATEST, to: str | None = None,
             force: bool = False, dry_run: bool = False, json: bool = False,
             resume: bool = False) -> None:
    """Undo a finished or crashed run, restoring every file and keyring entry it changed."""


@task(help={"root": ROOT_HELP, "json": JSON_HELP, "limit": "show only the newest N runs"})
@handled
@implemented_by("aim.cli.runs_commands:runs")
def runs(c: Any, root: str | None = None, json: bool = False, limit: int = 20) -> None:
    """List past runs with their status (newest last)."""
