"""Task declarations whose bodies live elsewhere.

A ``*_tasks`` module declares each task: its flags (the signature), help and docstring, which
``aim --help`` and ``aim TASK --help`` need. The body is a function of the same name and
signature in a ``*_commands`` module, named here as ``module:function`` and imported when the
task runs: the commands import the library at their top, and the program's start-up loads none
of it.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, TypeVar

Body = TypeVar("Body", bound=Callable[..., Any])


def target_of(func: Callable[..., Any]) -> str | None:
    """The ``module:function`` a declared task runs, or None for a task with its own body."""
    return getattr(func, "__aim_target__", None)


def implemented_by(target: str) -> Callable[[Body], Body]:
    """Run the function ``target`` (``module:function``) with the declared task's arguments."""
    module, _, name = target.partition(":")

    def declare(declaration: Body) -> Body:
        @functools.wraps(declaration)
        def run(*args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(module), name)(*args, **kwargs)

        run.__aim_target__ = target  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return declare
