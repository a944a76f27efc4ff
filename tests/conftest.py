"""Test isolation: no test touches the real $HOME, the real keyring or the network."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aim import redact

# CI's second pass sets AIM_TEST_KEYRING=system: tests marked ``secret_service`` then run
# against the real keyring (a private Secret Service); every other test, always, in memory.
REAL_KEYRING = os.environ.get("AIM_TEST_KEYRING") == "system"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                  request: pytest.FixtureRequest) -> Iterator[Path]:
    """Point HOME (and the XDG folders) at an empty tmp dir, clear AIM_/INVOKE_ settings and
    give the test an isolated keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in list(os.environ):
        if var.startswith(("AIM_", "INVOKE_")):
            monkeypatch.delenv(var)
    monkeypatch.delenv("COLUMNS", raising=False)  # tables fit COLUMNS; a test sets it itself
    real = REAL_KEYRING and request.node.get_closest_marker("secret_service") is not None
    monkeypatch.setenv("AIM_KEYRING", "system" if real else "memory")
    yield home
    redact.forget_all()
    backends = sys.modules.get("aim.secrets.backends")
    if backends is not None:
        backends.MemoryKeyring.clear()
