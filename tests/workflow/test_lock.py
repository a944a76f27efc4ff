"""One run at a time per workspace, by an OS lock that ends with its holder; the side file that
names the holder only informs, and nothing in it can crash a run or keep one out for good."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from aim.errors import ExitCode, InputError, LockHeld
from aim.workflow.lock import UNKNOWN, WorkspaceLock, holder_path, read_lock
from aim.workspace import Workspace
from tests.cli.clitool import aim, assert_clean_error
from tests.config.cfgutil import small, write_data

HOLDER = """\
import sys
from aim.workspace import Workspace
from aim.workflow.lock import WorkspaceLock
with WorkspaceLock(Workspace.at(sys.argv[1]), "aim deploy", "run-elsewhere"):
    print("locked", flush=True)
    sys.stdin.read()
"""

MALFORMED = {
    "pid abc": b'{"pid": "abc", "host": "h", "started": "s", "command": "c", "run_id": null}',
    "pid 0": b'{"pid": 0, "host": "h", "started": "s", "command": "c", "run_id": null}',
    "pid -1": b'{"pid": -1, "host": "h", "started": "s", "command": "c", "run_id": null}',
    "pid true": b'{"pid": true, "host": "h", "started": "s", "command": "c", "run_id": null}',
    "a list": b"[1, 2, 3]",
    "not JSON": b"\xff\xfe garbage",
    "deeply nested": b"[" * 3000,
    "huge": b'{"pid": 1, "host": "' + b"h" * 100_000 + b'"}',
    "empty": b"",
}


@contextmanager
def held_elsewhere(ws: Workspace) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the workspace lock until the block ends."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(ws.root)], text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline() == "locked\n"
        yield child
    finally:
        if child.poll() is None:
            child.stdin.close()
        child.wait(timeout=30)


def write_side_file(ws: Workspace, content: bytes | dict[str, object]) -> Path:
    ws.ensure_state_dir()
    side = holder_path(ws.lock_path)
    side.write_bytes(json.dumps(content).encode() if isinstance(content, dict) else content)
    return side


def test_second_holder_is_refused_and_told_who_holds_it(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    with WorkspaceLock(ws, "aim migrate", "run-1"):
        holder = read_lock(ws.lock_path)
        assert holder is not None and holder.pid == os.getpid()
        assert holder.command == "aim migrate" and holder.host == socket.gethostname()
        with pytest.raises(LockHeld) as caught:
            WorkspaceLock(ws, "aim deploy").acquire()
    assert caught.value.exit_code == ExitCode.LOCKED
    assert f"run run-1, pid {os.getpid()} on {socket.gethostname()}" in str(caught.value)
    assert read_lock(ws.lock_path) is None
    assert not holder_path(ws.lock_path).exists()  # the lock file itself stays, unlocked


def test_a_holder_killed_with_sigkill_leaves_no_lock(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    with held_elsewhere(ws) as child:
        child.kill()  # no chance to clean up: its side file stays behind
        child.wait(timeout=30)
        assert holder_path(ws.lock_path).exists()
    assert read_lock(ws.lock_path) is None
    with WorkspaceLock(ws, "aim rollback") as lock:
        assert read_lock(ws.lock_path) == lock.info


def test_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    write_side_file(ws, {"pid": int(dead.stdout), "host": socket.gethostname(),
                         "started": "earlier", "command": "aim migrate", "run_id": "crashed"})
    with WorkspaceLock(ws, "aim rollback"):
        holder = read_lock(ws.lock_path)
        assert holder is not None and holder.pid == os.getpid()


def test_reused_pid_does_not_keep_a_stale_lock(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    write_side_file(ws, {"pid": os.getpid(), "host": socket.gethostname(),
                         "started": "long ago", "command": "aim migrate", "run_id": "old"})
    with WorkspaceLock(ws, "aim deploy") as lock:
        assert read_lock(ws.lock_path) == lock.info


def test_a_side_file_of_another_host_is_no_lock_but_the_os_lock_is(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    elsewhere = {"pid": 1, "host": "elsewhere.example", "started": "now",
                 "command": "aim deploy", "run_id": None}
    write_side_file(ws, elsewhere)
    with WorkspaceLock(ws, "aim migrate"):  # nobody holds the OS lock: the note is stale
        pass
    with held_elsewhere(ws):  # on a shared folder, the holder's flock keeps others out
        write_side_file(ws, elsewhere)
        with pytest.raises(LockHeld, match=r"pid 1 on elsewhere\.example"):
            WorkspaceLock(ws, "aim migrate").acquire()


def test_a_live_holder_in_another_process_is_named(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    with held_elsewhere(ws) as child:
        holder = read_lock(ws.lock_path)
        assert holder is not None and (holder.pid, holder.run_id) == (child.pid, "run-elsewhere")
        with pytest.raises(LockHeld, match=f"run run-elsewhere, pid {child.pid} "):
            WorkspaceLock(ws, "aim migrate").acquire()
    with WorkspaceLock(ws, "aim migrate"):  # free again once it ends
        pass


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_side_file_never_keeps_a_run_out(tmp_path: Path, case: str) -> None:
    ws = Workspace.at(tmp_path)
    write_side_file(ws, MALFORMED[case])
    assert read_lock(ws.lock_path) is None
    with WorkspaceLock(ws, "aim migrate") as lock:
        assert read_lock(ws.lock_path) == lock.info


@pytest.mark.parametrize("case", ["pid abc", "deeply nested", "not JSON"])
def test_a_held_lock_with_a_malformed_side_file_is_exit_4_while_held(tmp_path: Path,
                                                                     case: str) -> None:
    ws = Workspace.at(tmp_path)
    with held_elsewhere(ws):
        write_side_file(ws, MALFORMED[case])
        assert read_lock(ws.lock_path) == UNKNOWN
        with pytest.raises(LockHeld, match="details are not recorded"):
            WorkspaceLock(ws, "aim migrate").acquire()
    with WorkspaceLock(ws, "aim migrate"):
        pass


def test_a_side_file_that_is_a_folder_is_no_obstacle(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    ws.ensure_state_dir()
    holder_path(ws.lock_path).mkdir()
    with WorkspaceLock(ws, "aim migrate"):
        assert read_lock(ws.lock_path) == UNKNOWN  # held, but its details cannot be kept


def test_a_folder_in_place_of_the_lock_file_is_bad_input(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    ws.ensure_state_dir()
    ws.lock_path.mkdir()
    with pytest.raises(InputError, match=r"cannot be used as the workspace lock .*move it away"):
        WorkspaceLock(ws, "aim migrate").acquire()


def test_a_lock_file_of_the_old_pid_format_is_ignored(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    ws.ensure_state_dir()
    ws.lock_path.write_text(json.dumps({"pid": 1, "host": socket.gethostname(), "started": "x",
                                        "command": "aim deploy", "run_id": None,
                                        "pid_start": None}))
    with WorkspaceLock(ws, "aim migrate") as lock:
        assert read_lock(ws.lock_path) == lock.info


RACER = """\
import sys, time
from aim.errors import LockHeld
from aim.workspace import Workspace
from aim.workflow.lock import WorkspaceLock
try:
    with WorkspaceLock(Workspace.at(sys.argv[1]), "racer"):
        print("won", flush=True)
        time.sleep(2)
except LockHeld:
    print("held", flush=True)
"""


def test_of_processes_racing_for_the_lock_exactly_one_wins(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(ws.root)], text=True,
                               stdout=subprocess.PIPE) for _ in range(4)]
    outcomes = sorted(racer.communicate(timeout=60)[0].strip() for racer in racers)
    assert outcomes == ["held", "held", "held", "won"]


# Through the CLI, as a user meets them.

def record(pid: object) -> str:
    """A holder record as the old pid-file held it, on this host."""
    return json.dumps({"pid": pid, "host": socket.gethostname(), "started": "earlier",
                       "command": "aim deploy", "run_id": None, "pid_start": None})


@pytest.mark.parametrize(("name", "content"), [
    ("lock", record("abc")), ("lock", record(0)), ("lock", record(-1)),
    ("lock.json", record("abc")), ("lock.json", record(0)), ("lock.json", "[[[["),
])
def test_a_run_goes_ahead_whatever_an_unheld_lock_holds(tmp_path: Path, name: str,
                                                        content: str) -> None:
    ws = write_data(tmp_path / "ws", small())
    ws.ensure_state_dir()
    (ws.state_dir / name).write_text(content, encoding="utf-8")
    result = aim("backup", "--root", str(ws.root), env={"AIM_LOG_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def test_a_folder_as_the_lock_file_exits_2_with_the_fix(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    ws.ensure_state_dir()
    ws.lock_path.mkdir()
    message = assert_clean_error(aim("backup", "--root", str(ws.root),
                                     env={"AIM_LOG_DIR": str(tmp_path)}), 2)
    assert f"{ws.lock_path}: cannot be used as the workspace lock" in message
    assert f"mv {ws.lock_path} {ws.lock_path}.old" in message


@pytest.mark.parametrize("args", [["backup"], ["secrets.set", "OPENAI_API_KEY"],
                                  ["secrets.delete", "OPENAI_API_KEY"]])
def test_runs_and_keyring_changes_exit_4_while_another_holds_the_lock(tmp_path: Path,
                                                                      args: list[str]) -> None:
    ws = write_data(tmp_path / "ws", small())
    with held_elsewhere(ws) as child:
        result = aim(*args, "--root", str(ws.root), stdin="sk-test-value\n")
    message = assert_clean_error(result, 4)
    assert f"run run-elsewhere, pid {child.pid} on {socket.gethostname()}" in message
    result = aim(*args, "--root", str(ws.root), stdin="sk-test-value\n")
    assert result.returncode == 0, result.stderr
