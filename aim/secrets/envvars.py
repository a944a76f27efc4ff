"""Environment variables that hold secrets, and the environment as workflow expressions see it.

A variable holds a secret when aim_config.json names it (a secret's name or its ``env``) or
when its name looks like one (``OPENAI_API_KEY``, ``GITHUB_TOKEN``, ``CLIENT_SECRET``,
``DB_PASSWORD``).  :class:`SecretEnv` registers such a variable's value with the redaction
filter the moment it is read, so ``${{ env.OPENAI_API_KEY }}`` is masked in the step's output,
the journal, the audit trail and the terminal, like a value read from the keyring.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path

from aim import redact
from aim.config.load import CONFIG_NAME
from aim.errors import AimError
from aim.secrets.configured import configured_names

# Names like OPENAI_API_KEY, GITHUB_TOKEN, CLIENT_SECRET, DB_PASSWORD, SMTP_PASSWD, PASSPHRASE.
SECRET_ENV = re.compile(r"(?:^|_)(?:KEYS?|TOKENS?|SECRETS?|CREDENTIALS?)(?:$|_)|"
                        r"PASSWORD|PASSWD|PASSPHRASE", re.IGNORECASE)

Names = Callable[[], Collection[str]]


def looks_secret(name: str) -> bool:
    """True for an environment variable whose name says it holds a secret."""
    return SECRET_ENV.search(name) is not None


def configured_env_names(root: Path) -> set[str]:
    """The secret names of ``root``'s aim_config.json and the variables they feed.

    A missing or broken config gives none (the name patterns still apply; the config's own
    checks report what is wrong with it).
    """
    with contextlib.suppress(AimError, OSError):
        return {n for ref in configured_names(root) for n in (ref.name, ref.env)}
    return set()


class SecretEnv(Mapping[str, str]):
    """A read-only environment whose secret variables are registered for redaction when read.

    ``names`` gives the configured secret names; it is asked on each read of a variable whose
    name does not look like a secret, so a config written during a run counts from then on.
    """

    def __init__(self, environ: Mapping[str, str], names: Names | None = None) -> None:
        self._environ = dict(environ)
        self._names = names

    def is_secret(self, name: str) -> bool:
        """Whether ``name`` holds a secret (by its name, or because the config names it)."""
        return looks_secret(name) or (self._names is not None and name in self._names())

    def __getitem__(self, name: str) -> str:
        value = self._environ[name]
        if self.is_secret(name):
            redact.register(value)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._environ)

    def __len__(self) -> int:
        return len(self._environ)


class _ConfigNames:
    """``configured_env_names(root)``, read again only when aim_config.json changes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._stamp: tuple[int, int] | None = None
        self._names: set[str] | None = None

    def __call__(self) -> set[str]:
        try:
            info = (self.root / CONFIG_NAME).stat()
            stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = None
        if self._names is None or stamp != self._stamp:
            self._stamp, self._names = stamp, configured_env_names(self.root)
        return self._names


def workspace_env(root: Path, environ: Mapping[str, str] | None = None) -> SecretEnv:
    """The process environment (or ``environ``) as expressions in workspace ``root`` see it."""
    return SecretEnv(os.environ if environ is None else environ, _ConfigNames(root))
