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
_CATALOG_MODULES = (
    "aim.actions.core",
    "aim.actions.files",
    "aim.actions.backup",
    "aim.actions.legacy",
    "aim.actions.migrate",
    "aim.actions.runs",
    "aim.actions.deploy",
    "aim.actions.health",
    "aim.actions.config",
    "aim.actions.versions",
    "aim.actions.docs",
    "aim.actions.checks",
)
_REGISTRY: dict[str, ActionSpec] = {}
_loaded = False


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
        doc = inspect.cleandoc(func.__doc__ or "")
        summary = doc.splitlines()[0] if doc else ""
        _REGISTRY[name] = ActionSpec(name, func, _params_of(func), summary, doc, outputs, touches,
                                     pure, preview, changed)
        return func

    return register


def load_catalog() -> dict[str, ActionSpec]:
    """Import every action module once and return the catalogue, by name."""
    global _loaded
    if not _loaded:
        for module in _CATALOG_MODULES:
            importlib.import_module(module)
        _loaded = True
    return _REGISTRY


def get(name: str) -> ActionSpec | None:
    """The action called ``name``, or None."""
    return load_catalog().get(name)


def names() -> list[str]:
    """Sorted names of every registered action."""
    return sorted(load_catalog())
