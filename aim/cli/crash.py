"""The crash log of a bug: a report with AIM+ and Python versions, platform, the command (its
secrets redacted), the working folder and the traceback.  The log is private (0600), in
``<state>/crash/`` when the workspace's state folder exists, else in a per-user folder (0700)
in the temp folder (``AIM_LOG_DIR`` overrides both).
"""

from __future__ import annotations

import os
import platform
import shlex
import stat
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aim import __version__
from aim.cli.common import workspace
from aim.redact import redact


def _state_crash_folder(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Path | None:
    """``<state>/crash`` of the task's workspace, when its state folder exists."""
    try:
        ws = workspace(args[0] if args else None, kwargs.get("root"))
    except Exception:  # the crash may come from the workspace itself: temp then
        return None
    return ws.state_dir / "crash" if ws.state_dir.is_dir() else None


def _private_temp_folder() -> Path:
    """``<temp>/aim-<user>`` (0700, this user's own); a fresh private folder when another
    user holds that name."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    folder = Path(tempfile.gettempdir()) / f"aim-{user}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return Path(tempfile.mkdtemp(prefix="aim-crash-"))
    os.chmod(folder, 0o700)
    return folder


def _log_dir_setting() -> Path | None:
    return Path(os.environ["AIM_LOG_DIR"]) if os.environ.get("AIM_LOG_DIR") else None


def _crash_folders(args: tuple[Any, ...], kwargs: dict[str, Any]
                   ) -> list[Callable[[], Path | None]]:
    """Where the crash log may go, best first (each found only when the one before failed)."""
    return [_log_dir_setting, lambda: _state_crash_folder(args, kwargs), _private_temp_folder]


def _open_new_log(folder: Path, name: str) -> int:
    """Create ``folder/name`` for writing, 0600, never through a symlink or over a file."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(folder / name, flags, 0o600)


def _write_crash_log(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Path | None:
    """Write ``text`` to a new 0600 log file; its path, or None when no folder took it."""
    name = f"aim-crash-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
    for choose in _crash_folders(args, kwargs):
        try:
            folder = choose()
            if folder is None:
                continue
            fd = _open_new_log(folder, name)
        except OSError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return folder / name
    return None


def crash_report(trace: str) -> str:
    """The crash log's text, as a bug report: versions, platform, command, traceback (all
    redacted: a secret value in an argument or an error never reaches the file)."""
    command = " ".join(shlex.quote(a) for a in ["aim", *sys.argv[1:]])
    return redact(f"AIM+ {__version__} internal error\n"
                  f"python: {platform.python_version()} ({sys.executable})\n"
                  f"platform: {platform.platform()}\n"
                  f"command: {command}\n"
                  f"working folder: {os.getcwd()}\n\n{trace}")


def report_crash(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Write the crash log of the exception being handled and say where it is."""
    text = crash_report(traceback.format_exc())
    log = _write_crash_log(text, args, kwargs)
    if log is None:  # no folder would take it: the terminal is the only place left
        print(text, file=sys.stderr, end="")
        print("error: internal error (a bug in AIM+); no log file could be written, the "
              "traceback is above. Please report it.", file=sys.stderr)
        return
    print(f"error: internal error (a bug in AIM+); the traceback is in {log}. "
          "Please report it with that file.", file=sys.stderr)
