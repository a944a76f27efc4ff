"""Read runs back from their journals: what ran, what it changed, where it stopped."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aim.errors import NotFound
from aim.workflow.journal import JOURNAL, read_journal, workflow_of
from aim.workspace import Workspace

FINISHED = ("success", "failed", "interrupted")
# what --resume picks up (a run whose rollback began is refused then, with what to do instead)
RESUMABLE = ("crashed", "failed", "interrupted", "rollback_incomplete")


@dataclass(frozen=True)
class Checkpoint:
    """Taken before a mutation: a path's state (by digest), a secret's slot, or an undo action.

    ``seq`` is the checkpoint's place among the run's checkpoints; an ``action`` checkpoint's
    ``target`` is the undo action's name, ``params`` its parameters and ``left`` how the
    change left things (None until it is made and settled).
    """

    step: str
    kind: str  # "path" | "secret" | "action"
    target: str
    state: str | None = None
    existed: bool = False
    slot: str | None = None
    params: dict[str, Any] | None = None
    seq: int = 0
    left: dict[str, Any] | None = None
    taken: str | None = None  # a path moved aside into the run's folder, there


@dataclass(frozen=True)
class StepRecord:
    """How one step ended."""

    id: str
    status: str
    reason: str
    duration: float
    outputs: dict[str, Any]


@dataclass
class RunState:
    """A run as its journal tells it (built once by :func:`load_run`, then only read)."""

    run_id: str
    run_dir: Path
    info: dict[str, Any] = field(default_factory=dict)
    status: str = "crashed"
    failed_step: str | None = None
    started: list[str] = field(default_factory=list)
    steps: dict[str, StepRecord] = field(default_factory=dict)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    expected: dict[str, str | None] = field(default_factory=dict)
    # (path, state digest or None while unknown) in journal order: what aim.workflow.expected
    # composes into how the run left each path
    layers: list[tuple[str, str | None]] = field(default_factory=list)
    path_targets: set[str] = field(default_factory=set)
    undone: set[str] = field(default_factory=set)
    consumed: set[int] = field(default_factory=set)  # action checkpoints already undone
    rolled_back_to: str | None = None
    rollback_pending: bool = False  # a rollback started and has not finished
    ended: str = ""  # when the run recorded its end

    @property
    def workflow(self) -> str:
        return str(self.info.get("workflow") or workflow_of(self.run_id))

    @property
    def undoable(self) -> bool:
        """True while a step that checkpointed something is not undone yet."""
        return any(cp.step not in self.undone for cp in self.checkpoints)

    @property
    def incomplete_step(self) -> str | None:
        """The step that started but never ended (the process died inside it)."""
        return next((s for s in reversed(self.started) if s not in self.steps), None)

    @property
    def cut_off(self) -> set[str]:
        """Every step that started and never ended: what they touched, the run was writing."""
        return set(self.started) - set(self.steps)

    def _apply(self, record: dict[str, Any]) -> None:
        kind = record.get("t")
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(record)

    def _on_run(self, record: dict[str, Any]) -> None:
        self.info = record

    def _on_step_start(self, record: dict[str, Any]) -> None:
        self.started.append(record["step"])

    def _on_checkpoint(self, record: dict[str, Any]) -> None:
        cp = Checkpoint(record["step"], record["kind"], record["target"], record.get("state"),
                        bool(record.get("existed")), record.get("slot"), record.get("params"),
                        len(self.checkpoints), taken=record.get("taken"))
        self.checkpoints.append(cp)
        if cp.kind == "path":
            self.expected[cp.target] = None  # unknown until the step ends
            self.layers.append((cp.target, None))
            self.path_targets.add(cp.target)

    def _on_settled(self, record: dict[str, Any]) -> None:
        for index in range(len(self.checkpoints) - 1, -1, -1):
            cp = self.checkpoints[index]
            if cp.step == record["step"] and cp.kind == "action":
                self.checkpoints[index] = replace(cp, left=record.get("left"))
                return

    def _on_step_end(self, record: dict[str, Any]) -> None:
        self.steps[record["step"]] = StepRecord(
            record["step"], record["status"], record.get("reason", ""),
            float(record.get("duration", 0.0)), record.get("outputs") or {})
        post = record.get("post") or {}
        self.expected.update(post)
        self.layers += [(rel, key) for rel, key in post.items() if rel in self.path_targets]

    def _on_run_end(self, record: dict[str, Any]) -> None:
        self.status = record["status"]
        self.failed_step = record.get("failed_step")
        self.ended = str(record.get("at", ""))

    def _on_rollback_start(self, record: dict[str, Any]) -> None:
        self.rollback_pending = True
        self.status = "rollback_incomplete"  # until its rollback_end says it is done

    def _on_undo(self, record: dict[str, Any]) -> None:
        if record.get("kind") == "action":
            # an undone external change stays undone: redoing it records a new checkpoint
            self.consumed.add(int(record["seq"]))
            return
        self.expected[record["target"]] = record.get("state")
        if record.get("kind") == "path":
            self.layers.append((record["target"], record.get("state")))

    def _on_rollback_end(self, record: dict[str, Any]) -> None:
        if record.get("status") != "done":  # some pre-images could not be put back: pending
            return
        self.rollback_pending = False
        self.undone.update(record.get("steps", []))
        self.rolled_back_to = record.get("to")
        self.status = "rolled_back" if not record.get("to") else "partly_rolled_back"


def load_run(ws: Workspace, run_id: str) -> RunState:
    """The run ``run_id``; NotFound names the known runs (the newest run is
    :func:`aim.workflow.run_index.find_run`)."""
    run_dir = ws.runs_dir / run_id
    if not (run_dir / JOURNAL).is_file():
        known = ", ".join(run_ids(ws)[-5:]) or "none"
        raise NotFound(f"no run {run_id!r} in {ws.runs_dir} (latest: {known}); "
                       "see 'aim runs'")
    # A journal without a record is a run killed as it started: crashed, nothing changed.
    state = RunState(run_id, run_dir)
    for record in read_journal(run_dir):
        state._apply(record)
    return state


def run_ids(ws: Workspace) -> list[str]:
    """Every run id in the workspace, oldest first."""
    if not ws.runs_dir.is_dir():
        return []
    return sorted(p.name for p in ws.runs_dir.iterdir() if (p / JOURNAL).is_file())


def list_runs(ws: Workspace) -> list[RunState]:
    """Every run, oldest first."""
    return [load_run(ws, run_id) for run_id in run_ids(ws)]
