"""Turn JSON Schema validation errors into messages a person can act on.

The cases every AIM+ file shares live here (unknown keys with a "did you mean", missing keys,
wrong types, constants); the workflow loader and the config loader add their own on top.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from aim.resources import load_schema
from aim.yamlio import KeyPath, LineMap, format_path

Problem = tuple[KeyPath, str]

YAML_TYPES = {
    "object": "a mapping", "array": "a list", "string": "a string", "integer": "a whole number",
    "number": "a number", "boolean": "true or false", "null": "null",
}
JSON_TYPES = {**YAML_TYPES, "object": "an object"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def type_name(value: Any, names: Mapping[str, str] = YAML_TYPES) -> str:
    """How a value's type is named in messages."""
    for kind, python in (("boolean", bool), ("integer", int), ("number", float),
                         ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, python):
            return names[kind]
    return "null" if value is None else type(value).__name__


def wanted(types: str | Sequence[str], names: Mapping[str, str] = YAML_TYPES) -> str:
    """The schema's ``type`` as words: ``a string or null``."""
    listed = [types] if isinstance(types, str) else list(types)
    return " or ".join(names.get(name, name) for name in listed)


_BOUNDS = {"minimum": "at least", "exclusiveMinimum": "more than", "maximum": "at most",
           "exclusiveMaximum": "less than"}


def explain_common(error: Any, names: Mapping[str, str] = YAML_TYPES) -> list[Problem] | None:
    """(key path, message) pairs for the errors every file shares; None for any other error."""
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
        return [(path, f"must be {wanted(expected, names)}, not {type_name(instance, names)}")]
    if validator == "const":
        return [(path, f"must be {expected!r}, not {instance!r}")]
    if validator in _BOUNDS:
        return [(path, f"must be {_BOUNDS[validator]} {expected}, not {instance!r}")]
    return None


MAX_REPORTED = 8  # problems listed at once; the rest are counted


class Problems:
    """Collects ``file:line: key.path: message`` lines for one file, then raises them as one
    error: the first :data:`MAX_REPORTED`, a count of the rest, and an optional closing line."""

    def __init__(self, path: Path, lines: LineMap, error: Callable[[str], Exception],
                 closing: str = "") -> None:
        self.path, self.lines, self.error, self.closing = path, lines, error, closing
        self.items: list[str] = []

    def add(self, where: KeyPath, message: str) -> None:
        place = format_path(where)
        self.items.append(f"{self.path}:{self.lines.line(where)}: "
                          f"{place + ': ' if place else ''}{message}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        more = len(self.items) - MAX_REPORTED
        tail = [f"(and {more} more)"] if more > 0 else []
        raise self.error("\n".join([*self.items[:MAX_REPORTED], *tail,
                                     *([self.closing] if self.closing else [])]))


def add_schema_problems(data: Any, schema: str, explain: Callable[[Any], list[Problem]],
                        problems: Problems) -> None:
    """Validate ``data`` against the shipped schema ``schema`` and add every error, in key-path
    order, as ``explain`` words it."""
    validator = Draft202012Validator(load_schema(schema))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        for where, message in explain(error):
            problems.add(where, message)
