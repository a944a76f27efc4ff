"""Environment scan over a 50,000-file tree (some of it caches), plus PATH analysis."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROJECTS = 50
SOURCE_DIRS = 8
FILES_PER_DIR = 100  # 50 x (8 source dirs + 2 caches) x 100 = 50,000 files
RUNS = 3


def build_tree(root: Path) -> int:
    """Projects with source folders, a ``__pycache__`` and a ``node_modules/.cache`` each."""
    count = 0
    payload = b"x" * 100
    for p in range(PROJECTS):
        project = root / f"proj{p:03d}"
        folders = [project / "src" / f"mod{d}" for d in range(SOURCE_DIRS)]
        folders += [project / "src" / "mod0" / "__pycache__",
                    project / "web" / "node_modules" / ".cache" / "babel"]
        for folder in folders:
            folder.mkdir(parents=True)
            for f in range(FILES_PER_DIR):
                (folder / f"f{f:03d}.dat").write_bytes(payload)
                count += 1
    return count


def run(tmp: Path) -> list[dict[str, Any]]:
    from aim.config.model import ScanSettings
    from aim.scanner import scan

    files = build_tree(tmp / "tree")
    settings = ScanSettings(roots=(str(tmp / "tree"),), max_depth=20, time_budget=60,
                            cache_patterns=("__pycache__", "node_modules\\.cache", ".ruff_cache"))
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        report = scan(settings)
        times.append(time.perf_counter() - started)
        assert not report.truncated and len(report.caches) == 2 * PROJECTS, report.notes
    path_times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        scan(settings, caches=False)
        path_times.append(time.perf_counter() - started)
    return [
        {"name": f"full scan, {files:,} files", "value": statistics.median(times), "unit": "s",
         "target": 10.0, "note": f"median of {RUNS}; {len(report.caches)} caches sized, "
                                 "PATH analysed"},
        {"name": "PATH analysis alone", "value": statistics.median(path_times), "unit": "s",
         "note": f"this machine's PATH; {len(report.duplicates)} duplicate command(s)"},
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("scan")
