"""The runner's pre-flight: the checks ``health``, ``drift`` and ``scan``, and the ``sync`` step.

A workflow's ``preflight: {health: fail, drift: warn}`` runs each named check before the first
step.  Each is a check of :mod:`aim.checks` with its own words (the ``health`` and ``drift``
checks are the ``health`` and ``versions`` checks of ``aim status`` and ``aim validate``), and
each gate names what counts as a problem: for ``health`` a ``fail`` (unhealthy; degraded stays
a warning), for ``drift`` and ``scan`` anything they find (a package off its pin is their
``warn``).  The workflow's mode weighs a problem: in ``fail`` mode it is a ``fail``, which
stops the run before any step (the runner journals and audits every outcome); in ``warn``
mode it is a ``warn``.

``drift`` and ``scan`` read aim_config.json.  A workspace without one (or with an invalid one)
is a problem for them, not a skip: a workflow that asks for the check must not pass it silently
in a folder without a config, which is also what a wrong ``--root`` looks like.  Set the check
to ``skip`` where no config is expected.

``sync: true`` is not a check: the runner runs :data:`aim.workflow.model.SYNC_STEP`
(``versions.sync``) as the run's first step, checkpointed and undone like any other; a
``drift`` check then runs after it.

To add a check, write ``(ws) -> CheckResult`` and decorate it with ``@preflight_check("name",
problem)`` (and allow the name in ``schemas/workflow.schema.json``).  The modules a check needs
are imported when it runs, so ``aim --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from aim.checks import Check, CheckResult, Status, guarded, result
from aim.config.load import load_config
from aim.health import run_health
from aim.scanner import scan as run_scan
from aim.workspace import Workspace
from aim.workspace_checks import check_versions

_SEVERITY = {Status.SKIP: 0, Status.OK: 0, Status.WARN: 1, Status.FAIL: 2}


@dataclass(frozen=True)
class Gate:
    """A pre-flight check and the least status of it that is a problem for the run."""

    check: Callable[[Workspace], CheckResult]
    problem: Status


GATES: dict[str, Gate] = {}


def preflight_check(name: str, problem: Status = Status.FAIL
                    ) -> Callable[[Callable[[Workspace], CheckResult]],
                                  Callable[[Workspace], CheckResult]]:
    """Register ``fn`` as the pre-flight check ``name``; ``problem`` is its least problem."""

    def register(fn: Callable[[Workspace], CheckResult]) -> Callable[[Workspace], CheckResult]:
        GATES[name] = Gate(fn, problem)
        return fn

    return register


def weigh(found: CheckResult, problem: Status, mode: Any) -> CheckResult:
    """``found`` as the run sees it: a problem is a ``fail`` in ``fail`` mode, else a ``warn``."""
    if _SEVERITY[found.status] < _SEVERITY[problem]:
        return found
    return replace(found, status=Status.FAIL if mode == "fail" else Status.WARN)


def run_check(check: str, mode: Any, ws: Workspace) -> CheckResult:
    """Run the pre-flight check ``check`` in ``mode`` (fail, warn or skip).

    Never raises: an error inside a check is a problem it found, named in the summary.
    """
    if mode in ("skip", False, None):
        return result(check, Status.SKIP, f"{check}: skipped by the workflow")
    gate = GATES.get(check)
    if gate is None:
        unknown = result(check, Status.FAIL, f"unknown pre-flight check {check!r}; known: "
                         f"{', '.join(sorted(GATES))}")
        return weigh(unknown, Status.FAIL, mode)
    found = guarded(Check(check, lambda: gate.check(ws)))
    return weigh(replace(found, name=check), gate.problem, mode)


def _config(ws: Workspace) -> Any:
    """The workspace's validated config; a missing or invalid one is a ConfigError (a problem).

    A workflow that asks for a check against the config must not pass it silently in a folder
    without one (a wrong ``--root`` looks exactly like that).
    """
    return load_config(ws)


def _names(labels: list[str], limit: int = 5) -> str:
    return ", ".join(labels[:limit]) + (" …" if len(labels) > limit else "")


@preflight_check("health", Status.FAIL)
def health(ws: Workspace) -> CheckResult:
    """The health report (``aim health``): unhealthy is a problem, degraded a warning."""
    return run_health(ws, None).verdict()


@preflight_check("drift", Status.WARN)
def drift(ws: Workspace) -> CheckResult:
    """The ``versions`` check (installed versions against the pins): drift is a problem."""
    return check_versions(_config(ws))


@preflight_check("scan", Status.WARN)
def scan(ws: Workspace) -> CheckResult:
    """Duplicate commands, manager conflicts and caches (``aim.scanner.scan(config.scan)``)."""
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
        return result("scan", Status.WARN, f"{report.findings} finding(s){partial}: "
                      f"{_names(labels)}", "'aim scan' shows each with how to clean it up",
                      evidence=details)
    return result("scan", Status.OK, f"no findings on PATH or under the scan roots{partial}",
                  evidence=details)
