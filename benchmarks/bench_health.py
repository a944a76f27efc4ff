"""``run_health`` with ten registered tools, each a small executable on a private PATH."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TOOLS = 10
RUNS = 5
HUNG_TIMEOUT = 1.0


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
             "note": f"check_timeout {HUNG_TIMEOUT:g} s: the hung tool is killed, not waited"}]


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
