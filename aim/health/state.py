"""The state folder (.aim): writable, laid out as AIM+ expects, private to its owner."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from aim.checks import CheckResult, Status, result
from aim.health.model import HealthContext

MAX_ENTRIES = 20_000  # enough for years of runs; keeps the check fast on a huge backup folder
LAYOUT = {"runs": True, "backups": True, "audit.jsonl": False, "lock": False}  # name: is folder


def _loose(state: Path) -> tuple[list[str], bool]:
    """The state folder and the files in it that others may use (mode & 077), and whether
    every entry was seen.  Sub-folders are not judged: nobody else can reach them through a
    private state folder, and when it is not private the warning's chmod fixes them too."""
    found = _mode_note(state)
    seen = 0
    for folder, _dirs, files in os.walk(state):
        for name in files:
            found.extend(_mode_note(Path(folder, name)))
            seen += 1
            if seen >= MAX_ENTRIES:
                return found, False
    return found, True


def _mode_note(path: Path) -> list[str]:
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode) or not mode & 0o077:
        return []
    return [f"{path} ({stat.S_IMODE(mode):04o})"]


def _layout_problem(state: Path) -> str | None:
    for name, is_dir in LAYOUT.items():
        path = state / name
        if path.exists() and path.is_dir() != is_dir:
            return f"{path} should be {'a folder' if is_dir else 'a file'}"
    return None


def check_state(hc: HealthContext) -> CheckResult:
    """The state folder is a writable folder, files and folders in it are the owner's only."""
    state = hc.ws.state_dir
    if not state.exists():
        return result("state", Status.OK, f"{state} does not exist yet; the first run creates "
                      "it (mode 0700)")
    if not state.is_dir():
        return result("state", Status.FAIL, f"{state} is not a folder: AIM+ cannot keep its "
                      "runs, backups and audit trail there", f"move it away (mv {state} "
                      f"{state}.old) or point AIM_STATE_DIR elsewhere")
    if not os.access(state, os.W_OK | os.X_OK):
        return result("state", Status.FAIL, f"{state} is not writable", f"chmod u+rwx {state}")
    problem = _layout_problem(state)
    if problem:
        return result("state", Status.FAIL, f"{problem}: AIM+ cannot use it",
                      "move it away (mv PATH PATH.old); AIM+ recreates it")
    loose, complete = _loose(state)
    if loose:
        shown = ", ".join(loose[:3]) + (f" and {len(loose) - 3} more" if len(loose) > 3 else "")
        return result("state", Status.WARN, f"readable by other users: {shown}",
                      f"chmod -R go-rwx {state} (folders 0700, files 0600)")
    checked = "" if complete else f" (first {MAX_ENTRIES} entries checked)"
    return result("state", Status.OK, f"{state} is writable and private{checked}")
