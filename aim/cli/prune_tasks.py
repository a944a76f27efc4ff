"""``prune``: free the state folder of what the retention policy lets go."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={"root": ROOT_HELP, "json": JSON_HELP,
            "dry_run": "show what would be removed and change nothing"})
@handled
@implemented_by("aim.cli.prune_commands:prune")
def prune(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False) -> None:
    """Remove old backups and runs the retention policy lets go, and unreferenced objects."""
