"""The production checklist's report: every item's result, the timings, the outcome line.

A warning is shown but passes (a timing over its target, a package off its pin, tests that
were failing before the deploy); a skipped item leaves the validation incomplete, not failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aim.checks import CheckResult, Status, named, result
from aim.production.timing import ACCEPTANCE, TARGETS

TITLE = "production checklist"


def outcome_line(checks: Sequence[CheckResult]) -> str:
    """The checklist's outcome: failed, not complete, complete with warnings, or complete."""

    def titles(status: Status) -> str:
        return ", ".join(c.label for c in checks if c.status is status)

    if any(c.failed for c in checks):
        return f"production validation FAILED: {titles(Status.FAIL)}"
    warned = titles(Status.WARN)
    if any(c.status is Status.SKIP for c in checks):
        return (f"production validation NOT COMPLETE: not run: {titles(Status.SKIP)}"
                + (f"; with warnings: {warned}" if warned else ""))
    if warned:
        return f"production validation complete, with warnings: {warned}"
    return "production validation complete: every item ok"


@dataclass(frozen=True)
class ProductionReport:
    """Every checklist item in order, and the timings the performance item judged."""

    checks: tuple[CheckResult, ...]
    timings: dict[str, float]

    @property
    def passed(self) -> bool:
        """No item failed (warnings and skipped items do not fail production validation)."""
        return not self.failed

    @property
    def complete(self) -> bool:
        """Passed, and every item ran."""
        return self.passed and not self.named(Status.SKIP)

    @property
    def failed(self) -> list[str]:
        return self.named(Status.FAIL)

    def named(self, status: Status) -> list[str]:
        """The names of the items with ``status``."""
        return named(self.checks, status)

    def verdict(self) -> CheckResult:
        """The whole checklist as one check: fail when an item failed, warn when one warned
        or did not run, else ok."""
        status = (Status.FAIL if self.failed else Status.OK if self.complete and not
                  self.named(Status.WARN) else Status.WARN)
        return result("production", status, outcome_line(self.checks),
                      "" if status is Status.OK else "the report lists each item's evidence",
                      title=TITLE, evidence={"problems": [
                          f"{c.label}: {c.status.value}: {c.summary}" for c in self.checks
                          if c.status is not Status.OK]})

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "complete": self.complete, "failed": self.failed,
                "warnings": self.named(Status.WARN), "skipped": self.named(Status.SKIP),
                "outcome": outcome_line(self.checks),
                "timings": {k: round(v, 4) for k, v in self.timings.items()},
                "targets": TARGETS, "acceptance": ACCEPTANCE,
                "checks": [c.to_dict() for c in self.checks]}
