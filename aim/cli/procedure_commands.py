"""The bodies of the tasks declared in :mod:`aim.cli.procedure_tasks`."""

from __future__ import annotations

import os
import sys
from typing import Any

from aim.backup import backup_ids
from aim.cli.common import workspace
from aim.cli.running import run_named
from aim.errors import InputError
from aim.legacy.secret_stdin import take_stdin
from aim.workspace import LATEST


def _migrate_inputs(legacy: str | None, vault: str | None, secrets_from: str,
                    prefer: str | None) -> dict[str, Any]:
    if secrets_from not in ("env", "prompt", "stdin", "skip"):
        raise InputError(f"--secrets-from {secrets_from!r}: use env, prompt, stdin or skip")
    if prefer not in (None, "legacy", "current"):
        raise InputError(f"--prefer {prefer!r}: use legacy or current")
    # Paths given on the command line are relative to where the user stands, not to --root.
    given = {"legacy": legacy and os.path.abspath(legacy), "vault": vault and
             os.path.abspath(vault), "secrets_from": secrets_from, "prefer": prefer}
    if secrets_from == "stdin":  # read it all now, before the run, so nothing waits on it
        take_stdin(sys.stdin)
    return {key: value for key, value in given.items() if value is not None}


def backup(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False,
           resume: bool = False, fail_at: str | None = None) -> None:
    """Snapshot the config, the legacy trees and the docs into .aim/backups, and verify it."""
    run_named(c, "backup", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={})


def restore(c: Any, backup: str | None = None, root: str | None = None, dry_run: bool = False,
            json: bool = False, resume: bool = False, fail_at: str | None = None) -> None:
    """Restore a backup (checkpointed: 'aim rollback' undoes the restore)."""
    if backup is None and not dry_run and not resume:
        raise _backup_needed(workspace(c, root))
    run_named(c, "restore", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={"backup": backup or LATEST})


def _backup_needed(ws: Any) -> Exception:
    ids = backup_ids(ws)
    newest = f" (the newest is {ids[-1]})" if ids else " (there are none yet: 'aim backup')"
    return InputError("aim restore overwrites the saved paths with a backup's content, so it "
                      f"needs --backup ID or --backup latest{newest}. 'aim backups' lists "
                      "them; 'aim restore --backup ID --dry-run' shows what it would "
                      "overwrite, and nothing was changed")


def migrate(c: Any, **flags: Any) -> None:
    """Move an AI_MANGER install into aim_config.json and the keyring."""
    _migrating(c, "migrate", flags)


def validate(c: Any, root: str | None = None, production: bool = False, dry_run: bool = False,
             json: bool = False, resume: bool = False, fail_at: str | None = None) -> None:
    """Validate the config, the keyring, the tools, version drift and health, with a report."""
    run_named(c, "validate", root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs={"production": production})


def deploy(c: Any, **flags: Any) -> None:
    """Take the workspace from AI_MANGER to AIM+ (backup, migrate, validate, docs, checks)."""
    _migrating(c, "deploy", flags)


def _migrating(c: Any, name: str, flags: dict[str, Any]) -> None:
    """Run ``migrate`` or ``deploy`` (the same flags) with the legacy inputs checked first."""
    inputs = _migrate_inputs(flags.get("legacy"), flags.get("vault"),
                             flags.get("secrets_from", "env"), flags.get("prefer"))
    run_named(c, name, root=flags.get("root"), dry_run=bool(flags.get("dry_run")),
              resume=bool(flags.get("resume")), as_json=bool(flags.get("json")),
              fail_at=flags.get("fail_at"), inputs=inputs)
