"""Run a workflow: lock, journal, pre-flight, steps with checkpoints, rollback on failure.

The flow of one run::

    lock → journal "run" → pre-flight checks → each step: journal "step_start",
    checkpoints (journaled before each mutation), action, journal "step_end" with the state it
    left → journal "run_end" → on failure with ``on_failure: rollback``, undo every step.

A step marked ``always`` runs even after a failure (before the rollback, so its changes are
undone with the rest) and sees ``run.status`` and ``run.failed_step``.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aim.checks import CheckResult, step_line
from aim.errors import AimError, ExitCode, StepFailed
from aim.frozen import thaw
from aim.fsio import describe_os_error
from aim.redact import redact
from aim.secrets.envvars import workspace_env
from aim.workflow import expressions as expr
from aim.workflow import run_index
from aim.workflow.checkpoint import CheckpointStore
from aim.workflow.context import Hooks, StepContext
from aim.workflow.history import RunState, load_run
from aim.workflow.journal import Journal, new_run_id, read_journal
from aim.workflow.lock import WorkspaceLock
from aim.workflow.model import SYNC_STEP, Step, Workflow
from aim.workflow.recorder import StepRecorder, never_failing
from aim.workflow.results import RunResult, StepResult, StepStatus
from aim.workflow.resume import check_resumable, undo_unfinished
from aim.workflow.rollback import undo, undo_steps
from aim.workflow.steps import call_action, check_fail_at, elapsed
from aim.workflow.timeout import sigterm_as_interrupt
from aim.workflow.undone import RollbackIncomplete
from aim.workspace import Workspace


class Interrupted(AimError):
    """The run was interrupted (Ctrl-C or SIGTERM); it was rolled back where the file says so."""

    exit_code = ExitCode.INTERRUPTED


@dataclass(frozen=True)
class RunOptions:
    """How to run: task flags as ``inputs``, ``--fail-at``, the command line for the lock."""

    inputs: Mapping[str, Any] = field(default_factory=dict)
    fail_at: str | None = None
    command: str = "aim workflow.run"


class _Run:
    """The state of one run while it executes."""

    def __init__(self, ws: Workspace, wf: Workflow, run_id: str, options: RunOptions,
                 hooks: Hooks, resumed: RunState | None) -> None:
        self.ws, self.wf, self.run_id, self.options = ws, wf, run_id, options
        self.hooks = replace(hooks, progress=never_failing(hooks.progress),
                             started=never_failing(hooks.started),
                             output=never_failing(hooks.output))
        self.journal = Journal(ws.runs_dir / run_id)
        self.store = CheckpointStore(ws, self.journal, run_id, hooks.secret_store)
        self.recorder = StepRecorder(self.journal, self.store, self.hooks, run_id)
        self.resumed = resumed
        self.results: list[StepResult] = []
        self.failed_step: str | None = None
        self.reason = ""
        self.interrupted = False
        self.unrestored = ""  # why the rollback at the end is not complete
        if resumed is not None:
            self.store.paths = list(dict.fromkeys(
                c.target for c in resumed.checkpoints if c.kind == "path"))

    # -- scope -------------------------------------------------------------------------------

    def run_scope(self) -> dict[str, Any]:
        status = "interrupted" if self.interrupted else ("failed" if self.failed_step else
                                                         "running")
        return {"id": self.run_id, "root": str(self.ws.root), "state_dir": str(self.ws.state_dir),
                "status": status, "failed_step": self.failed_step, "workflow": self.wf.name}

    def scope_for(self, wf: Workflow) -> dict[str, Any]:
        base = {"inputs": dict(self.options.inputs), "env": workspace_env(self.ws.root),
                "run": self.run_scope(), "steps": {}}
        base["vars"] = expr.resolve(thaw(wf.vars), base)
        return base

    # -- steps -------------------------------------------------------------------------------

    def run_steps(self, wf: Workflow, prefix: str, scope: dict[str, Any]) -> str | None:
        """Run ``wf``'s steps; return the id of the step that failed the run, if any."""
        failed: str | None = None
        for step in wf.steps:
            qid = prefix + step.id
            if self.interrupted or (failed and not step.always):
                why = "interrupted" if self.interrupted else f"skipped: step {failed} failed"
                result = self.finish_step(qid, StepStatus.SKIPPED, why, time.monotonic(), {})
            else:
                scope["run"] = self.run_scope()
                result = self.run_step(step, qid, scope)
            scope["steps"][step.id] = {"outputs": result.outputs, "status": result.status.value}
            if result.status in (StepStatus.FAILED, StepStatus.ABORTED) and not (
                    step.continue_on_error and result.status == StepStatus.FAILED):
                failed = failed or qid
                self.failed_step = self.failed_step or qid
                self.reason = self.reason or result.reason
        return failed

    def run_step(self, step: Step, qid: str, scope: dict[str, Any]) -> StepResult:
        done = self.resumed.steps.get(qid) if self.resumed else None
        if done is not None and (done.status == "success" or done.reason == "when: false"):
            result = StepResult(qid, StepStatus(done.status), "done before the resume",
                                done.duration, done.outputs)
            self.results.append(result)
            return result
        started = time.monotonic()
        try:
            return self.start_step(step, qid, scope, started)
        except OSError as err:  # a full disk, a read-only file: the step failed
            return self.finish_step(qid, StepStatus.FAILED, describe_os_error(err), started, {})

    def start_step(self, step: Step, qid: str, scope: dict[str, Any],
                   started: float) -> StepResult:
        self.journal.note("step_start", step=qid)  # made durable by its checkpoints or end
        self.store.begin(qid)
        self.hooks.started(qid)
        if step.when is not None and not expr.truthy(expr.resolve(step.when, scope)):
            return self.finish_step(qid, StepStatus.SKIPPED, "when: false", started, {})
        if step.workflow is not None:
            child_scope = self.scope_for(step.workflow)
            failed = self.run_steps(step.workflow, qid + ".", child_scope)
            outputs = {k: v["outputs"] for k, v in child_scope["steps"].items()}
            why = f"step {failed} failed" if failed else (
                f"step {qid}: failure injected by --fail-at" if self.options.fail_at == qid
                else "")
            status = StepStatus.FAILED if why else StepStatus.SUCCESS
            return self.finish_step(qid, status, why, started, outputs)
        return self.run_action(step, qid, scope, started)

    def run_action(self, step: Step, qid: str, scope: dict[str, Any],
                   started: float) -> StepResult:
        assert step.uses is not None
        params = expr.resolve(thaw(step.params), scope)
        ctx = StepContext(self.ws, self.run_id, qid, self.store, self.hooks, scope["run"])
        for attempt in range(1, step.retries + 2):
            try:
                outputs = call_action(ctx, step.uses, params, step.timeout,
                                      self.options.fail_at == qid,
                                      self.journal.run_dir / "errors.log")
                return self.finish_step(qid, StepStatus.SUCCESS, "", started, outputs, attempt)
            except KeyboardInterrupt:
                self.interrupted = True
                return self.finish_step(qid, StepStatus.ABORTED, "interrupted", started, {},
                                        attempt)
            except AimError as err:
                if attempt > step.retries:
                    return self.finish_step(qid, StepStatus.FAILED, str(err), started, {},
                                            attempt, int(err.exit_code))
                self.hooks.progress(f"{qid}: attempt {attempt} failed ({err}); retrying")
                left = self.undo_step(qid)
                if left:
                    return self.finish_step(qid, StepStatus.FAILED, f"{err}; {left}", started,
                                            {}, attempt)
                self.store.begin(qid)
        raise AssertionError("unreachable")

    def undo_step(self, qid: str) -> str:
        """Put back what a failed attempt of ``qid`` changed, before it is tried again; why
        that could not be done completely, if it could not."""

        state = load_run(self.ws, self.run_id)
        done = undo_steps(self.ws, state, self.journal, self.hooks, {qid})
        left = done.problem(state, self.journal, f"aim rollback --run {self.run_id}")
        return f"cannot retry it: {left}" if left else ""

    def finish_step(self, qid: str, status: StepStatus, reason: str, started: float,
                    outputs: dict[str, Any], attempts: int = 1, code: int = 0) -> StepResult:
        reason = redact(reason)
        code = code or (1 if status == StepStatus.FAILED else 0)
        result = StepResult(qid, status, reason, elapsed(started), outputs, attempts, code)
        result = self.recorder.end(result)
        self.hooks.progress(step_line(qid, result.status.value, result.reason, outputs))
        self.results.append(result)
        return result

    # -- the run -----------------------------------------------------------------------------

    def preflight(self, after_sync: bool = False) -> list[CheckResult]:
        """Run the checks; with ``sync: true`` the drift check waits for the sync step."""
        sync = self.wf.preflight.get("sync") is True
        outcomes = []
        for check, mode in self.wf.preflight.items():
            if mode in ("skip", False) or check == "sync" or (
                    sync and check == "drift") != after_sync:
                continue
            outcome = self.hooks.preflight(check, mode, self.ws)
            outcomes.append(outcome)
            self.journal.write("preflight", check=check, mode=mode, status=outcome.status,
                               summary=outcome.summary)
            self.hooks.audit("preflight", self.run_id, {"check": check, "mode": mode,
                                                        "status": outcome.status,
                                                        "summary": outcome.summary})
            if outcome.status == "fail" and mode == "fail":
                self.failed_step = f"preflight.{check}"
                self.reason = outcome.summary
        return outcomes

    def start(self) -> None:
        self.recorder.start(self.wf, str(self.ws.root), self.options.inputs,
                            self.options.command)

    def execute(self) -> RunResult:
        started = time.monotonic()
        self.begin()
        outcomes: list[CheckResult] = []
        try:
            outcomes = self.preflight()
        except OSError as err:  # the journal or the audit trail cannot be written
            self.fail_outside_steps("preflight", err)
        with sigterm_as_interrupt():
            try:
                if not self.failed_step and self.wf.preflight.get("sync") is True:
                    self.run_sync()
                    outcomes += [] if self.failed_step else self.preflight(after_sync=True)
                if not self.failed_step:
                    self.run_steps(self.wf, "", self.scope_for(self.wf))
            except KeyboardInterrupt:
                self.interrupted = True
                self.failed_step = self.failed_step or "(between steps)"
            except OSError as err:
                self.fail_outside_steps("(between steps)", err)
        return self.end(started, tuple(outcomes))

    def begin(self) -> None:
        """Journal the run's start (or resume); StepFailed when even that cannot be written."""
        try:
            run_index.note_open(self.ws, self.run_id, new=self.resumed is None)
            if self.resumed is None or not self.resumed.info:  # nothing recorded: start afresh
                self.start()
            else:
                self.prepare_resume(self.resumed)
        except OSError as err:
            self.journal.close()
            if not read_journal(self.journal.run_dir):  # nothing happened: no run to list
                shutil.rmtree(self.journal.run_dir, ignore_errors=True)
            raise StepFailed(f"run {self.run_id} could not start: {describe_os_error(err)}. "
                             "Nothing was changed") from err
        except BaseException:
            self.journal.close()
            raise

    def fail_outside_steps(self, where: str, err: OSError) -> None:
        self.failed_step = self.failed_step or where
        self.reason = self.reason or describe_os_error(err)

    def run_sync(self) -> None:
        """``preflight: {sync: true}``: install the pinned versions as a checkpointed step."""
        result = self.run_step(SYNC_STEP, SYNC_STEP.id, self.scope_for(self.wf))
        if result.status in (StepStatus.FAILED, StepStatus.ABORTED):
            self.failed_step, self.reason = SYNC_STEP.id, result.reason

    def prepare_resume(self, state: RunState) -> None:
        self.recorder.resume(self.wf.name, self.options.command)
        undo_unfinished(self.ws, state, self.journal, self.hooks)

    def end(self, started: float, outcomes: tuple[CheckResult, ...]) -> RunResult:
        status = "interrupted" if self.interrupted else ("failed" if self.failed_step else
                                                         "success")
        if not self.journal.try_write("run_end", status=status, failed_step=self.failed_step,
                                      reason=self.reason) and status == "success":
            # a run that cannot record its end is not known to be done: undo it
            status = "failed"
            self.fail_outside_steps("(run end)", self.journal.error or OSError())
        with contextlib.suppress(OSError):  # the journal has the end; the trail may lack it
            self.hooks.audit("run", self.run_id, {"event": "end", "status": status,
                                                  "failed_step": self.failed_step})
        rolled_back = status != "success" and self.wf.on_failure == "rollback"
        try:
            state = load_run(self.ws, self.run_id)
            if rolled_back:
                self.hooks.progress(f"run {status}: rolling back")
                rolled_back = self.roll_back(state)
        finally:
            self.journal.close()
            run_index.note_closed(self.ws, self.run_id)
        return RunResult(self.run_id, self.wf.name, status, tuple(self.results),
                         elapsed(started), self.failed_step, self.reason, rolled_back, outcomes,
                         bool(state.checkpoints), self.unrestored)

    def roll_back(self, state: RunState) -> bool:
        """Undo the run; False (and why in ``unrestored``) when that is not complete."""
        try:
            undo(self.ws, state, self.journal, self.hooks)
        except RollbackIncomplete as err:
            self.unrestored = str(err)
            return False
        return True


def run_workflow(ws: Workspace, wf: Workflow, options: RunOptions | None = None,
                 hooks: Hooks | None = None) -> RunResult:
    """Run ``wf`` in ``ws`` holding the workspace lock; Interrupted after Ctrl-C/SIGTERM."""
    options, hooks = options or RunOptions(), hooks or Hooks()
    check_fail_at(wf, options.fail_at)
    run_id = new_run_id(wf.name)
    with WorkspaceLock(ws, options.command, run_id):
        result = _Run(ws, wf, run_id, options, hooks, None).execute()
    return _raise_if_interrupted(result)


def resume_workflow(ws: Workspace, wf: Workflow, state: RunState,
                    options: RunOptions | None = None, hooks: Hooks | None = None) -> RunResult:
    """Continue run ``state`` of ``wf``: redo its unfinished step, then the rest."""
    options, hooks = options or RunOptions(inputs=state.info.get("inputs", {})), hooks or Hooks()
    check_resumable(wf, state)
    check_fail_at(wf, options.fail_at)
    with WorkspaceLock(ws, options.command, state.run_id):
        result = _Run(ws, wf, state.run_id, options, hooks, state).execute()
    return _raise_if_interrupted(result)


def _raise_if_interrupted(result: RunResult) -> RunResult:
    if result.status == "interrupted":
        undone = " and rolled back" if result.rolled_back else ""
        raise Interrupted(f"run {result.run_id} was interrupted at {result.failed_step}{undone}")
    return result
