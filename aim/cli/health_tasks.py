"""``health``: the health report of the machine and the workspace."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli import live, render
from aim.cli.common import JSON_HELP, ROOT_HELP, workspace
from aim.cli.handler import handled
from aim.errors import CheckFailed


def _print_report(report: Any) -> None:
    from aim.checks import TABLE_HEADERS, table_rows

    render.say(render.table(TABLE_HEADERS, table_rows(report.checks)))
    render.say(f"\n{report.line()}")


@task(help={"root": ROOT_HELP, "json": JSON_HELP})
@handled
def health(c: Any, root: str | None = None, json: bool = False) -> None:
    """Check the machine and the workspace (tools, keyring, config, backups…)."""
    from aim.checks import Status
    from aim.health import UNHEALTHY, run_health

    with live.activity("health checks", quiet=json):
        report = run_health(workspace(c, root), None)
    render.emit_json(report.to_dict()) if json else _print_report(report)
    if report.status == UNHEALTHY:
        raise CheckFailed(f"unhealthy: {', '.join(report.named(Status.FAIL))} failed; the "
                          "hints above say how to fix them")
