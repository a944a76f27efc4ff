"""Retention and ``aim prune``: drop the backups and runs the policy lets go, then every stored
object that no kept backup or run refers to.

The policy (``retention`` in aim_config.json, :class:`aim.config.model.RetentionSettings`)
keeps the newest ``keep_backups`` backups and the newest ``keep_runs`` runs.  An older run is
kept all the same while it can still be rolled back (unless ``prune_rollbackable``), and always
while the keyring holds copies of secrets for it (``aim secrets.prune`` releases those).

Everything happens under the workspace lock, so no run writes objects meanwhile.  Which objects
are referenced is read from what is kept *before* anything is removed; a backup or run folder
is first renamed into ``store/trash/`` (one atomic step: a crash never leaves half of one where
it is looked for) and then deleted.  A crash at any point leaves only unreferenced files, which
the next prune removes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aim.audit.trail import open_trail
from aim.backup import backup_ids
from aim.config.load import config_path, load_config
from aim.config.model import RetentionSettings
from aim.fsio import folder_size
from aim.store.objects import ObjectStore, leftovers, store_for
from aim.store.refs import backup_refs, run_refs
from aim.workflow.history import RunState, list_runs, run_ids
from aim.workflow.lock import WorkspaceLock
from aim.workflow.secret_copies import copies_of
from aim.workspace import Workspace

TRASH = "trash"


@dataclass(frozen=True)
class Item:
    """Something prune removed (or would), or an old run it keeps, with why."""

    kind: str  # "backup" | "run" | "objects" | "leftovers"
    name: str
    bytes: int
    reason: str

    @property
    def label(self) -> str:
        """How it is named to the user: ``backup ID``, ``run ID``, ``12 objects``."""
        return f"{self.kind} {self.name}" if self.kind in ("backup", "run") else self.name


@dataclass(frozen=True)
class PruneResult:
    """What a prune removed (``dry_run``: would remove) and the old runs it kept."""

    dry_run: bool
    removed: tuple[Item, ...]
    kept: tuple[Item, ...]
    state_size: int  # the state folder's size after the prune (now, for a dry run)

    @property
    def freed(self) -> int:
        return sum(item.bytes for item in self.removed)

    def to_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "freed": self.freed, "state_size": self.state_size,
                "removed": [asdict(i) for i in self.removed],
                "kept": [asdict(i) for i in self.kept]}


def retention(ws: Workspace) -> RetentionSettings:
    """The workspace's retention policy (the defaults when it has no aim_config.json)."""
    if not config_path(ws).is_file():
        return RetentionSettings()
    return load_config(ws).retention


def can_roll_back(state: RunState) -> bool:
    """True while some change of the run has not been undone (or a rollback is pending)."""
    return state.rollback_pending or any(
        cp.step not in state.undone and not (cp.kind == "action" and cp.seq in state.consumed)
        for cp in state.checkpoints)


def _run_verdict(state: RunState, policy: RetentionSettings) -> str:
    """Why an old run is kept ('' when it may go)."""
    if any(copy.released is None for copy in copies_of(state)):
        return ("the keyring holds copies of secrets for it; 'aim secrets.prune' releases "
                "them once they are no longer needed")
    if can_roll_back(state) and not policy.prune_rollbackable:
        return (f"it can still be rolled back (aim rollback --run {state.run_id}); "
                "retention.prune_rollbackable lets such runs go")
    return ""


def choose_runs(ws: Workspace, policy: RetentionSettings) -> tuple[list[Item], list[Item]]:
    """(runs to remove, older runs kept), oldest first."""
    states = list_runs(ws)
    older = states[:max(len(states) - policy.keep_runs, 0)]
    go, kept = [], []
    for state in older:
        why = _run_verdict(state, policy)
        size = folder_size(state.run_dir)
        if why:
            kept.append(Item("run", state.run_id, size, why))
        else:
            go.append(Item("run", state.run_id, size,
                           f"{state.status}, older than the newest {policy.keep_runs} runs"))
    return go, kept


def choose_backups(ws: Workspace, policy: RetentionSettings) -> list[Item]:
    """The backups to remove, oldest first."""
    if policy.keep_backups is None:
        return []
    ids = backup_ids(ws)
    return [Item("backup", bid, folder_size(ws.backups_dir / bid),
                 f"older than the newest {policy.keep_backups} backups")
            for bid in ids[:max(len(ids) - policy.keep_backups, 0)]]


def _referenced(ws: Workspace, gone: set[tuple[str, str]]) -> set[str]:
    """Every object a backup or run that stays refers to."""
    found: set[str] = set()
    for bid in backup_ids(ws):
        if ("backup", bid) not in gone:
            found |= backup_refs(ws, bid)
    for rid in run_ids(ws):
        if ("run", rid) not in gone:
            found |= run_refs(ws, rid)
    return found


def _leftovers(ws: Workspace, store: ObjectStore) -> list[Path]:
    """What interrupted writes left: object temps, half-made backups, the trash."""
    return [*leftovers(ws.state_dir), *_children(store.root / TRASH)]


def _children(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _size(path: Path) -> int:
    return folder_size(path) if path.is_dir() else path.lstat().st_size


def _discard(path: Path, trash: Path) -> None:
    """Remove a file or folder; a folder is first moved into ``trash`` in one rename."""
    if not path.is_dir() or path.is_symlink():
        path.unlink(missing_ok=True)
        return
    if trash not in path.parents:
        trash.mkdir(mode=0o700, parents=True, exist_ok=True)
        moved = trash / f"{path.parent.name}-{path.name}"
        os.replace(path, moved)
        path = moved
    shutil.rmtree(path)


def _sweep(store: ObjectStore, keep: set[str], dry_run: bool) -> list[Item]:
    """Remove (or count) the objects not in ``keep``; the index forgets them too."""
    count = size = 0
    for sha, path in list(store.stored()):
        if sha not in keep:
            count, size = count + 1, size + path.stat().st_size
            if not dry_run:
                path.unlink()
                with contextlib.suppress(OSError):  # still holds other objects
                    path.parent.rmdir()
    if not dry_run and count:
        store.index.keep_only(store.known)
        store.index.save(force=True)
    return [Item("objects", f"{count} objects", size, "no kept backup or run refers to them")
            ] if count else []


def prune(ws: Workspace, dry_run: bool = False,
          policy: RetentionSettings | None = None) -> PruneResult:
    """Remove what ``policy`` (default: the workspace's) lets go and every object nothing kept
    refers to, under the workspace lock; with ``dry_run`` only say what would go."""
    policy = policy or retention(ws)
    with WorkspaceLock(ws, "aim prune"):
        runs, kept = choose_runs(ws, policy)
        chosen = [*choose_backups(ws, policy), *runs]
        store = store_for(ws.state_dir)
        keep = _referenced(ws, {(item.kind, item.name) for item in chosen})
        leftovers = _leftovers(ws, store)
        removed = [*chosen, *([Item("leftovers", f"{len(leftovers)} files and folders",
                                    sum(map(_size, leftovers)), "left by interrupted writes")]
                              if leftovers else [])]
        if not dry_run:
            _remove(ws, chosen, leftovers, store.root / TRASH)
        removed += _sweep(store, keep, dry_run)
        result = PruneResult(dry_run, tuple(removed), tuple(kept), folder_size(ws.state_dir))
        if removed and not dry_run:  # what went, for whoever looks for a backup later
            with open_trail(ws) as log:
                log.append("prune", details={"removed": [item.label for item in removed],
                                             "freed": result.freed})
    return result


def _remove(ws: Workspace, chosen: Iterable[Item], leftovers: Iterable[Path],
            trash: Path) -> None:
    for item in chosen:
        folder = ws.backups_dir if item.kind == "backup" else ws.runs_dir
        _discard(folder / item.name, trash)
    for path in leftovers:
        _discard(path, trash)
