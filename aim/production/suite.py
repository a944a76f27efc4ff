"""The checklist item "all tests passing": the workspace's tests after the deploy, judged
against their run before it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aim.checks import CheckResult, Status, result
from aim.testsuite.outcome import NONE, sentence
from aim.testsuite.run import FAILING_BEFORE, PASSED

TITLE = "all tests passing"
# Tests failing before the deploy are reported, not held against it; tests it made fail are.
_STATUS = {PASSED: Status.OK, FAILING_BEFORE: Status.WARN, NONE: Status.SKIP}
_HINT = {Status.FAIL: "the deploy made them fail (the output says which): fix the cause and "
                      "deploy again",
         Status.WARN: "they failed before the deploy too; fix them on their own"}


def check_tests(tests: Mapping[str, Any] | None) -> CheckResult:
    """The item for a deploy's test step outputs (none: the step did not run)."""
    if not tests:
        return result("tests", Status.SKIP, "not run: the deploy's test step gave no result",
                      title=TITLE)
    status = _STATUS.get(str(tests.get("verdict")), Status.FAIL)
    found = result("tests", status, sentence(tests), _HINT.get(status, ""), title=TITLE)
    return replace(found, duration=float(tests.get("duration") or 0.0))
