"""The bodies of the tasks declared in :mod:`aim.cli.workflow_tasks`."""

from __future__ import annotations

from typing import Any

from aim.cli import render
from aim.cli.common import workspace
from aim.cli.running import parse_inputs, run_named
from aim.cli.show import print_plan
from aim.errors import InputError, NotFound
from aim.fsio import atomic_write_bytes
from aim.workflow.loader import load_workflow
from aim.workflow.plan import make_plan
from aim.workflow.sources import diff as diff_lines
from aim.workflow.sources import (
    ejected_text,
    new_text,
    search_dirs,
    shipped_file,
    sources,
    workflows_dir,
)


def list_(c: Any, root: str | None = None, json: bool = False) -> None:
    """List the workflows that can be run: the workspace's own first, then the shipped ones."""
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


def show(c: Any, name: str, root: str | None = None, json: bool = False) -> None:
    """Show a workflow's steps, in order, as the runner will run them."""
    ws = workspace(c, root)
    plan = make_plan(ws, load_workflow(name, search_dirs(ws)), simulate=False)
    render.emit_json(plan.to_dict()) if json else print_plan(plan)


def check(c: Any, file: str, root: str | None = None, json: bool = False) -> None:
    """Validate a workflow file (and the workflows it runs) without running anything."""
    wf = load_workflow(file, search_dirs(workspace(c, root)))
    if json:
        render.emit_json({"file": str(wf.path), "name": wf.name, "valid": True,
                          "steps": len(wf.steps)})
    else:
        render.say(f"ok: {wf.path} (workflow {wf.name}, {len(wf.steps)} steps)")


def run(c: Any, name: str, root: str | None = None, dry_run: bool = False,
        resume: bool = False, json: bool = False, fail_at: str | None = None,
        input: list[str] | None = None) -> None:
    """Run a workflow (or print its plan with --dry-run)."""
    run_named(c, name, root=root, dry_run=dry_run, resume=resume, as_json=json,
              fail_at=fail_at, inputs=parse_inputs(input or []))


def new(c: Any, name: str, root: str | None = None, dry_run: bool = False,
        json: bool = False) -> None:
    """Start a new workflow in the workspace's workflows folder, from a one-step skeleton."""
    if shipped_file(name) is not None:
        raise InputError(f"{name!r} is a shipped workflow: to change it, copy it with "
                         f"'aim workflow.eject {name}' and edit the copy")
    _create(workspace(c, root), name, new_text(name), dry_run, json)


def eject(c: Any, name: str, root: str | None = None, dry_run: bool = False,
          json: bool = False) -> None:
    """Copy a shipped workflow into the workspace's workflows folder, where it replaces it."""
    _create(workspace(c, root), name, ejected_text(name), dry_run, json)


def _create(ws: Any, name: str, text: str, dry_run: bool, as_json: bool) -> None:
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


def diff(c: Any, name: str, root: str | None = None, json: bool = False) -> None:
    """Show how the workspace's copy of a shipped workflow differs from this release's."""
    found = next((s for s in sources(workspace(c, root)) if s.name == name), None)
    if found is None or found.overrides is None:
        what = "is not a workflow" if found is None else "is not replaced in this workspace"
        raise NotFound(f"{name!r} {what}: 'aim workflow.diff' compares a workspace copy "
                       "(made with 'aim workflow.eject NAME') with the shipped workflow; "
                       "'aim workflow.list' shows which are replaced")
    lines = diff_lines(found)
    if json:
        render.emit_json({"name": name, "file": str(found.file),
                          "shipped": str(found.overrides), "same": not lines,
                          "diff": "".join(lines)})
    elif not lines:
        render.say(f"{found.file} is the same as the shipped {name} of this release")
    else:
        render.say("".join(lines).rstrip("\n"))


