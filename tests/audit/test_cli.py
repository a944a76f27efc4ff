"""The 'audit' task as a user runs it: table, filters, --json, --verify exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aim.workspace import Workspace
from tests.audit.trailutil import lines, make_trail, rewrite
from tests.cli.clitool import aim, assert_clean_error


@pytest.fixture()
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.at(tmp_path / "ws")
    workspace.root.mkdir()
    workspace.ensure_state_dir()
    make_trail(workspace.audit_path, 12).close()
    return workspace


def test_table_with_filters(ws: Workspace) -> None:
    result = aim("audit", "--root", str(ws.root), "--type", "step", "--limit", "2")
    assert result.returncode == 0, result.stderr
    header, rule, *rows = result.stdout.splitlines()
    assert header.split() == ["TIME", "(UTC)", "TYPE", "RUN", "ACTOR", "DETAILS"]
    assert set(rule) == {"-", " "}
    assert rows == ["2026-03-01 09:00:00  step  r0   dev@box  i=9",
                    "2026-03-01 11:00:00  step  r2   dev@box  i=11"]


def test_json_output_and_since(ws: Workspace) -> None:
    result = aim("audit", "--root", str(ws.root), "--json", "--since", "2026-03-01T10:00Z",
                 "--run", "r1")
    data = json.loads(result.stdout)
    assert [e["details"]["i"] for e in data["events"]] == [10]
    assert data["skipped"] == [] and data["events"][0]["type"] == "run"


def test_nothing_matches(ws: Workspace) -> None:
    result = aim("audit", "--root", str(ws.root), "--run", "nope")
    assert result.returncode == 0 and result.stdout.strip() == "no audit events match"


def test_a_bad_since_exits_2(ws: Workspace) -> None:
    message = assert_clean_error(aim("audit", "--root", str(ws.root), "--since", "last week"), 2)
    assert "--since 'last week'" in message and "YYYY-MM-DD" in message


def test_verify_ok_then_broken_naming_the_line(ws: Workspace) -> None:
    ok = aim("audit", "--root", str(ws.root), "--verify")
    assert ok.returncode == 0 and "12 event(s)" in ok.stdout and "intact" in ok.stdout
    old = lines(ws.audit_path)
    rewrite(ws.audit_path, old[:6] + old[7:])
    message = assert_clean_error(aim("audit", "--root", str(ws.root), "--verify"), 1)
    assert "audit.jsonl:7:" in message and "deleted" in message
    broken = aim("audit", "--root", str(ws.root), "--verify", "--json")
    assert broken.returncode == 1
    data = json.loads(broken.stdout)
    assert data["ok"] is False and data["bad"]["line"] == 7
    assert data["bad"]["segment"] == "audit.jsonl"


def test_a_torn_line_is_a_warning_not_a_failure(ws: Workspace) -> None:
    with open(ws.audit_path, "ab") as handle:
        handle.write(b'{"v":1,"ti')
    shown = aim("audit", "--root", str(ws.root), "--limit", "1")
    assert shown.returncode == 0 and "i=11" in shown.stdout
    assert "warning: audit.jsonl:13: torn last line" in shown.stderr
    checked = aim("audit", "--root", str(ws.root), "--verify")
    assert checked.returncode == 0 and "audit.jsonl:13" in checked.stderr


def test_a_workflow_run_is_on_the_trail(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    flow = tmp_path / "hello.yaml"
    flow.write_text("version: 1\nname: hello\nsteps:\n  - {id: one, uses: echo}\n")
    assert aim("audit", "--root", str(root), "--verify").returncode == 0
    run_id = json.loads(aim("workflow.run", str(flow), "--root", str(root), "--json").stdout
                        )["run_id"]
    events = json.loads(aim("audit", "--root", str(root), "--run", run_id, "--json").stdout
                        )["events"]
    assert [(e["type"], e["details"].get("event") or e["details"].get("step"))
            for e in events] == [("run", "start"), ("step", "one"), ("run", "end")]
    trail = Workspace.at(root).audit_path
    assert trail.stat().st_mode & 0o777 == 0o600
    assert aim("audit", "--root", str(root), "--verify").returncode == 0


def test_a_line_nested_thousands_deep_is_skipped_not_a_crash(ws: Workspace,
                                                             tmp_path: Path) -> None:
    rewrite(ws.audit_path, [*lines(ws.audit_path), b"[" * 100_000 + b"\n"])
    ws.audit_path.with_name("audit.anchor.json").write_text("[" * 100_000, encoding="utf-8")
    env = {"AIM_LOG_DIR": str(tmp_path)}
    result = aim("audit", "--root", str(ws.root), env=env)
    assert result.returncode == 0, result.stderr
    assert "audit.jsonl:13: unreadable line" in result.stderr
    assert len(result.stdout.splitlines()) == 2 + 12
    verified = aim("audit", "--root", str(ws.root), "--verify", env=env)
    assert "Traceback" not in verified.stderr and verified.returncode in (0, 1), verified.stderr
    assert not list(tmp_path.glob("aim-crash-*"))
