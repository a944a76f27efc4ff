"""Workflow-file schema errors: the shared cases of :mod:`aim.schema_errors`, plus a workflow's."""

from __future__ import annotations

from typing import Any

from aim.schema_errors import Problem, did_you_mean, explain_common, type_name

__all__ = ["did_you_mean", "explain", "type_name"]


def explain(error: Any) -> list[Problem]:
    """(key path, message) pairs for one ``jsonschema.ValidationError`` of a workflow file."""
    common = explain_common(error)
    if common is not None:
        return common
    path = tuple(error.absolute_path)
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "enum":
        choices = ", ".join(repr(c) for c in expected)
        return [(path, f"{instance!r} is not allowed; use one of {choices}")]
    if validator == "pattern":
        return [(path, f"{instance!r} is not a valid name: use lowercase letters, digits, '-' "
                       "and '_', starting with a letter")]
    if validator == "minItems":
        return [(path, f"needs at least {expected} item(s)")]
    if validator == "oneOf" and isinstance(instance, dict):
        return [(path, "a step needs exactly one of 'uses' (an action, with its 'with' "
                       "parameters) or 'workflow' (another workflow file)")]
    return [(path, str(error.message))]
