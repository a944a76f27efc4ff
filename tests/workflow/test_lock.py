"""One run at a time per workspace; a dead holder's lock is taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from aim.errors import ExitCode, LockHeld
from aim.workflow.lock import WorkspaceLock, read_lock
from aim.workspace import Workspace


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
    assert not ws.lock_path.exists()


def test_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    ws.ensure_state_dir()
    ws.lock_path.write_text(json.dumps({
        "pid": int(dead.stdout), "host": socket.gethostname(), "started": "earlier",
        "command": "aim migrate", "run_id": "crashed-run", "pid_start": None}))
    with WorkspaceLock(ws, "aim rollback"):
        holder = read_lock(ws.lock_path)
        assert holder is not None and holder.pid == os.getpid()


def test_reused_pid_does_not_keep_a_stale_lock(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    ws.ensure_state_dir()
    ws.lock_path.write_text(json.dumps({
        "pid": os.getpid(), "host": socket.gethostname(), "started": "long ago",
        "command": "aim migrate", "run_id": "old", "pid_start": "1"}))
    with WorkspaceLock(ws, "aim deploy") as lock:
        assert read_lock(ws.lock_path) == lock.info


def test_lock_held_on_another_host_is_respected(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    ws.ensure_state_dir()
    ws.lock_path.write_text(json.dumps({
        "pid": 1, "host": "elsewhere.example", "started": "now", "command": "aim deploy",
        "run_id": None, "pid_start": None}))
    with pytest.raises(LockHeld, match=r"pid 1 on elsewhere\.example"):
        WorkspaceLock(ws, "aim migrate").acquire()
