"""A fleet command from start to end: inventory, hosts, secrets, lock, journal, pool, report."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aim.errors import LockHeld
from aim.fleet.hostjob import Early, HostCall, Plan, fixed, make_job
from aim.fleet.inventory import Host, Inventory, load_inventory
from aim.fleet.journal import FleetJournal, fleet_workspace, new_fleet_run_id
from aim.fleet.outcome import HostResult
from aim.fleet.run import PoolOptions, run_pool
from aim.fleet.secrets import payload, read_values
from aim.fleet.select import select_hosts, waves
from aim.fleet.transport import SshSettings
from aim.workflow.lock import WorkspaceLock
from aim.workspace import Workspace


@dataclass(frozen=True)
class Command:
    """What a fleet command runs on each host and how it is kept."""

    name: str  # in the journal and fleet.runs: deploy, migrate, validate, versions-sync, …
    argv: tuple[str, ...] = ()  # the host's aim arguments (without --root and --json)
    journaled: bool = True  # it starts runs on the hosts: fleet lock, journal, pinned run ids
    secrets: bool = False  # give the inventory's secrets on stdin
    workflow: str | None = None  # the hosts' workflow whose runs a fleet.rollback undoes


@dataclass(frozen=True)
class FleetOptions:
    """The flags every fleet command shares."""

    inventory: Path
    hosts: str | None = None
    pool: PoolOptions = field(default_factory=PoolOptions)
    timeout: float = 1800.0
    dry_run: bool = False
    ssh: SshSettings = field(default_factory=SshSettings)


@dataclass(frozen=True)
class FleetReport:
    """Every selected host's result, the fleet run that journaled them, and how it ended."""

    command: str
    fleet_run: str | None
    results: list[HostResult]
    stopped: str | None = None
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.outcome.value for r in self.results))

    def to_list(self) -> list[dict[str, Any]]:
        """The ``--json`` output: one object per host."""
        return [{**r.to_dict(), "fleet_run": self.fleet_run} for r in self.results]


@contextmanager
def fleet_lock(ws: Workspace, command: str) -> Iterator[None]:
    """One fleet command at a time per controller workspace (LockHeld: exit 4)."""
    ws.ensure_state_dir()
    try:
        with WorkspaceLock(fleet_workspace(ws), f"aim fleet.{command}"):
            yield
    except LockHeld as err:
        raise LockHeld(f"another fleet command is running on this controller: {err}") from None


def run_command(ws: Workspace, command: Command, options: FleetOptions, *,
                hosts: Sequence[Host] | None = None, plan: Plan | None = None,
                early: Early | None = None, of: str | None = None) -> FleetReport:
    """Run ``command`` on the selected hosts (or ``hosts``) and report every host."""
    inventory = load_inventory(options.inventory)
    chosen = tuple(hosts) if hosts is not None else select_hosts(inventory, options.hosts)
    call = _host_call(inventory, command, options)
    started = time.monotonic()
    plan = plan or fixed([*command.argv, *(["--dry-run"] if options.dry_run else [])])
    if not command.journaled or options.dry_run:
        done = run_pool(chosen, make_job(call, plan, early), options.pool)
        return FleetReport(command.name, None, done.results, done.stopped,
                           time.monotonic() - started)
    with fleet_lock(ws, command.name):
        journal = FleetJournal(ws, new_fleet_run_id(command.name))
        try:
            _start(journal, command, options, chosen, of)
            done = run_pool(chosen, make_job(replace(call, journal=journal), plan, early),
                            options.pool, on_wave=lambda index, wave: journal.write(
                                "wave", index=index, hosts=[h.name for h in wave]))
            report = FleetReport(command.name, journal.run_id, done.results, done.stopped,
                                 time.monotonic() - started)
            journal.write("end", counts=report.counts(), stopped=done.stopped,
                          duration=round(report.duration, 3))
        finally:
            journal.close()
    return report


def _host_call(inventory: Inventory, command: Command, options: FleetOptions) -> HostCall:
    stdin = payload(read_values(inventory)) if command.secrets else b""
    pin = command.workflow is not None and command.journaled and not options.dry_run
    return HostCall(options.ssh, options.ssh.ssh_config(), options.timeout, stdin=stdin, pin=pin)


def _start(journal: FleetJournal, command: Command, options: FleetOptions,
           hosts: Sequence[Host], of: str | None) -> None:
    pool = options.pool
    journal.write(
        "start", fleet_run=journal.run_id, command=command.name, argv=list(command.argv),
        workflow=command.workflow, of=of, inventory=str(options.inventory),
        hosts=[h.name for h in hosts],
        waves=[[h.name for h in wave] for wave in waves(hosts, pool.serial)],
        options={"forks": pool.forks, "serial": _text(pool.serial),
                 "max_fail": _text(pool.max_fail), "timeout": options.timeout,
                 "secrets": command.secrets})


def _text(value: object) -> str | None:
    return None if value is None else str(value)
