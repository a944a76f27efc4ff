"""``audit``: read the audit trail back, filtered, or verify its hash chain."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={
    "root": ROOT_HELP, "json": JSON_HELP,
    "type": "only events of this type (run, step, rollback, secret_access, …)",
    "since": "only events at or after this UTC date or time (2026-11-24, 2026-11-24T10:00)",
    "run": "only the events of this run id",
    "limit": "only the newest N matching events (0: all)",
    "verify": "check the hash chain instead; exits 1 naming the first bad line",
})
@handled
@implemented_by("aim.cli.audit_commands:audit")
def audit(c: Any, type: str | None = None, since: str | None = None, run: str | None = None,
          limit: int = 0, verify: bool = False, json: bool = False,
          root: str | None = None) -> None:
    """Show the audit trail (who did what, when), or verify that it was not tampered with."""
