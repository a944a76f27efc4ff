"""``status``: config, secrets, health, versions and the last runs on one screen."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli import render
from aim.cli.common import JSON_HELP, ROOT_HELP, workspace
from aim.cli.handler import handled


@task(help={"root": ROOT_HELP, "json": JSON_HELP})
@handled
def status(c: Any, root: str | None = None, json: bool = False) -> None:
    """Show the workspace at a glance: config, secrets (names only), health, versions, last runs."""
    from aim.checks import TABLE_HEADERS, table_rows
    from aim.status import gather_status

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
