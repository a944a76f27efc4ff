"""``aim health`` from the command line: the table with hints, --json, exit 1 only if unhealthy."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.clitool import aim
from tests.health.util import break_state, loosen, workspace


def test_degraded_prints_the_table_with_hints_and_exits_0(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    loosen(ws)
    done = aim("health", "--root", str(ws.root))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["CHECK", "STATUS", "SUMMARY", "HINT"]
    state = next(line for line in lines if line.startswith("state "))
    assert state.split()[1] == "warn" and f"chmod -R go-rwx {ws.state_dir}" in state
    column, rows = lines[0].index("STATUS"), lines[2:lines.index("")]
    assert {row[column:].split()[0] for row in rows} <= {"ok", "warn", "fail", "skip"}
    assert {row.split()[0] for row in rows} >= {"config", "python", "state", "disk"}
    assert lines[-1].startswith("degraded: ")
    assert "Traceback" not in done.stderr and done.stderr == ""


def test_unhealthy_prints_the_table_and_exits_1(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    break_state(ws)
    done = aim("health", "--root", str(ws.root))
    assert done.returncode == 1
    state = next(line for line in done.stdout.splitlines() if line.startswith("state "))
    assert state.split()[1] == "fail" and "should be a folder" in state
    assert done.stdout.splitlines()[-1].startswith("unhealthy: ")
    assert done.stderr.startswith("error: unhealthy: ") and "state" in done.stderr
    assert "Traceback" not in done.stderr


def test_json_output_and_its_exit_code(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    loosen(ws)
    data = json.loads(aim("health", "--json", "--root", str(ws.root)).stdout)
    assert data["status"] == "degraded"
    assert {c["name"] for c in data["checks"]} >= {"python", "state", "disk", "config"}
    break_state(ws)
    done = aim("health", "--json", "--root", str(ws.root))
    assert done.returncode == 1 and json.loads(done.stdout)["status"] == "unhealthy"
