"""A rollback that stops says what happened and the one command that helps."""

from __future__ import annotations

import re

from tests.cli.clitool import aim
from tests.deploy.deployutil import Sandbox, picture

DEPLOY_RUN = re.compile(r"\d{8}T\d{6}\.\d{6}Z-deploy-[0-9a-f]{4}")


def _deploy_run(sandbox: Sandbox) -> str:
    runs = aim("runs", "--root", str(sandbox.root), env=sandbox.env).stdout
    return DEPLOY_RUN.findall(runs)[-1]


def test_a_refused_rollback_points_at_force_not_resume(deployed: Sandbox) -> None:
    (deployed.root / "README.md").write_text("the user's edit\n")
    refused = deployed.aim("rollback")
    assert refused.returncode == 1
    assert "changed after the run: README.md. Nothing was undone" in refused.stdout
    assert "again with --force" in refused.stdout
    assert "--resume" not in refused.stdout + refused.stderr
    assert (deployed.root / "README.md").read_text() == "the user's edit\n"


def test_a_rollback_cut_short_names_what_is_left_and_how_to_finish(
        deployed: Sandbox, undeployed: dict[str, tuple]) -> None:
    target = _deploy_run(deployed)
    cut = aim("rollback", "--root", str(deployed.root),
              env={**deployed.env, "AIM_FAULT_OSERROR": "EIO:*README.md"})
    assert cut.returncode == 1, cut.stdout + cut.stderr
    assert "could not put back README.md" in cut.stdout
    assert f"run 'aim rollback --run {target}' to finish it" in cut.stdout
    closing = cut.stdout.strip().splitlines()[-1]
    assert closing.startswith("the rollback stopped part-way: what it put back stays")
    assert "nothing was undone" not in cut.stdout and "--resume" not in cut.stdout
    finished = deployed.aim("rollback", "--run", target)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert picture(deployed) == undeployed
