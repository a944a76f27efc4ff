"""The runner's pre-flight checks: ``health``, ``drift``, ``scan`` and ``sync``.

A workflow's ``preflight: {health: fail, drift: warn}`` runs each named check before the first
step.  A check reports a :class:`Finding`; the workflow's mode decides how much a problem
matters: in ``fail`` mode it becomes a ``fail`` outcome, which stops the run before any step
(the runner journals and audits every outcome); in ``warn`` mode it is a ``warn``.

To add a check, write ``(ws) -> Finding`` and decorate it with ``@preflight_check("name")``
(and allow the name in ``schemas/workflow.schema.json``).  Checks that need a module of their
own import it by name when they run, so a module that is not installed is a ``skip``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aim.errors import AimError
from aim.health.deps import optional_module
from aim.health.model import one_line
from aim.workflow.results import PreflightOutcome
from aim.workspace import Workspace

OK, WARN, PROBLEM, SKIP = "ok", "warn", "problem", "skip"


@dataclass(frozen=True)
class Finding:
    """What a check found, before the mode weighs it: ok, warn, problem or skip."""

    level: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


PreflightCheck = Callable[[Workspace], Finding]
CHECKS: dict[str, PreflightCheck] = {}


def preflight_check(name: str) -> Callable[[PreflightCheck], PreflightCheck]:
    """Register ``fn`` as the pre-flight check ``name``."""

    def register(fn: PreflightCheck) -> PreflightCheck:
        CHECKS[name] = fn
        return fn

    return register


def weigh(level: str, mode: Any) -> str:
    """The outcome status of a finding under ``mode``: a problem fails only in ``fail`` mode."""
    if level == PROBLEM:
        return "fail" if mode == "fail" else "warn"
    return level


def run_check(check: str, mode: Any, ws: Workspace) -> PreflightOutcome:
    """Run the pre-flight check ``check`` in ``mode`` (fail, warn, skip; or a bool for sync).

    Never raises: an error inside a check is a problem it found, named in the summary.
    """
    if mode in ("skip", False, None):
        return PreflightOutcome(check, SKIP, f"{check}: skipped by the workflow")
    fn = CHECKS.get(check)
    if fn is None:
        found = Finding(PROBLEM, f"unknown pre-flight check {check!r}; known: "
                        f"{', '.join(sorted(CHECKS))}")
    else:
        found = _guarded(check, fn, ws)
    return PreflightOutcome(check, weigh(found.level, mode), found.summary, found.details)


def _guarded(check: str, fn: PreflightCheck, ws: Workspace) -> Finding:
    try:
        return fn(ws)
    except AimError as err:
        return Finding(PROBLEM, one_line(str(err)))
    except Exception as err:  # a bug must not leave the run without its pre-flight record
        return Finding(PROBLEM, one_line(f"the {check} check itself failed: "
                                         f"{type(err).__name__}: {err}"))


def _config(ws: Workspace) -> Any:
    """The workspace's config, or None when the config loader is not installed."""
    loader = optional_module("aim.config.load")
    return None if loader is None else loader.load_config(ws)


def _names(items: Any, limit: int = 5) -> str:
    labels = [str(getattr(i, "name", None) or getattr(i, "package", None) or i)
              for i in list(items)[:limit]]
    return ", ".join(labels) + (" …" if len(items) > limit else "")


@preflight_check("health")
def health(ws: Workspace) -> Finding:
    """The health report: unhealthy is a problem, degraded a warning."""
    from aim.health import DEGRADED, UNHEALTHY, Status, run_health

    report = run_health(ws, None)
    failed, warned = report.named(Status.FAIL), report.named(Status.WARN)
    details = {"status": report.status, "failed": failed, "warned": warned}
    if report.status == UNHEALTHY:
        first = next(c for c in report.checks if c.status == Status.FAIL)
        return Finding(PROBLEM, f"unhealthy: {', '.join(failed)} failed ({first.name}: "
                       f"{first.summary}); see 'aim health'", details)
    if report.status == DEGRADED:
        return Finding(WARN, f"degraded: {', '.join(warned)} warned; see 'aim health'",
                       details)
    return Finding(OK, f"healthy ({len(report.checks)} checks)", details)


@preflight_check("drift")
def drift(ws: Workspace) -> Finding:
    """Installed versions against the pins: ``aim.versions.check(config).drifted``."""
    versions = optional_module("aim.versions")
    config = None if versions is None else _config(ws)
    if versions is None or config is None:
        return Finding(SKIP, "version drift cannot be checked: aim.versions or the config "
                       "loader is not installed")
    drifted = list(versions.check(config).drifted)
    if drifted:
        return Finding(PROBLEM, f"{len(drifted)} package(s) drifted from their pins: "
                       f"{_names(drifted)}; see 'aim versions', fix with 'aim versions --sync'",
                       {"drifted": len(drifted)})
    return Finding(OK, "every pinned package is at its pinned version")


@preflight_check("scan")
def scan(ws: Workspace) -> Finding:
    """Stray caches under the scan roots: ``aim.scanner.scan(config.scan).findings``."""
    scanner = optional_module("aim.scanner")
    config = None if scanner is None else _config(ws)
    if scanner is None or config is None:
        return Finding(SKIP, "the cache scan cannot run: aim.scanner or the config loader is "
                       "not installed")
    findings = list(scanner.scan(config.scan).findings)
    if findings:
        return Finding(PROBLEM, f"{len(findings)} finding(s): {_names(findings)}; see "
                       "'aim scan'", {"findings": len(findings)})
    return Finding(OK, "no findings under the scan roots")


@preflight_check("sync")
def sync(ws: Workspace) -> Finding:
    """Bringing packages to their pins before the run is not available yet."""
    return Finding(SKIP, "sync before a run is not available yet; run 'aim versions --sync'")
