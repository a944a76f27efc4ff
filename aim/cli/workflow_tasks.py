"""``workflow.list|show|check|run``: the workflow files and running them."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from aim.cli import render
from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP, parse_inputs, run_named, workspace
from aim.cli.handler import handled
from aim.workflow.sources import search_dirs


@task(help={"json": JSON_HELP, "root": ROOT_HELP})
@handled
def list_(c: Any, root: str | None = None, json: bool = False) -> None:
    """List the workflows that can be run: the workspace's own first, then the shipped ones."""
    from aim.workflow.loader import load_workflow
    from aim.workflow.sources import sources

    ws = workspace(c, root)
    dirs = search_dirs(ws)
    rows: list[dict[str, Any]] = [{"name": s.name, "origin": s.origin, "file": str(s.file),
             "overrides": str(s.overrides) if s.overrides else None,
             "description": load_workflow(s.file, dirs).description} for s in sources(ws)]
    if json:
        render.emit_json(rows)
        return
    render.say(render.table(["NAME", "FROM", "DESCRIPTION", "FILE"], [
        [r["name"], r["origin"] + (" (replaces shipped)" if r["overrides"] else ""),
         r["description"], r["file"]] for r in rows]))


@task(help={"name": "a workflow name or a path to a .yaml file", "json": JSON_HELP,
            "root": ROOT_HELP})
@handled
def show(c: Any, name: str, root: str | None = None, json: bool = False) -> None:
    """Show a workflow's steps, in order, as the runner will run them."""
    from aim.cli.show import print_plan
    from aim.workflow.loader import load_workflow
    from aim.workflow.plan import make_plan

    ws = workspace(c, root)
    plan = make_plan(ws, load_workflow(name, search_dirs(ws)), simulate=False)
    render.emit_json(plan.to_dict()) if json else print_plan(plan)


@task(help={"file": "a workflow name or a path to a .yaml file", "json": JSON_HELP,
            "root": ROOT_HELP})
@handled
def check(c: Any, file: str, root: str | None = None, json: bool = False) -> None:
    """Validate a workflow file (and the workflows it runs) without running anything."""
    from aim.workflow.loader import load_workflow

    wf = load_workflow(file, search_dirs(workspace(c, root)))
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


NAME_HELP = "the workflow's name (the file is <workspace workflows folder>/NAME.yaml)"


@task(help={"name": NAME_HELP, "root": ROOT_HELP, "dry_run": DRY_HELP, "json": JSON_HELP})
@handled
def new(c: Any, name: str, root: str | None = None, dry_run: bool = False,
        json: bool = False) -> None:
    """Start a new workflow in the workspace's workflows folder, from a one-step skeleton."""
    from aim.workflow.sources import new_text, shipped_file

    if shipped_file(name) is not None:
        from aim.errors import InputError

        raise InputError(f"{name!r} is a shipped workflow: to change it, copy it with "
                         f"'aim workflow.eject {name}' and edit the copy")
    _create(workspace(c, root), name, new_text(name), dry_run, json)


@task(help={"name": "the shipped workflow to copy", "root": ROOT_HELP, "dry_run": DRY_HELP,
            "json": JSON_HELP})
@handled
def eject(c: Any, name: str, root: str | None = None, dry_run: bool = False,
          json: bool = False) -> None:
    """Copy a shipped workflow into the workspace's workflows folder, where it replaces it."""
    from aim.workflow.sources import ejected_text

    _create(workspace(c, root), name, ejected_text(name), dry_run, json)


def _create(ws: Any, name: str, text: str, dry_run: bool, as_json: bool) -> None:
    from aim.errors import InputError
    from aim.fsio import atomic_write_bytes
    from aim.workflow.sources import workflows_dir

    if not name.replace("-", "").replace("_", "").isalnum():
        raise InputError(f"workflow name {name!r}: use letters, digits, '-' and '_'")
    path = workflows_dir(ws) / f"{name}.yaml"
    if path.exists():
        raise InputError(f"{path} exists already; edit it, or remove it first to start over "
                         "(nothing was changed)")
    if not dry_run:
        atomic_write_bytes(path, text.encode("utf-8"))
    result = {"name": name, "file": str(path), "written": not dry_run}
    render.emit_json(result) if as_json else render.say(
        f"{'would write' if dry_run else 'wrote'} {path}; 'aim workflow.check {name}' "
        "validates it")


@task(help={"name": "a workflow of the workspace that replaces a shipped one",
            "root": ROOT_HELP, "json": JSON_HELP})
@handled
def diff(c: Any, name: str, root: str | None = None, json: bool = False) -> None:
    """Show how the workspace's copy of a shipped workflow differs from this release's."""
    from aim.errors import NotFound
    from aim.workflow import sources

    found = next((s for s in sources.sources(workspace(c, root)) if s.name == name), None)
    if found is None or found.overrides is None:
        what = "is not a workflow" if found is None else "is not replaced in this workspace"
        raise NotFound(f"{name!r} {what}: 'aim workflow.diff' compares a workspace copy "
                       "(made with 'aim workflow.eject NAME') with the shipped workflow; "
                       "'aim workflow.list' shows which are replaced")
    lines = sources.diff(found)
    if json:
        render.emit_json({"name": name, "file": str(found.file),
                          "shipped": str(found.overrides), "same": not lines,
                          "diff": "".join(lines)})
    elif not lines:
        render.say(f"{found.file} is the same as the shipped {name} of this release")
    else:
        render.say("".join(lines).rstrip("\n"))


collection = Collection("workflow")
collection.add_task(list_, name="list")
collection.add_task(show)
collection.add_task(check)
collection.add_task(run)
collection.add_task(new)
collection.add_task(eject)
collection.add_task(diff)
