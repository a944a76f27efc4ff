"""``audit``: read the audit trail back, filtered, or verify its hash chain."""

from __future__ import annotations

import json as jsonlib
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from invoke.tasks import task

from aim.cli import render
from aim.cli.common import JSON_HELP, ROOT_HELP, workspace
from aim.cli.handler import handled
from aim.errors import CheckFailed

DETAILS_WIDTH = 80


@task(help={
    "root": ROOT_HELP, "json": JSON_HELP,
    "type": "only events of this type (run, step, rollback, secret_access, …)",
    "since": "only events at or after this UTC date or time (2026-11-24, 2026-11-24T10:00)",
    "run": "only the events of this run id",
    "limit": "only the newest N matching events (0: all)",
    "verify": "check the hash chain instead; exits 1 naming the first bad line",
})
@handled
def audit(c: Any, type: str | None = None, since: str | None = None, run: str | None = None,
          limit: int = 0, verify: bool = False, json: bool = False,
          root: str | None = None) -> None:
    """Show the audit trail (who did what, when), or verify that it was not tampered with."""
    from aim import audit as trail

    path = workspace(c, root).audit_path
    if verify:
        _verified(trail.verify(path), json)
        return
    bound = trail.parse_since(since) if since is not None else None
    result = trail.query(path, type=type, since=bound, run=run, limit=limit or None)
    if json:
        render.emit_json(result.to_dict())
    else:
        _print_events(result.events)
    _warn(result.skipped, json)


def _verified(result: Any, as_json: bool) -> None:
    if as_json:
        render.emit_json(result.to_dict())
    _warn(result.skipped, as_json)
    if not result.ok:
        raise CheckFailed(f"{result.message}. Events from that line on cannot be trusted; "
                          "keep the files as they are for inspection.")
    if not as_json:
        render.say(result.message)


def _warn(skipped: Iterable[Any], as_json: bool) -> None:
    if not as_json:
        for item in skipped:
            render.say(f"warning: {item}", stream=sys.stderr)


def _print_events(events: Iterable[Mapping[str, Any]]) -> None:
    rows = [[e.get("time", "")[:19].replace("T", " "), e.get("type"), e.get("run") or "-",
             e.get("actor"), _details(e.get("details"))] for e in events]
    if not rows:
        render.say("no audit events match")
        return
    render.say(render.table(["TIME (UTC)", "TYPE", "RUN", "ACTOR", "DETAILS"], rows))


def _details(details: Any) -> str:
    if not isinstance(details, Mapping):
        return ""
    text = " ".join(f"{k}={v if isinstance(v, str) else jsonlib.dumps(v)}"
                    for k, v in details.items())
    return text if len(text) <= DETAILS_WIDTH else text[:DETAILS_WIDTH - 3] + "..."
