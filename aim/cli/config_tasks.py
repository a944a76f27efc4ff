"""``tools`` and ``config.show|check|init``: the tool registry and the config file."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={"capability": "show which tool serves this capability, along its fallback chain",
            "root": ROOT_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.config_commands:tools")
def tools(c: Any, capability: str | None = None, root: str | None = None,
          json: bool = False) -> None:
    """Show the tool registry: each tool, where it is installed, and the capabilities."""


@task(help={"root": ROOT_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.config_commands:show")
def show(c: Any, root: str | None = None, json: bool = False) -> None:
    """Show the workspace's validated aim_config.json."""


@task(help={"root": ROOT_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.config_commands:check")
def check(c: Any, root: str | None = None, json: bool = False) -> None:
    """Validate aim_config.json and every workflow file together, listing every problem."""


@task(help={"root": ROOT_HELP, "json": JSON_HELP, "dry_run": DRY_HELP})
@handled
@implemented_by("aim.cli.config_commands:init")
def init(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False) -> None:
    """Write the shipped default aim_config.json into a workspace that has none."""


collection = Collection("config")
collection.add_task(show)
collection.add_task(check)
collection.add_task(init)
