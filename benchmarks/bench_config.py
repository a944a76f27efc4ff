"""Loading aim_config.json: validation cost per load, a big registry, and `aim config.show`."""

from __future__ import annotations

import copy
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
LOADS = 50
BIG_TOOLS = 300
STARTS = 7


def _median_ms(path: Path) -> float:
    from aim.config.load import load_file

    load_file(path)  # the first load compiles the schema; later ones reuse it
    times = []
    for _ in range(LOADS):
        started = time.perf_counter()
        load_file(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _big_config(workdir: Path) -> Path:
    from aim.config.load import default_data

    data = default_data()
    template = data["tools"]["claude"]
    for i in range(BIG_TOOLS):
        tool = copy.deepcopy(template)
        tool["detect"] = [f"tool{i}"]
        data["tools"][f"tool{i}"] = tool
    path = workdir / "aim_config.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def _show_seconds() -> float:
    argv = [sys.executable, "-m", "aim", "config.show", "--root", str(REPO)]
    times = []
    for _ in range(STARTS):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(workdir: Path) -> list[dict[str, Any]]:
    shipped = _median_ms(REPO / "aim_config.json")
    big = _median_ms(_big_config(workdir))
    return [
        {"name": "load + validate the shipped aim_config.json", "value": shipped, "unit": "ms",
         "target": 20.0, "note": f"median of {LOADS}; schema, references, secret scan"},
        {"name": f"load + validate a {BIG_TOOLS + 5}-tool registry", "value": big,
         "unit": "ms", "target": 250.0, "note": f"median of {LOADS}"},
        {"name": "aim config.show (process start to exit)", "value": _show_seconds(),
         "unit": "s", "target": 0.6, "note": f"median of {STARTS}; includes jsonschema import"},
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("config")
