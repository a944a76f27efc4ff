"""The procedures a user runs by name; each runs its workflow file from ``workflows/``."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by

TASKS = ("backup", "restore", "migrate", "validate", "deploy")
COMMON = {"root": ROOT_HELP, "dry_run": DRY_HELP, "json": JSON_HELP,
          "resume": "continue the last unfinished run", "fail_at": "fail at this step (rehearse"
          " a rollback)"}
MIGRATE = {
    **COMMON,
    "legacy": "the AI_MANGER folder (default: AI_MANGER under the root)",
    "vault": "the legacy secret vault (default: Secrets.VaultPath of the legacy config)",
    "secrets_from": "where values the vault cannot give come from: env, prompt, stdin (one "
                    "JSON object or NAME=VALUE lines, read at once) or skip",
    "prefer": "which side wins a conflicting setting: legacy or current",
}


@task(help=COMMON)
@handled
@implemented_by("aim.cli.procedure_commands:backup")
def backup(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False,
           resume: bool = False, fail_at: str | None = None) -> None:
    """Snapshot the config, the legacy trees and the docs into .aim/backups, and verify it."""


@task(help={**COMMON, "backup": "the backup to restore: an id from 'aim backups', or "
                                "'latest' (needed for a real restore; a dry run shows what "
                                "it would overwrite)"})
@handled
@implemented_by("aim.cli.procedure_commands:restore")
def restore(c: Any, backup: str | None = None, root: str | None = None, dry_run: bool = False,
            json: bool = False, resume: bool = False, fail_at: str | None = None) -> None:
    """Restore a backup (checkpointed: 'aim rollback' undoes the restore)."""


@task(help=MIGRATE)
@handled
@implemented_by("aim.cli.procedure_commands:migrate")
def migrate(c: Any, root: str | None = None, legacy: str | None = None,
            vault: str | None = None, secrets_from: str = "env", prefer: str | None = None,
            dry_run: bool = False, json: bool = False, resume: bool = False,
            fail_at: str | None = None) -> None:
    """Move an AI_MANGER install into aim_config.json and the keyring."""


@task(help={**COMMON, "production": "also run the production checklist (deploy's last steps)"})
@handled
@implemented_by("aim.cli.procedure_commands:validate")
def validate(c: Any, root: str | None = None, production: bool = False, dry_run: bool = False,
             json: bool = False, resume: bool = False, fail_at: str | None = None) -> None:
    """Validate the config, the keyring, the tools, version drift and health, with a report."""


@task(help=MIGRATE)
@handled
@implemented_by("aim.cli.procedure_commands:deploy")
def deploy(c: Any, root: str | None = None, legacy: str | None = None,
           vault: str | None = None, secrets_from: str = "env", prefer: str | None = None,
           dry_run: bool = False, json: bool = False, resume: bool = False,
           fail_at: str | None = None) -> None:
    """Take the workspace from AI_MANGER to AIM+ (backup, migrate, validate, docs, checks)."""
