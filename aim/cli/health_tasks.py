"""``health``: the health report of the machine and the workspace."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={"root": ROOT_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.health_commands:health")
def health(c: Any, root: str | None = None, json: bool = False) -> None:
    """Check the machine and the workspace (tools, keyring, config, backups…)."""
