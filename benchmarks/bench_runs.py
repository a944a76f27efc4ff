"""Run history and checkpoints at scale: ``aim runs``, ``aim status`` and ``aim rollback
--dry-run`` with 1000 stored runs against 1 stored run, and 1000 steps writing into a folder
made in the same run against 1000 writes of files of their own; each pair timed in turn."""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
STORED = 1000
ROUNDS = 7
STEPS = 1000
REPEATS = 5  # each run is fsync-bound: the disk is shared, so take more
RATIO_TARGET = 1.5
COMMANDS = (("aim runs", ["runs"]), ("aim status", ["status"]),
            ("aim rollback --dry-run", ["rollback", "--dry-run"]))
TINY = """version: 1
name: tiny
on_failure: stop
steps:
  - {id: note, uses: file.write, with: {path: notes/today.txt, content: "note"}}
  - {id: top, uses: file.write, with: {path: top.txt, content: "top"}}
"""


def _workspace(root: Path) -> Path:
    """A workspace where the tiny workflow ran once (a real journal, blobs and report)."""
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import run_workflow
    from aim.workspace import Workspace

    root.mkdir()
    (root / "notes").mkdir()
    flow = root.parent / f"{root.name}-tiny.yaml"
    flow.write_text(TINY)
    assert run_workflow(Workspace.at(root), load_workflow(str(flow))).status == "success"
    return root


def _store_copies(root: Path, count: int) -> None:
    """``count`` more runs: copies of the one real run folder under new, older run ids (the
    index is then built from their journals by the first listing)."""
    runs = root / ".aim" / "runs"
    [real] = list(runs.iterdir())
    journal = (real / "journal.jsonl").read_text()
    for n in range(count):
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(1.6e9 + n * 60))
        run_id = f"{stamp}.000000Z-tiny-{n % 65536:04x}"
        shutil.copytree(real, runs / run_id)
        (runs / run_id / "journal.jsonl").write_text(journal.replace(real.name, run_id))
    (root / ".aim" / "runs.jsonl").unlink()


def _aim(args: list[str], root: Path) -> None:
    subprocess.run([sys.executable, "-m", "aim", *args, "--root", str(root)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "AIM_KEYRING": "memory"}, check=False)


def stored_runs(workdir: Path) -> list[dict[str, Any]]:
    """Each command with STORED stored runs and with one, run in turn round after round."""
    from benchmarks.measure import in_turn

    many, one = _workspace(workdir / "many"), _workspace(workdir / "one")
    _store_copies(many, STORED - 1)
    for root in (many, one):
        _aim(["runs"], root)  # the first listing builds the index, as after an upgrade
    times = in_turn({(label, root): (partial(_aim, args, root), None)
                     for label, args in COMMANDS for root in (many, one)}, ROUNDS)
    figures = []
    for label, _ in COMMANDS:
        slow, fast = (statistics.median(times[label, root]) for root in (many, one))
        figures.append({"name": f"{label}, {STORED} stored runs / 1", "value": slow / fast,
                        "unit": "x", "target": RATIO_TARGET,
                        "note": f"{slow:.3f} s beside {fast:.3f} s with 1 stored run; "
                                f"median of {ROUNDS} in turn"})
    return figures


def _steps_flow(folder: Path, into_folder: bool) -> Path:
    lines = ["version: 1", "name: many", "on_failure: stop", "steps:"]
    if into_folder:
        lines.append("  - {id: made, uses: dir.create, with: {path: out}}")
    where = "out/" if into_folder else ""
    lines += [f"  - {{id: s{i}, uses: file.write, with: {{path: {where}f{i}.txt, "
              f"content: '{i}'}}}}" for i in range(STEPS)]
    path = folder / ("into-folder.yaml" if into_folder else "plain.yaml")
    path.write_text("\n".join(lines) + "\n")
    return path


def _timed_run(root: Path, flow: Path) -> tuple[float, float]:
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import run_workflow
    from aim.workspace import Workspace

    root.mkdir()
    wf = load_workflow(str(flow))
    started, cpu = time.perf_counter(), time.process_time()
    result = run_workflow(Workspace.at(root), wf)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.status == "success"
    return elapsed, cpu


def steps_into_a_folder(workdir: Path) -> list[dict[str, Any]]:
    """STEPS writes into a folder the run made, beside STEPS writes of files of their own."""
    from benchmarks.measure import in_turn

    into, plain = _steps_flow(workdir, True), _steps_flow(workdir, False)
    runs = itertools.count()  # each run in a workspace of its own
    times = in_turn({True: (into,), False: (plain,)}, REPEATS,
                    measure=lambda flow: _timed_run(workdir / f"steps-{next(runs)}", flow))
    (slow, slow_cpu), (fast, fast_cpu) = (
        (statistics.median(t for t, _ in times[k]), statistics.median(c for _, c in times[k]))
        for k in (True, False))
    return [{"name": f"{STEPS} steps into a folder made in the run / plain", "value": slow / fast,
             "unit": "x", "target": RATIO_TARGET,
             "note": f"{slow:.2f} s beside {fast:.2f} s for {STEPS} writes of their own "
                     f"files (CPU {slow_cpu:.2f} s / {fast_cpu:.2f} s); median of {REPEATS} "
                     "in turn"}]


def run(workdir: Path) -> list[dict[str, Any]]:
    return [*stored_runs(workdir), *steps_into_a_folder(workdir)]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("runs")
