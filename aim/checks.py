"""One check model for every check AIM+ runs: health, pre-flight, production, status, validate.

A check is a named function that gives a :class:`CheckResult`: a :class:`Status` (ok, warn,
fail or skip), a one-line summary, a hint that says how to fix what it found, and its evidence
(names and counts, never a value).  :func:`run_checks` runs a list of them, each guarded (an
exception inside a check is its ``fail`` with the error shown, never a crash), within a time
limit, concurrently (up to a number at a time) where asked.  The renderers at the end turn
results into the table rows of ``aim health`` and ``aim status``, the ``--json`` objects, the
progress lines of a run and the rows of the Markdown reports, so a check reads the same
wherever it shows.

What the words mean, everywhere: ``fail`` — broken or unsafe (an invalid config, a tool that
does not answer, a secret value left in a file); ``warn`` — not there yet, and the hint is the
one command that fixes it (a tool not installed, a secret not set, a package off its pin, a
timing over its target); ``skip`` — nothing to check.  Only a ``fail`` fails a command.
"""

from __future__ import annotations

import enum
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aim.errors import AimError
from aim.redact import redact

GRACE = 0.5  # seconds past the time limit before a check is given up on (lets a child be killed)
BUG_HINT = "a bug in AIM+ or an unusual setup; please report this line"


class Status(str, enum.Enum):
    """How one check ended."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"

    def __str__(self) -> str:  # the word, wherever a status is formatted or written
        return self.value

    def __format__(self, spec: str) -> str:
        return self.value.__format__(spec)


WORDS = frozenset(status.value for status in Status)


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict; ``evidence`` is JSON data (names, counts) and is never mutated."""

    name: str
    status: Status
    summary: str
    hint: str = ""
    title: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    duration: float = 0.0

    @property
    def label(self) -> str:
        """The title a checklist shows (the name where the check has no title)."""
        return self.title or self.name

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this check, the same in every ``--json`` output and report."""
        return {"name": self.name, "title": self.label, "status": self.status.value,
                "summary": self.summary, "hint": self.hint, "evidence": dict(self.evidence),
                "duration": round(self.duration, 4)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        """The result :meth:`to_dict` gave (a step's outputs, a saved report)."""
        return cls(str(data["name"]), Status(data["status"]), str(data.get("summary", "")),
                   str(data.get("hint", "")), str(data.get("title", "")),
                   dict(data.get("evidence") or {}), float(data.get("duration") or 0.0))


def one_line(text: str, limit: int = 0) -> str:
    """``text`` (redacted) on one line, cut to ``limit`` characters when a limit is given."""
    flat = re.sub(r"\s+", " ", redact(text)).strip()
    return flat if not limit or len(flat) <= limit else flat[: limit - 3] + "..."


def result(name: str, status: Status, summary: str, hint: str = "", *, title: str = "",
           evidence: Mapping[str, Any] | None = None) -> CheckResult:
    """A check result with its texts redacted and flattened to one line each."""
    return CheckResult(name, status, one_line(summary), one_line(hint), title,
                       dict(evidence or {}))


def worst(results: Iterable[CheckResult]) -> Status:
    """``fail`` when a check failed, ``warn`` when one warned, else ``ok`` (skips count not)."""
    statuses = {r.status for r in results}
    if Status.FAIL in statuses:
        return Status.FAIL
    return Status.WARN if Status.WARN in statuses else Status.OK


def named(results: Iterable[CheckResult], status: Status) -> list[str]:
    """The names of the results with ``status``."""
    return [r.name for r in results if r.status is status]


def counts(results: Iterable[CheckResult]) -> dict[str, int]:
    """How many results ended with each status, every status named."""
    found = list(results)
    return {s.value: sum(1 for r in found if r.status is s) for s in Status}


# -- the guarded runner -------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """A named check: ``run()`` gives its result; ``title`` is its checklist wording."""

    name: str
    run: Callable[[], CheckResult]
    title: str = ""


def guarded(check: Check) -> CheckResult:
    """Run one check; an error inside it becomes its ``fail``, never the caller's crash."""
    started = time.monotonic()
    try:
        found = check.run()
    except AimError as err:  # an expected failure: no config, no keyring…
        found = result(check.name, Status.FAIL, f"the {check.name} check could not run: {err}")
    except Exception as err:  # a bug or an odd machine: report it, keep the other checks
        found = result(check.name, Status.FAIL, f"the check itself failed: "
                       f"{type(err).__name__}: {err}", BUG_HINT)
    took = found.duration or time.monotonic() - started  # a check may know better (a test run)
    return replace(found, title=found.title or check.title, duration=took)


def _timed_out(check: Check, timeout: float, hint: str, took: float) -> CheckResult:
    return replace(result(check.name, Status.FAIL, f"did not finish within {timeout:g}s", hint,
                          title=check.title), duration=took)


def concurrency(configured: int | None = None) -> int:
    """How many commands or checks run at once: ``configured`` (``health.concurrency``), else
    one per CPU this process may use (at least 2).  A tool's version command is mostly
    start-up work for the CPU: started all at once, fifty of them would each take fifty times
    longer and miss their time limits."""
    if configured is not None:
        return configured
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return max(2, len(usable) if usable else os.cpu_count() or 1)


def run_checks(checks: Sequence[Check], *, timeout: float | None = None,
               concurrent: bool = False, workers: int | None = None,
               timeout_hint: str = "") -> list[CheckResult]:
    """Every check's result, in the given order.

    ``concurrent`` runs up to ``workers`` of them at a time (default: all at once); otherwise
    one after the other.  Each check runs within ``timeout`` of its own start, so a check that
    waited for a free place loses none of its time.  A check past its time limit (a short
    grace added) is a ``fail`` "did not finish within …s" with ``timeout_hint``; its thread is
    left behind, never waited for, and its place goes to the next check.  No ``timeout``: no
    limit.
    """
    if timeout is None and not concurrent:
        return [guarded(check) for check in checks]
    at_once = max(1, workers or len(checks)) if concurrent else 1
    return _pooled(checks, timeout, timeout_hint, at_once) if checks else []


def _pooled(checks: Sequence[Check], timeout: float | None, hint: str,
            workers: int) -> list[CheckResult]:
    """At most ``workers`` checks at once, each in a thread of its own, each given up on
    ``timeout`` (and the grace) after its own start."""
    done: queue.SimpleQueue[tuple[int, CheckResult]] = queue.SimpleQueue()
    results: dict[int, CheckResult] = {}
    running: dict[int, float] = {}  # index: when it started
    waiting = iter(enumerate(checks))
    while len(results) < len(checks):
        while len(running) < workers and (item := next(waiting, None)) is not None:
            running[item[0]] = time.monotonic()
            _start(item[1], item[0], done)
        deadline = None if timeout is None else min(running.values()) + timeout + GRACE
        try:
            index, found = done.get(timeout=None if deadline is None
                                    else max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            assert timeout is not None
            _give_up(checks, running, results, timeout, hint)
            continue
        if running.pop(index, None) is not None:  # else given up on already: too late
            results[index] = found
    return [results[index] for index in range(len(checks))]


def _start(check: Check, index: int, done: queue.SimpleQueue[tuple[int, CheckResult]]) -> None:
    # A daemon thread: a check given up on never holds the caller, nor the interpreter's exit.
    # A tool's child is killed at the time limit by aim.proc, before the grace is over, so
    # no child is left behind with it; only a Python call stuck for good (a dead keyring
    # daemon) is.
    threading.Thread(target=lambda: done.put((index, guarded(check))), daemon=True,
                     name=f"aim-check-{check.name}").start()


def _give_up(checks: Sequence[Check], running: dict[int, float],
             results: dict[int, CheckResult], timeout: float, hint: str) -> None:
    """The checks past their own time limit are ``fail``; their places are free again."""
    now = time.monotonic()
    for index, began in list(running.items()):
        if now >= began + timeout + GRACE:
            del running[index]
            results[index] = _timed_out(checks[index], timeout, hint, now - began)


# -- the renderers --------------------------------------------------------------------------------

TABLE_HEADERS = ("CHECK", "STATUS", "SUMMARY", "HINT")
MARKDOWN_HEADER = ("| check | status | summary | how to fix |", "| --- | --- | --- | --- |")


def table_rows(results: Iterable[CheckResult]) -> list[list[str]]:
    """The rows of the ``aim health`` / ``aim status`` table (headers: :data:`TABLE_HEADERS`)."""
    return [[r.name, r.status.value, r.summary, r.hint] for r in results]


def line(found: CheckResult, label: str | None = None) -> str:
    """A progress line: ``    warn  secrets: 4 of 4 secrets missing … — how to fix it``."""
    fix = f" — {found.hint}" if found.hint and found.status in (Status.WARN, Status.FAIL) else ""
    return f"{found.status.value:>8}  {label or found.label}: {found.summary}{fix}"


def step_line(step: str, status: str, reason: str, outputs: Mapping[str, Any]) -> str:
    """A run's line for a finished step; a check step that ran shows its verdict instead of
    ``success`` (its outputs carry ``verdict``, a :meth:`CheckResult.to_dict`)."""
    verdict = outputs.get("verdict") if status == "success" else None
    if isinstance(verdict, Mapping) and verdict.get("status") in WORDS:
        return line(CheckResult.from_dict({**verdict, "name": step}), step)
    return f"{status:>8}  {step}" + (f": {reason}" if reason else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_rows(results: Iterable[CheckResult]) -> list[str]:
    """A report's table of checks, header included."""
    return [*MARKDOWN_HEADER, *(f"| {_cell(r.label)} | {r.status.value} | {_cell(r.summary)} | "
                                f"{_cell(r.hint)} |" for r in results)]
