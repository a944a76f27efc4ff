"""The 'audit' task as a user runs it: table, filters, --json, --verify exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aim.audit import AuditLog
from aim.audit.scan import TORN
from aim.workspace import Workspace
from tests.audit.trailutil import bulk_trail, lines, make_trail, rewrite
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


@pytest.mark.parametrize("limit", [[], ["--limit", "5"]])
def test_nothing_matches(ws: Workspace, limit: list[str]) -> None:
    result = aim("audit", "--root", str(ws.root), "--run", "nope", *limit)
    assert result.returncode == 0 and result.stdout.strip() == "no audit events match"
    as_json = aim("audit", "--root", str(ws.root), "--run", "nope", "--json", *limit)
    assert as_json.stdout == '{"events": [], "skipped": []}\n'


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


def test_json_is_one_document_written_one_event_per_line(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path / "big")
    ws.root.mkdir()
    ws.ensure_state_dir()
    bulk_trail(ws.audit_path, 9000)  # more than one batch
    with open(ws.audit_path, "ab") as handle:
        handle.write(b'{"v":1,"ti')
    result = aim("audit", "--root", str(ws.root), "--json", "--type", "step")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [e["details"]["i"] for e in data["events"]] == list(range(9000))
    assert [s["line"] for s in data["skipped"]] == [9001]
    out = result.stdout.splitlines()
    assert out[0] == '{"events": [' and out[1:9001] == [
        line.decode().rstrip("\n") + "," * (i < 8999)
        for i, line in enumerate(lines(ws.audit_path)[:9000])]
    empty = json.loads(aim("audit", "--root", str(ws.root), "--json", "--run", "no").stdout)
    assert empty == {"events": [], "skipped": [{"segment": "audit.jsonl", "line": 9001,
                                                "reason": TORN}]}


def test_the_table_streams_with_columns_fixed_by_its_first_rows(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path / "big")
    ws.root.mkdir()
    ws.ensure_state_dir()
    bulk_trail(ws.audit_path, 5000)
    with AuditLog(ws.audit_path, actor="dev@box") as log:
        log.append("secret_access", run_id="a-much-longer-run-id", details={"i": 5000})
    result = aim("audit", "--root", str(ws.root))
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0].split() == ["TIME", "(UTC)", "TYPE", "RUN", "ACTOR", "DETAILS"]
    assert out[2].endswith("  step  r0   dev@box  i=0") and len(out) == 2 + 5001
    assert out[-1].endswith("  secret_access  a-much-longer-run-id  dev@box  i=5000")


def test_a_reader_that_goes_away_stops_the_query_quietly(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path / "big")
    ws.root.mkdir()
    ws.ensure_state_dir()
    bulk_trail(ws.audit_path, 20_000)
    env = {**os.environ, "AIM_KEYRING": "memory", "AIM_LOG_DIR": str(tmp_path)}
    env.pop("COLUMNS", None)
    with subprocess.Popen([sys.executable, "-m", "aim", "audit", "--root", str(ws.root)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as child:
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()
        errors = child.stderr.read()
        code = child.wait(timeout=60)
    assert first.startswith(b"TIME (UTC)")
    assert code == 0 and b"Traceback" not in errors, errors
    assert not list(tmp_path.glob("aim-crash-*"))
