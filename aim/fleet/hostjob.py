"""One host's part of a fleet command: connect, note its newest run, run aim, classify.

The remote command line holds the host's ``aim`` command, the inventory's non-secret ``env``
(as shell assignments: visible in ``ps`` there, hence non-secret only), the task and its
flags — never a secret value, which goes to stdin (see :mod:`aim.fleet.transport`).
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from aim.fleet.inventory import Host
from aim.fleet.journal import FleetJournal
from aim.fleet.outcome import Exec, HostResult, Outcome, classify, from_exec, parse_json
from aim.fleet.run import Job
from aim.fleet.transport import SshSettings, Unreachable, connect, run


def remote_command(host: Host, argv: Sequence[str]) -> str:
    """``K=V … <aim> ARGV --root ROOT --json`` for ``host`` (arguments quoted for sh)."""
    assignments = [shlex.quote(f"{key}={value}") for key, value in host.env]
    args = shlex.join([*argv, "--root", host.root, "--json"])
    return " ".join([*assignments, host.aim, args])


@dataclass(frozen=True)
class HostCall:
    """What every host's job of one fleet command shares."""

    settings: SshSettings
    ssh_config: Any
    timeout: float
    journal: FleetJournal | None = None
    stdin: bytes = b""  # the secrets payload of the main command (never logged)
    pin: bool = False  # note the host's newest run first, to reconcile a dropped connection


class HostSession:
    """An open connection to one host, to run its ``aim`` with."""

    def __init__(self, host: Host, conn: Any, call: HostCall) -> None:
        self.host, self.conn, self.call = host, conn, call

    def aim(self, argv: Sequence[str], stdin: bytes = b"") -> Exec:
        """Run the host's aim with ``argv`` (and ``--root``, ``--json``)."""
        return run(self.conn, remote_command(self.host, argv), stdin=stdin,
                   timeout=self.call.timeout)

    def runs(self) -> list[dict[str, Any]] | HostResult:
        """The host's own ``aim runs --json`` (all of them), or the result that stops the job."""
        done = self.aim(["runs", "--limit", "100000"])
        rows = parse_json(done.stdout)
        if done.exited != 0 or not isinstance(rows, list):
            outcome, reason = classify(done, self.call.timeout)
            if outcome == Outcome.OK:
                outcome, reason = Outcome.FAILED, "'aim runs --json' gave no list of runs"
            return HostResult(self.host.name, outcome, None if done.exited < 0 else done.exited,
                              reason=f"before the run: {reason}")
        return rows


Plan = Callable[[HostSession], "list[str] | HostResult"]


def fixed(argv: Sequence[str]) -> Plan:
    """The plan of most commands: the same aim arguments on every host."""
    return lambda session: list(argv)


Early = Callable[[Host], "HostResult | None"]


def make_job(call: HostCall, plan: Plan, early: Early | None = None) -> Job:
    """The pool's job for one command: journaled start and end around :func:`work`
    (``early`` may settle a host without connecting to it: a rollback with nothing to undo)."""

    def job(host: Host, wave: int) -> HostResult:
        started = time.monotonic()
        if call.journal is not None:
            call.journal.write("host_start", host=host.name, wave=wave, ssh=host.ssh,
                               root=host.root)
        settled = early(host) if early is not None else None
        result = replace(settled or work(host, call, plan), duration=time.monotonic() - started)
        if call.journal is not None:
            call.journal.write("host_end", host=host.name, **_journaled(result))
        return result

    return job


def _journaled(result: HostResult) -> dict[str, Any]:
    row = result.to_dict(with_data=False)
    del row["name"]
    return row


def work(host: Host, call: HostCall, plan: Plan) -> HostResult:
    """Connect, optionally note the newest run, plan, run the main command, classify."""
    try:
        conn = connect(host, call.settings, call.ssh_config)
    except Unreachable as err:
        return HostResult(host.name, Outcome.UNREACHABLE, reason=str(err))
    try:
        session = HostSession(host, conn, call)
        if call.pin:
            rows = session.runs()
            if isinstance(rows, HostResult):
                return rows
            _baseline(call, host, rows)
        step = plan(session)
        if isinstance(step, HostResult):
            return step
        return from_exec(host.name, session.aim(step, stdin=call.stdin), call.timeout)
    finally:
        conn.close()


def _baseline(call: HostCall, host: Host, rows: list[dict[str, Any]]) -> None:
    newest = str(rows[-1].get("run_id")) if rows else None
    if call.journal is not None:
        call.journal.write("baseline", host=host.name, runs_before=newest)
