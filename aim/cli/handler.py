"""The one top-level error handler: AimError → ``error: …`` and its exit code, never a traceback.

invoke lets any other exception out as a traceback; every task is wrapped here instead, so a
bug becomes exit code 3 with the traceback written to a log file whose path is printed.

The settings files invoke reads before any task (aim.yaml, ~/.aim.yaml) go through AIM+'s
bounded loaders here too, so a bad one exits 2 instead of a traceback.
"""

from __future__ import annotations

import functools
import os
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


def _crash_log() -> Path:
    folder = Path(os.environ.get("AIM_LOG_DIR") or tempfile.gettempdir())
    return folder / f"aim-crash-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"


def fail(code: int) -> None:
    """Leave with ``code`` the way invoke expects (so the aim program and invoke agree)."""
    from invoke.exceptions import Exit

    raise Exit(code=code)


def _silence_stdout() -> None:
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
            _silence_stdout()
            return None
        except KeyboardInterrupt:
            print("error: interrupted", file=sys.stderr)
            fail(ExitCode.INTERRUPTED)
        except Exception:
            log = _crash_log()
            log.write_text(redact(traceback.format_exc()), encoding="utf-8")
            print(f"error: internal error (a bug in AIM+); the traceback is in {log}. "
                  "Please report it with that file.", file=sys.stderr)
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
