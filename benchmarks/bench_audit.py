"""Audit trail: queries over a million events, against plainly reading the file line by line.

The ``aim audit`` figures are whole processes, each beside its floor (a ``json.loads`` loop
over the same file, or ``tail``), run in alternating pairs: time and peak resident memory of
the child.  Each is started by a small Python process of its own that reports
``getrusage(RUSAGE_CHILDREN)`` for it (``measure.child_peak``): a child forked from this
benchmark would count the benchmark's own pages, shared at the fork, in its peak.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EVENTS = 1_000_000
PER_RUN = 100  # a run: start, 98 steps, end
APPENDS = 500


def write_trail(path: Path, count: int = EVENTS) -> None:
    """A valid hash-chained trail of ``count`` events, written in bulk (no fsync per line)."""
    from aim.audit.format import GENESIS, encode, utc_stamp

    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    prev = GENESIS
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb", buffering=1 << 20) as handle:
        for i in range(count):
            run, step = divmod(i, PER_RUN)
            kind, details = _event(i, step)
            event = {"v": 1, "time": utc_stamp(start + timedelta(seconds=i)), "type": kind,
                     "run": f"run-{run:05d}", "actor": "dev@bench", "details": details}
            line, prev = encode(event, prev)
            handle.write(line)


def _event(i: int, step: int) -> tuple[str, dict[str, Any]]:
    if step == 0:
        return "run", {"event": "start", "workflow": "deploy"}
    if step == PER_RUN - 1:
        return "run", {"event": "end", "status": "success"}
    if i % 1000 == 550:
        return "secret_access", {"name": "OPENAI_API_KEY", "op": "get"}
    return "step", {"step": f"s{step}", "status": "success", "duration": 0.012}


def _best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def _plain_read(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        for _line in handle:
            count += 1
    return count


def _append_ms(folder: Path) -> float:
    from aim.audit import AuditLog

    log = AuditLog(folder / "appends" / "audit.jsonl")
    started = time.perf_counter()
    for i in range(APPENDS):
        log.append("step", run_id="run-1", details={"step": f"s{i}", "status": "success"})
    log.close()
    return (time.perf_counter() - started) / APPENDS * 1000


ROUNDS = 3
RSS_TARGET_MB = 100.0
RATIO_TARGET = 2.0
FLOOR = ("import json, sys\n"
         "with open(sys.argv[1], 'rb') as handle:\n"
         "    for line in handle:\n"
         "        json.loads(line)\n")


def _pairs(commands: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    """Median seconds and the largest peak MB of each command, run in turn round after round."""
    from benchmarks.measure import child_peak, in_turn

    found = in_turn({label: (argv,) for label, argv in commands.items()}, ROUNDS,
                    measure=child_peak)
    return {label: (statistics.median(t for t, _ in runs), max(m for _, m in runs))
            for label, runs in found.items()}


def _cli_figures(root: Path, path: Path) -> list[dict[str, Any]]:
    aim = [sys.executable, "-m", "aim", "audit", "--root", str(root)]
    tail_events = 12_000  # the events since the bound below
    since = (datetime(2026, 1, 1, tzinfo=timezone.utc)
             + timedelta(seconds=EVENTS - tail_events)).strftime("%Y-%m-%dT%H:%M:%S")
    measured = _pairs({
        "text": [*aim, "--type", "step"],
        "floor": [sys.executable, "-c", FLOOR, str(path)],
        "json": [*aim, "--type", "step", "--json"],
        "since": [*aim, "--since", since],
        "tail": ["tail", "-n", str(tail_events), str(path)],
    })
    floor, floor_mb = measured["floor"]
    figures = []
    for label, name in (("text", "aim audit --type step (all 1M, table)"),
                        ("json", "aim audit --type step --json (all 1M)")):
        took, peak = measured[label]
        figures += [
            {"name": f"{name} time / json.loads loop", "value": took / floor, "unit": "x",
             "target": RATIO_TARGET, "note": f"{took:.2f} s vs floor {floor:.2f} s; median of "
                                             f"{ROUNDS} alternating runs"},
            {"name": f"{name} peak RSS", "value": peak, "unit": "MB", "target": RSS_TARGET_MB,
             "note": f"json.loads loop child: {floor_mb:.0f} MB"}]
    took, peak = measured["since"]
    tail, tail_mb = measured["tail"]
    figures.append({"name": "aim audit --since (last 1.2% of events)", "value": took,
                    "unit": "s", "target": 1.0,
                    "note": f"floor tail -n {tail_events}: {tail:.3f} s; peak {peak:.0f} MB "
                            f"(tail {tail_mb:.0f} MB); start-up included"})
    return figures


def _cli_seconds(root: Path) -> float:
    argv = [sys.executable, "-m", "aim", "audit", "--root", str(root), "--type", "step",
            "--limit", "50"]
    best, _ = _best(lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL))
    return best


def run(tmp: Path) -> list[dict[str, Any]]:
    from aim.audit import query, stream, verify

    root = tmp / "ws"
    path = root / ".aim" / "audit.jsonl"
    started = time.perf_counter()
    write_trail(path)
    written = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    plain, lines = _best(lambda: _plain_read(path))
    assert lines == EVENTS
    newest, r1 = _best(lambda: query(path, type="step", limit=50))
    by_run, r2 = _best(lambda: query(path, run="run-05000"))
    rare, r3 = _best(lambda: query(path, type="secret_access"))
    recent, r4 = _best(lambda: query(path, since=datetime(2026, 1, 12, 13, tzinfo=timezone.utc)))
    assert (len(r1.events), len(r2.events), len(r3.events)) == (50, PER_RUN, EVENTS // 1000)
    bulk, r5 = _best(lambda: sum(1 for _ in stream(path, type="step")), repeat=1)
    checked, result = _best(lambda: verify(path), repeat=1)
    assert result.ok and result.events == EVENTS
    note = f"{EVENTS:,} events, {size_mb:.0f} MB; plain 'for line in f' read {plain:.3f} s"
    return [
        {"name": "audit query --type step --limit 50", "value": newest, "unit": "s",
         "target": 1.0, "note": f"{note}; ratio {newest / plain:.4f}x"},
        {"name": "audit query --run ID (scans every event)", "value": by_run, "unit": "s",
         "target": 1.0, "note": f"{len(r2.events)} matches; ratio {by_run / plain:.2f}x"},
        {"name": "audit query --type secret_access (all)", "value": rare, "unit": "s",
         "target": 1.0, "note": f"{len(r3.events)} matches; ratio {rare / plain:.2f}x"},
        {"name": "audit query --since (last 1.2% of events)", "value": recent, "unit": "s",
         "target": 1.0, "note": f"{len(r4.events)} matches; ratio {recent / plain:.2f}x"},
        {"name": "audit stream --type step (all, no limit)", "value": bulk, "unit": "s",
         "note": f"{r5:,} matches, every one JSON-parsed; ratio {bulk / plain:.1f}x"},
        {"name": "plain line-by-line read of the same file", "value": plain, "unit": "s",
         "note": note},
        {"name": "audit verify (sha256 of every line)", "value": checked, "unit": "s",
         "note": f"bulk write of the trail took {written:.1f} s"},
        {"name": "audit append (fsynced, hash-chained)", "value": _append_ms(tmp), "unit": "ms",
         "note": f"mean of {APPENDS} appends"},
        {"name": "aim audit --type step --limit 50 (CLI)", "value": _cli_seconds(root),
         "unit": "s", "target": 1.0, "note": "whole process, start-up included"},
        *_cli_figures(root, path),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("audit")
