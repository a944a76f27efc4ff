"""What the health checks report: one result per check and the report that gathers them."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aim.redact import redact

if TYPE_CHECKING:
    from aim.config.model import AimConfig, HealthSettings
    from aim.workspace import Workspace

HEALTHY, DEGRADED, UNHEALTHY = "healthy", "degraded", "unhealthy"


class Status(str, enum.Enum):
    """How one check ended."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict: a one-line summary, and a hint that says how to fix it."""

    name: str
    status: Status
    summary: str
    hint: str = ""
    duration: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status.value, "summary": self.summary,
                "hint": self.hint, "duration": round(self.duration, 4)}


def one_line(text: str, limit: int = 0) -> str:
    """``text`` (redacted) on one line, cut to ``limit`` characters when a limit is given."""
    flat = re.sub(r"\s+", " ", redact(text)).strip()
    return flat if not limit or len(flat) <= limit else flat[: limit - 3] + "..."


def result(name: str, status: Status, summary: str, hint: str = "") -> CheckResult:
    """A check result with its texts redacted and flattened to one line each."""
    return CheckResult(name, status, one_line(summary), one_line(hint))


def overall_status(checks: Sequence[CheckResult]) -> str:
    """``unhealthy`` when a check failed, ``degraded`` when one warned, else ``healthy``."""
    statuses = {c.status for c in checks}
    if Status.FAIL in statuses:
        return UNHEALTHY
    return DEGRADED if Status.WARN in statuses else HEALTHY


@dataclass(frozen=True)
class HealthReport:
    """Every check's result, in a stable order, and the overall status."""

    checks: tuple[CheckResult, ...]
    status: str
    duration: float

    def named(self, status: Status) -> list[str]:
        """The names of the checks that ended with ``status``."""
        return [c.name for c in self.checks if c.status == status]

    def to_dict(self) -> dict[str, Any]:
        counts = {s.value: len(self.named(s)) for s in Status}
        return {"status": self.status, "duration": round(self.duration, 4), "counts": counts,
                "checks": [c.to_dict() for c in self.checks]}


@dataclass(frozen=True)
class HealthContext:
    """What every check may look at: the workspace, the config (if any), PATH and the timeout."""

    ws: Workspace
    config: AimConfig | None
    settings: HealthSettings
    path_env: str | None
    timeout: float
