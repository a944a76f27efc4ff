"""Turn JSON Schema validation errors into messages a person can act on."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from aim.yamlio import KeyPath

_TYPE_NAMES = {
    "object": "a mapping", "array": "a list", "string": "a string", "integer": "a whole number",
    "number": "a number", "boolean": "true or false", "null": "null",
}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def type_name(value: Any) -> str:
    """How a YAML/JSON value's type is named in messages."""
    for kind, python in (("boolean", bool), ("integer", int), ("number", float),
                         ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, python):
            return _TYPE_NAMES[kind]
    return "null" if value is None else type(value).__name__


def _wanted(types: str | Sequence[str]) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_NAMES.get(name, name) for name in names)


def explain(error: Any) -> list[tuple[KeyPath, str]]:
    """(key path, message) pairs for one ``jsonschema.ValidationError``."""
    path: KeyPath = tuple(error.absolute_path)
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return [((*path, key), f"unknown key {key!r}{did_you_mean(key, allowed)}; "
                               f"allowed here: {', '.join(allowed)}")
                for key in instance if key not in allowed]
    if validator == "required":
        return [(path, f"missing required key {key!r}") for key in expected
                if key not in instance]
    if validator == "type":
        return [(path, f"must be {_wanted(expected)}, not {type_name(instance)}")]
    if validator == "enum":
        choices = ", ".join(repr(c) for c in expected)
        return [(path, f"{instance!r} is not allowed; use one of {choices}")]
    if validator == "const":
        return [(path, f"must be {expected!r}, not {instance!r}")]
    if validator == "pattern":
        return [(path, f"{instance!r} is not a valid name: use lowercase letters, digits, '-' "
                       "and '_', starting with a letter")]
    if validator == "minItems":
        return [(path, f"needs at least {expected} item(s)")]
    if validator == "oneOf" and isinstance(instance, dict):
        return [(path, "a step needs exactly one of 'uses' (an action, with its 'with' "
                       "parameters) or 'workflow' (another workflow file)")]
    return [(path, str(error.message))]
