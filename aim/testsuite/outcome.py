"""A test run as a deploy step's outputs, and the one sentence that says what it found.

The same sentence is the progress line, the evidence of the checklist's "all tests passing"
item and the deploy report's ``tests`` line, so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.testsuite.detect import NONE_FOUND, TestCommand
from aim.testsuite.run import FAILED, FAILING_BEFORE, PASSED, REGRESSED, TestRun, compare
from aim.testsuite.run import from_dict as run_from_dict

BASELINE, NONE = "baseline", "none"
SHOWN_IDS = 10


def not_found(phase: str) -> dict[str, Any]:
    """The outputs when nothing says how to run the workspace's tests."""
    return {"phase": phase, "found": False, "ran": False, "command": None, "source": None,
            "test_command": None, "exit_code": None, "summary": None, "verdict": NONE,
            "note": NONE_FOUND}


def outputs(phase: str, command: TestCommand, run: TestRun, log: str,
            before: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The outputs of a run; after the deploy, judged against the run ``before`` it."""
    data = {"phase": phase, "found": True, "ran": True, "command": command.shown,
            "source": command.source, "test_command": command.to_dict(), **run.to_dict(),
            "log": log, "before": None, "verdict": BASELINE, "newly_failing": []}
    if phase == "after":
        earlier = run_from_dict(dict(before)) if before and before.get("ran") else None
        verdict, new = compare(earlier, run)
        data.update(before=earlier.to_dict() if earlier else None, verdict=verdict,
                    newly_failing=list(new))
    return data


def _result(run: Mapping[str, Any]) -> str:
    return f"{run.get('summary') or 'no output'} (exit {run.get('exit_code')})"


def _ids(ids: list[str]) -> str:
    more = f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
    return ", ".join(ids[:SHOWN_IDS]) + more


def sentence(tests: Mapping[str, Any]) -> str:
    """What a test step found, in one line (no value of a secret: its parts are redacted)."""
    if not tests.get("found"):
        return f"none found: {tests.get('note') or NONE_FOUND}"
    head = f"`{tests['command']}` ({tests['source']})"
    before = tests.get("before")
    verdict = tests.get("verdict")
    text = _judged(head, tests, before, verdict)
    return text if verdict in (BASELINE, PASSED) or not tests.get("log") else \
        f"{text} (output: {tests['log']})"


def _judged(head: str, tests: Mapping[str, Any], before: Mapping[str, Any] | None,
            verdict: Any) -> str:
    if verdict == BASELINE:
        return f"{head} before the deploy: {_result(tests)}"
    after = f"after: {_result(tests)}"
    was = f"before the deploy: {_result(before)}; " if before else ""
    if verdict == PASSED:
        return f"{head} passed: {was}{after}"
    if verdict == FAILING_BEFORE:
        return (f"{head} failing before the deploy too, so not caused by it: {was}{after}"
                + (f"; failing: {_ids(tests['failing'])}" if tests.get("failing") else ""))
    if verdict == REGRESSED:
        new = tests.get("newly_failing") or []
        return (f"{head} FAILED because of the deploy: {was}{after}"
                + (f"; newly failing: {_ids(new)}" if new else ""))
    if verdict == FAILED:
        return f"{head} FAILED (no run before the deploy to compare with): {after}"
    return f"{head}: {after}"

