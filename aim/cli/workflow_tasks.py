"""``workflow.list|show|check|run``: the workflow files and running them."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from aim.cli import render
from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP, parse_inputs, run_named
from aim.cli.handler import handled


@task(help={"json": JSON_HELP})
@handled
def list_(c: Any, json: bool = False) -> None:
    """List the workflows that can be run."""
    from aim.workflow.loader import available, load_workflow

    rows = [{"name": name, "file": str(path), "description": load_workflow(path).description}
            for name, path in available().items()]
    if json:
        render.emit_json(rows)
        return
    render.say(render.table(["NAME", "DESCRIPTION", "FILE"],
                            [[r["name"], r["description"], r["file"]] for r in rows]))


@task(help={"name": "a workflow name or a path to a .yaml file", "json": JSON_HELP,
            "root": ROOT_HELP})
@handled
def show(c: Any, name: str, root: str | None = None, json: bool = False) -> None:
    """Show a workflow's steps, in order, as the runner will run them."""
    from aim.cli.common import workspace
    from aim.cli.show import print_plan
    from aim.workflow.loader import load_workflow
    from aim.workflow.plan import make_plan

    plan = make_plan(workspace(c, root), load_workflow(name), simulate=False)
    render.emit_json(plan.to_dict()) if json else print_plan(plan)


@task(help={"file": "a workflow name or a path to a .yaml file", "json": JSON_HELP})
@handled
def check(c: Any, file: str, json: bool = False) -> None:
    """Validate a workflow file (and the workflows it runs) without running anything."""
    from aim.workflow.loader import load_workflow

    wf = load_workflow(file)
    if json:
        render.emit_json({"file": str(wf.path), "name": wf.name, "valid": True,
                          "steps": len(wf.steps)})
    else:
        render.say(f"ok: {wf.path} (workflow {wf.name}, {len(wf.steps)} steps)")


@task(
    iterable=["input"],
    help={
        "name": "a workflow name from workflows/ or a path to a .yaml file",
        "root": ROOT_HELP, "dry_run": DRY_HELP, "json": JSON_HELP,
        "resume": "continue the last unfinished run of this workflow",
        "fail_at": "fail at this step (after it runs) to rehearse a rollback",
        "input": "KEY=VALUE given to the workflow as ${{ inputs.KEY }} (repeatable)",
    },
)
@handled
def run(c: Any, name: str, root: str | None = None, dry_run: bool = False,
        resume: bool = False, json: bool = False, fail_at: str | None = None,
        input: list[str] | None = None) -> None:
    """Run a workflow (or print its plan with --dry-run)."""
    run_named(c, name, root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs=parse_inputs(input or []))


collection = Collection("workflow")
collection.add_task(list_, name="list")
collection.add_task(show)
collection.add_task(check)
collection.add_task(run)
