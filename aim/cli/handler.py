"""The one top-level error handler: AimError → ``error: …`` and its exit code, never a traceback.

invoke lets any other exception out as a traceback; every task is wrapped here instead, so a
bug becomes exit code 3 with the traceback written to a crash log (:mod:`aim.cli.crash`)
whose path is printed.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from invoke.exceptions import Exit

from aim.errors import AimError, ExitCode
from aim.redact import redact

F = TypeVar("F", bound=Callable[..., Any])


def fail(code: int) -> None:
    """Leave with ``code`` the way invoke expects (so the aim program and invoke agree)."""
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
            # Loaded only for a crash: the bug report's modules stay out of every start-up.
            from aim.cli.crash import report_crash

            report_crash(args, kwargs)
            fail(ExitCode.INTERNAL)
        return None

    return wrapper  # type: ignore[return-value]
