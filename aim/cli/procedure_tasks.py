"""The procedures a user runs by name; each runs its workflow file from ``workflows/``."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP, run_named
from aim.cli.handler import handled

TASKS = ("backup", "restore", "migrate", "validate", "deploy")
COMMON = {"root": ROOT_HELP, "dry_run": DRY_HELP, "json": JSON_HELP,
          "resume": "continue the last unfinished run", "fail_at": "fail at this step (rehearse"
          " a rollback)"}


@task(help=COMMON)
@handled
def backup(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False,
           resume: bool = False, fail_at: str | None = None) -> None:
    """Snapshot the config, the legacy trees and the docs into .aim/backups, and verify it."""
    run_named(c, "backup", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={})


@task(help={**COMMON, "backup": "the backup id to restore ('latest' for the newest)"})
@handled
def restore(c: Any, backup: str = "latest", root: str | None = None, dry_run: bool = False,
            json: bool = False, resume: bool = False, fail_at: str | None = None) -> None:
    """Restore a backup (checkpointed: 'aim rollback' undoes the restore)."""
    run_named(c, "restore", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={"backup": backup})


@task(help=COMMON)
@handled
def migrate(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False,
            resume: bool = False, fail_at: str | None = None) -> None:
    """Move an AI_MANGER install into aim_config.json and the keyring."""
    run_named(c, "migrate", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={})


@task(help=COMMON)
@handled
def validate(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False,
             resume: bool = False, fail_at: str | None = None) -> None:
    """Validate the config, the workflows and the environment."""
    run_named(c, "validate", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={})


@task(help=COMMON)
@handled
def deploy(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False,
           resume: bool = False, fail_at: str | None = None) -> None:
    """Take the workspace from AI_MANGER to AIM+ (backup, migrate, validate, docs)."""
    run_named(c, "deploy", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={})
