"""The runner's pre-flight: the checks ``health``, ``drift`` and ``scan``, and the ``sync`` step.

A workflow's ``preflight: {health: fail, drift: warn}`` runs each named check before the first
step.  A check reports a :class:`Finding`; the workflow's mode decides how much a problem
matters: in ``fail`` mode it becomes a ``fail`` outcome, which stops the run before any step
(the runner journals and audits every outcome); in ``warn`` mode it is a ``warn``.

``drift`` and ``scan`` read aim_config.json.  A workspace without one (or with an invalid one)
is a problem for them, not a skip: a workflow that asks for the check must not pass it silently
in a folder without a config, which is also what a wrong ``--root`` looks like.  Set the check
to ``skip`` where no config is expected.

``sync: true`` is not a check: the runner runs :data:`SYNC_STEP` (``versions.sync``) as the
run's first step, checkpointed and undone like any other; a ``drift`` check then runs after it.

To add a check, write ``(ws) -> Finding`` and decorate it with ``@preflight_check("name")``
(and allow the name in ``schemas/workflow.schema.json``).  The modules a check needs are
imported when it runs, so ``aim --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aim.errors import AimError
from aim.health.model import one_line
from aim.workflow.model import Step
from aim.workflow.results import PreflightOutcome
from aim.workspace import Workspace

if TYPE_CHECKING:
    from aim.config.model import AimConfig

OK, WARN, PROBLEM, SKIP = "ok", "warn", "problem", "skip"

# ``preflight: {sync: true}`` is not a check but the run's first step: a real, checkpointed
# versions.sync, so the journal records it and rollback undoes its installs.
SYNC_STEP = Step(id="preflight.sync", line=0, uses="versions.sync")


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
    """Run the pre-flight check ``check`` in ``mode`` (fail, warn or skip).

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
        return Finding(PROBLEM, one_line(f"the {check} check could not run: {err}"))
    except Exception as err:  # a bug must not leave the run without its pre-flight record
        return Finding(PROBLEM, one_line(f"the {check} check itself failed: "
                                         f"{type(err).__name__}: {err}"))


def _config(ws: Workspace) -> AimConfig:
    """The workspace's validated config; a missing or invalid one is a ConfigError (a problem).

    A workflow that asks for a check against the config must not pass it silently in a folder
    without one (a wrong ``--root`` looks exactly like that).
    """
    from aim.config.load import load_config

    return load_config(ws)


def _names(labels: list[str], limit: int = 5) -> str:
    return ", ".join(labels[:limit]) + (" …" if len(labels) > limit else "")


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
    """Installed versions against the pins (``aim.versions.check``): drift is a problem."""
    from aim.versions import check

    report = check(_config(ws))
    drifted = [f"{i.name} ({i.manager}: {i.installed or 'missing'}, pinned {i.pinned})"
               for i in report.drifted]
    details = {"drifted": [i.name for i in report.drifted], "checked": len(report.items)}
    if drifted:
        return Finding(PROBLEM, f"{len(drifted)} package(s) drifted from their pins: "
                       f"{_names(drifted)}; see 'aim versions', fix with 'aim versions --sync' "
                       "(or 'preflight: {sync: true}')", details)
    return Finding(OK, f"every managed package is at its pin ({len(report.items)} checked)",
                   details)


@preflight_check("scan")
def scan(ws: Workspace) -> Finding:
    """Duplicate commands, manager conflicts and caches (``aim.scanner.scan(config.scan)``)."""
    from aim.scanner import scan as run_scan

    report = run_scan(_config(ws).scan)
    labels = ([f"{d.name} (duplicate command)" for d in report.duplicates]
              + [f"{c.name} ({' and '.join(c.managers)})" for c in report.conflicts]
              + [f"{c.path} (cache)" for c in report.caches])
    details = {"findings": report.findings, "truncated": report.truncated,
               "duplicates": [d.name for d in report.duplicates],
               "conflicts": [c.name for c in report.conflicts],
               "caches": [c.path for c in report.caches]}
    partial = " (partial: the scan's time budget ran out)" if report.truncated else ""
    if report.findings:
        return Finding(PROBLEM, f"{report.findings} finding(s){partial}: {_names(labels)}; "
                       "see 'aim scan'", details)
    return Finding(OK, f"no findings on PATH or under the scan roots{partial}", details)
