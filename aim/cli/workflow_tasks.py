"""``workflow.list|show|check|run``: the workflow files and running them."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by

NAME_HELP = "the workflow's name (the file is <workspace workflows folder>/NAME.yaml)"


@task(help={"json": JSON_HELP, "root": ROOT_HELP})
@handled
@implemented_by("aim.cli.workflow_commands:list_")
def list_(c: Any, root: str | None = None, json: bool = False) -> None:
    """List the workflows that can be run: the workspace's own first, then the shipped ones."""


@task(help={"name": "a workflow name or a path to a .yaml file", "json": JSON_HELP,
            "root": ROOT_HELP})
@handled
@implemented_by("aim.cli.workflow_commands:show")
def show(c: Any, name: str, root: str | None = None, json: bool = False) -> None:
    """Show a workflow's steps, in order, as the runner will run them."""


@task(help={"file": "a workflow name or a path to a .yaml file", "json": JSON_HELP,
            "root": ROOT_HELP})
@handled
@implemented_by("aim.cli.workflow_commands:check")
def check(c: Any, file: str, root: str | None = None, json: bool = False) -> None:
    """Validate a workflow file (and the workflows it runs) without running anything."""


@task(
    iterable=["input"],
    help={
        "name": "a workflow name from workflows/ or a path to a .yaml file",
        "root": ROOT_HELP, "dry_run": DRY_HELP, "json": JSON_HELP,
        "resume": "continue the last unfinished run of this workflow",
        "fail_at": "fail at this step (after it runs) to rehearse a rollback",
        "input": "KEY=VALUE given to the workflow as ${{ inputs.KEY }} (repeatable)",
    },
)
@handled
@implemented_by("aim.cli.workflow_commands:run")
def run(c: Any, name: str, root: str | None = None, dry_run: bool = False,
        resume: bool = False, json: bool = False, fail_at: str | None = None,
        input: list[str] | None = None) -> None:
    """Run a workflow (or print its plan with --dry-run)."""


@task(help={"name": NAME_HELP, "root": ROOT_HELP, "dry_run": DRY_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.workflow_commands:new")
def new(c: Any, name: str, root: str | None = None, dry_run: bool = False,
        json: bool = False) -> None:
    """Start a new workflow in the workspace's workflows folder, from a one-step skeleton."""


@task(help={"name": "the shipped workflow to copy", "root": ROOT_HELP, "dry_run": DRY_HELP,
            "json": JSON_HELP})
@handled
@implemented_by("aim.cli.workflow_commands:eject")
def eject(c: Any, name: str, root: str | None = None, dry_run: bool = False,
          json: bool = False) -> None:
    """Copy a shipped workflow into the workspace's workflows folder, where it replaces it."""


@task(help={"name": "a workflow of the workspace that replaces a shipped one",
            "root": ROOT_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.workflow_commands:diff")
def diff(c: Any, name: str, root: str | None = None, json: bool = False) -> None:
    """Show how the workspace's copy of a shipped workflow differs from this release's."""


collection = Collection("workflow")
collection.add_task(list_, name="list")
collection.add_task(show)
collection.add_task(check)
collection.add_task(run)
collection.add_task(new)
collection.add_task(eject)
collection.add_task(diff)
