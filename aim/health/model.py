"""The health report: every health check's result and the overall status that gathers them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aim.checks import CheckResult, Status, counts, named, result, worst

if TYPE_CHECKING:
    from aim.config.model import AimConfig, HealthSettings
    from aim.workspace import Workspace

HEALTHY, DEGRADED, UNHEALTHY = "healthy", "degraded", "unhealthy"
_OVERALL = {Status.OK: HEALTHY, Status.WARN: DEGRADED, Status.FAIL: UNHEALTHY}
SEE_HEALTH = "'aim health' shows each check with how to fix it"


def overall_status(checks: list[CheckResult] | tuple[CheckResult, ...]) -> str:
    """``unhealthy`` when a check failed, ``degraded`` when one warned, else ``healthy``."""
    return _OVERALL[worst(checks)]


@dataclass(frozen=True)
class HealthReport:
    """Every check's result, in a stable order, and the overall status."""

    checks: tuple[CheckResult, ...]
    status: str
    duration: float

    def named(self, status: Status) -> list[str]:
        """The names of the checks that ended with ``status``."""
        return named(self.checks, status)

    def line(self) -> str:
        """``degraded: 6 ok, 5 warn, 0 fail, 2 skipped in 0.10s``."""
        return f"{self._counted()} in {self.duration:.2f}s"

    def _counted(self) -> str:
        found = counts(self.checks)
        return (f"{self.status}: {found['ok']} ok, {found['warn']} warn, {found['fail']} fail, "
                f"{found['skip']} skipped")

    def verdict(self) -> CheckResult:
        """The check ``health`` that status, validate, pre-flight and production show: fail
        when unhealthy, warn when degraded."""
        failed, warned = self.named(Status.FAIL), self.named(Status.WARN)
        summary = self._counted() + "".join(
            f"; {word}: {', '.join(names)}" for word, names in (("failing", failed),
                                                                 ("warnings", warned)) if names)
        problems = [f"{c.name}: {c.status.value}: {c.summary}" for c in self.checks
                    if c.status in (Status.FAIL, Status.WARN)]
        status = worst(self.checks)
        return result("health", status, summary, "" if status is Status.OK else SEE_HEALTH,
                      title="health checks operational",
                      evidence={"status": self.status, "counts": counts(self.checks),
                                "failed": failed, "warned": warned, "problems": problems})

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "duration": round(self.duration, 4),
                "counts": counts(self.checks), "verdict": self.verdict().to_dict(),
                "checks": [c.to_dict() for c in self.checks]}


@dataclass(frozen=True)
class HealthContext:
    """What every check may look at: the workspace, the config (if any), PATH and the timeout."""

    ws: Workspace
    config: AimConfig | None
    settings: HealthSettings
    path_env: str | None
    timeout: float
