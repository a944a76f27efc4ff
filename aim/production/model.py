"""Results of the production checklist."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

PASS, FAIL = "pass", "fail"

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
        return self.status == PASS

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
        return all(check.passed for check in self.checks)

    @property
    def failed(self) -> list[str]:
        return [check.name for check in self.checks if not check.passed]

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "failed": self.failed,
                "timings": {k: round(v, 4) for k, v in self.timings.items()},
                "targets": TARGETS, "checks": [c.to_dict() for c in self.checks]}


def verdict(name: str, title: str, ok: bool, evidence: str, seconds: float = 0.0) -> Check:
    """A check that passed when ``ok``."""
    return Check(name, title, PASS if ok else FAIL, evidence, seconds)
