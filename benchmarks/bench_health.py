"""``run_health`` with registered tools, each a small executable on a private PATH: ten quick
ones, one that hangs, and fifty whose ``--version`` costs 0.27 s of CPU (as a Python tool's
start-up does), beside their floor: the same fifty commands run one per CPU at a time."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TOOLS = 10
RUNS = 5
HUNG_TIMEOUT = 1.0
SLOW_TOOLS = 50
SLOW_CPU = 0.27  # seconds of CPU each slow tool's --version takes
SLOW_ROUNDS = 2


def _config(bin_dir: Path) -> Any:
    """A valid config of TOOLS fake tools whose ``--version`` answers at once."""
    from aim.config.load import from_data

    tools = {}
    for number in range(TOOLS):
        name = f"tool{number}"
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\necho '{name} 1.{number}.0'\n")
        path.chmod(0o755)
        tools[name] = {"detect": [name], "version_command": [name, "--version"]}
    return from_data({"version": 1, "tools": tools,
                      "health": {"required_commands": ["sh"], "min_free_mb": 0}})


def run(tmp: Path) -> list[dict[str, Any]]:
    from aim.health import run_health
    from aim.workspace import Workspace

    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    config = _config(bin_dir)
    ws = Workspace.at(tmp)
    ws.ensure_state_dir()
    path_env = f"{bin_dir}:/usr/bin:/bin"
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        report = run_health(ws, config, path_env=path_env)
        times.append(time.perf_counter() - started)
        tool_checks = [c for c in report.checks if c.name.startswith("tool:")]
        assert len(tool_checks) == TOOLS and all(c.status.value == "ok" for c in tool_checks)
    return [{"name": f"health report, {TOOLS} registered tools", "value": statistics.median(times),
             "unit": "s", "target": 2.0,
             "note": f"median of {RUNS}; slowest {max(times):.3f} s; checks run concurrently"},
            {"name": "health report with one hanging tool", "value": _hung(ws, bin_dir, config),
             "unit": "s", "target": HUNG_TIMEOUT + 0.5,
             "note": f"check_timeout {HUNG_TIMEOUT:g} s: the hung tool is killed, not waited"},
            *_slow(tmp, ws)]


def _slow_tools(bin_dir: Path) -> list[str]:
    bin_dir.mkdir()
    names = [f"busy{number}" for number in range(SLOW_TOOLS)]
    for name in names:
        path = bin_dir / name
        path.write_text(f"#!{sys.executable}\nimport time\nend = time.process_time() + {SLOW_CPU}\n"
                        f"while time.process_time() < end:\n    pass\nprint('{name} 1.0')\n")
        path.chmod(0o755)
    return names


def _slow(tmp: Path, ws: Any) -> list[dict[str, Any]]:
    """Fifty slow tools with the default settings (5 s each, one check per CPU at a time),
    beside the same commands run one per CPU at a time, in turn; then all fifty at once."""
    from dataclasses import replace

    from aim.checks import Status, concurrency
    from aim.config.load import from_data
    from aim.health import run_health
    from benchmarks.measure import in_turn

    bin_dir = tmp / "slow-bin"
    names = _slow_tools(bin_dir)
    config = from_data({"version": 1, "tools": {n: {"detect": [n], "version_command": [
        n, "--version"]} for n in names}})
    path_env = f"{bin_dir}:/usr/bin:/bin"
    workers = concurrency(config.health.concurrency)

    reports: list[Any] = []

    def health() -> None:
        reports.append(run_health(ws, config, path_env=path_env, checks=["tools"]))

    def floor() -> None:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda n: subprocess.run([str(bin_dir / n), "--version"], check=True,
                                                   capture_output=True), names))

    times = in_turn({"health": (health, None), "floor": (floor, None)}, SLOW_ROUNDS)
    failed = max((len(report.named(Status.FAIL)) for report in reports), default=0)
    at_once = run_health(ws, replace(config, health=replace(config.health,
                                                            concurrency=SLOW_TOOLS)),
                         path_env=path_env, checks=["tools"])
    took, plain = statistics.median(times["health"]), statistics.median(times["floor"])
    note = f"{workers} at a time on {os.cpu_count()} CPUs; check_timeout 5 s"
    return [
        {"name": f"health, {SLOW_TOOLS} tools of {SLOW_CPU} s CPU: checks failed", "value": failed,
         "unit": "", "target": 0, "note": f"{note}; all {SLOW_TOOLS} at once: "
                                          f"{len(at_once.named(Status.FAIL))} failed"},
        {"name": f"health, {SLOW_TOOLS} tools of {SLOW_CPU} s CPU", "value": took, "unit": "s",
         "note": f"floor ({workers} commands at a time, plain subprocess.run): {plain:.2f} s; "
                 f"ratio {took / plain:.2f}x; median of {SLOW_ROUNDS} in turn"}]


def _hung(ws: Any, bin_dir: Path, config: Any) -> float:
    from dataclasses import replace

    from aim.config.model import Tool
    from aim.health import run_health

    (bin_dir / "stuck").write_text("#!/bin/sh\nexec sleep 60\n")
    (bin_dir / "stuck").chmod(0o755)
    tools = {**config.tools, "stuck": Tool("stuck", "Stuck", ("stuck",), ("stuck", "--version"))}
    started = time.perf_counter()
    report = run_health(ws, replace(config, tools=MappingProxyType(tools)),
                        path_env=f"{bin_dir}:/usr/bin:/bin", timeout=HUNG_TIMEOUT)
    took = time.perf_counter() - started
    assert report.status == "unhealthy"
    return took


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("health")
