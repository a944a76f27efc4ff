"""The fleet's tables as rows (printing is the CLI's): one line per host, and the fleet runs."""

from __future__ import annotations

from typing import Any

from aim.fleet.controller import FleetReport
from aim.fleet.journal import FleetRun
from aim.fleet.outcome import HostResult

RUN_HEADERS = ["HOST", "OUTCOME", "EXIT", "HOST RUN", "STATUS", "FAILED STEP", "TIME", "REASON"]
STATUS_HEADERS = ["HOST", "OUTCOME", "CONFIG", "SECRETS", "HEALTH", "VERSIONS", "LAST RUN", "TIME",
                  "REASON"]
STATUS_CHECKS = ("config", "secrets", "health", "versions")  # aim status --json
VERSION_HEADERS = ["HOST", "OUTCOME", "CHECKED", "DRIFTED", "TIME", "REASON"]
RUNS_HEADERS = ["FLEET RUN", "COMMAND", "STARTED", "HOSTS", "OUTCOMES", "OF"]


def _time(result: HostResult) -> str:
    return f"{result.duration:.1f}s"


def run_rows(report: FleetReport) -> list[list[Any]]:
    """Rows of a command that starts runs on the hosts (deploy, migrate, validate, …)."""
    return [[r.name, r.outcome.value, "-" if r.exit_code is None else r.exit_code,
             r.run_id or "-", r.status or "-", r.failed_step or "-", _time(r), r.reason]
            for r in report.results]


def _check(data: Any, name: str) -> str:
    """The word of the check ``name`` in a host's ``aim status --json`` (``-`` when absent)."""
    checks = data.get("checks", []) if isinstance(data, dict) else []
    found = next((c for c in checks if isinstance(c, dict) and c.get("name") == name), None)
    return "-" if found is None else str(found.get("status", "-"))


def _last_run(data: Any) -> str:
    runs = data.get("runs", []) if isinstance(data, dict) else []
    return f"{runs[-1]['workflow']} {runs[-1]['status']}" if runs else "-"


def status_rows(report: FleetReport) -> list[list[Any]]:
    """Rows of ``fleet.status``: each host's checks (as ``aim status`` words them) on one line."""
    return [[r.name, r.outcome.value, *(_check(r.data, name) for name in STATUS_CHECKS),
             _last_run(r.data), _time(r), r.reason] for r in report.results]


def version_rows(report: FleetReport) -> list[list[Any]]:
    """Rows of ``fleet.versions``: how many packages each host checked and which drift."""
    rows = []
    for r in report.results:
        data = r.data if isinstance(r.data, dict) else {}
        drifted = data.get("drifted", [])
        listed = ", ".join(drifted[:4]) + (f" (+{len(drifted) - 4})" if len(drifted) > 4 else "")
        rows.append([r.name, r.outcome.value, len(data.get("items", [])) if data else "-",
                     f"{len(drifted)}: {listed}" if drifted else ("0" if data else "-"),
                     _time(r), r.reason])
    return rows


def summary(report: FleetReport) -> str:
    """``3 hosts: 2 ok, 1 failed in 5.2s (fleet run ID)``."""
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(report.counts().items()))
    where = f" (fleet run {report.fleet_run})" if report.fleet_run else ""
    return f"{len(report.results)} host(s): {counts} in {report.duration:.1f}s{where}"


def fleet_run_rows(runs: list[FleetRun]) -> list[list[Any]]:
    """Rows of ``fleet.runs``."""
    return [[r.run_id, r.command, r.started, len(r.hosts),
             ", ".join(f"{n} {o}" for o, n in sorted(r.counts.items())) or
             ("unfinished" if r.ended is None else "-"), r.of or "-"] for r in runs]


def fleet_run_dict(run: FleetRun) -> dict[str, Any]:
    """``fleet.runs --json``: a fleet run with each host's journaled result."""
    return {"fleet_run": run.run_id, "command": run.command, "started": run.started,
            "ended": run.ended, "of": run.of, "counts": run.counts,
            "hosts": [{"name": e.name, "started": e.started, "ended": e.ended,
                       "runs_before": e.runs_before, **e.result} for e in run.hosts.values()]}
