"""Expand a config value for the running platform: ``%VAR%``, ``$VAR``, ``${VAR}``, ``~``.

The config keeps values as written (``%USERPROFILE%\\Tools``), so one file serves Windows and
POSIX.  On POSIX the Windows folders map to their usual counterparts when they are not set
(USERPROFILE → HOME, LOCALAPPDATA → XDG_DATA_HOME or ~/.local/share, APPDATA →
XDG_CONFIG_HOME or ~/.config, TEMP/TMP → TMPDIR or /tmp), and the backslashes of a value that
was a Windows path become ``/``.  Unknown variables are left as written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

_WINDOWS_VAR = re.compile(r"%([A-Za-z_][A-Za-z0-9_()]*)%")
_POSIX_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")

_POSIX_STAND_INS: dict[str, Callable[[Mapping[str, str], str], str]] = {
    "USERPROFILE": lambda env, home: home,
    "HOMEPATH": lambda env, home: home,
    "LOCALAPPDATA": lambda env, home: env.get("XDG_DATA_HOME") or f"{home}/.local/share",
    "APPDATA": lambda env, home: env.get("XDG_CONFIG_HOME") or f"{home}/.config",
    "TEMP": lambda env, home: env.get("TMPDIR") or "/tmp",
    "TMP": lambda env, home: env.get("TMPDIR") or "/tmp",
}


def is_windows_path(value: str) -> bool:
    """True for ``C:\\…``, ``\\\\server\\share``, ``%VAR%\\…``, ``~\\…`` and relative paths
    written with backslashes only (``node_modules\\.cache``)."""
    if _DRIVE.match(value) or value.startswith(("\\\\", "~\\")):
        return True
    if _WINDOWS_VAR.match(value):
        return True
    return "\\" in value and "/" not in value and " " not in value


def _home(env: Mapping[str, str], posix: bool) -> str:
    if posix:
        return env.get("HOME") or os.path.expanduser("~")
    profile = env.get("USERPROFILE") or env.get("HOME")
    return profile or os.path.expanduser("~")


def _lookup(name: str, env: Mapping[str, str], posix: bool) -> str | None:
    if name in env:
        return env[name]
    if not posix:  # Windows variable names are case-insensitive
        folded = {key.upper(): value for key, value in env.items()}
        return folded.get(name.upper())
    stand_in = _POSIX_STAND_INS.get(name.upper())
    return stand_in(env, _home(env, posix)) if stand_in else None


def expand(value: str, env: Mapping[str, str] | None = None, *,
           posix: bool | None = None) -> str:
    """``value`` with variables and ``~`` expanded for this platform (``posix`` overrides it).

    ``env`` defaults to the process environment.  The stored config value is never changed.
    """
    env = os.environ if env is None else env
    posix = os.name != "nt" if posix is None else posix
    windows_path = is_windows_path(value)

    def windows_var(match: re.Match[str]) -> str:
        found = _lookup(match.group(1), env, posix)
        return match.group(0) if found is None else found

    def posix_var(match: re.Match[str]) -> str:
        found = _lookup(match.group(1) or match.group(2), env, posix)
        return match.group(0) if found is None else found

    result = _POSIX_VAR.sub(posix_var, _WINDOWS_VAR.sub(windows_var, value))
    if result == "~" or result.startswith(("~/", "~\\")):
        result = _home(env, posix) + result[1:]
    if posix and windows_path:
        result = result.replace("\\", "/")
    return result
