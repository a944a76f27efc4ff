"""Human renderings of plans, runs, workflows and rollbacks."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aim.checks import line as check_line
from aim.cli.render import say, table
from aim.workflow.names import ROLLBACK_WORKFLOW

if TYPE_CHECKING:  # annotations only: listing runs must not load the planner
    from aim.workflow.plan import Plan
    from aim.workflow.results import RunResult


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def print_plan(plan: Plan) -> None:
    """The dry-run plan: steps with resolved parameters, then every file that may change."""
    say(f"plan for workflow {plan.workflow} ({plan.file})")
    say(f"workspace: {plan.root} — dry run, nothing is changed")
    checks = ", ".join(f"{k}={v}" for k, v in plan.preflight.items()) or "none"
    say(f"on failure: {plan.on_failure}; pre-flight: {checks}")
    for number, step in enumerate(plan.steps, 1):
        flags = [f for f, on in (("always", step.always),
                                 ("continue on error", step.continue_on_error),
                                 ("skipped: its when is false", step.skipped)) if on]
        extra = f"  [{', '.join(flags)}]" if flags else ""
        say(f"{number:>3}. {step.id}  ({step.kind}){extra}")
        if step.when is not None:
            say(f"       when: {_value(step.when)}")
        for key, value in step.params.items():
            say(f"       {key}: {_value(value)}")
        if step.touches:
            say(f"       changes: {', '.join(step.touches)}")
        for line in (step.preview or {}).get("lines", []):
            say(f"       | {line}")
    say("files that may change:" if plan.files else "no workspace files change")
    for path in plan.files:
        say(f"  {path}")


def print_run(result: RunResult) -> None:
    """The end-of-run summary (the step lines were shown while it ran)."""
    for outcome in result.preflight:
        say(check_line(outcome, f"pre-flight {outcome.name}"))
    if result.status == "success":
        say(f"run {result.run_id}: success in {result.duration:.2f}s "
            f"({len(result.steps)} steps)")
        return
    say(f"run {result.run_id}: {result.status} at {result.failed_step}: {result.reason}")
    if result.rolled_back:
        say("every completed step was rolled back: the workspace is as it was before the run")
    elif result.unrestored:
        say(result.unrestored)
    elif not result.changed:
        say("the run changed nothing, so there is nothing to undo; fix the cause and run it "
            "again")
    elif result.workflow == ROLLBACK_WORKFLOW:
        say("the rollback stopped part-way: what it put back stays put back, and the message "
            "above names what is left and the command that finishes it")
    else:
        say(f"the steps that finished are kept (this workflow does not roll back on failure): "
            f"'aim rollback --run {result.run_id}' undoes them, 'aim workflow.run "
            f"{result.workflow} --resume' goes on from the failed step")


def print_runs(rows: list[dict[str, Any]]) -> None:
    """The run history table."""
    if not rows:
        say("no runs yet")
        return
    say(table(["RUN", "WORKFLOW", "STATUS", "STARTED", "FAILED STEP"],
              [[r["run_id"], r["workflow"], r["status"], r["started"], r["failed_step"] or ""]
               for r in rows]))
