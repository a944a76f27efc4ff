"""What a run records and shows about itself: its start, each step's end, progress lines.

A step's end is journaled with the state its paths were left in, and audited.  A step whose
end cannot be recorded (a full disk under the state folder) did not succeed: a resume would
not know it was done, and a rollback could not tell the run's changes from later edits.  It
becomes a failure, journaled without post-states if the journal still takes it, so that the
run fails and is rolled back like any failed step.  Progress lines are the opposite: output
that fails (a closed pipe, a terminal gone) never stops a run.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from aim.fsio import describe_os_error, sha256_file
from aim.workflow.checkpoint import CheckpointStore
from aim.workflow.context import Hooks
from aim.workflow.journal import Journal
from aim.workflow.model import Workflow
from aim.workflow.results import StepResult, StepStatus


class StepRecorder:
    """Journals and audits the start (or resume) of one run and the end of each step."""

    def __init__(self, journal: Journal, store: CheckpointStore, hooks: Hooks,
                 run_id: str) -> None:
        self.journal, self.store, self.hooks, self.run_id = journal, store, hooks, run_id

    def start(self, wf: Workflow, root: str, inputs: Mapping[str, Any], command: str) -> None:
        """The run's first record: what runs, where, with which inputs, by which process."""
        self.journal.write(
            "run", run_id=self.run_id, workflow=wf.name, file=str(wf.path),
            file_sha256=sha256_file(wf.path), root=root, inputs=dict(inputs), pid=os.getpid(),
            host=socket.gethostname(), command=command, on_failure=wf.on_failure)
        self.hooks.audit("run", self.run_id, {"event": "start", "workflow": wf.name})

    def resume(self, workflow: str, command: str) -> None:
        """A resume of the run by this process."""
        self.journal.write("resume", pid=os.getpid(), command=command)
        self.hooks.audit("run", self.run_id, {"event": "resume", "workflow": workflow})

    def end(self, result: StepResult) -> StepResult:
        """Record ``result``; the result as recorded (a failure if recording failed)."""
        try:
            self._record(result, post=True)
        except OSError as err:
            return self._unrecorded(result, err)
        return result

    def _record(self, result: StepResult, post: bool) -> None:
        post_states = self.store.post_states() if post and (
            result.status != StepStatus.SKIPPED) else {}
        self.journal.write("step_end", step=result.id, status=result.status.value,
                           reason=result.reason, duration=round(result.duration, 6),
                           outputs=result.outputs, post=post_states, attempts=result.attempts)
        self.hooks.audit("step", self.run_id, {"step": result.id,
                                               "status": result.status.value,
                                               "reason": result.reason})

    def _unrecorded(self, result: StepResult, err: OSError) -> StepResult:
        why = f"its end could not be recorded: {describe_os_error(err)}"
        if result.status == StepStatus.SUCCESS:
            result = replace(result, status=StepStatus.FAILED, reason=why, exit_code=1)
        elif result.status != StepStatus.SKIPPED:
            result = replace(result, reason=f"{result.reason}; {why}")
        try:
            self._record(result, post=False)
        except OSError as again:
            self.journal.error = self.journal.error or again
        return result


def never_failing(progress: Callable[[str], None]) -> Callable[[str], None]:
    """``progress`` that never stops a run: once output fails (a closed pipe, a gone
    terminal), the run goes on without it, and finishes or rolls back."""
    broken = False

    def show(line: str) -> None:
        nonlocal broken
        if not broken:
            try:
                progress(line)
            except OSError:
                broken = True

    return show
