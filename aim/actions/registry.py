"""The action catalogue: named step functions and the parameters they take.

An action is ``fn(ctx, **params) -> dict`` registered with ``@action("file.write")``.  Its
parameters come from its signature (names, defaults, type hints), so the loader can check every
step's ``with:`` before a run starts, and ``docs/actions.md`` is generated from the same facts.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ActionFunc = Callable[..., dict[str, Any]]
Touches = Callable[[Mapping[str, Any]], list[str]]
Preview = Callable[..., dict[str, Any]]
Changed = Callable[..., list[str]]

# Parameter types, by the annotation text actions use.
_TYPES = {
    "str": "string", "int": "integer", "float": "number", "bool": "boolean",
    "list[str]": "list of strings", "list[Any]": "list", "dict[str, Any]": "mapping",
    "Any": "any",
}
# Every shipped action, by name, and the function that implements it: a module is imported
# when one of its actions is first asked for, so a command loads only the actions it runs (and
# the library those import), while the dependency stays written down here.
CATALOG = {
    "audit.record": "aim.actions.migrate:audit_record",
    "backup.create": "aim.actions.backup:create",
    "backup.restore": "aim.actions.backup:restore",
    "backup.verify": "aim.actions.backup:verify",
    "config.check": "aim.actions.checks:config_check",
    "config.merge": "aim.actions.migrate:config_merge",
    "config.validate": "aim.actions.config:config_validate",
    "config.write": "aim.actions.config:config_write",
    "deploy.test": "aim.actions.deploy:deploy_test",
    "dir.create": "aim.actions.files:dir_create",
    "docs.check_links": "aim.actions.docs:check_links",
    "docs.consolidate_mcp": "aim.actions.docs:consolidate_mcp",
    "docs.deprecate_legacy": "aim.actions.docs:deprecate_legacy",
    "docs.update": "aim.actions.docs:update",
    "echo": "aim.actions.core:echo",
    "file.copy": "aim.actions.files:file_copy",
    "file.delete": "aim.actions.files:file_delete",
    "file.move": "aim.actions.files:file_move",
    "file.write": "aim.actions.files:file_write",
    "health.check": "aim.actions.health:check",
    "legacy.deprecate_firstgen": "aim.actions.legacy:deprecate_firstgen",
    "legacy.map": "aim.actions.legacy:legacy_map",
    "legacy.read": "aim.actions.legacy:legacy_read",
    "legacy.unmark": "aim.actions.legacy:legacy_unmark",
    "production.check": "aim.actions.deploy:production_check",
    "report.deploy": "aim.actions.deploy:report_deploy",
    "report.migration": "aim.actions.migrate:report_migration",
    "rollback.check": "aim.actions.runs:rollback_check",
    "run.rollback": "aim.actions.runs:rollback",
    "secrets.check": "aim.actions.checks:secrets_check",
    "secrets.import": "aim.actions.migrate:secrets_import",
    "shell": "aim.actions.core:shell",
    "tools.check": "aim.actions.checks:tools_check",
    "validation.report": "aim.actions.checks:validation_report",
    "versions.check": "aim.actions.checks:versions_check",
    "versions.sync": "aim.actions.versions:sync",
    "versions.undo": "aim.actions.versions:undo",
    "workflows.check": "aim.actions.checks:workflows_check",
}
_REGISTRY: dict[str, ActionSpec] = {}


@dataclass(frozen=True)
class Param:
    """One parameter of an action: ``type`` is one of the names in ``_TYPES``'s values."""

    name: str
    type: str
    required: bool
    default: Any = None
    nullable: bool = False


@dataclass(frozen=True)
class ActionSpec:
    """A registered action: its function, parameters, docs and what it touches."""

    name: str
    func: ActionFunc
    params: tuple[Param, ...]
    summary: str
    doc: str
    outputs: tuple[str, ...]
    touches: Touches | None
    pure: bool = False
    preview: Preview | None = None
    changed: Changed | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _param_type(annotation: str) -> tuple[str, bool]:
    text = annotation.replace(" ", "").replace(",", ", ")
    nullable = text.endswith("|None")
    if nullable:
        text = text[: -len("|None")]
    if text not in _TYPES:
        raise TypeError(f"action parameter annotation {annotation!r} is not one of {list(_TYPES)}")
    return _TYPES[text], nullable


def _params_of(func: ActionFunc) -> tuple[Param, ...]:
    params = []
    for index, parameter in enumerate(inspect.signature(func).parameters.values()):
        if index == 0:
            continue  # the step context
        kind, nullable = _param_type(str(parameter.annotation))
        required = parameter.default is inspect.Parameter.empty
        default = None if required else parameter.default
        params.append(Param(parameter.name, kind, required, default, nullable))
    return tuple(params)


def action(name: str, *, outputs: tuple[str, ...] = (), touches: Touches | None = None,
           pure: bool = False, preview: Preview | None = None, changed: Changed | None = None
           ) -> Callable[[ActionFunc], ActionFunc]:
    """Register ``fn`` as the action ``name``.

    ``outputs`` documents the keys of the dict it returns; ``touches`` maps resolved parameters
    to the workspace paths the action may change (for ``--dry-run`` plans).  A ``pure`` action
    changes nothing, so a dry run calls it for real and later steps see its outputs; a
    ``preview(ctx, **params)`` tells, without changing anything, exactly what the action would
    do: ``{"lines": [...], "files": [...], "outputs": {...}}`` (each key optional).  An undo
    action's ``changed(ctx, left, **params)`` names what differs from how the run ``left`` it
    (see ``CheckpointStore.settle``), so rollback can refuse without ``--force``.
    """

    def register(func: ActionFunc) -> ActionFunc:
        if name in _REGISTRY:
            raise ValueError(f"action {name!r} is registered twice")
        target = f"{func.__module__}:{func.__qualname__}"
        if name in CATALOG and CATALOG[name] != target:
            raise ValueError(f"action {name!r} is {target}, but CATALOG says {CATALOG[name]}")
        doc = inspect.cleandoc(func.__doc__ or "")
        summary = doc.splitlines()[0] if doc else ""
        _REGISTRY[name] = ActionSpec(name, func, _params_of(func), summary, doc, outputs, touches,
                                     pure, preview, changed)
        return func

    return register


def _module_of(target: str) -> str:
    return target.partition(":")[0]


def load_catalog() -> dict[str, ActionSpec]:
    """Import every action module and return the whole catalogue, by name."""
    for module in sorted({_module_of(target) for target in CATALOG.values()}):
        importlib.import_module(module)
    return _REGISTRY


def get(name: str) -> ActionSpec | None:
    """The action called ``name``, or None; its module is imported on first use."""
    if name not in _REGISTRY and name in CATALOG:
        importlib.import_module(_module_of(CATALOG[name]))
    return _REGISTRY.get(name)


def names() -> list[str]:
    """Sorted names of every action (no module is imported to list them)."""
    return sorted(CATALOG.keys() | _REGISTRY.keys())
