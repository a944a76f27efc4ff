"""The body of ``aim runs`` (declared in :mod:`aim.cli.run_tasks`): kept apart from the bodies
that run workflows, so that listing runs loads the run index and no runner."""

from __future__ import annotations

from typing import Any

from aim.cli import render
from aim.cli.common import workspace
from aim.cli.show import print_runs
from aim.errors import InputError
from aim.workflow.run_index import run_rows


def runs(c: Any, root: str | None = None, json: bool = False, limit: int = 20) -> None:
    """List past runs with their status (newest last)."""
    if limit < 1:
        raise InputError(f"--limit {limit}: give how many of the newest runs to show, 1 or more")
    rows = run_rows(workspace(c, root), limit)
    render.emit_json(rows) if json else print_runs(rows)
