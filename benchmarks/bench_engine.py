"""Runner overhead per step (journal fsynced) and CLI start-up against bare invoke."""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
STEPS = 1000
STARTS = 15
REPEATS = 3
FSYNCS = 500


def _workflow(folder: Path) -> Path:
    lines = ["version: 1", "name: noop", "on_failure: stop", "steps:"]
    lines += [f"  - {{id: s{i}, uses: echo}}" for i in range(STEPS)]
    path = folder / "noop.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def step_overhead(workdir: Path, with_audit: bool) -> float:
    """Milliseconds of runner time per no-op step (median of REPEATS runs: fsync is noisy)."""
    kind = "audited" if with_audit else "plain"
    return statistics.median(_one_run(workdir / f"{kind}-{i}", with_audit)
                             for i in range(REPEATS))


def _one_run(root: Path, with_audit: bool) -> float:
    from aim.workflow.context import Hooks
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import run_workflow
    from aim.workspace import Workspace

    root.mkdir()
    ws = Workspace.at(root)
    wf = load_workflow(str(_workflow(root)))
    hooks = Hooks()
    if with_audit:
        from aim.workflow.defaults import audit_hook

        hooks = Hooks(audit=audit_hook(ws))
    started = time.perf_counter()
    result = run_workflow(ws, wf, hooks=hooks)
    elapsed = time.perf_counter() - started
    assert result.status == "success" and len(result.steps) == STEPS
    return elapsed / STEPS * 1000


def fsync_cost(workdir: Path) -> float:
    """Median milliseconds to append one journal-sized line and fsync it, on this disk now."""
    from aim.fsio import AppendLog

    times = []
    with AppendLog(workdir / "fsync-probe.jsonl") as log:
        for _ in range(FSYNCS):
            started = time.perf_counter()
            log.append("x" * 200)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


AIM_STARTS = (("aim --help", ["--help"]), ("aim --list", ["--list"]),
              ("aim deploy --help", ["deploy", "--help"]))
RATIO_TARGET = 1.3


def _alternating(commands: dict[str, tuple[list[str], Path]]) -> dict[str, float]:
    """Median start-up of each command, run in turn (round after round), so that a busy moment
    of the machine falls on all of them alike."""
    from benchmarks.measure import in_turn, medians

    return medians(in_turn({label: (partial(subprocess.run, argv, cwd=cwd, check=True,
                                            stdout=subprocess.DEVNULL), None)
                            for label, (argv, cwd) in commands.items()}, STARTS))


def startup(workdir: Path) -> tuple[float, float, dict[str, float]]:
    """Median seconds of `invoke --list` here, with a bare one-task tasks.py, and of each
    `aim` start-up of :data:`AIM_STARTS`, measured in turn."""
    # Byte-compiled, as an install leaves it: with PYTHONDONTWRITEBYTECODE set (as on some
    # machines) an editable checkout would otherwise be compiled from source at every start,
    # while invoke, installed by pip, never is.
    compileall.compile_dir(REPO / "aim", quiet=1)
    bare = workdir / "bare"
    bare.mkdir()
    (bare / "tasks.py").write_text("from invoke import task\n\n\n@task\ndef hello(c):\n"
                                   "    \"\"\"Say hello.\"\"\"\n")
    invoke = [sys.executable, "-m", "invoke", "--list"]
    commands = {"ours": (invoke, REPO), "bare": (invoke, bare)}
    commands |= {label: ([sys.executable, "-m", "aim", *args], workdir)
                 for label, args in AIM_STARTS}
    medians = _alternating(commands)
    return medians.pop("ours"), medians.pop("bare"), medians


def _start_figures(ours: float, bare: float, aim: dict[str, float]) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = [
        {"name": "invoke --list start-up (AIM+ tasks.py)", "value": ours, "unit": "s",
         "target": 0.3, "note": f"bare one-task tasks.py: {bare:.3f} s; ratio "
                                f"{ours / bare:.2f}x"},
        {"name": "invoke --list start-up ratio to bare invoke", "value": ours / bare,
         "unit": "x", "target": RATIO_TARGET, "note": f"median of {STARTS} runs each"}]
    for label, seconds in aim.items():
        figures.append({"name": f"{label} start-up ratio to bare invoke",
                        "value": seconds / bare, "unit": "x", "target": RATIO_TARGET,
                        "note": f"{seconds:.3f} s / {bare:.3f} s, median of {STARTS} runs in turn"})
    return figures


def run(workdir: Path) -> list[dict[str, Any]]:
    fsync = fsync_cost(workdir)
    plain = step_overhead(workdir, with_audit=False)
    audited = step_overhead(workdir, with_audit=True)
    ours, bare, aim = startup(workdir)
    return [
        {"name": f"runner overhead per step ({STEPS} no-op steps)", "value": plain,
         "unit": "ms", "target": 2.0, "note": f"journal fsynced at each step end; median of "
                                              f"{REPEATS} runs"},
        {"name": "one fsynced journal line on this disk", "value": fsync, "unit": "ms",
         "note": f"median of {FSYNCS}; a no-op step costs one, the rest is the runner"},
        {"name": "runner overhead per step, with audit trail", "value": audited, "unit": "ms",
         "target": 2.0, "note": "plus one hash-chained audit event per step"},
        *_start_figures(ours, bare, aim),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("engine")
