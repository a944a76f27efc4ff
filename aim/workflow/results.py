"""What running a workflow gives back: step and run results, serialisable for --json."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from aim.checks import CheckResult


class StepStatus(str, enum.Enum):
    """How a step ended."""

    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"
    ABORTED = "aborted"


@dataclass(frozen=True)
class StepResult:
    """One step's outcome: status, why, how long, what it gave."""

    id: str
    status: StepStatus
    reason: str = ""
    duration: float = 0.0
    outputs: dict[str, Any] = field(default_factory=dict)
    attempts: int = 1
    exit_code: int = 0  # of the error that failed the step: 2 for bad input, else 1

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data


@dataclass(frozen=True)
class RunResult:
    """A whole run's outcome."""

    run_id: str
    workflow: str
    status: str  # success | failed | interrupted
    steps: tuple[StepResult, ...]
    duration: float
    failed_step: str | None = None
    reason: str = ""
    rolled_back: bool = False
    preflight: tuple[CheckResult, ...] = ()  # the pre-flight checks, weighed by their mode
    changed: bool = True  # False: no step took a checkpoint, so there is nothing to undo
    unrestored: str = ""  # why the rollback is not complete (what it could not put back)

    @property
    def exit_code(self) -> int:
        """0 for success; else the failed step's code (2: bad input found inside a step)."""
        if self.status == "success":
            return 0
        failed = next((s for s in self.steps if s.id == self.failed_step), None)
        return failed.exit_code if failed is not None and failed.exit_code else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "workflow": self.workflow, "status": self.status,
            "failed_step": self.failed_step, "reason": self.reason,
            "rolled_back": self.rolled_back, "changed": self.changed,
            "unrestored": self.unrestored,
            "duration": round(self.duration, 4),
            "preflight": [p.to_dict() for p in self.preflight],
            "steps": [s.to_dict() for s in self.steps],
        }
