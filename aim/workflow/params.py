"""Check a step's ``with:`` against its action's parameters (names, required, types)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aim.actions.registry import ActionSpec, Param
from aim.errors import StepFailed
from aim.workflow.expressions import EXPR, is_whole_expression
from aim.workflow.schema_errors import did_you_mean, type_name

_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "list of strings": lambda v: isinstance(v, (list, tuple)) and all(
        isinstance(i, str) for i in v),
    "list": lambda v: isinstance(v, (list, tuple)),
    "mapping": lambda v: isinstance(v, Mapping),
    "any": lambda v: True,
}


def type_problem(param: Param, value: Any) -> str | None:
    """Why ``value`` does not fit ``param``, or None (a whole ``${{ }}`` fits until resolved)."""
    if is_whole_expression(value) or (value is None and param.nullable):
        return None
    if param.type == "list of strings" and isinstance(value, (list, tuple)):
        value = [None if is_whole_expression(v) else v for v in value]
        if all(v is None or isinstance(v, str) for v in value):
            return None
    if _CHECKS[param.type](value):
        return None
    return f"must be a {param.type}, not {type_name(value)}"


def check_params(spec: ActionSpec, given: Mapping[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """(key path under ``with``, message) for each problem; empty when the parameters fit."""
    problems: list[tuple[tuple[str, ...], str]] = []
    known = [p.name for p in spec.params]
    for key in given:
        if spec.param(key) is None:
            takes = ", ".join(known) or "no parameters"
            problems.append(((key,), f"action {spec.name!r} has no parameter {key!r}"
                                     f"{did_you_mean(key, known)}; it takes: {takes}"))
    for param in spec.params:
        if param.name not in given:
            if param.required:
                problems.append(((), f"action {spec.name!r} needs parameter {param.name!r} "
                                     f"({param.type})"))
            continue
        problem = type_problem(param, given[param.name])
        if problem:
            problems.append(((param.name,), problem))
    return problems


def has_expression(value: Any) -> bool:
    """True when a string holds a ``${{ }}`` anywhere (interpolated text)."""
    return isinstance(value, str) and EXPR.search(value) is not None


def resolved_params(spec: ActionSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults filled in and types checked again now that expressions have values."""
    params = {p.name: p.default for p in spec.params if not p.required}
    params.update(given)
    for param in spec.params:
        problem = type_problem(param, params.get(param.name))
        if problem:
            raise StepFailed(f"with.{param.name}: resolved to {params.get(param.name)!r}, "
                             f"which {problem.replace('must', 'should')}")
    return params
