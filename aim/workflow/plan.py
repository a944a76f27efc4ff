"""``--dry-run``: the plan of a run — steps, resolved parameters, files that would change."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from aim.actions import registry
from aim.workflow import expressions as expr
from aim.workflow.model import Workflow, thaw
from aim.workspace import Workspace


@dataclass(frozen=True)
class PlannedStep:
    """A step as it would run; values from earlier steps' outputs show as ``<steps.…>``."""

    id: str
    kind: str
    params: dict[str, Any]
    when: Any
    touches: tuple[str, ...]
    always: bool
    continue_on_error: bool


@dataclass(frozen=True)
class Plan:
    """The whole plan; ``files`` is every workspace path some step may change."""

    workflow: str
    file: str
    root: str
    on_failure: str
    preflight: dict[str, Any]
    steps: tuple[PlannedStep, ...]
    files: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pending(ref: expr.Ref) -> str:
    return f"<{ref.text}>"


def _scope(ws: Workspace, wf: Workflow, inputs: dict[str, Any]) -> dict[str, Any]:
    run = {"id": "<run id>", "root": str(ws.root), "state_dir": str(ws.state_dir),
           "status": "running", "failed_step": None, "workflow": wf.name}
    scope = {"inputs": inputs, "env": dict(os.environ), "run": run, "steps": {}}
    scope["vars"] = expr.resolve(thaw(wf.vars), scope)
    return scope


def _steps(ws: Workspace, wf: Workflow, inputs: dict[str, Any], prefix: str) -> list[PlannedStep]:
    scope = _scope(ws, wf, inputs)
    planned: list[PlannedStep] = []
    for step in wf.steps:
        when = expr.resolve(step.when, scope, _pending) if step.when is not None else None
        if step.workflow is not None:
            planned.append(PlannedStep(prefix + step.id, step.kind, {}, when, (), step.always,
                                       step.continue_on_error))
            planned.extend(_steps(ws, step.workflow, inputs, prefix + step.id + "."))
            continue
        params = expr.resolve(thaw(step.params), scope, _pending)
        spec = registry.get(str(step.uses))
        touches = tuple(spec.touches(params)) if spec and spec.touches else ()
        planned.append(PlannedStep(prefix + step.id, step.kind, params, when, touches,
                                   step.always, step.continue_on_error))
    return planned


def make_plan(ws: Workspace, wf: Workflow, inputs: dict[str, Any] | None = None) -> Plan:
    """What running ``wf`` in ``ws`` would do, computed without running or changing anything."""
    steps = _steps(ws, wf, dict(inputs or {}), "")
    files = tuple(dict.fromkeys(t for s in steps for t in s.touches))
    return Plan(wf.name, str(wf.path), str(ws.root), wf.on_failure, thaw(wf.preflight),
                tuple(steps), files)
