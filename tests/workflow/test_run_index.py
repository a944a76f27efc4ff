"""The run index lists runs without reading their journals, and stays right after a kill, a
lost or damaged index, and rollbacks."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

from aim.workflow.run_index import index_path, run_rows
from aim.workspace import Workspace
from tests.cli.clitool import aim
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, run, write_workflow

ONE = """
    version: 1
    name: {name}
    on_failure: stop
    steps:
      - {{id: write, uses: file.write, with: {{path: {path}, content: "{name}"}}}}
      - {{id: more, uses: file.write, with: {{path: more-{path}, content: "more"}}}}
"""


def flow(tmp_path: Path, name: str, path: str) -> Path:
    return write_workflow(tmp_path / "wf", name, ONE.format(name=name, path=path))


def statuses(ws: Workspace) -> list[tuple[str, str]]:
    listed = aim("runs", "--root", str(ws.root), "--json")
    assert listed.returncode == 0, listed.stderr
    return [(row["workflow"], row["status"]) for row in json.loads(listed.stdout)]


def killed_second_run(tmp_path: Path, record: str) -> Workspace:
    """A workspace with a finished run "first" and a run "second" SIGKILLed after its journal
    record ``record`` (see aim/faults.py); both listed."""
    ws = make_workspace(tmp_path / "ws")
    run(ws, flow(tmp_path, "first", "a1.txt"))
    killed = aim("workflow.run", str(flow(tmp_path, "second", "b1.txt")), "--root",
                 str(ws.root), env={"AIM_FAULT_KILL_AFTER_RECORD": record})
    assert killed.returncode == -signal.SIGKILL
    assert statuses(ws) == [("first", "success"), ("second", "crashed")]
    return ws


def test_a_run_killed_after_its_start_is_listed_crashed(tmp_path: Path) -> None:
    ws = killed_second_run(tmp_path, "checkpoint@more")
    status = json.loads(aim("status", "--root", str(ws.root), "--json").stdout)
    assert [r["status"] for r in status["runs"]] == ["success", "crashed"]
    assert run_rows(ws, 1)[0]["incomplete_step"] == "more"


def test_a_run_killed_as_its_folder_was_made_is_listed_crashed(tmp_path: Path) -> None:
    ws = killed_second_run(tmp_path, "0")
    resumed = aim("workflow.run", str(flow(tmp_path, "second", "b1.txt")), "--root",
                  str(ws.root), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert statuses(ws) == [("first", "success"), ("second", "success")]


def three_runs(tmp_path: Path) -> Workspace:
    ws = make_workspace(tmp_path / "ws")
    for name in ("first", "second", "third"):
        run(ws, flow(tmp_path, name, f"{name}.txt"))
    return ws


def test_a_missing_index_is_rebuilt_from_the_journals(tmp_path: Path) -> None:
    ws = three_runs(tmp_path)
    listed = run_rows(ws)
    index_path(ws).unlink()
    assert run_rows(ws) == listed and len(listed) == 3
    assert index_path(ws).is_file()  # written back: the next listing reads it
    assert run_rows(ws, 2) == listed[1:]


def test_a_corrupt_index_is_rebuilt_from_the_journals(tmp_path: Path) -> None:
    ws = three_runs(tmp_path)
    listed = run_rows(ws)
    lines = index_path(ws).read_bytes().splitlines(keepends=True)
    index_path(ws).write_bytes(lines[0] + b"\x00garbage{\n" + b"".join(lines[1:]))
    assert run_rows(ws) == listed
    assert b"garbage" not in index_path(ws).read_bytes()
    index_path(ws).write_bytes(b"")  # emptied
    assert run_rows(ws) == listed
    index_path(ws).write_bytes(b'{"v":1,"run_id":"x","open":false,"new":true}\n')  # half a row
    assert run_rows(ws) == listed


def test_a_torn_last_line_is_passed_over_and_cut_off_by_the_next_run(tmp_path: Path) -> None:
    ws = three_runs(tmp_path)
    listed = run_rows(ws)
    with open(index_path(ws), "ab") as handle:
        handle.write(b'{"v":1,"run_id":"2026')  # an append killed half-way
    assert run_rows(ws) == listed
    run(ws, flow(tmp_path, "fourth", "fourth.txt"))
    assert [r["workflow"] for r in run_rows(ws)] == ["first", "second", "third", "fourth"]
    assert b'"2026\n' not in index_path(ws).read_bytes()


def test_a_run_folder_the_index_lacks_is_listed(tmp_path: Path) -> None:
    ws = three_runs(tmp_path)
    other = make_workspace(tmp_path / "other")
    copied = run(other, flow(tmp_path, "copied", "c.txt")).run_id
    shutil.copytree(other.runs_dir / copied, ws.runs_dir / copied)  # not in ws's index
    assert [r["run_id"] for r in run_rows(ws)][-1] == copied
    assert copied.encode() in index_path(ws).read_bytes()  # written back


def test_rollback_picks_the_newest_run_left_to_undo(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    run(ws, flow(tmp_path, "first", "a.txt"))
    after_first = snapshot_tree(ws.root)
    run(ws, flow(tmp_path, "second", "b.txt"))
    root = str(ws.root)
    assert aim("rollback", "--root", root).returncode == 0
    assert snapshot_tree(ws.root) == after_first
    index_path(ws).unlink()  # the choice is the same from the journals
    dry = aim("rollback", "--root", root, "--dry-run")
    assert "(first)" in dry.stdout and "(second)" not in dry.stdout, dry.stdout
    assert aim("rollback", "--root", root).returncode == 0
    assert snapshot_tree(ws.root) == before
    assert statuses(ws) == [("first", "rolled_back"), ("second", "rolled_back"),
                            ("rollback", "success"), ("rollback", "success")]
