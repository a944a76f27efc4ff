"""The bodies of the tasks declared in :mod:`aim.cli.prune_tasks`."""

from __future__ import annotations

from typing import Any

from aim.cli import render
from aim.cli.common import workspace
from aim.cli.render import human_size
from aim.store.prune import prune as prune_state  # loads the run history: not at start-up


def print_prune(found: Any) -> None:
    """What a prune removed (or would), the bytes freed, and the old runs it kept."""
    verb = "would remove" if found.dry_run else "removed"
    for item in found.removed:
        render.say(f"{verb} {item.label} ({human_size(item.bytes)}): {item.reason}")
    for item in found.kept:
        render.say(f"kept run {item.name}: {item.reason}")
    freed = "would free" if found.dry_run else "freed"
    render.say(f"{freed} {human_size(found.freed)}; the state folder holds "
               f"{human_size(found.state_size)}" + (" (dry run: nothing was changed)"
                                                    if found.dry_run else ""))


def prune(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False) -> None:
    """Remove old backups and runs the retention policy lets go, and unreferenced objects."""
    found = prune_state(workspace(c, root), dry_run=dry_run)
    render.emit_json(found.to_dict()) if json else print_prune(found)
