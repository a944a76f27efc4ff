"""Run a workflow: lock, journal, pre-flight, steps with checkpoints, rollback on failure.

The flow of one run::

    lock → journal "run" → pre-flight checks → each step: journal "step_start",
    checkpoints (journaled before each mutation), action, journal "step_end" with the state it
    left → journal "run_end" → on failure with ``on_failure: rollback``, undo every step.

A step marked ``always`` runs even after a failure (before the rollback, so its changes are
undone with the rest) and sees ``run.status`` and ``run.failed_step``.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aim.checks import CheckResult, step_line
from aim.errors import AimError, ExitCode, InputError
from aim.fsio import sha256_file
from aim.redact import redact
from aim.secrets.envvars import workspace_env
from aim.workflow import expressions as expr
from aim.workflow.checkpoint import CheckpointStore
from aim.workflow.context import Hooks, StepContext
from aim.workflow.history import RunState
from aim.workflow.journal import Journal, new_run_id
from aim.workflow.lock import WorkspaceLock
from aim.workflow.model import Step, Workflow, thaw
from aim.workflow.results import RunResult, StepResult, StepStatus
from aim.workflow.rollback import undo, undo_checkpoints
from aim.workflow.steps import call_action, check_fail_at, elapsed
from aim.workflow.timeout import sigterm_as_interrupt
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
        self.ws, self.wf, self.run_id, self.options, self.hooks = ws, wf, run_id, options, hooks
        self.journal = Journal(ws.runs_dir / run_id)
        self.store = CheckpointStore(ws, self.journal, run_id, hooks.secret_store)
        self.resumed = resumed
        self.results: list[StepResult] = []
        self.failed_step: str | None = None
        self.reason = ""
        self.interrupted = False
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
        self.journal.note("step_start", step=qid)  # made durable by its checkpoints or end
        self.store.begin(qid)
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
                self.undo_step(qid)
                self.store.begin(qid)
        raise AssertionError("unreachable")

    def undo_step(self, qid: str) -> None:
        """Put back what a failed attempt of ``qid`` changed, before it is tried again."""
        from aim.workflow.history import load_run

        state = load_run(self.ws, self.run_id)
        cps = [c for c in state.checkpoints if c.step == qid]
        undo_checkpoints(self.ws, state, self.journal, self.hooks, cps)

    def finish_step(self, qid: str, status: StepStatus, reason: str, started: float,
                    outputs: dict[str, Any], attempts: int = 1, code: int = 0) -> StepResult:
        reason = redact(reason)
        code = code or (1 if status == StepStatus.FAILED else 0)
        result = StepResult(qid, status, reason, elapsed(started), outputs, attempts, code)
        post = self.store.post_states() if status != StepStatus.SKIPPED else {}
        self.journal.write("step_end", step=qid, status=status.value, reason=reason,
                           duration=round(result.duration, 6), outputs=outputs, post=post,
                           attempts=attempts)
        self.hooks.audit("step", self.run_id, {"step": qid, "status": status.value,
                                               "reason": reason})
        self.hooks.progress(step_line(qid, status.value, reason, outputs))
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
        self.journal.write(
            "run", run_id=self.run_id, workflow=self.wf.name, file=str(self.wf.path),
            file_sha256=sha256_file(self.wf.path), root=str(self.ws.root),
            inputs=dict(self.options.inputs), pid=os.getpid(), host=socket.gethostname(),
            command=self.options.command, on_failure=self.wf.on_failure)
        self.hooks.audit("run", self.run_id, {"event": "start", "workflow": self.wf.name})

    def execute(self) -> RunResult:
        started = time.monotonic()
        if self.resumed is None:
            self.start()
        else:
            self.prepare_resume(self.resumed)
        outcomes = self.preflight()
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
        return self.end(started, tuple(outcomes))

    def run_sync(self) -> None:
        """``preflight: {sync: true}``: install the pinned versions as a checkpointed step."""
        from aim.preflight import SYNC_STEP

        result = self.run_step(SYNC_STEP, SYNC_STEP.id, self.scope_for(self.wf))
        if result.status in (StepStatus.FAILED, StepStatus.ABORTED):
            self.failed_step, self.reason = SYNC_STEP.id, result.reason

    def prepare_resume(self, state: RunState) -> None:
        self.journal.write("resume", pid=os.getpid(), command=self.options.command)
        self.hooks.audit("run", self.run_id, {"event": "resume", "workflow": self.wf.name})
        redo = [s for s in state.started if state.steps.get(s) is None
                or state.steps[s].status in ("failed", "aborted")]
        cps = [c for c in state.checkpoints if c.step in redo]
        undo_checkpoints(self.ws, state, self.journal, self.hooks, cps)

    def end(self, started: float, outcomes: tuple[CheckResult, ...]) -> RunResult:
        status = "interrupted" if self.interrupted else ("failed" if self.failed_step else
                                                         "success")
        self.journal.write("run_end", status=status, failed_step=self.failed_step,
                           reason=self.reason)
        self.hooks.audit("run", self.run_id, {"event": "end", "status": status,
                                              "failed_step": self.failed_step})
        rolled_back = status != "success" and self.wf.on_failure == "rollback"
        try:
            from aim.workflow.history import load_run

            state = load_run(self.ws, self.run_id)
            if rolled_back:
                self.hooks.progress(f"run {status}: rolling back")
                undo(self.ws, state, self.journal, self.hooks)
        finally:
            self.journal.close()
        return RunResult(self.run_id, self.wf.name, status, tuple(self.results),
                         elapsed(started), self.failed_step, self.reason, rolled_back, outcomes,
                         bool(state.checkpoints))


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
    _check_resumable(wf, state)
    check_fail_at(wf, options.fail_at)
    with WorkspaceLock(ws, options.command, state.run_id):
        result = _Run(ws, wf, state.run_id, options, hooks, state).execute()
    return _raise_if_interrupted(result)


def _check_resumable(wf: Workflow, state: RunState) -> None:
    if state.status in ("rolled_back", "partly_rolled_back") or state.undone:
        raise InputError(f"run {state.run_id} was rolled back; start a new run instead of "
                         "resuming it")
    if state.status == "success":
        raise InputError(f"run {state.run_id} already finished successfully; nothing to resume")
    if state.info.get("file_sha256") != sha256_file(wf.path):
        raise InputError(f"{wf.path} changed since run {state.run_id} started; a resume needs "
                         "the same steps. Roll the run back ('aim rollback --run "
                         f"{state.run_id}') and start it again")


def _raise_if_interrupted(result: RunResult) -> RunResult:
    if result.status == "interrupted":
        undone = " and rolled back" if result.rolled_back else ""
        raise Interrupted(f"run {result.run_id} was interrupted at {result.failed_step}{undone}")
    return result
