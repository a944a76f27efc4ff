"""Results of the production checklist."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# A warning is shown in the report but passes (a timing over its target, tests that were
# failing before the deploy); a skipped item leaves the validation incomplete, not failed.
PASS, WARN, SKIP, FAIL = "pass", "warn", "skip", "fail"

# The plan's performance targets, in seconds.
TARGETS = {"health": 2.0, "versions": 3.0, "scan": 10.0, "audit_query": 1.0, "startup": 0.5}


@dataclass(frozen=True)
class Check:
    """One checklist item: did it pass, and the evidence (what was measured or found)."""

    name: str
    title: str
    status: str
    evidence: str
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """Passed, perhaps with a warning."""
        return self.status in (PASS, WARN)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 4)
        return data


@dataclass(frozen=True)
class ProductionReport:
    """Every checklist item in order, and the timings the performance item judged."""

    checks: tuple[Check, ...]
    timings: dict[str, float]

    @property
    def passed(self) -> bool:
        """No item failed (warnings and skipped items do not fail production validation)."""
        return not self.failed

    @property
    def complete(self) -> bool:
        """Passed, and every item ran."""
        return self.passed and not self.named(SKIP)

    @property
    def failed(self) -> list[str]:
        return self.named(FAIL)

    def named(self, status: str) -> list[str]:
        """The names of the items with ``status``."""
        return [check.name for check in self.checks if check.status == status]

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "complete": self.complete, "failed": self.failed,
                "warnings": self.named(WARN), "skipped": self.named(SKIP),
                "timings": {k: round(v, 4) for k, v in self.timings.items()},
                "targets": TARGETS, "checks": [c.to_dict() for c in self.checks]}


def verdict(name: str, title: str, ok: bool, evidence: str, seconds: float = 0.0,
            otherwise: str = FAIL) -> Check:
    """A check that passed when ``ok``, else has the status ``otherwise`` (a failure)."""
    return Check(name, title, PASS if ok else otherwise, evidence, seconds)
