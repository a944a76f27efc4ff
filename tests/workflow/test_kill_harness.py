"""SIGKILL ``aim deploy`` at every journal record and at random moments; roll back or resume.

The full harness is marked ``harness`` (deselected by default; CI runs it as its own pass with
``pytest -m harness``); a handful of kill points runs in the default suite.  See
tests/workflow/killharness.py for what a trial checks.  ``HARNESS_REPORT=FILE`` keeps the counts
as JSON, ``HARNESS_SEED`` replays the random kills, ``HARNESS_RANDOM`` sets how many.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.deploy.deployutil import Sandbox, copy_sandbox
from tests.workflow.killharness import (
    Outcome,
    Tally,
    journal_records,
    kill_after,
    kill_at_record,
    pristine,
    run_trials,
    timed_deploy,
    trial,
    write_report,
)

# read at import: the test isolation clears AIM_* variables, these are the harness's own
REPORT = os.environ.get("HARNESS_REPORT")
SEED = int(os.environ.get("HARNESS_SEED") or random.randrange(1 << 30))
RANDOM_KILLS = int(os.environ.get("HARNESS_RANDOM") or 24)
JOBS = int(os.environ.get("HARNESS_JOBS") or min(4, os.cpu_count() or 1))
TALLY = Tally()  # both harness tests add to it: the report has the counts of the whole pass


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    return pristine(tmp_path_factory.mktemp("pristine") / "sandbox")


@pytest.fixture(scope="module")
def reference(source: Sandbox, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[int, float]:
    """How many journal records an uninterrupted deploy of the sample writes, and how long the
    faster of two takes (the first one also pays for a cold start)."""
    first, second = (copy_sandbox(source, tmp_path_factory.mktemp("reference"))
                     for _ in range(2))
    seconds = min(timed_deploy(first), timed_deploy(second))
    return len(journal_records(first)), seconds


def at_record(base: Path, source: Sandbox, record: str, resume: bool) -> Callable[[], Outcome]:
    name = f"record-{record.replace('@', '-').replace('#', '-')}-" + (
        "resume" if resume else "rollback")
    return partial(trial, base, source, name, partial(kill_at_record, record=record), resume,
                   "kills_at_records")


def at_moment(base: Path, source: Sandbox, number: int, delay: float, resume: bool
              ) -> Callable[[], Outcome]:
    # the trial's number keeps two kills at the same (rounded) moment in folders of their own
    name = f"random-{number:02d}-{delay:.3f}s-" + ("resume" if resume else "rollback")
    return partial(trial, base, source, name, partial(kill_after, delay=delay), resume,
                   "random_kills")


def run_and_report(trials: list[Callable[[], Outcome]], tally: Tally, jobs: int) -> None:
    started = time.monotonic()
    run_trials(trials, tally, jobs)
    write_report(tally, time.monotonic() - started, REPORT)
    assert not tally.failures, "\n".join(tally.failures)


def test_a_kill_at_a_few_journal_records_is_rolled_back_or_resumed(
        source: Sandbox, tmp_path: Path) -> None:
    # the journal just created; a keyring entry written and the next one's checkpoint taken;
    # the deploy report's Markdown written, its JSON and the step's end not (the report is the
    # run's, not an edit made after it).  Resumes: the harness pass, and test_half_done.py.
    points = [("0", False), ("checkpoint@migrate.secrets#3", False),
              ("checkpoint@report#2", False)]
    run_and_report([at_record(tmp_path, source, record, resume) for record, resume in points],
                   Tally(), 1)


@pytest.mark.harness
def test_a_kill_at_every_journal_record_is_rolled_back_and_resumed(
        source: Sandbox, reference: tuple[int, float], tmp_path: Path) -> None:
    records, _ = reference
    # every record both ways, but a run killed after its last record has nothing to resume
    trials = [at_record(tmp_path, source, str(n), resume) for n in range(records + 1)
              for resume in (False, True)[:1 if n == records else 2]]
    run_and_report(trials, TALLY, JOBS)


@pytest.mark.harness
def test_a_kill_at_random_moments_is_rolled_back_or_resumed(
        source: Sandbox, reference: tuple[int, float], tmp_path: Path) -> None:
    _, seconds = reference
    rng = random.Random(SEED)
    print(f"kill harness: random kills with HARNESS_SEED={SEED}", file=sys.stderr)
    # from the run's start, within its duration less a margin that keeps kills before its end
    trials = [at_moment(tmp_path, source, number, rng.uniform(0.0, 0.9 * seconds),
                        number % 2 == 1)
              for number in range(RANDOM_KILLS)]
    run_and_report(trials, TALLY, JOBS)
