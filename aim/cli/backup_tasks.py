"""``backups``: the backups a workspace holds, to pick one for ``aim restore --backup``."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={"root": ROOT_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.backup_commands:backups")
def backups(c: Any, root: str | None = None, json: bool = False) -> None:
    """List the backups (id, time, label, size, paths), oldest first."""
