"""Backup actions: snapshot workspace paths, verify a snapshot, restore one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.errors import CheckFailed
from aim.workflow.context import StepContext


def _create_preview(ctx: StepContext, paths: list[str],
                    label: str | None = None) -> dict[str, Any]:
    from aim.backup import normalise

    return {"lines": [f"save {rel} into a new backup" for rel in normalise(ctx.ws, paths)],
            "files": []}


@action("backup.create", outputs=("backup", "entries", "paths"), preview=_create_preview)
def create(ctx: StepContext, paths: list[str], label: str | None = None) -> dict[str, Any]:
    """Snapshot ``paths`` (relative to the root) into ``.aim/backups/<id>/``.

    The snapshot has a manifest of every file's sha256, mode and symlink target; paths that
    do not exist are recorded as absent (restoring removes them).  Changes no workspace file.
    """
    from aim.backup import create_backup

    backup = create_backup(ctx.ws, paths, label=label)
    ctx.log(f"backup {backup.id}: {len(backup.entries)} entries")
    return {"backup": backup.id, "entries": len(backup.entries), "paths": list(backup.paths)}


@action("backup.verify", outputs=("backup", "entries"), pure=True)
def verify(ctx: StepContext, backup: str = "latest") -> dict[str, Any]:
    """Check that every file of a backup (an id, or ``latest``) is there with its sha256."""
    from aim.backup import load_backup, verify_backup

    found = load_backup(ctx.ws, backup)
    problems = verify_backup(ctx.ws, found.id)
    if problems:
        raise CheckFailed(f"backup {found.id} does not verify: " + "; ".join(problems[:10]))
    return {"backup": found.id, "entries": len(found.entries)}


def _restore_touches(params: Mapping[str, Any]) -> list[str]:
    return [f"(the paths saved in backup {params.get('backup')})"]


def _restore_preview(ctx: StepContext, backup: str = "latest") -> dict[str, Any]:
    from aim.backup import backup_touches, load_backup

    found = load_backup(ctx.ws, backup)
    paths = list(backup_touches(ctx.ws, found.id))
    return {"files": paths, "lines": [f"restore {p} from backup {found.id}" for p in paths]}


@action("backup.restore", outputs=("backup", "restored"), touches=_restore_touches,
        preview=_restore_preview)
def restore(ctx: StepContext, backup: str = "latest") -> dict[str, Any]:
    """Put the paths of a backup back exactly as saved; refuses paths outside the root."""
    from aim.backup import backup_touches, load_backup, restore_backup

    found = load_backup(ctx.ws, backup)
    for target in backup_touches(ctx.ws, found.id).values():
        ctx.checkpoint.tree(target)
    restored = restore_backup(ctx.ws, found.id)
    return {"backup": found.id, "restored": restored}
