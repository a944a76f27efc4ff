"""``fleet.rollback``: undo exactly the host runs a fleet run pinned, never "latest" on a host.

For each chosen host the fleet journal gives the host's own run id.  A host whose connection
dropped (outcome ``unknown``, or no end recorded) is reconciled first from its own
``aim runs --json``: its pinned run if known, else the one run of the same workflow newer than
the ``baseline`` noted before it started.  Then: no run → nothing to undo; still running →
``locked`` (try again later); already rolled back by its own run → nothing to undo; else
``aim rollback --run ID`` on that host.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aim.errors import InputError
from aim.fleet.hostjob import HostSession, Plan
from aim.fleet.inventory import Host, Inventory
from aim.fleet.journal import FleetRun, HostEntry, fleet_runs, read_fleet_run
from aim.fleet.outcome import HostResult, Outcome
from aim.fleet.select import select_hosts
from aim.workspace import Workspace

WORKFLOWS = {"deploy": "deploy", "migrate": "migrate", "versions-sync": "sync",
             "validate": "validate"}
DEFAULT_UNDONE = ("deploy", "migrate", "versions-sync")  # what a bare fleet.rollback undoes


def pick_fleet_run(ws: Workspace, run_id: str | None) -> FleetRun:
    """``--fleet-run ID``, else the newest fleet deploy, migrate or versions --sync."""
    if run_id:
        run = read_fleet_run(ws, run_id)
        if run.command not in WORKFLOWS:
            raise InputError(f"fleet run {run.run_id} is a fleet.{run.command}, which started "
                             "no runs to undo; give a deploy, migrate, validate or versions "
                             "--sync fleet run ('aim fleet.runs' lists them)")
        return run
    candidates = [r for r in fleet_runs(ws) if r.command in DEFAULT_UNDONE]
    if not candidates:
        raise InputError("there is no fleet deploy, migrate or versions --sync run to undo in "
                         "this controller's state folder; 'aim fleet.runs' lists the fleet runs")
    return candidates[-1]


def target_names(run: FleetRun, spec: str | None, inventory: Inventory) -> list[str]:
    """The hosts ``--hosts`` names: ``failed`` (default: every host not ok), ``all``, or
    host and group names of the inventory, each of which must be in the fleet run."""
    word = (spec or "failed").strip()
    if word == "all":
        return list(run.hosts)
    if word == "failed":
        return [n for n, e in run.hosts.items() if e.outcome != Outcome.OK.value]
    names = [h.name for h in select_hosts(inventory, word)]
    stray = [n for n in names if n not in run.hosts]
    if stray:
        raise InputError(f"--hosts {spec!r}: {', '.join(stray)} took no part in fleet run "
                         f"{run.run_id} (its hosts: {', '.join(run.hosts)})")
    return names


def needs_reconcile(entry: HostEntry) -> bool:
    """True when the journal does not know how the host's run ended."""
    return entry.ended is None or entry.outcome == Outcome.UNKNOWN.value


@dataclass(frozen=True)
class Found:
    """What the host's own ``aim runs`` says about the run this fleet run started there."""

    run_id: str | None
    status: str | None
    why: str = ""


def reconcile(entry: HostEntry, rows: Sequence[dict[str, Any]], workflow: str) -> Found:
    """Find the host's run of this fleet run among its ``aim runs --json`` rows."""
    if entry.run_id:
        row = next((r for r in rows if r.get("run_id") == entry.run_id), None)
        return Found(entry.run_id, row.get("status") if row else None,
                     "" if row else f"run {entry.run_id} is not in the host's 'aim runs'")
    after = [r for r in rows if r.get("workflow") == workflow
             and (entry.runs_before is None or str(r.get("run_id")) > entry.runs_before)]
    if not after:
        return Found(None, None, f"the host has no {workflow} run from this fleet run: "
                                 "it changed nothing")
    if len(after) > 1:
        ids = ", ".join(str(r.get("run_id")) for r in after)
        return Found(None, "ambiguous", f"the host has several {workflow} runs since this "
                                        f"fleet run started ({ids}); undo the right one there "
                                        "with 'aim rollback --run ID'")
    return Found(str(after[0]["run_id"]), after[0].get("status"), "found in 'aim runs'")


@dataclass(frozen=True)
class Decision:
    """What to do on one host: ``undo`` its run, ``skip`` it, or ``wait`` for it."""

    action: str
    run_id: str | None = None
    why: str = ""


def decide(entry: HostEntry, found: Found | None = None) -> Decision:
    """Undo, skip or wait, from the journal (and the reconciliation, when there was one)."""
    if found is None and not entry.run_id:
        why = entry.result.get("reason") or "it never started"
        return Decision("skip", None, f"no run on the host to undo ({why})")
    run_id = found.run_id if found else entry.run_id
    status = found.status if found else entry.result.get("status")
    if run_id is None:
        return Decision("wait" if status == "ambiguous" else "skip", None, found.why
                        if found else "")
    if status == "running":
        return Decision("wait", run_id, f"run {run_id} is still running on the host; run "
                                        "fleet.rollback again once it has ended")
    if status == "rolled_back" or (found is None and entry.result.get("rolled_back")):
        return Decision("skip", run_id, f"run {run_id} was already rolled back on the host")
    return Decision("undo", run_id, found.why if found else "")


def early(run: FleetRun) -> Any:
    """Settle, without connecting, a host whose journal already says there is nothing to do."""

    def settle(host: Host) -> HostResult | None:
        entry = run.hosts[host.name]
        if needs_reconcile(entry) and entry.baselined:
            return None
        decision = decide(entry)
        return None if decision.action == "undo" else _settled(host, decision)

    return settle


def _settled(host: Host, decision: Decision) -> HostResult:
    if decision.action == "wait":
        return HostResult(host.name, Outcome.LOCKED, reason=decision.why)
    return HostResult(host.name, Outcome.OK, status="nothing to undo", reason=decision.why)


def plan(run: FleetRun, extra: Sequence[str]) -> Plan:
    """The per-host plan: reconcile when needed, then ``rollback --run ID`` or settle."""
    workflow = WORKFLOWS[run.command]

    def step(session: HostSession) -> list[str] | HostResult:
        entry = run.hosts[session.host.name]
        found = None
        if needs_reconcile(entry):
            rows = session.runs()
            if isinstance(rows, HostResult):
                return rows
            found = reconcile(entry, rows, workflow)
            if session.call.journal is not None:
                session.call.journal.write("reconciled", host=entry.name, of=run.run_id,
                              run_id=found.run_id, status=found.status, reason=found.why)
        decision = decide(entry, found)
        if decision.action != "undo":
            return _settled(session.host, decision)
        return ["rollback", "--run", str(decision.run_id), *extra]

    return step
