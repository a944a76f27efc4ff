"""Running a workflow from a task: the hooks of a CLI run, the plan of a dry run, the result."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from aim.cli import live, render
from aim.cli.common import workspace
from aim.cli.show import print_plan, print_run
from aim.errors import ExitCode, InputError, StepFailed
from aim.workflow.defaults import default_hooks, read_only_hooks
from aim.workflow.loader import load_workflow
from aim.workflow.plan import make_plan
from aim.workflow.run_index import latest_unfinished
from aim.workflow.runner import RunOptions, resume_workflow, run_workflow
from aim.workflow.sources import search_dirs
from aim.workspace import Workspace


def parse_inputs(pairs: Iterable[str]) -> dict[str, str]:
    """``--input key=value`` flags as a dict; InputError names a malformed one."""
    inputs = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--input {pair!r}: write it as KEY=VALUE")
        inputs[key.strip()] = value
    return inputs


def make_hooks(ws: Workspace, quiet: bool) -> Any:
    """The runner hooks of a CLI run: progress on screen, audit trail, pre-flight, keyring."""
    def progress(line: str) -> None:
        if not quiet:
            render.say(line)

    def started(step: str) -> None:
        shown = live.current()
        if shown is not None:
            shown.show(step)

    def output(line: str) -> None:  # a command's output, as it comes: on a terminal only
        if live.current() is not None:
            render.say(f"         | {line}")

    return replace(default_hooks(ws, progress), started=started, output=output)


def run_named(c: Any, name: str, *, root: str | None, dry_run: bool, resume: bool,
              as_json: bool, fail_at: str | None, inputs: dict[str, Any]) -> None:
    """Load, plan or run (or resume) the workflow ``name`` and report the result."""
    ws = workspace(c, root)
    wf = load_workflow(name, search_dirs(ws))
    if dry_run:
        plan = make_plan(ws, wf, inputs, read_only_hooks())
        render.emit_json(plan.to_dict()) if as_json else print_plan(plan)
        if plan.failures:
            raise StepFailed("the dry run predicts that this run would fail: "
                             + "; ".join(plan.failures) + ". Nothing was changed; fix that "
                             "first (a real run would stop there and roll back)")
        return
    _run(ws, wf, resume=resume, as_json=as_json, fail_at=fail_at, inputs=inputs)


def _run(ws: Workspace, wf: Any, *, resume: bool, as_json: bool, fail_at: str | None,
         inputs: dict[str, Any]) -> None:
    command = " ".join(shlex.quote(a) for a in ["aim", *sys.argv[1:]])
    hooks = make_hooks(ws, as_json)
    if resume:
        state = latest_unfinished(ws, wf.name)
        options = RunOptions(state.info.get("inputs", {}) | inputs, fail_at, command)
        with live.live(as_json):
            result = resume_workflow(ws, wf, state, options, hooks)
    else:
        with live.live(as_json):
            result = run_workflow(ws, wf, RunOptions(inputs, fail_at, command), hooks)
    render.emit_json(result.to_dict()) if as_json else print_run(result)
    if result.status != "success":
        undone = " (rolled back)" if result.rolled_back else ""
        # Bad input found inside a step (a malformed legacy file) is still bad input: exit 2.
        error = InputError if result.exit_code == ExitCode.BAD_INPUT else StepFailed
        left = f". {result.unrestored}" if result.unrestored else ""
        raise error(f"run {result.run_id} failed at {result.failed_step}{undone}: "
                    f"{result.reason}{left}")
