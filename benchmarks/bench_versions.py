"""A full version check of 20 tools (fake executables on a tmp PATH) plus three managers."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TOOLS = 20
ROUNDS = 5
TARGET_SECONDS = 3.0


def _setup(tmp: Path) -> tuple[Any, str]:
    sys.path.insert(0, str(REPO))
    from tests.versions import fakes

    bin_dir = tmp / "bin"
    pipx = {f"pkg{i}": f"1.{i}.0" for i in range(0, TOOLS, 3)}
    npm = {f"@scope/pkg{i}": f"2.{i}.0" for i in range(1, TOOLS, 3)}
    uv = {f"pkg{i}": f"0.{i}.1" for i in range(2, TOOLS, 3)}
    fakes.managers(bin_dir, pipx=pipx, npm=npm, uv=uv)
    tools = []
    for i in range(TOOLS):
        manager, package = (("pipx", f"pkg{i}"), ("npm", f"@scope/pkg{i}"),
                            ("uv", f"pkg{i}"))[i % 3]
        fakes.fake(bin_dir, f"tool{i}", f"tool{i} 1.{i}.0\n")
        tools.append(fakes.tool(f"tool{i}", manager, package))
    pins = {"pipx": {name: "1.0.0" for name in pipx}, "npm": {name: "^2.1.0" for name in npm}}
    return fakes.config(tools, pins=pins), str(bin_dir)


def run(tmp: Path) -> list[dict[str, Any]]:
    """Median wall time of check_versions over a few rounds."""
    from aim.versions.drift import check_versions

    config, path = _setup(tmp)
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        report = check_versions(config, path=path)
        times.append(time.perf_counter() - started)
    assert len(report.items) == TOOLS and all(i.installed for i in report.items)
    return [{"name": f"versions: full check, {TOOLS} tools + pipx/npm/uv listings",
             "value": statistics.median(times), "unit": "s", "target": TARGET_SECONDS,
             "note": f"median of {ROUNDS}; each fake is a Python script (~20 ms to start)"}]
