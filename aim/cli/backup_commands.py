"""The bodies of the tasks declared in :mod:`aim.cli.backup_tasks`."""

from __future__ import annotations

from typing import Any

from aim.backup import backup_size, list_backups
from aim.cli import render
from aim.cli.common import workspace
from aim.cli.render import human_size
from aim.workspace import Workspace


def backup_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Every backup, oldest first: id, time, label, size in bytes and saved paths."""
    return [{**found.to_dict(), "size": backup_size(ws, found)}
            for found in list_backups(ws)]


def print_backups(ws: Workspace, rows: list[dict[str, Any]]) -> None:
    if not rows:
        render.say(f"no backups in {ws.backups_dir}; make one with 'aim backup'")
        return
    render.say(render.table(
        ["ID", "CREATED", "LABEL", "SIZE", "PATHS"],
        [[r["id"], r["created"], r["label"] or "", human_size(r["size"]), ", ".join(r["paths"])]
         for r in rows]))
    render.say(f"restore one with: aim restore --backup ID (add --dry-run to see what it "
               f"would overwrite); the newest is {rows[-1]['id']}")


def backups(c: Any, root: str | None = None, json: bool = False) -> None:
    """List the backups (id, time, label, size, paths), oldest first."""
    ws = workspace(c, root)
    rows = backup_rows(ws)
    render.emit_json(rows) if json else print_backups(ws, rows)
