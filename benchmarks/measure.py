"""How the benchmarks measure: one action timed, several jobs measured in turn round after
round, and a child process's time and peak resident memory.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)

# Runs a command (its output thrown away) and prints its seconds and peak RSS (KiB): the only
# child of this process is the command.
_CHILD_PEAK = ("import resource, subprocess, sys, time\n"
               "started = time.perf_counter()\n"
               "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
               "took = time.perf_counter() - started\n"
               "print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def timed(action: Callable[[], Any], before: Callable[[], Any] | None = None) -> float:
    """Seconds ``action`` takes (``before`` runs first, untimed)."""
    if before is not None:
        before()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def in_turn(jobs: Mapping[K, tuple[Any, ...]], rounds: int,
            measure: Callable[..., Any] = timed) -> dict[K, list[Any]]:
    """``measure(*job)`` of each job, the jobs measured in turn (in the mapping's order), round
    after round, so that a busy moment of the machine falls on all of them alike.

    By default a job is ``(action, before)`` and its figure the seconds of ``action`` (see
    :func:`timed`); with ``measure=child_peak`` it is ``(argv,)``, or whatever arguments a
    benchmark's own ``measure`` takes.
    """
    found: dict[K, list[Any]] = {label: [] for label in jobs}
    for _ in range(rounds):
        for label, job in jobs.items():
            found[label].append(measure(*job))
    return found


def medians(found: Mapping[K, Sequence[float]]) -> dict[K, float]:
    """The median of each label's figures (as :func:`in_turn` returns them)."""
    return {label: statistics.median(figures) for label, figures in found.items()}


def child_peak(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of ``argv`` (its output thrown away), started by a small
    Python process of its own that reports ``getrusage(RUSAGE_CHILDREN)`` for it: a child forked
    from the benchmark would count the benchmark's own pages, shared at the fork, in its peak.
    The seconds are the command's alone, timed in that process around it."""
    out = subprocess.run([sys.executable, "-c", _CHILD_PEAK, *argv], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024  # ru_maxrss is in kilobytes on Linux
