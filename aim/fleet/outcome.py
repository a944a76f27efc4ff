"""What one host's command came to: an outcome from the remote exit code and its ``--json``.

The remote ``aim`` uses AIM+'s exit codes (0 ok, 1 failed, 2 bad input, 3 internal error,
4 locked, 130 interrupted).  A dropped SSH transport gives ``exited=-1`` without an exception
while the remote run may go on: that is ``unknown`` (reconciled later from the host's own
``aim runs``), never ``failed``; so is a host that did not answer within its time limit.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

from aim.redact import redact

DROPPED = -1  # what paramiko reports as the exit status of a channel closed without one


class Outcome(str, enum.Enum):
    """A host's result in the fleet table, ``--json`` and the fleet journal."""

    OK = "ok"
    FAILED = "failed"
    BAD_INPUT = "bad_input"
    LOCKED = "locked"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"  # never started: --max-fail was passed before its turn


BY_EXIT = {0: Outcome.OK, 1: Outcome.FAILED, 2: Outcome.BAD_INPUT, 3: Outcome.FAILED,
           4: Outcome.LOCKED, 126: Outcome.BAD_INPUT, 127: Outcome.BAD_INPUT,
           130: Outcome.FAILED}


@dataclass(frozen=True)
class Exec:
    """One remote command as the transport saw it end."""

    exited: int
    stdout: str
    stderr: str
    duration: float
    timed_out: bool = False


@dataclass(frozen=True)
class HostResult:
    """One host's line of a fleet command (``data`` is its ``--json`` answer, if any)."""

    name: str
    outcome: Outcome
    exit_code: int | None = None
    run_id: str | None = None
    status: str | None = None
    failed_step: str | None = None
    duration: float = 0.0
    reason: str = ""
    rolled_back: bool | None = None
    data: Any = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK

    def to_dict(self, with_data: bool = True) -> dict[str, Any]:
        row: dict[str, Any] = {
            "name": self.name, "outcome": self.outcome.value, "exit_code": self.exit_code,
            "run_id": self.run_id, "status": self.status, "failed_step": self.failed_step,
            "duration": round(self.duration, 3), "reason": self.reason,
            "rolled_back": self.rolled_back}
        if with_data:
            row["data"] = self.data
        return row


def classify(done: Exec, timeout: float | None = None) -> tuple[Outcome, str]:
    """The outcome of a finished remote command, and why when it is not ok."""
    if done.timed_out:
        limit = f" within {timeout:g}s" if timeout else ""
        return Outcome.UNKNOWN, (f"no answer{limit} (--timeout); the run may still be going "
                                 "on on the host: 'aim fleet.rollback' reconciles it first")
    if done.exited == DROPPED:
        return Outcome.UNKNOWN, ("the SSH connection dropped before aim ended; the run may "
                                 "still be going on on the host: 'aim fleet.rollback' "
                                 "reconciles it from the host's 'aim runs' first")
    outcome = BY_EXIT.get(done.exited, Outcome.FAILED)
    if outcome == Outcome.OK:
        return outcome, ""
    if done.exited in (126, 127):
        return outcome, (f"the host could not run aim (exit {done.exited}): "
                         f"{last_line(done.stderr)}; set the host's 'aim:' in the inventory")
    return outcome, last_line(done.stderr) or f"exit code {done.exited}"


def last_line(text: str) -> str:
    """The last ``error:`` line of ``text``, else its last non-empty line (redacted)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    return redact((errors or lines or [""])[-1])


def parse_json(stdout: str) -> Any:
    """The remote ``--json`` answer, or None when stdout holds none."""
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def from_exec(name: str, done: Exec, timeout: float | None = None) -> HostResult:
    """A HostResult from a remote run: outcome from the exit code, run fields from its JSON."""
    outcome, reason = classify(done, timeout)
    data = parse_json(done.stdout)
    run = data if isinstance(data, dict) and "run_id" in data else {}
    if outcome == Outcome.FAILED and run.get("reason"):
        reason = redact(str(run["reason"]))
    exit_code = None if outcome == Outcome.UNKNOWN else done.exited
    return HostResult(name, outcome, exit_code, run.get("run_id"), run.get("status"),
                      run.get("failed_step"), done.duration, reason,
                      run.get("rolled_back") if run else None, data)
