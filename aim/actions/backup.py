"""Backup actions: snapshot workspace paths, verify a snapshot, restore one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.backup import (
    backup_touches,
    create_backup,
    load_backup,
    normalise,
    restore_backup,
    restore_changes,
    verify_backup,
)
from aim.errors import CheckFailed
from aim.workflow.context import StepContext
from aim.workspace import LATEST


def _create_preview(ctx: StepContext, paths: list[str],
                    label: str | None = None) -> dict[str, Any]:
    return {"lines": [f"save {rel} into a new backup" for rel in normalise(ctx.ws, paths)],
            "files": []}


@action("backup.create", outputs=("backup", "entries", "paths"), preview=_create_preview)
def create(ctx: StepContext, paths: list[str], label: str | None = None) -> dict[str, Any]:
    """Snapshot ``paths`` (relative to the root) into ``.aim/backups/<id>/``.

    The snapshot has a manifest of every file's sha256, mode and symlink target; paths that
    do not exist are recorded as absent (restoring removes them).  Changes no workspace file.
    """
    backup = create_backup(ctx.ws, paths, label=label)
    ctx.log(f"backup {backup.id}: {len(backup.entries)} entries")
    return {"backup": backup.id, "entries": len(backup.entries), "paths": list(backup.paths)}


@action("backup.verify", outputs=("backup", "entries"), pure=True)
def verify(ctx: StepContext, backup: str = LATEST) -> dict[str, Any]:
    """Check that every file of a backup (an id, or ``latest``) is there with its sha256."""
    found = load_backup(ctx.ws, backup)
    problems = verify_backup(ctx.ws, found.id, found)
    if problems:
        raise CheckFailed(f"backup {found.id} does not verify: " + "; ".join(problems[:10]))
    return {"backup": found.id, "entries": len(found.entries)}


def _restore_touches(params: Mapping[str, Any]) -> list[str]:
    return [f"(the paths saved in backup {params.get('backup')})"]


WHY = {"overwrite": "changed since the backup", "create": "gone since the backup",
       "remove": "not in the backup"}


def _restore_preview(ctx: StepContext, backup: str = LATEST) -> dict[str, Any]:
    found = load_backup(ctx.ws, backup)
    changes = restore_changes(ctx.ws, found)
    if not changes:
        return {"files": [], "lines": [f"nothing differs from backup {found.id}: the restore "
                                       "changes nothing"]}
    return {"files": [path for path, _ in changes],
            "lines": [f"from backup {found.id} ({found.created}):"]
            + [f"{what} {path} ({WHY[what]})" for path, what in changes]}


@action("backup.restore", outputs=("backup", "restored", "changes"), touches=_restore_touches,
        preview=_restore_preview)
def restore(ctx: StepContext, backup: str = LATEST) -> dict[str, Any]:
    """Put the paths of a backup back exactly as saved; refuses paths outside the root."""
    found = load_backup(ctx.ws, backup)
    changes = [f"{what} {path}" for path, what in restore_changes(ctx.ws, found)]
    for target in backup_touches(ctx.ws, found).values():
        ctx.checkpoint.tree(target)
    restored = restore_backup(ctx.ws, found)
    for change in changes:
        ctx.log(f"restore: {change}")
    return {"backup": found.id, "restored": restored, "changes": changes}
