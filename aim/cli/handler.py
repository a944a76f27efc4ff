"""The one top-level error handler: AimError → ``error: …`` and its exit code, never a traceback.

invoke lets any other exception out as a traceback; every task is wrapped here instead, so a
bug becomes exit code 3 with the traceback written to a log file whose path is printed.  The
log is private (0600), in ``<state>/crash/`` when the workspace's state folder exists, else in
a per-user folder (0700) in the temp folder (``AIM_LOG_DIR`` overrides both).

The settings files invoke reads before any task (aim.yaml, ~/.aim.yaml) go through AIM+'s
bounded loaders here too, so a bad one exits 2 instead of a traceback.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from aim.errors import AimError, ExitCode
from aim.redact import redact

F = TypeVar("F", bound=Callable[..., Any])


def _state_crash_folder(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Path | None:
    """``<state>/crash`` of the task's workspace, when its state folder exists."""
    from aim.cli.common import workspace

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


def _report_crash(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    text = redact(traceback.format_exc())
    log = _write_crash_log(text, args, kwargs)
    if log is None:  # no folder would take it: the terminal is the only place left
        print(text, file=sys.stderr, end="")
        print("error: internal error (a bug in AIM+); no log file could be written, the "
              "traceback is above. Please report it.", file=sys.stderr)
        return
    print(f"error: internal error (a bug in AIM+); the traceback is in {log}. "
          "Please report it with that file.", file=sys.stderr)


def fail(code: int) -> None:
    """Leave with ``code`` the way invoke expects (so the aim program and invoke agree)."""
    from invoke.exceptions import Exit

    raise Exit(code=code)


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def handled(body: F) -> F:
    """Wrap a task body so every failure leaves as a clean message and a documented code."""

    @functools.wraps(body)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from invoke.exceptions import Exit

        try:
            return body(*args, **kwargs)
        except Exit:
            raise
        except AimError as err:
            print(f"error: {redact(str(err))}", file=sys.stderr)
            fail(int(err.exit_code))
        except BrokenPipeError:  # the reader went away (``aim … | head``): stop quietly
            silence_stdout()
            return None
        except KeyboardInterrupt:
            print("error: interrupted", file=sys.stderr)
            fail(ExitCode.INTERRUPTED)
        except Exception:
            _report_crash(args, kwargs)
            fail(ExitCode.INTERNAL)
        return None

    return wrapper  # type: ignore[return-value]


def settings_file(path: str) -> Any:
    """The data of an invoke settings file (aim.yaml/.yml/.json) through AIM+'s bounded
    loaders; bad input leaves with exit code 2 and an ``error:`` line.  A missing file stays
    an OSError, which invoke takes as "no such file"."""
    from invoke.exceptions import Exit

    from aim.config.jsonsource import parse_json
    from aim.limits import read_limited
    from aim.yamlio import YamlError, load_yaml

    try:
        if path.endswith(".json"):
            return parse_json(read_limited(Path(path)).decode("utf-8-sig"), path)[0]
        return load_yaml(Path(path))[0]
    except YamlError as err:
        message = f"{path}:{err.line}: {err}"
    except UnicodeDecodeError as err:
        message = f"{path}: is not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8"
    except AimError as err:
        message = str(err)
    raise Exit(f"error: {redact(message)}", code=ExitCode.BAD_INPUT)
