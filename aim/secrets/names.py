"""The secret names a workspace knows: the ``secrets`` section of its aim_config.json.

Only names (and the environment variable each feeds) are read here, never values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aim.errors import InputError

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")

# Variables a secret must never be exported as: exporting one would change how the shell, the
# loader, Python, Node, the package managers or AIM+ itself behave (compared case-insensitively,
# as Windows does).
RESERVED_ENV = frozenset({
    "PATH", "PATHEXT", "HOME", "USERPROFILE", "HOMEDRIVE", "HOMEPATH", "APPDATA",
    "LOCALAPPDATA", "PROGRAMDATA", "PROGRAMFILES", "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR",
    "COMSPEC", "PSMODULEPATH", "SHELL", "ENV", "BASH_ENV", "IFS", "CDPATH", "PROMPT_COMMAND",
    "PS1", "PS2", "PS4", "USER", "USERNAME", "LOGNAME", "PWD", "OLDPWD", "SHLVL", "TERM",
    "TMPDIR", "TMP", "TEMP", "LANG", "LANGUAGE", "TZ", "EDITOR", "VISUAL", "PAGER",
    "NODE_OPTIONS", "NODE_PATH", "PERL5LIB", "PERL5OPT", "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS",
    "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH", "SSH_AUTH_SOCK", "DISPLAY",
    "AIM_KEYRING", "AIM_STATE_DIR", "AIM_LOG_DIR", "KEYRING_PROPERTY_BACKEND",
    "DBUS_SESSION_BUS_ADDRESS",
})
RESERVED_PREFIXES = ("LD_", "DYLD_", "LC_", "XDG_", "PIP_", "PIPX_", "UV_", "NPM_CONFIG_",
                     "PNPM_", "INVOKE_")
# Python's own settings (PYTHONPATH, PYTHONSTARTUP, PYTHON_KEYRING_BACKEND, PYTHON_GIL), but not
# a service's key that merely starts so (PYTHONANYWHERE_API_TOKEN).
RESERVED_PYTHON = re.compile(r"PYTHON(?:[A-Z0-9]+|_[A-Z0-9_]+)")


def reserved_problem(name: str) -> str | None:
    """Why ``name`` is reserved (PATH, HOME, LD_PRELOAD, PYTHONPATH…); None when it is not."""
    upper = name.upper()
    if upper in RESERVED_ENV or upper.startswith(RESERVED_PREFIXES) or \
            RESERVED_PYTHON.fullmatch(upper):
        return (f"{name} is a reserved environment variable: a secret exported as it would "
                "change how the shell, programs or AIM+ itself run; give the secret another "
                "name, e.g. MY_SERVICE_API_KEY")
    return None


def env_problem(name: str) -> str | None:
    """Why ``name`` cannot be a secret's name and environment variable (None when it can)."""
    if not NAME_PATTERN.fullmatch(name):
        return (f"{name!r} is not a variable name (letters, digits and '_', not starting with "
                "a digit, at most 128)")
    return reserved_problem(name)


@dataclass(frozen=True)
class SecretName:
    """A secret's keyring name and the environment variable it is exported as."""

    name: str
    env: str


def check_name(name: str, where: str = "secret name") -> str:
    """``name`` if it can be a keyring name and a shell variable; InputError otherwise."""
    if name.startswith("-"):  # invoke takes a flag after a positional task argument as the value
        raise InputError(f"{name!r} is not a secret name: give the name first, e.g. 'aim "
                         "secrets.set OPENAI_API_KEY'; for a task's help run 'aim --help TASK'")
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(f"{where} {name!r}: use letters, digits and '_' (not starting with a "
                         "digit, at most 128), e.g. OPENAI_API_KEY")
    problem = env_problem(name)
    if problem:
        raise InputError(f"{where} {problem}")
    return name
