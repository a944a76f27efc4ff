"""The object store: backups, a repeat backup, checkpoint + rollback and a 1 GB restore, each
beside the plain way to do the same work (``cp -a``, a ``find`` stat walk, ``cp``), measured in
alternating pairs in the same run.

The sizes are the ones the figures are judged at; for a quick look they can be made smaller
with ``AIM_BENCH_STORE_FILES`` (small files backed up, 10000), ``AIM_BENCH_STORE_MANY`` (files
checkpointed and rolled back, 100000), ``AIM_BENCH_STORE_BIG_MB`` (the large file, 1024) and
``AIM_BENCH_STORE_ROUNDS`` (pairs measured, 3); each figure's note says the size it was at.

The checkpoint pair runs in memory (``/dev/shm``, or ``AIM_BENCH_STORE_MANY_DIR``) when it can:
on a disk mounted with ``discard`` each removal of a written file costs milliseconds, which
the plain ``rm -rf`` and the clearing of the store between rounds would spend 100000 times
(the step itself moves the tree aside, see ``CheckpointStore.take``); in memory, what is
left is each side's own work.  Every round starts after an untimed ``sync``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import child_peak, in_turn, medians

FILES = int(os.environ.get("AIM_BENCH_STORE_FILES", "10000"))
MANY = int(os.environ.get("AIM_BENCH_STORE_MANY", "100000"))
BIG_MB = int(os.environ.get("AIM_BENCH_STORE_BIG_MB", "1024"))
ROUNDS = int(os.environ.get("AIM_BENCH_STORE_ROUNDS", "3"))
MANY_DIR = os.environ.get("AIM_BENCH_STORE_MANY_DIR", "/dev/shm")
PER_FOLDER = 100
AIM = [sys.executable, "-m", "aim"]


def make_tree(folder: Path, count: int) -> None:
    """``count`` small files of distinct content, ``PER_FOLDER`` to a folder."""
    for index in range(count):
        sub = folder / f"d{index // PER_FOLDER:04d}"
        if index % PER_FOLDER == 0:
            sub.mkdir(parents=True)
        (sub / f"f{index:06d}.txt").write_text(f"file {index}\n" * (1 + index % 40))


def sh(argv: list[str]) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def remove(*paths: Path) -> None:
    """Remove ``paths``, then flush every file system (untimed): the next measured action
    starts from a quiet disk and never pays for writing back what the one before it left
    (a ``syncfs`` of AIM+'s would otherwise flush the copy ``cp -a`` had just made)."""
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
    os.sync()


def backups(workdir: Path) -> list[dict[str, Any]]:
    """A first ``aim backup`` of FILES small files against ``cp -a``; then a repeat backup of
    the unchanged tree against a stat walk, with what it adds to the state folder."""
    from aim.fsio import folder_size

    ws = workdir / "backup-ws"
    make_tree(ws / "docs", FILES)
    state, copy = ws / ".aim", workdir / "backup-copy"
    backup = [*AIM, "backup", "--root", str(ws)]
    first = medians(in_turn({"aim": (lambda: sh(backup), lambda: remove(state)),
                             "cp": (lambda: sh(["cp", "-a", str(ws / "docs"), str(copy)]),
                                    lambda: remove(copy))}, ROUNDS))
    time.sleep(2.1)  # the index trusts only files older than its margin (2 s) when recorded
    sh(backup)  # the backup before the repeats: it records them
    sizes: list[int] = []  # the state folder's size before each repeat, and at the end

    walk = ["find", str(ws / "docs"), "-printf", "%s %T@ %C@ %i\\n"]
    repeat = medians(in_turn({"aim": (lambda: sh(backup),
                                      lambda: sizes.append(folder_size(state))),
                              "find": (lambda: sh(walk), None)}, ROUNDS))
    sizes.append(folder_size(state))
    growth = [after - before for before, after in itertools.pairwise(sizes)]
    grown = statistics.median(growth) / (1 << 20)
    return [
        {"name": f"aim backup, {FILES} small files: ratio to cp -a",
         "value": first["aim"] / first["cp"], "unit": "x", "target": 2.0,
         "note": f"aim backup {first['aim']:.2f} s, cp -a {first['cp']:.2f} s; medians of "
                 f"{ROUNDS} pairs, empty state folder each time"},
        {"name": f"aim backup again, {FILES} files unchanged", "value": repeat["aim"],
         "unit": "s", "target": 1.0,
         "note": f"a stat walk of the tree (find -printf): {repeat['find']:.3f} s; "
                 f"cp -a: {first['cp']:.2f} s"},
        {"name": "state folder growth per unchanged backup", "value": grown, "unit": "MB",
         "target": 1.0, "note": f"manifest, run journal, audit events; median of {ROUNDS}"},
    ]


def _checkpoint_and_rollback(ws: Any, workflow: Path) -> None:
    from aim.workflow.context import Hooks
    from aim.workflow.loader import load_workflow
    from aim.workflow.rollback import rollback_run
    from aim.workflow.runner import run_workflow

    result = run_workflow(ws, load_workflow(str(workflow)), hooks=Hooks())
    assert result.status == "success" and not (ws.root / "tree").exists()
    rollback_run(ws, result.run_id)


def checkpoints(workdir: Path) -> list[dict[str, Any]]:
    """The checkpoint pair, in memory when it can be (see the module's docstring)."""
    if not os.path.isdir(MANY_DIR):
        return _checkpoints(workdir, "on disk")
    with tempfile.TemporaryDirectory(prefix="aim-bench-store-", dir=MANY_DIR) as folder:
        return _checkpoints(Path(folder), f"in {MANY_DIR}")


def _checkpoints(workdir: Path, where: str) -> list[dict[str, Any]]:
    """A workflow whose one step checkpoints a tree of MANY files (and deletes it), then its
    rollback, against ``cp -a`` of the tree there and back (and ``rm -rf`` between)."""
    from aim.workspace import Workspace

    root = workdir / "cp-ws"
    make_tree(root / "tree", MANY)
    workflow = workdir / "drop.yaml"
    workflow.write_text("version: 1\nname: drop\nsteps:\n"
                        "  - {id: drop, uses: file.delete, with: {path: tree}}\n")
    ws = Workspace.at(root)
    tree, saved = root / "tree", workdir / "cp-saved"

    def plain() -> None:
        sh(["cp", "-a", str(tree), str(saved)])
        shutil.rmtree(tree)
        sh(["cp", "-a", str(saved), str(tree)])

    def one_way() -> None:
        sh(["cp", "-a", str(tree), str(saved)])

    times = medians(in_turn({
        "aim": (lambda: _checkpoint_and_rollback(ws, workflow), lambda: remove(ws.state_dir)),
        "cp": (plain, lambda: remove(saved)), "cp1": (one_way, lambda: remove(saved))}, ROUNDS))
    return [{"name": f"checkpoint + rollback, {MANY} files: ratio to cp -a",
             "value": times["aim"] / times["cp"], "unit": "x", "target": 3.0,
             "note": f"run + rollback {times['aim']:.1f} s; cp -a there and back "
                     f"{times['cp']:.1f} s; one cp -a {times['cp1']:.1f} s (ratio "
                     f"{times['aim'] / times['cp1']:.1f}x); empty store each time; {where}"}]


def big_restore(workdir: Path) -> list[dict[str, Any]]:
    """``aim restore`` of a BIG_MB file from a backup, its peak RSS beside ``cp``'s."""
    from aim.backup import create_backup
    from aim.workspace import Workspace

    root = workdir / "big-ws"
    (root / "docs").mkdir(parents=True)
    big = root / "docs" / "big.img"
    block = os.urandom(1 << 20)
    with open(big, "wb") as handle:
        for index in range(BIG_MB):
            handle.write(index.to_bytes(8, "big") + block[8:])
    backup = create_backup(Workspace.at(root), ["docs"]).id
    restore = [*AIM, "restore", "--root", str(root), "--backup", backup]
    copy = workdir / "big-copy.img"
    peaks: dict[str, list[float]] = {"aim": [], "cp": []}

    def peak(label: str, argv: list[str]) -> Callable[[], None]:
        """``argv`` run by :func:`child_peak`, its peak RSS kept: its seconds are timed from
        here, the start-up of the process that measures it included."""
        return lambda: peaks[label].append(child_peak(argv)[1])

    def changed() -> None:
        big.write_bytes(b"changed")

    def restored() -> None:
        assert big.stat().st_size == BIG_MB << 20
        copy.unlink(missing_ok=True)

    times = medians(in_turn({"aim": (peak("aim", restore), changed),
                             "cp": (peak("cp", ["cp", str(big), str(copy)]), restored)},
                            max(ROUNDS - 1, 1)))
    seconds, cp_seconds = times["aim"], times["cp"]
    rss, cp_rss = statistics.median(peaks["aim"]), statistics.median(peaks["cp"])
    return [{"name": f"aim restore of a {BIG_MB} MB file: peak RSS", "value": rss,
             "unit": "MB", "target": 100.0,
             "note": f"cp: {cp_rss:.1f} MB; time {seconds:.1f} s (verify, copy, re-hash) "
                     f"vs cp {cp_seconds:.1f} s"}]


def run(workdir: Path) -> list[dict[str, Any]]:
    return [*backups(workdir), *checkpoints(workdir), *big_restore(workdir)]
