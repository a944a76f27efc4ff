"""Snapshots restore a tree exactly, whatever its file names sort like."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aim.errors import InputError
from aim.store.objects import ObjectStore
from aim.workflow import snapshot
from tests.treeutil import snapshot_tree


def test_names_sorting_before_the_dot_entry_are_restored_and_pruned(tmp_path: Path) -> None:
    tree, blobs = tmp_path / "tree", ObjectStore(tmp_path / "state")
    tree.mkdir()
    for name in ("-dash", "#hash", " space", "plain"):
        (tree / name).write_text(name)
    before = snapshot_tree(tree)
    entries = snapshot.capture(tree, blobs)
    assert entries[0]["path"] == "."
    (tree / "-dash").write_text("edited")
    (tree / "#hash").unlink()
    (tree / "+new").write_text("not captured")
    snapshot.restore(tree, entries, blobs)
    assert snapshot_tree(tree) == before


def test_a_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "pipe")
    with pytest.raises(InputError, match="pipe"):
        snapshot.capture(tree, ObjectStore(tmp_path / "state"))
