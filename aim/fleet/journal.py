"""The fleet journal: one fsynced JSON line per event in ``<state>/fleet/<id>/journal.jsonl``.

Events: ``start`` (command, hosts, waves, options), ``wave``, ``host_start``, ``baseline``
(the newest run the host had before this one: ``runs_before``), ``host_end`` (outcome, exit
code and the host's own run id, pinned), ``reconciled`` (what the host's ``aim runs`` said
later about a host whose connection dropped), ``end``.  Lines are redacted; no secret value
is ever in an event.  A fleet lock (``<state>/fleet/lock``) lets one fleet command at a time
write journals.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aim.errors import NotFound
from aim.fsio import AppendLog, read_json_lines
from aim.redact import redact_obj
from aim.workspace import LATEST, Workspace

JOURNAL = "journal.jsonl"


def fleet_dir(ws: Workspace) -> Path:
    """``<state>/fleet``: the fleet journals and the fleet lock."""
    return ws.state_dir / "fleet"


def fleet_workspace(ws: Workspace) -> Workspace:
    """The controller workspace with the fleet folder as its state folder (for the lock)."""
    return Workspace(root=ws.root, state_dir=fleet_dir(ws))


def new_fleet_run_id(command: str) -> str:
    """A sortable, unique id: ``20261124T150102.123456Z-fleet-deploy-3fa2``."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z"
    return f"{stamp}-fleet-{command}-{secrets.token_hex(2)}"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class FleetJournal:
    """Appends events to one fleet run's journal; safe to call from the worker threads."""

    def __init__(self, ws: Workspace, run_id: str) -> None:
        fleet_workspace(ws).ensure_state_dir()
        self.run_id = run_id
        self.path = fleet_dir(ws) / run_id / JOURNAL
        self.path.parent.mkdir(mode=0o700, exist_ok=True)
        self._log = AppendLog(self.path)
        self._lock = threading.Lock()

    def write(self, event: str, **fields: Any) -> None:
        """Append one event (redacted) and fsync it before returning."""
        record = redact_obj({"event": event, "at": utc_now(), **fields})
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self._log.append(line)

    def close(self) -> None:
        self._log.close()


@dataclass
class HostEntry:
    """What the journal says about one host of a fleet run."""

    name: str
    started: str | None = None
    ended: str | None = None
    runs_before: str | None = None
    baselined: bool = False  # its newest run was noted, so the main command may have started
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def outcome(self) -> str | None:
        return self.result.get("outcome")

    @property
    def run_id(self) -> str | None:
        return self.result.get("run_id")


@dataclass
class FleetRun:
    """A fleet run read back from its journal (the last word on each host wins)."""

    run_id: str
    command: str = ""
    started: str = ""
    ended: str | None = None
    of: str | None = None  # a rollback's fleet run
    hosts: dict[str, HostEntry] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def apply(self, record: dict[str, Any]) -> None:
        event = record.get("event")
        if event == "start":
            self.command, self.started = record.get("command", ""), record.get("at", "")
            self.of = record.get("of")
            for name in record.get("hosts", []):
                self.hosts[name] = HostEntry(name)
        elif event in ("host_start", "baseline", "host_end", "reconciled"):
            self._host_event(event, record)
        elif event == "end":
            self.ended, self.counts = record.get("at"), record.get("counts", {})

    def _host_event(self, event: str, record: dict[str, Any]) -> None:
        entry = self.hosts.setdefault(record["host"], HostEntry(record["host"]))
        if event == "host_start":
            entry.started = record.get("at")
            return
        if event == "baseline":
            entry.runs_before, entry.baselined = record.get("runs_before"), True
            return
        entry.ended = entry.ended or record.get("at")
        keep = {k: v for k, v in record.items() if k not in ("event", "at", "host")}
        entry.result = {**entry.result, **keep, "name": entry.name}


def read_fleet_run(ws: Workspace, run_id: str) -> FleetRun:
    """The fleet run ``run_id`` (``latest``: the newest one); NotFound names the known ones."""
    ids = fleet_run_ids(ws)
    if run_id == LATEST and ids:
        run_id = ids[-1]
    path = fleet_dir(ws) / run_id / JOURNAL
    if not path.is_file():
        known = ", ".join(ids[-5:]) or "none yet"
        raise NotFound(f"no fleet run {run_id!r} in {fleet_dir(ws)} (newest: {known}); "
                       "'aim fleet.runs' lists them")
    state = FleetRun(run_id)
    for record in read_json_lines(path):
        state.apply(record)
    return state


def fleet_run_ids(ws: Workspace) -> list[str]:
    """Every fleet run id, oldest first."""
    base = fleet_dir(ws)
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / JOURNAL).is_file())


def fleet_runs(ws: Workspace) -> Iterator[FleetRun]:
    """Every fleet run, oldest first."""
    for run_id in fleet_run_ids(ws):
        yield read_fleet_run(ws, run_id)
