"""aim.api as an orchestrator calls it: the guide's example, async checks, the audit trail."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import aim.api
from aim.workspace import Workspace
from tests.cli.clitool import aim as run_aim
from tests.deploy.deployutil import REPO, Sandbox

EXAMPLE = re.search(r"```python\n(.*?)```",
                    (REPO / "docs" / "embedding.md").read_text("utf-8"), re.S).group(1)


def _orchestrate(sandbox: Sandbox, tmp_path: Path, root: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "orchestrator.py"
    script.write_text(EXAMPLE)
    return subprocess.run([sys.executable, str(script), str(root), "ws-1"], capture_output=True,
                          text=True, timeout=120, env={**__import__("os").environ, **sandbox.env})


def _events(sandbox: Sandbox, kind: str) -> list[dict[str, object]]:
    done = sandbox.aim("audit", "--type", kind, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return list(data["events"] if isinstance(data, dict) else data)


def test_an_unhealthy_workspace_stops_the_workstream(fresh: Sandbox, tmp_path: Path) -> None:
    done = _orchestrate(fresh, tmp_path, fresh.root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not starting ws-1: pre-flight failed: health:" in done.stderr
    assert "Traceback" not in done.stderr
    assert [e["details"]["workstream"] for e in _events(fresh, "workstream_error")] == ["ws-1"]
    assert _events(fresh, "workstream_start") == []


def test_drift_only_warns_and_the_workstream_events_are_chained(deployed: Sandbox,
                                                                tmp_path: Path) -> None:
    done = _orchestrate(deployed, tmp_path, deployed.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning: drift:" in done.stdout
    started = _events(deployed, "workstream_start")
    assert [e["details"] for e in started] == [{"workstream": "ws-1"}]
    assert {e["details"]["check"] for e in _events(deployed, "preflight")} >= {"health", "drift"}
    verified = deployed.aim("audit", "--verify")
    assert verified.returncode == 0 and "hash chain verified" in verified.stdout


def test_async_checks_leave_the_event_loop_free(deployed: Sandbox,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A health check that takes half a second (a slow tool) leaves the loop running."""
    monkeypatch.setenv("AIM_KEYRING", f"sandbox:{deployed.keyring}")
    real = aim.api.run_health

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.5)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(aim.api, "run_health", slow)

    async def both() -> tuple[object, int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        beat = asyncio.create_task(ticker())
        report = await aim.api.health_async(deployed.root)
        beat.cancel()
        return report, ticks

    report, ticks = asyncio.run(both())
    assert report.status in ("healthy", "degraded")  # type: ignore[attr-defined]
    assert ticks >= 10  # the ticker ran all the while (every 10 ms)


def test_api_errors_are_documented_kinds(tmp_path: Path) -> None:
    with pytest.raises(aim.api.AimError, match="does not exist"):
        aim.api.health(tmp_path / "missing")
    with pytest.raises(aim.api.AimError, match="pre-flight drift='sometimes'"):
        aim.api.preflight(tmp_path, drift="sometimes")  # type: ignore[arg-type]
    with pytest.raises(aim.api.AimError, match="audit event type"):
        aim.api.audit_event(tmp_path, "Not A Type")


def test_audit_event_and_query_round_trip_redacted(tmp_path: Path) -> None:
    from aim.redact import register

    register("sk-api-test-value-0123456789")
    event = aim.api.audit_event(tmp_path, "workstream_start",
                                {"note": "key sk-api-test-value-0123456789 used"})
    assert "sk-api-test" not in json.dumps(event)
    found = aim.api.audit_events(tmp_path, type="workstream_start")
    assert [e["hash"] for e in found] == [event["hash"]]
    assert aim.api.verify_audit(tmp_path).ok
    listed = run_aim("audit", "--root", str(tmp_path), "--type", "workstream_start")
    assert "workstream_start" in listed.stdout and "sk-api-test" not in listed.stdout


def test_audit_events_come_lazily_oldest_first(tmp_path: Path) -> None:
    from tests.audit.trailutil import bulk_trail

    ws = Workspace.at(tmp_path)
    ws.ensure_state_dir()
    bulk_trail(ws.audit_path, 5000)
    events = aim.api.iter_audit_events(tmp_path, type="step", since=date(2026, 3, 1))
    assert next(events)["details"]["i"] == 0
    assert [e["details"]["i"] for e in events] == list(range(1, 5000))
    assert [e["details"]["i"] for e in aim.api.audit_events(tmp_path, run_id="r49",
                                                            limit=2)] == [4998, 4999]
    with pytest.raises(aim.api.AimError, match="--limit -1"):
        aim.api.iter_audit_events(tmp_path, limit=-1)
