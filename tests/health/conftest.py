"""Health tests never reach the machine's keyring: the in-memory backend is selected."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM_KEYRING", "memory")
