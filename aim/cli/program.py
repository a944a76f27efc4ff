"""The ``aim`` program: the task collection under its own name and its own configuration.

It reads ``AIM_*`` environment variables and ``aim.yaml`` files (not ``INVOKE_*`` or
``invoke.yaml``), and maps bad flags to exit code 2 like every other bad input.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from invoke.config import Config
from invoke.exceptions import Exit, ParseError
from invoke.program import Program

from aim import __version__
from aim.errors import ExitCode


class AimConfig(Config):
    """invoke configuration with the ``aim`` prefix: aim.yaml, ~/.aim.yaml, AIM_* variables."""

    prefix = "aim"
    env_prefix = "AIM"  # type: ignore[assignment]

    @staticmethod
    def global_defaults() -> dict[str, Any]:
        defaults: dict[str, Any] = Config.global_defaults()
        defaults["root"] = ""
        return defaults


class AimProgram(Program):
    """invoke's Program, with bad flags exiting 2 (bad input) instead of 1."""

    def parse_core(self, argv: Any) -> None:
        with _bad_flags_exit_2():
            super().parse_core(argv)

    def parse_tasks(self) -> None:
        with _bad_flags_exit_2():
            super().parse_tasks()

    def update_config(self, merge: bool = True) -> None:
        """Also read ``aim.yaml`` (or .yml/.json) in the current folder, the project level."""
        self.config.set_project_location(os.getcwd())
        self.config.load_project(merge=False)
        super().update_config(merge)


@contextmanager
def _bad_flags_exit_2() -> Iterator[None]:
    try:
        yield
    except ParseError as err:
        raise Exit(f"error: {err} (see 'aim --help')", code=ExitCode.BAD_INPUT) from None


def build_program() -> AimProgram:
    from aim.cli.collection import build

    return AimProgram(version=__version__, namespace=build(), name="AIM+", binary="aim",
                      binary_names=["aim"], config_class=AimConfig)


def main() -> None:
    """Console-script entry point."""
    try:
        build_program().run()
    finally:
        _last_flush()


def _last_flush() -> None:
    """Flush stdout now: if its reader went away, the exit code stays the task's (the
    interpreter's own last flush would fail and turn it into 120)."""
    from aim.cli.render import silence

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence(sys.stdout)
