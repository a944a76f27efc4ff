"""An internal error's traceback log is private: 0600, in the state folder or a 0700 folder of
this user's in temp, never a world-readable file in the shared temp folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from aim.workspace import Workspace

SCRIPT = """\
import sys
from aim.cli.handler import handled
from invoke.exceptions import Exit

@handled
def body(c, root=None):
    raise RuntimeError('a bug')

try:
    body(None, root=sys.argv[1])
except Exit as e:
    sys.exit(e.code)
"""


def crash(root: Path, tmp: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run a task body that fails with a bug in workspace ``root``; the result and its log."""
    full = {"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp), "HOME": os.environ["HOME"], **env}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(root)], capture_output=True,
                            text=True, env=full, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    path = Path(line.split("the traceback is in ", 1)[1].split(". Please", 1)[0])
    assert "RuntimeError: a bug" in path.read_text(encoding="utf-8")
    return result, path


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_the_log_goes_to_the_state_folder_when_there_is_one(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path / "ws")
    ws.ensure_state_dir()
    (tmp_path / "tmp").mkdir()
    _result, log = crash(ws.root, tmp_path / "tmp")
    assert log.parent == ws.state_dir / "crash" and log.name.startswith("aim-crash-")
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    assert list((tmp_path / "tmp").iterdir()) == []


def test_without_a_state_folder_it_goes_to_a_private_folder_in_temp(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    (tmp_path / "ws").mkdir()
    _result, log = crash(tmp_path / "ws", tmp_path / "tmp")
    assert log.parent == tmp_path / "tmp" / f"aim-{os.getuid()}"
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    assert not (tmp_path / "ws" / ".aim").exists()  # a crash does not create the state folder


def test_a_planted_symlink_in_temp_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    (tmp_path / "ws").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "tmp" / f"aim-{os.getuid()}").symlink_to(elsewhere)
    _result, log = crash(tmp_path / "ws", tmp_path / "tmp")
    assert log.parent.parent == tmp_path / "tmp" and log.parent.name.startswith("aim-crash-")
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    assert list(elsewhere.iterdir()) == []


def test_aim_log_dir_still_chooses_the_folder(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    _result, log = crash(tmp_path, tmp_path / "tmp", AIM_LOG_DIR=str(tmp_path / "logs"))
    assert log.parent == tmp_path / "logs" and mode(log) == 0o600
