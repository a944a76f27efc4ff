"""Load a workflow file: parse, validate against the schema and the action catalogue, freeze.

Everything that can be known before a run is checked here, so that nothing fails at step 9 for
a reason visible at step 0: unknown keys, duplicate step ids, unknown actions (with the nearest
name), each step's ``with:`` against its action's parameters, references to steps that run
later or to outputs an action does not give, and cycles between workflow files.  Every problem
names the file, the line and the key path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aim.actions import registry
from aim.errors import NotFound, WorkflowError
from aim.frozen import freeze
from aim.resources import shipped_dir
from aim.schema_errors import Problems, add_schema_problems
from aim.workflow import expressions as expr
from aim.workflow.model import Step, Workflow
from aim.workflow.params import check_params
from aim.workflow.schema_errors import did_you_mean, explain
from aim.yamlio import KeyPath, LineMap, YamlError, load_yaml


def search_path(extra: Sequence[Path] = ()) -> list[Path]:
    """Folders searched for workflow names: ``extra`` first, then the shipped ``workflows/``."""
    return [*extra, shipped_dir("workflows")]


def available(extra: Sequence[Path] = ()) -> dict[str, Path]:
    """Every workflow name that can be run, with its file (earlier folders win)."""
    found: dict[str, Path] = {}
    for folder in reversed(search_path(extra)):
        for file in sorted(folder.glob("*.yaml")):
            found[file.stem] = file
    return dict(sorted(found.items()))


def find_workflow(ref: str, extra: Sequence[Path] = (), relative_to: Path | None = None) -> Path:
    """The file for a workflow name or path; NotFound lists the known names."""
    as_path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        base = relative_to if relative_to is not None and not as_path.is_absolute() else Path()
        if (base / as_path).is_file():
            return (base / as_path).resolve()
    # A name: the workspace's folders first (they replace shipped workflows, nested ones too),
    # then the folder of the workflow that names it, then the shipped ones.
    folders = [*extra, *([relative_to] if relative_to else []), *search_path()]
    for folder in folders:
        candidate = folder / f"{ref}.yaml"
        if candidate.is_file():
            return candidate.resolve()
    names = ", ".join(available(extra)) or "none"
    raise NotFound(f"no workflow {ref!r}{did_you_mean(ref, available(extra))}: give a name "
                   f"from the workflows folder ({names}) or a path to a .yaml file")


def load_workflow(ref: str | Path, extra: Sequence[Path] = ()) -> Workflow:
    """Load and fully validate a workflow (and every workflow it runs as a step)."""
    path = find_workflow(str(ref), extra)
    return _Loader(extra).load(path, ())


class _Loader:
    def __init__(self, extra: Sequence[Path]) -> None:
        self.extra = extra

    def load(self, path: Path, stack: tuple[Path, ...]) -> Workflow:
        data, lines = _read(path)
        problems = Problems(path, lines, WorkflowError)
        add_schema_problems(data, "workflow.schema.json", explain, problems)
        problems.raise_if_any()
        steps = self._steps(data, path, problems, (*stack, path))
        _check_vars(data.get("vars", {}), problems)
        problems.raise_if_any()
        return Workflow(
            name=data["name"], path=path, description=data.get("description", ""),
            vars=freeze(data.get("vars", {})), preflight=freeze(data.get("preflight", {})),
            on_failure=data.get("on_failure", "rollback"), steps=tuple(steps),
        )

    def _steps(self, data: Mapping[str, Any], path: Path, problems: Problems,
               stack: tuple[Path, ...]) -> list[Step]:
        seen: dict[str, int] = {}
        steps: list[Step] = []
        variables = data.get("vars", {})
        for index, raw in enumerate(data["steps"]):
            where: KeyPath = ("steps", index)
            if raw["id"] in seen:
                problems.add((*where, "id"), f"duplicate step id {raw['id']!r} (also "
                                             f"steps[{seen[raw['id']]}]); ids must be unique")
            seen.setdefault(raw["id"], index)
            child = self._child(raw, where, path, problems, stack)
            step = _make_step(raw, problems.lines.line(where), child)
            _check_action(step, raw, where, problems)
            _check_refs(raw, where, steps, variables, problems)
            steps.append(step)
        return steps

    def _child(self, raw: Mapping[str, Any], where: KeyPath, path: Path,
               problems: Problems, stack: tuple[Path, ...]) -> Workflow | None:
        if "workflow" not in raw:
            return None
        try:
            child_path = find_workflow(raw["workflow"], self.extra, relative_to=path.parent)
        except NotFound as err:
            problems.add((*where, "workflow"), str(err))
            return None
        if child_path in stack:
            chain = " → ".join(p.name for p in (*stack, child_path))
            problems.add((*where, "workflow"), f"workflow cycle: {chain}; a workflow cannot "
                                               "run itself, directly or through another")
            return None
        return self.load(child_path, stack)


def _read(path: Path) -> tuple[dict[str, Any], LineMap]:
    try:
        data, lines = load_yaml(path)
    except YamlError as err:
        raise WorkflowError(f"{path}:{err.line}: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise WorkflowError(f"{path}: cannot read the file ({err})") from None
    if not isinstance(data, dict):
        raise WorkflowError(f"{path}:1: a workflow file is a mapping with version, name and "
                            "steps (see docs/workflows.md)")
    return data, lines


def _make_step(raw: Mapping[str, Any], line: int, child: Workflow | None) -> Step:
    return Step(
        id=raw["id"], line=line, uses=raw.get("uses"), params=freeze(raw.get("with", {})),
        workflow=child, when=raw.get("when"), retries=raw.get("retries", 0),
        timeout=raw.get("timeout"), continue_on_error=raw.get("continue_on_error", False),
        always=raw.get("always", False),
    )


def _check_action(step: Step, raw: Mapping[str, Any], where: KeyPath,
                  problems: Problems) -> None:
    if step.uses is None:
        return
    spec = registry.get(step.uses)
    if spec is None:
        hint = did_you_mean(step.uses, registry.names())
        problems.add((*where, "uses"), f"unknown action {step.uses!r}{hint}; known actions: "
                                       f"{', '.join(registry.names())}")
        return
    for key, message in check_params(spec, raw.get("with", {})):
        problems.add((*where, "with", *key), message)


def _check_refs(raw: Mapping[str, Any], where: KeyPath, earlier: list[Step],
                variables: Mapping[str, Any], problems: Problems) -> None:
    for key in ("with", "when"):
        if key not in raw:
            continue
        try:
            refs = expr.refs_in(raw[key])
        except expr.ExpressionError as err:
            problems.add((*where, key), str(err))
            continue
        for ref in refs:
            message = _ref_problem(ref, earlier, variables, raw["id"])
            if message:
                problems.add((*where, key), message)


def _ref_problem(ref: expr.Ref, earlier: list[Step], variables: Mapping[str, Any],
                 own_id: str) -> str | None:
    if ref.root == "vars" and (not ref.parts or ref.parts[0] not in variables):
        name = ref.parts[0] if ref.parts else ""
        return (f"'{ref.text}': no var {name!r}{did_you_mean(name, variables)}; "
                "declare it under vars:")
    if ref.root == "run" and (len(ref.parts) != 1 or ref.parts[0] not in expr.RUN_KEYS):
        return f"'{ref.text}': run has {', '.join(expr.RUN_KEYS)}"
    if ref.root == "steps":
        return _step_ref_problem(ref, earlier, own_id)
    return None


def _step_ref_problem(ref: expr.Ref, earlier: list[Step], own_id: str) -> str | None:
    step_id = ref.parts[0] if ref.parts else ""
    target = next((s for s in earlier if s.id == step_id), None)
    if target is None:
        when = ("is this step itself" if step_id == own_id else
                "runs later or does not exist")
        hint = did_you_mean(step_id, [s.id for s in earlier])
        return (f"'{ref.text}': step {step_id!r} {when}{hint}; "
                "a step can use only the outputs of steps before it")
    if len(ref.parts) == 2 and ref.parts[1] in ("status", "outputs"):
        return None  # the step's status, or all its outputs as one mapping
    if len(ref.parts) < 3 or ref.parts[1] != "outputs":
        return (f"'{ref.text}': write steps.{step_id}.outputs.KEY, steps.{step_id}.outputs "
                f"or steps.{step_id}.status")
    spec = registry.get(target.uses) if target.uses else None
    if spec is not None and spec.outputs and ref.parts[2] not in spec.outputs:
        return (f"'{ref.text}': action {spec.name!r} gives no output {ref.parts[2]!r}"
                f"{did_you_mean(ref.parts[2], spec.outputs)}; it gives "
                f"{', '.join(spec.outputs)}")
    return None


def _check_vars(variables: Mapping[str, Any], problems: Problems) -> None:
    for name, value in variables.items():
        try:
            refs = expr.refs_in(value)
        except expr.ExpressionError as err:
            problems.add(("vars", name), str(err))
            continue
        for ref in refs:
            if ref.root in ("steps", "vars"):
                problems.add(("vars", name), f"'{ref.text}': vars may refer to inputs, env "
                                             "and run only (they are resolved before step 1)")
