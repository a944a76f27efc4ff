"""The bodies of the tasks declared in :mod:`aim.cli.health_tasks`."""

from __future__ import annotations

from typing import Any

from aim.checks import TABLE_HEADERS, Status, table_rows
from aim.cli import live, render
from aim.cli.common import workspace
from aim.errors import CheckFailed
from aim.health import UNHEALTHY, run_health


def _print_report(report: Any) -> None:
    render.say(render.table(TABLE_HEADERS, table_rows(report.checks)))
    render.say(f"\n{report.line()}")


def health(c: Any, root: str | None = None, json: bool = False) -> None:
    """Check the machine and the workspace (tools, keyring, config, backups…)."""
    with live.activity("health checks", quiet=json):
        report = run_health(workspace(c, root), None)
    render.emit_json(report.to_dict()) if json else _print_report(report)
    if report.status == UNHEALTHY:
        raise CheckFailed(f"unhealthy: {', '.join(report.named(Status.FAIL))} failed; the "
                          "hints above say how to fix them")
