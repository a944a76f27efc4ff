"""SecretStore: one keyring service, on the backend ``AIM_KEYRING`` chooses
(:mod:`aim.secrets.keyrings`, which is where keyring is imported: on first use of a secret,
so ``aim --help`` and the commands that use no secret never load it).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from aim import redact

DEFAULT_SERVICE = "aim"


def _keyrings() -> ModuleType:
    """:mod:`aim.secrets.keyrings`, imported when a secret is first used (it loads keyring)."""
    from aim.secrets import keyrings

    return keyrings


class SecretStore:
    """One keyring service: ``get``/``set``/``delete`` by secret name (the keyring username).

    Every value read or written is registered with :mod:`aim.redact`, so it is masked in
    everything AIM+ prints or writes afterwards.  The backend is resolved on first use.
    """

    def __init__(self, service: str = DEFAULT_SERVICE, backend: Any = None) -> None:
        self.service = service
        self._backend = backend

    @property
    def backend(self) -> Any:
        """The keyring backend in use (resolved from ``AIM_KEYRING`` when first needed)."""
        if self._backend is None:
            self._backend = _keyrings().open_backend()
        return self._backend

    def get(self, name: str) -> str | None:
        """The value stored under ``name``, or None when there is none."""
        backend = self.backend
        value: str | None = _keyrings().call_backend(
            lambda: backend.get_password(self.service, name))
        if value is not None:
            redact.register(value)
        return value

    def set(self, name: str, value: str) -> None:
        """Store ``value`` under ``name`` (replacing any earlier value)."""
        redact.register(value)
        backend = self.backend
        _keyrings().call_backend(lambda: backend.set_password(self.service, name, value))

    def delete(self, name: str) -> bool:
        """Remove ``name``; False when there was nothing to remove."""
        return bool(_keyrings().delete_password(self.backend, self.service, name))
