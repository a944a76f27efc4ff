"""The two keyring backends AIM+ adds: in-process memory (tests) and the sample's sandbox file.

Both are real ``keyring.backend.KeyringBackend`` classes, so the same SecretStore code path runs
whatever ``AIM_KEYRING`` chose.  keyring registers every backend class it sees for its own
automatic choice; these two report no priority (RuntimeError), so keyring never picks them on
its own: a plaintext file is only ever used when ``AIM_KEYRING`` names it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, ClassVar

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

from aim.errors import KeyringUnavailable
from aim.fsio import atomic_write_json, remove_temps

SANDBOX_MODE = 0o600
SANDBOX_NOTE = ("AIM+ sample sandbox keyring: PLAINTEXT values, for trying AIM+ with "
                "'invoke sample' only; real use stores secrets in the system keyring")


class _ExplicitOnly(KeyringBackend):
    """A backend keyring itself never selects: only ``AIM_KEYRING`` does."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's __init__ is untyped

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("used only when AIM_KEYRING selects it")

    def __str__(self) -> str:
        return type(self).__name__


class MemoryKeyring(_ExplicitOnly):
    """Entries kept in this process only, shared by every instance (``AIM_KEYRING=memory``)."""

    _entries: ClassVar[dict[tuple[str, str], str]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def clear(cls) -> None:
        """Forget every entry (between tests)."""
        with cls._lock:
            cls._entries.clear()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._entries.pop((service, username), None) is None:
                raise PasswordDeleteError(f"no entry {username} in {service}")


class SandboxKeyring(_ExplicitOnly):
    """A visible plaintext JSON file, mode 0600, for the sample sandbox only."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as err:
            raise KeyringUnavailable(
                f"{self.path}: the sandbox keyring file cannot be read ({err}); delete it "
                "(it only holds sample values) or point AIM_KEYRING at another file") from err
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise KeyringUnavailable(
                f"{self.path}: 'entries' is missing, so this is not an AIM+ sandbox keyring "
                "file; delete it or point AIM_KEYRING at another file")
        return entries

    def _save(self, entries: dict[str, dict[str, str]]) -> None:
        atomic_write_json(self.path, {"note": SANDBOX_NOTE, "entries": entries}, SANDBOX_MODE)
        remove_temps(self.path.parent, self.path.name)  # left by a process killed mid-save

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries.setdefault(service, {})[username] = password
        self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.get(service, {}).pop(username, None) is None:
            raise PasswordDeleteError(f"no entry {username} in {service}")
        if not entries[service]:
            del entries[service]
        self._save(entries)
