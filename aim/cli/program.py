"""The ``aim`` program: the task collection under its own name and its own configuration.

It reads ``AIM_*`` environment variables and ``aim.yaml`` files (not ``INVOKE_*`` or
``invoke.yaml``), and maps bad flags to exit code 2 like every other bad input.
"""

from __future__ import annotations

import os
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

    def _load_yaml(self, path: Any) -> Any:
        """aim.yaml through AIM+'s bounded loaders: a bad file exits 2, never a traceback."""
        from aim.cli.handler import settings_file

        return settings_file(str(path))

    _load_yml = _load_json = _load_yaml


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
    build_program().run()
