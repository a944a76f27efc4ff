"""Run the health checks concurrently (a few at a time), each within its timeout, into one
report."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable

from aim.checks import Check, CheckResult, Status, concurrency, result, run_checks
from aim.config.checked import guarded_config
from aim.config.model import AimConfig, HealthSettings
from aim.errors import InputError
from aim.health import deps, state, system, tools
from aim.health.model import HealthContext, HealthReport, overall_status
from aim.workspace import Workspace

HealthCheck = Callable[[HealthContext], CheckResult]
TIMEOUT_HINT = ("find what blocks it (a hung tool, network drive or keyring daemon), or raise "
                "health.check_timeout in aim_config.json")

CHECKS: dict[str, HealthCheck] = {
    "python": system.check_python,
    "commands": system.check_commands,
    "paths": system.check_paths,
    "keyring": deps.check_keyring,
    "state": state.check_state,
    "disk": system.check_disk,
    "rollback": deps.check_rollback,
}


def _plan(hc: HealthContext, only: Iterable[str] | None) -> dict[str, HealthCheck]:
    """The checks to run, by name, in report order (``only`` picks some; ``tools`` = all)."""
    planned = dict(CHECKS)
    tool_checks = {} if hc.config is None else {
        f"tool:{t.id}": functools.partial(tools.check_tool, tool=t)
        for t in hc.config.tools.values()}
    planned.update(tool_checks)
    if only is None:
        return planned
    picked = set(only)
    unknown = sorted(picked - set(planned) - {"tools", "config"})
    if unknown:
        raise InputError(f"unknown health check(s) {', '.join(unknown)}; known: "
                         f"{', '.join(['config', *planned, 'tools'])}")
    return {n: c for n, c in planned.items()
            if n in picked or ("tools" in picked and n in tool_checks)}


def _context(ws: Workspace, config: AimConfig | None, path_env: str | None,
             timeout: float | None) -> HealthContext:
    settings = config.health if config is not None else HealthSettings()
    return HealthContext(ws, config, settings, path_env,
                         timeout if timeout is not None else settings.check_timeout)


def run_health(ws: Workspace, config: AimConfig | None, *, path_env: str | None = None,
               timeout: float | None = None, checks: Iterable[str] | None = None
               ) -> HealthReport:
    """Check the machine and the workspace; every check reports ok, warn, fail or skip.

    ``config`` None loads ``aim_config.json`` (its problems are the ``config`` check's fail).
    ``path_env`` is the PATH to look commands up in (default: this process's);
    ``timeout`` overrides ``health.check_timeout``; ``checks`` names the checks to run
    (``tools`` for every tool). Status: unhealthy when a check failed, degraded when one warned.
    """
    started = time.monotonic()
    if config is None:
        config_check, config = guarded_config(ws)
    else:
        config_check = result("config", Status.OK, f"given by the caller ({len(config.tools)} "
                              "tools)")
    hc = _context(ws, config, path_env, timeout)
    wanted = None if checks is None else list(checks)
    found = [config_check] if wanted is None or "config" in wanted else []
    planned = [Check(name, functools.partial(check, hc)) for name, check in
               _plan(hc, wanted).items()]
    found += run_checks(planned, timeout=hc.timeout, concurrent=True,
                        workers=concurrency(hc.settings.concurrency),
                        timeout_hint=TIMEOUT_HINT)
    return HealthReport(tuple(found), overall_status(found), time.monotonic() - started)
