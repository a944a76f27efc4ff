"""The ``aim`` program: the task collection under its own name and its own configuration.

It reads ``AIM_*`` environment variables and ``aim.yaml`` files (not ``INVOKE_*`` or
``invoke.yaml``), offers only AIM+'s own core flags (``--help``, ``--version``, ``--list`` and
shell completion: invoke's others, such as ``--dry`` or ``-d``, would mean something else here),
runs one task per call, and maps bad flags to exit code 2 like every other bad input.
"""

from __future__ import annotations

import errno
import inspect
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from invoke.config import Config
from invoke.exceptions import Exit, ParseError
from invoke.parser import Parser
from invoke.parser.argument import Argument
from invoke.program import Program

from aim import __version__
from aim.cli import argv as aim_argv
from aim.cli.collection import build
from aim.cli.handler import silence_stdout
from aim.errors import ExitCode

# invoke's core flags that the aim program keeps; the others keep their defaults, unsettable.
CORE_FLAGS = frozenset({"help", "version", "list", "complete", "print-completion-script"})


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
        if not os.path.exists(path):  # most candidates do not exist: no loader is needed
            raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
        # The loaders are imported only when a settings file exists, not at every start-up.
        from aim.cli.settings import settings_file

        return settings_file(str(path))

    _load_yml = _load_json = _load_yaml


class AimProgram(Program):
    """invoke's Program with AIM+'s own flags only, one task per call, bad flags exit 2."""

    def core_args(self) -> list[Argument]:
        return [arg for arg in super().core_args() if arg.name in CORE_FLAGS]

    def normalize_argv(self, argv: Any) -> None:
        super().normalize_argv(argv)
        self.argv = [*self.argv[:1], *aim_argv.normalize(self.argv[1:])]

    def parse_core_args(self) -> None:
        super().parse_core_args()
        # invoke reads its other core flags later on; they stay at their defaults.
        context = self.core[0]
        for arg in super().core_args():
            if arg.name not in context.args:
                context.add_arg(arg)

    def parse_core(self, argv: Any) -> None:
        with _bad_flags_exit_2():
            super().parse_core(argv)

    def _make_parser(self) -> Parser:
        """A parser for the tasks this command line names (all of them when it names none,
        so that a misspelt one still gets its suggestion): invoke's parser deep-copies every
        context it is given, which is most of a task's start-up when all of them are."""
        named = set(self.core.unparsed)
        contexts = self.collection.to_contexts(
            ignore_unknown_help=self.config.tasks.ignore_unknown_help)
        wanted = [ctx for ctx in contexts if named & {ctx.name, *ctx.aliases}]
        return Parser(initial=self.initial_context, contexts=wanted or contexts)

    def parse_tasks(self) -> None:
        with _bad_flags_exit_2(self.argv[1:]):
            super().parse_tasks()
        if len(self.tasks) > 1:
            names = " and ".join(repr(ctx.name) for ctx in self.tasks)
            raise Exit(f"error: aim runs one task per call, and got {names}. Run them one "
                       "after the other (a run to undo is named with 'aim rollback --run ID'; "
                       "'aim runs' lists them)", code=ExitCode.BAD_INPUT)

    def print_help(self) -> None:
        print(f"Usage: {self.binary} [--help | --version | --list] TASK [--TASK-FLAGS]")
        print(f"       {self.binary} TASK --help   (the flags of one task)")
        print("")
        print("Options:")
        print("")
        self.print_columns(self.initial_context.help_tuples())
        self.list_tasks()
        print("The plan's spellings:")
        print("")
        self.print_columns(aim_argv.spellings_help())

    def print_task_help(self, name: str) -> None:
        flags = self.parser.contexts[name].help_tuples()
        print(f"Usage: {self.binary} {name}{' [--flags]' if flags else ''}")
        print("")
        for line in (inspect.getdoc(self.collection[name]) or "").splitlines():
            print(self.leading_indent + line if line.strip() else "")
        print("")
        print("Flags:")
        if flags:
            self.print_columns(flags)
        else:
            print(self.leading_indent + "none")
            print("")

    def update_config(self, merge: bool = True) -> None:
        """Also read ``aim.yaml`` (or .yml/.json) in the current folder, the project level."""
        self.config.set_project_location(os.getcwd())
        self.config.load_project(merge=False)
        super().update_config(merge)


@contextmanager
def _bad_flags_exit_2(argv: list[str] | None = None) -> Iterator[None]:
    try:
        yield
    except ParseError as err:
        raise Exit(f"error: {aim_argv.describe_parse_error(argv or [], err)}",
                   code=ExitCode.BAD_INPUT) from None
    except ValueError as err:  # a flag's value of the wrong type (``--limit x``)
        raise Exit(f"error: {aim_argv.describe_bad_value(argv or [], err)}",
                   code=ExitCode.BAD_INPUT) from None


def build_program() -> AimProgram:
    return AimProgram(version=__version__, namespace=build(), name="AIM+", binary="aim",
                      binary_names=["aim"], config_class=AimConfig)


def main() -> None:
    """Console-script entry point."""
    try:
        build_program().run()
    except BrokenPipeError:  # ``aim --help | head``: the reader has all it wanted
        silence_stdout()
    finally:
        _last_flush()


def _last_flush() -> None:
    """Flush stdout now: if its reader went away, the exit code stays the task's (the
    interpreter's own last flush would fail and turn it into 120)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
