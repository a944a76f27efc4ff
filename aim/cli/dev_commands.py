"""The bodies of ``invoke test`` and ``invoke lint`` (declared in :mod:`aim.cli.dev_tasks`):
they only start tools, so they load none of the library; ``bench``, ``docs`` and ``sample``
have modules of their own."""

from __future__ import annotations

import sys
from typing import Any


def test(c: Any, args: str = "") -> None:
    """Run the test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


def lint(c: Any) -> None:
    """Run ruff and mypy."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m mypy")
