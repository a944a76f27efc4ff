"""``--dry-run``: the plan of a run — steps, resolved parameters, files that would change.

Nothing is changed.  Actions marked ``pure`` (they only read) are called for real, so later
steps see their outputs; actions with a ``preview`` say exactly what they would do (a diff, the
keyring names they would write, the files they would move) and, under ``fails``, why they
would fail.  Any other step's outputs are unknown before a run and show as
``<steps.ID.outputs.KEY>``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aim.actions import registry
from aim.errors import CheckFailed, StepFailed, UnsafePath
from aim.frozen import thaw
from aim.secrets.envvars import workspace_env
from aim.workflow import expressions as expr
from aim.workflow.context import Hooks, StepContext
from aim.workflow.model import SYNC_STEP, Step, Workflow
from aim.workflow.params import resolved_params
from aim.workspace import Workspace

PENDING = "<steps."


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
    preview: dict[str, Any] | None = None
    skipped: bool = False  # its ``when:`` is already known to be false


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
    failures: tuple[str, ...] = ()  # "step: why", for each step whose preview says it fails

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _NoCheckpoints:
    """A dry run's checkpoint store: an action that tries to change something is a bug."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"dry run: an action called checkpoint.{name}")


def _pending_in(scope: dict[str, Any]) -> expr.Pending:
    def pending(ref: expr.Ref) -> Any:
        known = ref.parts and ref.parts[0] in scope["steps"]
        return expr.lookup(ref, scope) if known else f"<{ref.text}>"

    return pending


def _has_pending(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith(PENDING)
    if isinstance(value, dict):
        return any(_has_pending(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_pending(v) for v in value)
    return False


def _scope(ws: Workspace, wf: Workflow, inputs: dict[str, Any]) -> dict[str, Any]:
    run = {"id": "<run id>", "root": str(ws.root), "state_dir": str(ws.state_dir),
           "status": "running", "failed_step": None, "workflow": wf.name}
    scope = {"inputs": inputs, "env": workspace_env(ws.root), "run": run, "steps": {}}
    scope["vars"] = expr.resolve(thaw(wf.vars), scope)
    return scope


def _simulate(ws: Workspace, spec: registry.ActionSpec, step_id: str, params: dict[str, Any],
              hooks: Hooks | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(outputs, preview) of an action in a dry run, when it can tell without changing a thing.

    ``hooks`` None: a static plan (``workflow.show``), nothing is called.
    """
    if hooks is None or _has_pending(params) or not (spec.pure or spec.preview):
        return None, None
    ctx = StepContext(ws, "<dry-run>", step_id, _NoCheckpoints(), hooks)  # type: ignore[arg-type]
    args = resolved_params(spec, params)
    if spec.pure:
        try:
            return dict(spec.func(ctx, **args) or {}), None
        except (CheckFailed, StepFailed) as err:  # bad input still ends the dry run
            return None, {"lines": [f"would fail: {err}"], "fails": [str(err)]}
    assert spec.preview is not None
    preview = dict(spec.preview(ctx, **args))
    return preview.pop("outputs", None), preview


def check_touches(ws: Workspace, qid: str, touches: tuple[str, ...]) -> None:
    """UnsafePath, as the run would refuse it, for a path the step would change outside the
    root or in the state folder (descriptions in ``(…)`` and unknown ``<…>`` values pass)."""
    for rel in touches:
        if rel.startswith(("(", "<")) or PENDING in rel:
            continue
        try:
            ws.path(rel, follow=False, around_state=True)
        except UnsafePath as err:
            raise UnsafePath(f"step {qid}: {err}") from None


def _plan_action(ws: Workspace, step: Step, qid: str, scope: dict[str, Any],
                 hooks: Hooks | None) -> PlannedStep:
    pending = _pending_in(scope)
    when = expr.resolve(step.when, scope, pending) if step.when is not None else None
    params = expr.resolve(thaw(step.params), scope, pending)
    spec = registry.get(str(step.uses))
    assert spec is not None, f"unvalidated action {step.uses}"
    skipped = step.when is not None and not _has_pending(when) and not expr.truthy(when)
    outputs, preview = (None, None) if skipped else _simulate(ws, spec, qid, params, hooks)
    if outputs is not None:
        scope["steps"][step.id] = {"outputs": outputs, "status": "success"}
    touches = () if skipped else tuple((preview or {}).get("files") or
                                       (spec.touches(params) if spec.touches else ()))
    if skipped:
        scope["steps"][step.id] = {"outputs": {}, "status": "skipped"}
    if hooks is not None:
        check_touches(ws, qid, touches)
    return PlannedStep(qid, step.kind, params, when, touches, step.always,
                       step.continue_on_error, preview, skipped)


def _steps(ws: Workspace, wf: Workflow, inputs: dict[str, Any], prefix: str,
           hooks: Hooks | None) -> list[PlannedStep]:
    scope = _scope(ws, wf, inputs)
    planned: list[PlannedStep] = []
    for step in wf.steps:
        if step.workflow is not None:
            when = expr.resolve(step.when, scope, _pending_in(scope)) if step.when else None
            planned.append(PlannedStep(prefix + step.id, step.kind, {}, when, (), step.always,
                                       step.continue_on_error))
            planned.extend(_steps(ws, step.workflow, inputs, prefix + step.id + ".", hooks))
            continue
        planned.append(_plan_action(ws, step, prefix + step.id, scope, hooks))
    return planned


def make_plan(ws: Workspace, wf: Workflow, inputs: dict[str, Any] | None = None,
              hooks: Hooks | None = None, simulate: bool = True) -> Plan:
    """What running ``wf`` in ``ws`` would do, computed without running or changing anything.

    ``hooks`` give previews read access to the keyring (its ``secret_store``).  Without
    ``simulate`` no action is called: the plan shows the steps as written (``workflow.show``).
    """
    hooks = (hooks or Hooks()) if simulate else None
    steps = _steps(ws, wf, dict(inputs or {}), "", hooks)
    if wf.preflight.get("sync") is True:  # the run's first step installs the pinned versions
        scope = _scope(ws, wf, dict(inputs or {}))
        steps.insert(0, _plan_action(ws, SYNC_STEP, SYNC_STEP.id, scope, hooks))
    files = tuple(dict.fromkeys(t for s in steps for t in s.touches))
    failures = tuple(f"{s.id}: {why}" for s in steps for why in (s.preview or {}).get("fails", []))
    return Plan(wf.name, str(wf.path), str(ws.root), wf.on_failure, thaw(wf.preflight),
                tuple(steps), files, failures)
