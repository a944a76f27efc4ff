"""``prune``: free the state folder of what the retention policy lets go."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli import render
from aim.cli.common import JSON_HELP, ROOT_HELP, workspace
from aim.cli.handler import handled
from aim.cli.render import human_size


def print_prune(found: Any) -> None:
    """What a prune removed (or would), the bytes freed, and the old runs it kept."""
    verb = "would remove" if found.dry_run else "removed"
    for item in found.removed:
        name = f"{item.kind} {item.name}" if item.kind in ("backup", "run") else item.name
        render.say(f"{verb} {name} ({human_size(item.bytes)}): {item.reason}")
    for item in found.kept:
        render.say(f"kept run {item.name}: {item.reason}")
    freed = "would free" if found.dry_run else "freed"
    render.say(f"{freed} {human_size(found.freed)}; the state folder holds "
               f"{human_size(found.state_size)}" + (" (dry run: nothing was changed)"
                                                    if found.dry_run else ""))


@task(help={"root": ROOT_HELP, "json": JSON_HELP,
            "dry_run": "show what would be removed and change nothing"})
@handled
def prune(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False) -> None:
    """Remove old backups and runs the retention policy lets go, and unreferenced objects."""
    from aim.store.prune import prune as prune_state  # loads the run history: not at start-up

    found = prune_state(workspace(c, root), dry_run=dry_run)
    render.emit_json(found.to_dict()) if json else print_prune(found)
