"""The shared object store: each content once across backups and runs, an index that skips
unchanged files yet never trusts a changed one, and restores that stream large files."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from aim.backup import create_backup, restore_backup
from aim.errors import CheckFailed, InputError
from aim.store.objects import ObjectStore
from aim.workflow import snapshot
from aim.workflow.rollback import rollback_run
from aim.workspace import Workspace
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, run, write_workflow


def objects(ws: Workspace) -> list[Path]:
    return sorted(p for p in (ws.state_dir / "store" / "objects").rglob("*") if p.is_file())


def state_files(ws: Workspace) -> int:
    return sum(1 for p in ws.state_dir.rglob("*") if p.is_file())


def test_a_second_backup_of_the_same_tree_stores_no_content_again(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    first = create_backup(ws, ["a.txt", "sub"])
    stored = objects(ws)
    assert len(stored) == 5  # a.txt, b.txt, c.bin, and the saved states of a.txt and sub
    second = create_backup(ws, ["a.txt", "sub"])
    assert objects(ws) == stored
    assert not (ws.backups_dir / second.id / "blobs").exists()
    store = ws.state_dir / "store"  # private, as the whole state folder is
    assert {p.stat().st_mode & 0o777 for p in [store, *store.rglob("*")] if p.is_dir()} == {0o700}
    (ws.root / "a.txt").write_text("edited\n")
    restore_backup(ws, first.id)
    assert snapshot_tree(ws.root) == before


def test_a_backup_commits_the_store_once_before_its_manifest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path / "ws")
    manifests: list[list[Path]] = []  # the manifests there are as each commit starts
    commit = ObjectStore.commit

    def counted(store: ObjectStore) -> None:
        manifests.append(sorted(ws.state_dir.rglob("manifest.json")))
        commit(store)

    monkeypatch.setattr(ObjectStore, "commit", counted)
    backup = create_backup(ws, ["a.txt", "sub", "link"])
    assert manifests == [[]]
    assert len(objects(ws)) == 6  # a.txt, b.txt, c.bin, and the states of the three paths
    assert not list((ws.state_dir / "store" / "tmp").iterdir())
    (ws.root / "a.txt").write_text("edited\n")
    restore_backup(ws, backup.id)
    assert (ws.root / "a.txt").read_text() == "alpha\n"


def test_a_backup_that_fails_on_a_later_path_leaves_no_objects(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "sub" / "later").mkdir()
    os.mkfifo(ws.root / "sub" / "later" / "pipe")
    with pytest.raises(InputError, match="pipe"):
        create_backup(ws, ["a.txt", "sub/deep", "sub/later"])
    assert objects(ws) == []
    assert not list((ws.state_dir / "store" / "tmp").iterdir())
    assert not list(ws.backups_dir.iterdir())


def test_a_run_checkpoint_reuses_what_a_backup_stored(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    create_backup(ws, ["sub"])
    stored = objects(ws)
    wf = write_workflow(tmp_path, "drop", """
        version: 1
        name: drop
        steps:
          - {id: drop, uses: file.delete, with: {path: sub}}
    """)
    assert run(ws, wf).status == "success"
    assert not (ws.root / "sub").exists()
    assert objects(ws) == stored  # the run's pre-image of sub/ added no content
    rollback_run(ws)
    assert snapshot_tree(ws.root) == before


def test_the_index_skips_unchanged_files_and_survives_a_new_process(tmp_path: Path) -> None:
    tree = make_workspace(tmp_path / "ws").root / "sub"
    first = ObjectStore(tmp_path / "state", racy_ns=0)
    entries = snapshot.capture(tree, first)
    assert first.counts["unchanged"] == 0 and first.counts["new"] == 2
    again = ObjectStore(tmp_path / "state", racy_ns=0)  # reads the index from disk
    assert snapshot.capture(tree, again) == entries
    assert again.counts == {"files": 2, "unchanged": 2, "new": 0, "new_bytes": 0}


def test_a_file_changed_too_recently_is_hashed_again(tmp_path: Path) -> None:
    tree = make_workspace(tmp_path / "ws").root / "sub"
    snapshot.capture(tree, ObjectStore(tmp_path / "state"))
    again = ObjectStore(tmp_path / "state")  # the default margin: files just written
    snapshot.capture(tree, again)
    assert again.counts["unchanged"] == 0


def _same_size_and_mtime(path: Path, content: bytes, replace: bool) -> None:
    """Give ``path`` new bytes of the same size and set its mtime back as it was."""
    old = path.stat()
    assert len(content) == old.st_size
    time.sleep(0.05)  # past the file system clock's tick: the ctime moves
    if replace:  # an editor's save: a new file renamed over the old one (a new inode)
        fresh = path.with_name(path.name + ".new")
        fresh.write_bytes(content)
        os.replace(fresh, path)
    else:
        path.write_bytes(content)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    now = path.stat()
    assert (now.st_size, now.st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    assert (now.st_ctime_ns, now.st_ino) != (old.st_ctime_ns, old.st_ino)


def test_the_index_sees_a_change_that_keeps_size_and_mtime(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "edited").write_bytes(b"one")
    (tree / "replaced").write_bytes(b"uno")
    snapshot.capture(tree, ObjectStore(tmp_path / "state", racy_ns=0))
    _same_size_and_mtime(tree / "edited", b"two", replace=False)
    _same_size_and_mtime(tree / "replaced", b"dos", replace=True)
    store = ObjectStore(tmp_path / "state", racy_ns=0)
    entries = {e["path"]: e for e in snapshot.capture(tree, store)}
    assert entries["edited"]["sha256"] == hashlib.sha256(b"two").hexdigest()
    assert entries["replaced"]["sha256"] == hashlib.sha256(b"dos").hexdigest()
    assert store.counts["unchanged"] == 0


def test_a_torn_index_or_a_missing_object_costs_speed_not_correctness(tmp_path: Path) -> None:
    tree = make_workspace(tmp_path / "ws").root / "sub"
    before = snapshot_tree(tree)
    store = ObjectStore(tmp_path / "state", racy_ns=0)
    entries = snapshot.capture(tree, store)
    index = tmp_path / "state" / "store" / "index.json"
    index.write_bytes(index.read_bytes()[:40])  # torn
    torn = ObjectStore(tmp_path / "state", racy_ns=0)
    assert snapshot.capture(tree, torn) == entries and torn.counts["unchanged"] == 0
    lost = store.object_path(entries[-1]["sha256"])
    lost.unlink()  # the index still names it
    again = ObjectStore(tmp_path / "state", racy_ns=0)
    assert snapshot.capture(tree, again) == entries and lost.is_file()
    (tree / "b.txt").write_text("changed\n")
    snapshot.restore(tree, entries, again)
    assert snapshot_tree(tree) == before


def test_a_large_sparse_file_is_restored_byte_identical_in_bounded_memory(
        tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    big = ws.root / "big.img"
    with open(big, "wb") as handle:  # 64 MB, mostly a hole, data at both ends
        handle.write(b"start" * 1000)
        handle.seek(64 << 20)
        handle.write(b"end")
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    backup = create_backup(ws, ["big.img"])
    big.write_bytes(b"overwritten")
    tracemalloc.start()
    try:
        restore_backup(ws, backup.id)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert hashlib.sha256(big.read_bytes()).hexdigest() == digest
    assert peak < 16 << 20  # chunks, never the whole file


def test_a_damaged_object_is_caught_before_it_replaces_a_file(tmp_path: Path) -> None:
    tree = make_workspace(tmp_path / "ws").root / "sub"
    store = ObjectStore(tmp_path / "state")
    entries = snapshot.capture(tree, store)
    saved = next(e for e in entries if e["path"] == "b.txt")
    damaged = store.object_path(saved["sha256"])
    damaged.chmod(0o600)
    damaged.write_bytes(b"bit rot")
    (tree / "b.txt").write_text("edited\n")
    with pytest.raises(CheckFailed, match="damaged"):
        snapshot.restore(tree, entries, store)
    assert (tree / "b.txt").read_text() == "edited\n"  # left as it was, not the rot
    assert not [p for p in tree.iterdir() if p.name.endswith(".tmp")]


def test_a_deleted_tree_comes_back_with_its_modes_links_and_nested_folders(
        tmp_path: Path) -> None:
    # every folder is new to the restore: its files are written straight in, no temp files
    tree = make_workspace(tmp_path / "ws").root / "sub"
    (tree / "deep" / "ro.txt").write_text("read-only\n")
    (tree / "deep" / "ro.txt").chmod(0o444)
    (tree / "deep" / "locked").mkdir(mode=0o500)
    (tree / "deep" / "up").symlink_to("../b.txt")
    before = snapshot_tree(tree)
    store = ObjectStore(tmp_path / "state")
    entries = snapshot.capture(tree, store)
    (tree / "deep" / "locked").chmod(0o700)
    shutil.rmtree(tree)
    assert snapshot.restore(tree, entries, store)
    assert snapshot_tree(tree) == before


def test_a_damaged_object_in_a_deleted_tree_is_named_and_leaves_no_partial_file(
        tmp_path: Path) -> None:
    tree = make_workspace(tmp_path / "ws").root / "sub"
    store = ObjectStore(tmp_path / "state")
    entries = snapshot.capture(tree, store)
    saved = next(e for e in entries if e["path"] == "deep/c.bin")
    store.object_path(saved["sha256"]).chmod(0o600)
    store.object_path(saved["sha256"]).write_bytes(b"bit rot")
    shutil.rmtree(tree)
    with pytest.raises(CheckFailed, match=r"c\.bin: not restored, the saved copy is damaged"):
        snapshot.restore(tree, entries, store)
    assert not (tree / "deep" / "c.bin").exists()


def test_a_restore_cut_short_in_a_new_folder_is_finished_by_the_next_one(
        tmp_path: Path) -> None:
    tree = make_workspace(tmp_path / "ws").root / "sub"
    before = snapshot_tree(tree)
    store = ObjectStore(tmp_path / "state")
    entries = snapshot.capture(tree, store)
    shutil.rmtree(tree)
    (tree / "deep").mkdir(parents=True)  # what a restore killed mid-write leaves:
    (tree / "deep" / "c.bin").write_bytes(b"\x00\x01")  # a file cut short, no b.txt yet
    assert snapshot.restore(tree, entries, store)
    assert snapshot_tree(tree) == before


def test_a_cloned_large_file_is_hashed_from_the_clone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a file system with reflinks (btrfs, XFS): the clone is what the store keeps, so its
    # hash is read from the clone, never from a source that may change meanwhile
    def clone_then_change_the_source(src: Any, dst: Any) -> bool:
        shutil.copyfileobj(src, dst)
        dst.flush()
        big.write_bytes(b"changed under the capture")
        return True

    monkeypatch.setattr("aim.filecopy.reflink", clone_then_change_the_source)
    big = tmp_path / "tree" / "big.bin"
    big.parent.mkdir()
    content = os.urandom(3 << 20)
    big.write_bytes(content)
    store = ObjectStore(tmp_path / "state")
    [entry] = [e for e in snapshot.capture(big.parent, store) if e["path"] == "big.bin"]
    assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry["size"] == len(content)
    assert store.object_path(entry["sha256"]).read_bytes() == content
