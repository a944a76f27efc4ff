"""Run the health checks concurrently, each within its timeout, into one report."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import replace

from aim.config.model import AimConfig, HealthSettings
from aim.errors import InputError
from aim.health import deps, state, system, tools
from aim.health.model import (
    CheckResult,
    HealthContext,
    HealthReport,
    Status,
    overall_status,
    result,
)
from aim.workspace import Workspace

Check = Callable[[HealthContext], CheckResult]
GRACE = 0.5  # seconds past the timeout before a check is given up on (lets a child be killed)

CHECKS: dict[str, Check] = {
    "python": system.check_python,
    "commands": system.check_commands,
    "paths": system.check_paths,
    "keyring": deps.check_keyring,
    "state": state.check_state,
    "disk": system.check_disk,
    "rollback": deps.check_rollback,
}


def _guarded(name: str, check: Check, hc: HealthContext) -> CheckResult:
    """Run one check; an unexpected error becomes its ``fail``, never the report's crash."""
    started = time.monotonic()
    try:
        found = check(hc)
    except Exception as err:  # a bug or an odd machine: report it, keep the other checks
        found = result(name, Status.FAIL, f"the check itself failed: {type(err).__name__}: "
                       f"{err}", "a bug in AIM+ or an unusual setup; please report this line")
    return replace(found, duration=time.monotonic() - started)


def _plan(hc: HealthContext, only: Iterable[str] | None) -> dict[str, Check]:
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


def _collect(planned: dict[str, Check], hc: HealthContext) -> list[CheckResult]:
    pool = ThreadPoolExecutor(max_workers=max(1, len(planned)), thread_name_prefix="aim-health")
    started = time.monotonic()
    try:
        futures: list[tuple[str, Future[CheckResult]]] = [
            (name, pool.submit(_guarded, name, check, hc)) for name, check in planned.items()]
        results = []
        for name, future in futures:
            left = started + hc.timeout + GRACE - time.monotonic()
            try:
                results.append(future.result(timeout=max(0.0, left)))
            except FuturesTimeout:
                results.append(replace(result(
                    name, Status.FAIL, f"did not finish within {hc.timeout:g}s",
                    "find what blocks it (a hung tool, network drive or keyring daemon), or "
                    "raise health.check_timeout in aim_config.json"),
                    duration=time.monotonic() - started))
        return results
    finally:
        # A hung check never holds the report.  A tool's child is killed at the timeout by
        # aim.proc, so its thread ends; a Python call stuck forever (a dead keyring daemon)
        # cannot be killed, and the interpreter still waits for that thread when it exits.
        pool.shutdown(wait=False, cancel_futures=True)


def _context(ws: Workspace, config: AimConfig | None, path_env: str | None,
             timeout: float | None) -> HealthContext:
    settings = config.health if config is not None else HealthSettings()
    return HealthContext(ws, config, settings, path_env,
                         timeout if timeout is not None else settings.check_timeout)


def _load(hc: HealthContext) -> tuple[CheckResult, AimConfig | None]:
    """The ``config`` check, loading aim_config.json; and the config when it loaded."""
    loaded: list[AimConfig] = []

    def check(hc: HealthContext) -> CheckResult:
        found, config = deps.load_config(hc)
        loaded.extend([config] if config is not None else [])
        return found

    return _guarded("config", check, hc), (loaded[0] if loaded else None)


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
        config_check, config = _load(_context(ws, None, path_env, timeout))
    else:
        config_check = result("config", Status.OK, f"given by the caller ({len(config.tools)} "
                              "tools)")
    hc = _context(ws, config, path_env, timeout)
    wanted = None if checks is None else list(checks)
    found = [config_check] if wanted is None or "config" in wanted else []
    found += _collect(_plan(hc, wanted), hc)
    return HealthReport(tuple(found), overall_status(found), time.monotonic() - started)
