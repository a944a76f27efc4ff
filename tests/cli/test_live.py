"""On a terminal a live line shows the running step and its time, and a shell step's output
streams as it comes; a pipe and --json get nothing extra."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.clitool import aim
from tests.workflow.wfutil import make_workspace, write_workflow

TALK = """
    version: 1
    name: talk
    steps:
      - id: talk
        uses: shell
        with: {run: "echo first line; sleep 1.5; echo second line", writes: []}
"""


def on_terminal(*args: str) -> tuple[int, list[tuple[float, str]]]:
    """Run aim with a pty as its stdout; its exit code and (time, text) of every read."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | {"AIM_KEYRING": "memory"}
    child = subprocess.Popen([sys.executable, "-m", "aim", *args], stdout=slave, stderr=slave,
                             env=env)
    os.close(slave)
    started, reads = time.monotonic(), []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        reads.append((time.monotonic() - started, chunk.decode("utf-8", "replace")))
    os.close(master)
    return child.wait(timeout=60), reads


def test_a_terminal_sees_the_running_step_and_its_output_as_it_comes(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws").root
    flow = write_workflow(tmp_path, "talk", TALK)
    code, reads = on_terminal("workflow.run", str(flow), "--root", str(root))
    text = "".join(chunk for _, chunk in reads)
    assert code == 0, text
    assert "running  talk  (" in text
    first = next(t for t, chunk in reads if "| first line" in chunk)
    second = next(t for t, chunk in reads if "| second line" in chunk)
    assert second - first > 1.0  # the first line was shown before the command ended
    assert "success  talk" in text


def test_a_pipe_and_json_get_no_live_line_and_no_streamed_output(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws").root
    flow = write_workflow(tmp_path, "talk", TALK)
    piped = aim("workflow.run", str(flow), "--root", str(root))
    assert piped.returncode == 0
    assert "running" not in piped.stdout and "| first line" not in piped.stdout
    assert "\x1b[K" not in piped.stdout
    code, reads = on_terminal("workflow.run", str(flow), "--root", str(root), "--json")
    text = "".join(chunk for _, chunk in reads)
    assert code == 0 and "running  talk" not in text and "\x1b[K" not in text


def test_health_shows_that_it_is_checking(tmp_path: Path) -> None:
    code, reads = on_terminal("health", "--root", str(tmp_path))
    text = "".join(chunk for _, chunk in reads)
    assert "running  health checks  (" in text and "CHECK" in text, text
    assert code in (0, 1)
