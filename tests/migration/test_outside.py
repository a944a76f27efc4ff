"""Legacy configs that a symlink (or registry_path) puts outside --root are refused, exit 2,
before anything changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.clitool import assert_clean_error
from tests.migration.migutil import Sandbox
from tests.treeutil import snapshot_tree

FIRSTGEN = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "firstgen"


def _refused(box: Sandbox, *args: str) -> str:
    """``aim migrate ARGS``, dry run and run, both exit 2; their messages."""
    return (assert_clean_error(box.migrate("--dry-run", *args), 2)
            + assert_clean_error(box.migrate(*args), 2))


def test_a_linked_ai_manger_is_refused(box: Sandbox, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "AI_MANGER"
    shutil.move(str(box.root / "AI_MANGER"), outside.parent.mkdir() or outside)
    (box.root / "AI_MANGER").symlink_to(outside)
    before, there = box.tree(), snapshot_tree(outside)
    message = _refused(box)
    assert "the legacy folder 'AI_MANGER' leads outside the workspace root" in message
    assert "--legacy" in message
    assert box.tree() == before and snapshot_tree(outside) == there
    assert box.entries() == {}


def _firstgen(box: Sandbox) -> None:
    for folder in ("aim", "config"):
        shutil.copytree(FIRSTGEN / folder, box.root / folder, dirs_exist_ok=True)


def test_a_linked_first_generation_config_is_refused(box: Sandbox, tmp_path: Path) -> None:
    _firstgen(box)
    outside = tmp_path / "shared-config"
    shutil.move(str(box.root / "config"), outside)
    (box.root / "config").symlink_to(outside)
    before, there = box.tree(), snapshot_tree(outside)
    message = _refused(box)
    assert "'config/aim_config.yaml' leads outside the workspace root" in message
    assert box.tree() == before and snapshot_tree(outside) == there


def test_a_registry_path_outside_the_root_is_refused(box: Sandbox, tmp_path: Path) -> None:
    _firstgen(box)
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.move(str(box.root / "aim" / "config" / "aim_config.json"), shared / "registry.json")
    yaml_file = box.root / "config" / "aim_config.yaml"
    yaml_file.write_text(yaml_file.read_text("utf-8").replace(
        "registry_path: aim/config/aim_config.json", "registry_path: ../shared/registry.json"),
        "utf-8")
    before, there = box.tree(), snapshot_tree(shared)
    message = _refused(box)
    assert "registry_path '../shared/registry.json' names a file outside the workspace" in message
    assert box.tree() == before and snapshot_tree(shared) == there
