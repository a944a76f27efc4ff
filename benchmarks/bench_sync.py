"""A no-change sync of 20 packages (npm, pnpm, pipx, uv: listings only) beside the managers'
own listing commands run alone (fake managers on a tmp PATH: scripts printing listings)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PACKAGES = 20
ROUNDS = 5
TARGET_SECONDS = 3.0
MANAGERS = ("npm", "pnpm", "pipx", "uv")


def _setup(tmp: Path) -> tuple[Path, Path]:
    """Fake managers listing 5 packages each, and a workspace pinning them at those versions."""
    sys.path.insert(0, str(REPO))
    from tests.versions import fakes

    bin_dir, ws = tmp / "bin", tmp / "ws"
    ws.mkdir(parents=True)
    have = {m: {f"{m}-pkg{i}": f"1.{i}.0" for i in range(i0, PACKAGES, 4)}
            for i0, m in enumerate(MANAGERS)}
    outputs = {"npm": fakes.npm_json(have["npm"]), "pipx": fakes.pipx_json(have["pipx"]),
               "uv": fakes.uv_text(have["uv"]),
               "pnpm": json.dumps([json.loads(fakes.npm_json(have["pnpm"]))])}
    for manager, text in outputs.items():
        fakes.fake(bin_dir, manager, text)
    config = {"version": 1, "packages": {m: list(p) for m, p in have.items()}, "pins": have}
    (ws / "aim_config.json").write_text(json.dumps(config), encoding="utf-8")
    return bin_dir, ws


def _sync_once(ws: Path) -> float:
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import run_workflow
    from aim.workspace import Workspace

    started = time.perf_counter()
    result = run_workflow(Workspace.at(ws), load_workflow("sync"))
    assert result.status == "success" and not result.changed, result.reason
    return time.perf_counter() - started


def _listings_once(bin_dir: Path) -> tuple[float, float]:
    """The four listing commands one after another: (total, slowest)."""
    from aim.versions.listings import LISTINGS

    times = []
    for manager in MANAGERS:
        argv = LISTINGS[manager][0]
        started = time.perf_counter()
        subprocess.run([str(bin_dir / argv[0]), *argv[1:]], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return sum(times), max(times)


def run(tmp: Path) -> list[dict[str, Any]]:
    """Median wall times over a few rounds."""
    bin_dir, ws = _setup(tmp)
    old_path = os.environ.get("PATH", "")
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{old_path}"
    try:
        syncs = [_sync_once(ws) for _ in range(ROUNDS)]
        listings = [_listings_once(bin_dir) for _ in range(ROUNDS)]
    finally:
        os.environ["PATH"] = old_path
    note = f"median of {ROUNDS}; each fake is a Python script (~20 ms to start)"
    return [
        {"name": f"sync: no-change run, {PACKAGES} packages (4 managers)",
         "value": statistics.median(syncs), "unit": "s", "target": TARGET_SECONDS,
         "note": note + "; lock, journal, listings (concurrent), run end"},
        {"name": "sync: the 4 listing commands alone, in turn",
         "value": statistics.median(t for t, _ in listings), "unit": "s", "note": note},
        {"name": "sync: the slowest listing command alone",
         "value": statistics.median(m for _, m in listings), "unit": "s", "note": note},
    ]
