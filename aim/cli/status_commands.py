"""The bodies of the tasks declared in :mod:`aim.cli.status_tasks`."""

from __future__ import annotations

from typing import Any

from aim.checks import TABLE_HEADERS, table_rows
from aim.cli import render
from aim.cli.common import workspace
from aim.status import gather_status


def status(c: Any, root: str | None = None, json: bool = False) -> None:
    """Show the workspace at a glance: config, secrets (names only), health, versions, last runs."""
    ws = workspace(c, root)
    found = gather_status(ws)
    if json:
        render.emit_json(found.to_dict())
        return
    render.say(f"workspace {ws.root}")
    render.say(render.table(TABLE_HEADERS, table_rows(found.checks)))
    render.say(f"state folder {found.state_dir}: {render.human_size(found.state_size)} "
               "('aim prune' frees what the retention policy lets go)")
    render.say("")
    if not found.runs:
        render.say("no runs yet")
        return
    render.say(render.table(["RUN", "WORKFLOW", "STATUS", "FAILED STEP"],
                            [[r["run_id"], r["workflow"], r["status"], r["failed_step"] or ""]
                             for r in found.runs]))
