"""One ``invoke sample`` run for the whole folder; each test deploys on a copy of it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.deploy.deployutil import Sandbox, copy_sandbox, fresh_sample, invoke_sample, picture


@pytest.fixture(scope="package")
def sample_run(tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[Sandbox, subprocess.CompletedProcess[str]]:
    """The sample deployed by ``invoke sample`` (and what it printed)."""
    base = tmp_path_factory.mktemp("sample")
    done = invoke_sample(base / "sandbox", base / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    return Sandbox(base / "sandbox" / "workspace", base / "sandbox" / "keyring.json"), done


@pytest.fixture(scope="package")
def undeployed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """The tree of a fresh sample copy, as ``invoke sample`` makes it before deploying."""
    return picture(fresh_sample(tmp_path_factory.mktemp("fresh") / "sandbox"))


@pytest.fixture
def deployed(sample_run: tuple[Sandbox, subprocess.CompletedProcess[str]],
             tmp_path: Path) -> Sandbox:
    """This test's own copy of the deployed sample and its keyring."""
    return copy_sandbox(sample_run[0], tmp_path)


@pytest.fixture
def fresh(tmp_path: Path) -> Sandbox:
    """This test's own undeployed copy of the sample (no keyring file yet)."""
    return fresh_sample(tmp_path / "sandbox")
