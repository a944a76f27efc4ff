"""Where a run keeps the keyring values it replaces: a keyring service of its own."""

from __future__ import annotations

from typing import Protocol


class SecretSlots(Protocol):
    """Where secret pre-images go: a keyring service of their own, per run."""

    def get(self, name: str) -> str | None: ...
    def set(self, name: str, value: str) -> None: ...
    def delete(self, name: str) -> bool: ...


def checkpoint_service(run_id: str) -> str:
    """The keyring service that holds one run's secret pre-images."""
    return f"aim-checkpoint/{run_id}"
