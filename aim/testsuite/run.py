"""Run the workspace's tests once, and compare a run after the deploy with the one before.

The run goes through the one subprocess path (``aim.proc``: timeout, redacted output).  pytest
keeps its cache in a temporary folder and no interpreter writes bytecode, so a run leaves
nothing behind in the workspace that a rollback would have to know of.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aim import proc
from aim.fsio import atomic_write_bytes
from aim.testsuite.detect import TestCommand

# Verdicts of a run after the deploy, measured against the run before it.
PASSED, REGRESSED, FAILING_BEFORE, FAILED = "passed", "regressed", "failing_before", "failed"
_COUNTS = re.compile(r"\b\d+ (passed|failed|errors?|skipped|xfailed|xpassed|deselected)\b"
                     r"|no tests ran")
_FAILING = re.compile(r"^(?:FAILED|ERROR) (\S+)")


@dataclass(frozen=True)
class TestRun:
    """What one run of the tests gave: exit code, summary line, failing test ids."""

    __test__ = False  # not a pytest test class

    command: str
    exit_code: int | None
    summary: str
    duration: float
    failing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return self.exit_code == 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(passed=self.passed, failing=list(self.failing),
                    duration=round(self.duration, 3))
        return data


def summary_line(output: str) -> str:
    """The line that sums a run up: pytest's last ``N passed, N failed`` line, else the last."""
    lines = [line.strip().strip("=").strip() for line in output.splitlines() if line.strip()]
    counted = [line for line in lines if _COUNTS.search(line)]
    chosen = counted[-1] if counted else (lines[-1] if lines else "no output")
    return chosen[:200]


def failing_ids(output: str) -> tuple[str, ...]:
    """The tests pytest's short summary names as failed or in error, in order."""
    found = (_FAILING.match(line) for line in output.splitlines())
    return tuple(dict.fromkeys(match.group(1) for match in found if match))


def _argv(command: TestCommand, cache: Path) -> list[str]:
    argv = list(command.argv)
    if command.kind == "pytest":  # its cache folder goes where the workspace does not see it
        argv += ["-o", f"cache_dir={cache}"]
    return argv


def _result(command: TestCommand, result: proc.ProcResult) -> TestRun:
    output = result.stdout + ("\n" if result.stdout else "") + result.stderr
    if result.missing:
        summary = f"{command.argv[0] if command.argv else command.shown}: command not found"
    elif result.timed_out:
        summary = f"timed out after {result.duration:.0f}s"
    else:
        summary = summary_line(result.stdout) if _COUNTS.search(result.stdout) else \
            summary_line(output)
    return TestRun(command.shown, result.returncode, summary, result.duration,
                   failing_ids(output))


def run_tests(command: TestCommand, root: Path, timeout: float,
              log: Path | None = None) -> TestRun:
    """Run ``command`` in ``root``; its whole (redacted) output goes to ``log`` when given."""
    env = {"PYTHONDONTWRITEBYTECODE": "1"}
    present = set(os.listdir(root))
    with tempfile.TemporaryDirectory(prefix="aim-tests-") as cache:
        if command.shell is not None:
            result = proc.run(command.shell, shell=True, cwd=root, env=env, timeout=timeout)
        else:
            result = proc.run(_argv(command, Path(cache)), cwd=root, env=env, timeout=timeout)
    _remove_empty_debris(root, present)
    if log is not None:
        _write_log(log, result)
    return _result(command, result)


def _remove_empty_debris(root: Path, present: set[str]) -> None:
    """Remove the empty folders a test run left at the top of the workspace (a pytest plugin's
    ``.benchmarks``, say), so a run of the tests changes nothing there."""
    for name in set(os.listdir(root)) - present:
        path = root / name
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()


def _write_log(log: Path, result: proc.ProcResult) -> None:
    text = f"$ {' '.join(result.argv)}\n{result.stdout}{result.stderr}{result.describe()}\n"
    log.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write_bytes(log, text.encode("utf-8"), 0o600)


def compare(before: TestRun | None, after: TestRun) -> tuple[str, tuple[str, ...]]:
    """(verdict, tests this deploy made fail) of the run ``after`` against ``before``.

    Tests that failed before the deploy are not its doing; when both runs name their failing
    tests, a test failing only after it is.
    """
    if after.passed:
        return PASSED, ()
    if before is None:
        return FAILED, after.failing
    if before.passed:
        return REGRESSED, after.failing
    new = tuple(t for t in after.failing if t not in before.failing)
    if new and before.failing:
        return REGRESSED, new
    return FAILING_BEFORE, ()


def from_dict(data: dict[str, Any]) -> TestRun:
    """A run as :meth:`TestRun.to_dict` kept it (in a step's outputs)."""
    return TestRun(str(data.get("command", "")), data.get("exit_code"),
                   str(data.get("summary", "")), float(data.get("duration", 0.0)),
                   tuple(data.get("failing") or ()))

