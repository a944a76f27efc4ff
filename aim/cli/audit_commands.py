"""The bodies of the tasks declared in :mod:`aim.cli.audit_tasks`."""

from __future__ import annotations

import json as jsonlib
import math
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from aim import audit as trail
from aim.cli import render
from aim.cli.common import workspace
from aim.errors import CheckFailed
from aim.redact import redact, redact_obj

if TYPE_CHECKING:
    from aim.audit.reader import EventStream

DETAILS_WIDTH = 80
HEADERS = ("TIME (UTC)", "TYPE", "RUN", "ACTOR", "DETAILS")
SAMPLE_ROWS = 1000  # the rows that fix the column widths of a streamed table


def audit(c: Any, type: str | None = None, since: str | None = None, run: str | None = None,
          limit: int = 0, verify: bool = False, json: bool = False,
          root: str | None = None) -> None:
    """Show the audit trail (who did what, when), or verify that it was not tampered with."""
    path = workspace(c, root).audit_path
    if verify:
        _verified(trail.verify(path), json)
        return
    bound = trail.parse_since(since) if since is not None else None
    events = trail.stream(path, type=type, since=bound, run=run, limit=limit or None)
    if json:
        _stream_json(events)
    else:
        _stream_table(events)
    _warn(events.skipped, json)


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


def _stream_json(events: EventStream) -> None:
    """One JSON document, ``{"events": [...], "skipped": [...]}``, written as the events are
    found: one event per line, each exactly as the trail holds it (redacted), the damaged
    lines met at the end."""
    before = '{"events": [\n'
    for batch in events.found():
        text = ",\n".join(_json_line(event, line) for event, line in batch)
        if not render.write_block(before + text):
            return
        before = ",\n"
    skipped = jsonlib.dumps([s.to_dict() for s in events.skipped])
    head = '{"events": [' if before.startswith("{") else "\n"
    render.write_block(f'{head}], "skipped": {skipped}}}\n')


def _json_line(event: Mapping[str, Any], line: bytes) -> str:
    """The event's line as written; re-serialized only when redaction masked something in
    it, so that a configured redaction pattern cannot cut the JSON in two."""
    text = line.decode("utf-8")
    if redact(text) == text:
        return text
    return jsonlib.dumps(redact_obj(event), ensure_ascii=False, separators=(",", ":"))


def _stream_table(events: EventStream) -> None:
    """The events as a table printed as they come; the column widths are fixed from the
    first batch (and the headers), so nothing waits for the end of the trail."""
    columns: render.Columns | None = None
    for batch in events.found():
        rows = _rows(batch)
        head = []
        if columns is None:
            columns = render.Columns(HEADERS, rows[:SAMPLE_ROWS])
            head = [columns.heading()]
        body = ("\n".join([columns.row(row) for row in rows]) if columns.wraps
                else columns.lines(rows))
        if not render.write_block("\n".join([*head, body]) + "\n"):
            return
    if columns is None:
        render.say("no audit events match")


def _rows(batch: Iterable[tuple[Mapping[str, Any], bytes]]) -> list[tuple[str, ...]]:
    """The table rows of a batch of events: one loop with no call per event that can be
    spared, as it runs for every event of a query of any size."""
    rows: list[tuple[str, ...]] = []
    append = rows.append
    for event, _line in batch:
        get = event.get
        details, actor, run = get("details"), get("actor"), get("run")
        text = ""
        if type(details) is dict:  # parsed JSON gives dicts: no isinstance, no call
            text = " ".join([f"{k}={v}" if type(v) is str else f"{k}={_value(v)}"
                             for k, v in details.items()])
            if len(text) > DETAILS_WIDTH:
                text = text[:DETAILS_WIDTH - 3] + "..."
        append((str(get("time", ""))[:19].replace("T", " "), str(get("type")),
                str(run) if run else "-", "" if actor is None else str(actor), text))
    return rows


def _value(value: Any) -> str:
    """A details value as shown: the JSON of anything but a string (numbers and booleans
    written directly: this runs for every event of a large query)."""
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)
    if value is None or kind is bool:
        return "null" if value is None else "true" if value else "false"
    return value if kind is str else jsonlib.dumps(value)
