"""The checklist item "all tests passing": the workspace's tests after the deploy, judged
against their run before it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.production.model import FAIL, PASS, SKIP, WARN, Check
from aim.testsuite.outcome import NONE, sentence
from aim.testsuite.run import FAILING_BEFORE, PASSED

TITLE = "all tests passing"
# Tests failing before the deploy are reported, not held against it; tests it made fail are.
_STATUS = {PASSED: PASS, FAILING_BEFORE: WARN, NONE: SKIP}


def check_tests(tests: Mapping[str, Any] | None) -> Check:
    """The item for a deploy's test step outputs (none: the step did not run)."""
    if not tests:
        return Check("tests", TITLE, SKIP, "not run: the deploy's test step gave no result")
    status = _STATUS.get(str(tests.get("verdict")), FAIL)
    return Check("tests", TITLE, status, sentence(tests), float(tests.get("duration") or 0.0))
