"""Fixtures shared by the migration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.migration.migutil import Sandbox, sandbox


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The sample, with its environment set in this process for in-process runs."""
    made = sandbox(tmp_path)
    for name, value in made.env.items():
        monkeypatch.setenv(name, value)
    return made
