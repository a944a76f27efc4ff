"""What a pass of undoing checkpoints left: the pre-images it could not put back, and whether
its records reached the journal.

A pre-image that cannot be put back (a read-only file, a full disk) does not stop the others;
the pass keeps it, and the caller names it with the command that finishes the undo.  Undoing is
idempotent, so running that command again goes on from where the pass stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aim.errors import CheckFailed
from aim.fsio import describe_os_error, remove_temps
from aim.store.objects import remove_leftovers
from aim.workflow.checkpoint import BLOBS, within
from aim.workflow.history import Checkpoint, RunState
from aim.workflow.journal import Journal


class RollbackIncomplete(CheckFailed):
    """Some pre-images could not be put back, or the rollback could not be recorded."""


@dataclass
class UndoPass:
    """One pass over checkpoints to undo: what was undone, what could not be, and whether
    every record of it reached the journal."""

    undone: list[Checkpoint] = field(default_factory=list)
    failed: list[tuple[Checkpoint, str]] = field(default_factory=list)
    recorded: bool = True

    def settle(self) -> None:
        """Forget failures that an older checkpoint of the same place, undone after them,
        made good (it restores that place to an earlier state, the one that counts)."""
        self.failed = [(cp, why) for cp, why in self.failed
                       if not any(_covers(old, cp) for old in self.undone if old.seq < cp.seq)]

    def problem(self, state: RunState, journal: Journal, again: str) -> str:
        """What is left to undo and the command ``again`` that finishes it ("" when none)."""
        by_reason: dict[str, list[str]] = {}
        for cp, why in self.failed:
            by_reason.setdefault(why, []).append(label(cp))
        problems = [f"could not put back {', '.join(dict.fromkeys(places))} ({why})"
                    for why, places in by_reason.items()]
        if not self.recorded and journal.error is not None:
            problems.append("could not record it in the run's journal: "
                            + describe_os_error(journal.error))
        if not problems:
            return ""
        return (f"run {state.run_id}: the undo is not complete: {'; '.join(problems)}. "
                f"Everything else is put back. Fix that, then run '{again}' to finish it (it "
                "goes on from where this one stopped)")

    def raise_if_incomplete(self, state: RunState, journal: Journal, again: str) -> None:
        """RollbackIncomplete when the pass left something (see :meth:`problem`)."""
        message = self.problem(state, journal, again)
        if message:
            raise RollbackIncomplete(message)


def _covers(old: Checkpoint, cp: Checkpoint) -> bool:
    """True when undoing ``old`` puts back everything that undoing ``cp`` would have."""
    if old.kind != cp.kind or cp.kind == "action":
        return False
    if cp.kind == "secret":
        return old.target == cp.target
    return within(cp.target, old.target)


def label(cp: Checkpoint) -> str:
    """How a checkpoint's place is named to the user."""
    if cp.kind == "secret":
        return f"keyring entry aim/{cp.target}"
    return f"{cp.target} (undo of step {cp.step})" if cp.kind == "action" else cp.target


def remove_run_temps(run_dir: Path) -> None:
    """Remove what writes into a run's own folder (reports, saved states) left half done, and
    what its captures left in the state folder (``runs/<id>``'s grandparent): object temps, a
    backup's staging folder."""
    remove_temps(run_dir)
    remove_temps(run_dir / BLOBS)
    remove_leftovers(run_dir.parent.parent)


def reason_of(err: Exception) -> str:
    """Why one pre-image could not be put back (without the path: the place is named)."""
    return describe_os_error(err, path=False) if isinstance(err, OSError) else str(err)
