"""``status``: config, secrets, health, versions and the last runs on one screen."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={"root": ROOT_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.status_commands:status")
def status(c: Any, root: str | None = None, json: bool = False) -> None:
    """Show the workspace at a glance: config, secrets (names only), health, versions, last runs."""
