"""AIM+ inside another program: pre-flight, health, drift, scan, the audit trail, workflows.

Every function takes the workspace root (a path; it must exist) and returns a frozen report
object; nothing prints, nothing exits.  Failures are :class:`aim.errors.AimError` subclasses
with a one-paragraph message: :class:`PreflightFailed` when a pre-flight check fails,
:class:`aim.errors.InputError` for bad input (a missing root, an unknown check mode, an invalid
aim_config.json), :class:`aim.errors.LockHeld` when another run holds the workspace.  The checks
that run subprocesses (pre-flight, health, drift, scan) have ``*_async`` variants that run in a
worker thread, so an orchestrator's event loop goes on while they wait::

    import aim.api

    report = await aim.api.preflight_async(root, health="fail", drift="warn")
    aim.api.audit_event(root, "workstream_start", {"workstream": "ws-1"})

``Root`` is a ``str`` or ``os.PathLike`` path; a ``Mode`` is ``"fail"``, ``"warn"`` or
``"skip"``.  Secret values never leave AIM+ through this API: events and reports are redacted
like AIM+'s own, and the audit trail is the same hash chain (``aim audit --verify`` checks it).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from aim.audit import query as query_events
from aim.audit import stream as stream_events
from aim.audit.trail import open_trail
from aim.audit.verifier import verify as verify_chain
from aim.checks import CheckResult, Status
from aim.config.load import load_config
from aim.errors import AimError, CheckFailed, InputError
from aim.health import run_health
from aim.preflight import run_check
from aim.scanner import scan as run_scan
from aim.versions.drift import check_versions as check_drift
from aim.workflow.defaults import audit_hook, default_hooks, read_only_hooks
from aim.workflow.loader import load_workflow
from aim.workflow.plan import make_plan
from aim.workflow.runner import RunOptions
from aim.workflow.runner import run_workflow as start_run
from aim.workflow.sources import search_dirs
from aim.workspace import Workspace

if TYPE_CHECKING:
    from aim.audit.verifier import VerifyResult
    from aim.health.model import HealthReport
    from aim.scanner.model import ScanReport
    from aim.versions.drift import DriftReport
    from aim.workflow.plan import Plan
    from aim.workflow.results import RunResult

Root = str | os.PathLike[str]
Mode = Literal["fail", "warn", "skip"]
MODES = ("fail", "warn", "skip")

__all__ = [
    "AimError", "CheckResult", "PreflightFailed", "PreflightReport", "Status", "audit_event",
    "audit_events", "drift", "drift_async", "health", "health_async", "iter_audit_events",
    "preflight", "preflight_async", "run_workflow", "scan", "scan_async", "verify_audit",
]


@dataclass(frozen=True)
class PreflightReport:
    """The pre-flight checks that ran, each weighed by its mode (a problem in ``warn`` mode
    is a ``warn``, in ``fail`` mode a ``fail``; a ``skip`` mode gives ``skip``)."""

    checks: tuple[CheckResult, ...]

    @property
    def failed(self) -> list[CheckResult]:
        """The checks that failed (empty when the workstream may go on)."""
        return [c for c in self.checks if c.status is Status.FAIL]

    @property
    def warnings(self) -> list[CheckResult]:
        """The checks that warned: worth showing, never a reason to stop."""
        return [c for c in self.checks if c.status is Status.WARN]

    @property
    def ok(self) -> bool:
        """True when no check failed (warnings allowed)."""
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON data (the same check objects as ``aim health --json``)."""
        return {"ok": self.ok, "checks": [c.to_dict() for c in self.checks]}


class PreflightFailed(CheckFailed):
    """A pre-flight check failed; ``report`` holds every check that ran."""

    def __init__(self, report: PreflightReport) -> None:
        self.report = report
        failed = "; ".join(f"{c.name}: {c.summary}" for c in report.failed)
        super().__init__(f"pre-flight failed: {failed}")


def _workspace(root: Root) -> Workspace:
    return Workspace.existing(root)


def preflight(root: Root, *, health: Mode = "fail", drift: Mode = "warn",
              scan: Mode = "skip") -> PreflightReport:
    """Run the pre-flight checks before a workstream, each in its mode (fail, warn or skip).

    Each outcome is recorded in the workspace's audit trail as a ``preflight`` event.  Raises
    :class:`PreflightFailed` (its ``report`` attached) when a check in ``fail`` mode found a
    problem; returns the report otherwise, warnings included.
    """
    ws = _workspace(root)
    modes = {"health": health, "drift": drift, "scan": scan}
    for name, mode in modes.items():
        if mode not in MODES:
            raise InputError(f"pre-flight {name}={mode!r}: use one of {', '.join(MODES)}")
    report = PreflightReport(tuple(run_check(name, mode, ws) for name, mode in modes.items()))
    audit = audit_hook(ws)
    for found in report.checks:
        audit("preflight", None, {"check": found.name, "mode": modes[found.name],
                                  "status": found.status.value, "summary": found.summary})
    if report.failed:
        raise PreflightFailed(report)
    return report


def health(root: Root, *, timeout: float | None = None) -> HealthReport:
    """The health report of the workspace and the machine (``aim health``)."""
    return run_health(_workspace(root), None, timeout=timeout)


def drift(root: Root) -> DriftReport:
    """Installed versions against the pins of aim_config.json (``aim versions``)."""
    return check_drift(load_config(_workspace(root)))


def scan(root: Root) -> ScanReport:
    """Duplicate commands, manager conflicts and caches (``aim scan``)."""
    return run_scan(load_config(_workspace(root)).scan)


async def preflight_async(root: Root, *, health: Mode = "fail", drift: Mode = "warn",
                          scan: Mode = "skip") -> PreflightReport:
    """:func:`preflight` in a worker thread, so the event loop is never blocked."""
    return await asyncio.to_thread(preflight, root, health=health, drift=drift, scan=scan)


async def health_async(root: Root, *, timeout: float | None = None) -> HealthReport:
    """:func:`health` in a worker thread."""
    return await asyncio.to_thread(health, root, timeout=timeout)


async def drift_async(root: Root) -> DriftReport:
    """:func:`drift` in a worker thread."""
    return await asyncio.to_thread(drift, root)


async def scan_async(root: Root) -> ScanReport:
    """:func:`scan` in a worker thread."""
    return await asyncio.to_thread(scan, root)


def audit_event(root: Root, type: str, details: Mapping[str, Any] | None = None, *,
                run_id: str | None = None) -> dict[str, Any]:
    """Record an event of the host program's own ``type`` (``workstream_start``, say) in the
    workspace's audit trail: redacted and hash-chained like AIM+'s own.  Returns the event as
    written (with its ``hash``).  ``type`` is lower-case letters, digits, ``_`` and ``.``."""
    with open_trail(_workspace(root)) as log:
        return log.append(type, run_id=run_id, details=details or {})


def audit_events(root: Root, *, type: str | None = None, since: date | datetime | None = None,
                 run_id: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Events of the audit trail matching every filter given, oldest first (``limit``: the
    newest N).  For a large trail, :func:`iter_audit_events` holds one batch at a time."""
    found = query_events(_workspace(root).audit_path, type=type, since=since, run=run_id,
                         limit=limit)
    return list(found.events)


def iter_audit_events(root: Root, *, type: str | None = None,
                      since: date | datetime | None = None, run_id: str | None = None,
                      limit: int | None = None) -> Iterator[dict[str, Any]]:
    """:func:`audit_events` produced as the trail is read, in constant memory (``limit``
    holds the newest N).  The filters are checked at once (a negative ``limit`` is an
    InputError here); damaged lines are skipped, as ``aim audit`` warns of them."""
    return iter(stream_events(_workspace(root).audit_path, type=type, since=since, run=run_id,
                              limit=limit))


def verify_audit(root: Root) -> VerifyResult:
    """Check the audit trail's hash chain (``aim audit --verify``); ``.ok`` says it held."""
    return verify_chain(_workspace(root).audit_path)


def run_workflow(root: Root, name: str, inputs: Mapping[str, Any] | None = None, *,
                 dry_run: bool = False) -> RunResult | Plan:
    """Run the workflow ``name`` (the workspace's own first, then the shipped ones) and return
    its result, or with ``dry_run`` its plan.  A failed run is a result whose ``status`` says so
    (and which was rolled back where the workflow says); it is not raised."""
    ws = _workspace(root)
    wf = load_workflow(name, search_dirs(ws))
    if dry_run:
        return make_plan(ws, wf, dict(inputs or {}), read_only_hooks())
    return start_run(ws, wf, RunOptions(dict(inputs or {}), None, f"aim.api.run_workflow {name}"),
               default_hooks(ws, lambda _line: None))
