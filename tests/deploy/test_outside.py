"""A deploy never writes outside --root: a legacy folder or doc that a symlink leads out of the
workspace is refused (exit 2) in the dry run and the run, and nothing anywhere changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.clitool import assert_clean_error
from tests.deploy.deployutil import Sandbox, picture
from tests.treeutil import snapshot_tree

# what is moved out of the sample workspace and linked back in its place
LINKED = {
    "the AI_MANGER folder": "AI_MANGER",
    "AI_MANGER's README.md": "AI_MANGER/README.md",
    "the AUX_mcp-data folder": "AUX_mcp-data",
    "the docs folder": "docs",
    "the workspace README.md": "README.md",
}


def _link_out(sandbox: Sandbox, rel: str, outside: Path) -> Path:
    """Move ``rel`` to ``outside`` and put a symlink to it in its place; where it went."""
    target = outside / Path(rel).name
    shutil.move(str(sandbox.root / rel), target)
    (sandbox.root / rel).symlink_to(target)
    return target


@pytest.mark.parametrize("case", sorted(LINKED))
def test_deploy_refuses_a_symlink_out_of_the_root(fresh: Sandbox, tmp_path: Path,
                                                  case: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    rel = LINKED[case]
    _link_out(fresh, rel, outside)
    before, there = picture(fresh), snapshot_tree(outside)
    planned = assert_clean_error(fresh.deploy("--dry-run"), 2)
    ran = assert_clean_error(fresh.deploy(), 2)
    for message in (planned, ran):
        assert f"'{rel}' leads outside the workspace root" in message
        assert "replace the symlink" in message
    assert snapshot_tree(outside) == there
    assert picture(fresh) == before
    assert fresh.entries().get("aim", {}) == {}  # no secret was imported either


def test_rollback_after_a_refused_deploy_changes_nothing(fresh: Sandbox, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    _link_out(fresh, "AI_MANGER", outside)
    before, there = picture(fresh), snapshot_tree(outside)
    assert_clean_error(fresh.deploy(), 2)
    for args in ((), ("--force",)):
        fresh.aim("rollback", *args)
        assert snapshot_tree(outside) == there and picture(fresh) == before
