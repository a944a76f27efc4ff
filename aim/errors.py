"""The one error hierarchy of AIM+ and the exit codes it maps to.

Every failure a user can cause or meet is an ``AimError`` subclass; the CLI's single handler
turns it into an ``error: …`` line and the documented exit code.  Anything else is a bug and
exits 3 with a traceback log.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Documented process exit codes (README, docs/cli.md)."""

    OK = 0
    FAILED = 1
    BAD_INPUT = 2
    INTERNAL = 3
    LOCKED = 4
    INTERRUPTED = 130


class AimError(Exception):
    """Base of every expected failure; ``str(err)`` is the one-paragraph message."""

    exit_code: ExitCode = ExitCode.FAILED


class InputError(AimError):
    """Bad input: flags, config, workflow files, legacy files. Nothing was changed."""

    exit_code = ExitCode.BAD_INPUT


class WorkflowError(InputError):
    """A workflow file that cannot be loaded or does not validate."""


class ConfigError(InputError):
    """aim_config.json (or another config file) that cannot be loaded or does not validate."""


class StepFailed(AimError):
    """A workflow step (or the run it belongs to) failed."""


class CheckFailed(AimError):
    """A check (health, validation, verification) found a problem."""


class RollbackRefused(AimError):
    """Rollback found files changed after the run and will not overwrite them without --force."""


class NotFound(InputError):
    """A named run, backup, workflow or secret does not exist."""


class UnsafePath(InputError):
    """A path escapes the workspace root (``..``, absolute, or through a symlink)."""


class LockHeld(AimError):
    """Another run holds the workspace lock."""

    exit_code = ExitCode.LOCKED


class KeyringUnavailable(AimError):
    """No usable keyring backend; the message says how to get one."""

    exit_code = ExitCode.BAD_INPUT
