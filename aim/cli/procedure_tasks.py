"""The procedures a user runs by name; each runs its workflow file from ``workflows/``."""

from __future__ import annotations

import os
from typing import Any

from invoke.tasks import task

from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP, run_named, workspace
from aim.cli.handler import handled

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


def _migrate_inputs(legacy: str | None, vault: str | None, secrets_from: str,
                    prefer: str | None) -> dict[str, Any]:
    from aim.errors import InputError

    if secrets_from not in ("env", "prompt", "stdin", "skip"):
        raise InputError(f"--secrets-from {secrets_from!r}: use env, prompt, stdin or skip")
    if prefer not in (None, "legacy", "current"):
        raise InputError(f"--prefer {prefer!r}: use legacy or current")
    # Paths given on the command line are relative to where the user stands, not to --root.
    given = {"legacy": legacy and os.path.abspath(legacy), "vault": vault and
             os.path.abspath(vault), "secrets_from": secrets_from, "prefer": prefer}
    if secrets_from == "stdin":  # read it all now, before the run, so nothing waits on it
        import sys

        from aim.legacy.secret_stdin import take_stdin

        take_stdin(sys.stdin)
    return {key: value for key, value in given.items() if value is not None}


@task(help=COMMON)
@handled
def backup(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False,
           resume: bool = False, fail_at: str | None = None) -> None:
    """Snapshot the config, the legacy trees and the docs into .aim/backups, and verify it."""
    run_named(c, "backup", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={})


@task(help={**COMMON, "backup": "the backup to restore: an id from 'aim backups', or "
                                "'latest' (needed for a real restore; a dry run shows what "
                                "it would overwrite)"})
@handled
def restore(c: Any, backup: str | None = None, root: str | None = None, dry_run: bool = False,
            json: bool = False, resume: bool = False, fail_at: str | None = None) -> None:
    """Restore a backup (checkpointed: 'aim rollback' undoes the restore)."""
    if backup is None and not dry_run and not resume:
        raise _backup_needed(workspace(c, root))
    run_named(c, "restore", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={"backup": backup or "latest"})


def _backup_needed(ws: Any) -> Exception:
    from aim.backup import backup_ids
    from aim.errors import InputError

    ids = backup_ids(ws)
    newest = f" (the newest is {ids[-1]})" if ids else " (there are none yet: 'aim backup')"
    return InputError("aim restore overwrites the saved paths with a backup's content, so it "
                      f"needs --backup ID or --backup latest{newest}. 'aim backups' lists "
                      "them; 'aim restore --backup ID --dry-run' shows what it would "
                      "overwrite, and nothing was changed")


@task(help=MIGRATE)
@handled
def migrate(c: Any, root: str | None = None, legacy: str | None = None,
            vault: str | None = None, secrets_from: str = "env", prefer: str | None = None,
            dry_run: bool = False, json: bool = False, resume: bool = False,
            fail_at: str | None = None) -> None:
    """Move an AI_MANGER install into aim_config.json and the keyring."""
    run_named(c, "migrate", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs=_migrate_inputs(legacy, vault, secrets_from, prefer))


@task(help={**COMMON, "production": "also run the production checklist (deploy's last steps)"})
@handled
def validate(c: Any, root: str | None = None, production: bool = False, dry_run: bool = False,
             json: bool = False, resume: bool = False, fail_at: str | None = None) -> None:
    """Validate the config, the keyring, the tools, version drift and health, with a report."""
    run_named(c, "validate", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={"production": production})


@task(help=MIGRATE)
@handled
def deploy(c: Any, root: str | None = None, legacy: str | None = None,
           vault: str | None = None, secrets_from: str = "env", prefer: str | None = None,
           dry_run: bool = False, json: bool = False, resume: bool = False,
           fail_at: str | None = None) -> None:
    """Take the workspace from AI_MANGER to AIM+ (backup, migrate, validate, docs, checks)."""
    run_named(c, "deploy", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs=_migrate_inputs(legacy, vault, secrets_from, prefer))
