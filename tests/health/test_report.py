"""The overall status, the report's shape, and checks that break never break the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim import redact
from aim.checks import CheckResult, Status
from aim.health import CHECKS, overall_status, run_health
from aim.health.model import HealthContext
from tests.health.util import break_state, loosen, make_config, workspace


@pytest.mark.parametrize(("statuses", "overall"), [
    ((), "healthy"),
    ((Status.OK, Status.SKIP), "healthy"),
    ((Status.OK, Status.WARN, Status.SKIP), "degraded"),
    ((Status.WARN, Status.FAIL), "unhealthy"),
    ((Status.FAIL,), "unhealthy"),
])
def test_overall_status(statuses: tuple[Status, ...], overall: str) -> None:
    checks = [CheckResult(f"c{i}", s, "summary") for i, s in enumerate(statuses)]
    assert overall_status(checks) == overall


def test_report_follows_the_workspace(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    config = make_config(min_free_mb=0)
    assert run_health(ws, config).status in ("healthy", "degraded")
    loosen(ws)
    degraded = run_health(ws, config)
    assert degraded.status == "degraded" and "state" in degraded.named(Status.WARN)
    break_state(ws)
    unhealthy = run_health(ws, config)
    assert unhealthy.status == "unhealthy"
    assert {"state", "rollback"} <= set(unhealthy.named(Status.FAIL))


def test_to_dict(tmp_path: Path) -> None:
    report = run_health(workspace(tmp_path), make_config(), checks=["python", "disk"])
    data = report.to_dict()
    assert data["status"] == report.status
    assert [c["name"] for c in data["checks"]] == ["python", "disk"]
    assert data["counts"] == {"ok": 2, "warn": 0, "fail": 0, "skip": 0}
    assert set(data["checks"][0]) == {"name", "title", "status", "summary", "hint", "evidence",
                                      "duration"}
    assert data["verdict"]["name"] == "health" and data["verdict"]["status"] == "ok"


def test_a_check_that_raises_is_a_redacted_fail_not_a_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    redact.register("hunter2-secret-value")

    def leaky(hc: HealthContext) -> CheckResult:
        raise RuntimeError("token hunter2-secret-value rejected")

    monkeypatch.setitem(CHECKS, "leaky", leaky)
    report = run_health(workspace(tmp_path), make_config(min_free_mb=0))
    leaked = next(c for c in report.checks if c.name == "leaky")
    assert leaked.status == Status.FAIL and report.status == "unhealthy"
    assert leaked.summary.endswith("RuntimeError: token *** rejected")
    assert "hunter2" not in str(report.to_dict())
    assert next(c for c in report.checks if c.name == "python").status == Status.OK
    assert next(c for c in report.checks if c.name == "disk").status == Status.OK
