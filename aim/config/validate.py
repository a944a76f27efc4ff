"""Validate aim_config.json data: the JSON Schema first, then what a schema cannot say.

Every problem is a (key path, message) pair; :func:`validate_data` turns them into
``file:line: key.path: message`` lines.  A value that looks like a secret is named by its key
path only: it is masked in every message, including those of the schema check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from aim.config.secretscan import find_secrets
from aim.config.semantics import semantic_problems
from aim.resources import load_schema
from aim.schema_errors import JSON_TYPES, Problem, did_you_mean, explain_common
from aim.yamlio import KeyPath, LineMap, format_path

SCHEMA_NAME = "aim_config.schema.json"

@cache
def _validator() -> Any:
    return Draft202012Validator(load_schema(SCHEMA_NAME))


# What to do about each shared kind of error, added to its message.
_FIXES = {"additionalProperties": "; rename or remove it", "required": "; add it"}


def _explain(error: Any) -> list[Problem]:
    common = explain_common(error, JSON_TYPES)
    if common is not None:
        fix = _FIXES.get(str(error.validator), "")
        return [(path, message + fix) for path, message in common]
    path: KeyPath = tuple(error.absolute_path)
    kind, expected, instance = error.validator, error.validator_value, error.instance
    if kind == "enum":
        hint = did_you_mean(str(instance), map(str, expected))
        return [(path, f"{instance!r} is not allowed{hint}; use one of "
                       f"{', '.join(map(str, expected))}")]
    if kind == "const":
        return [(path, f"must be {expected!r}, not {instance!r}")]
    if "propertyNames" in error.schema_path:
        # a key that breaks propertyNames is reported against its parent object
        rule = ("letters, digits, '_', '.' and '-', starting with a letter or '_'"
                if path[:1] == ("secrets",) else
                "lowercase letters, digits, '-' and '_', starting with a letter")
        return [((*path, instance), f"{instance!r} is not a valid name here: use {rule}")]
    if kind == "uniqueItems":
        return [(path, "lists the same item twice; remove the duplicate")]
    if kind in ("minItems", "minLength"):
        return [(path, "must not be empty")]
    return [(path, str(error.message))]


def schema_problems(data: Any) -> list[Problem]:
    """Problems the JSON Schema finds, in key-path order."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    return [problem for error in errors for problem in _explain(error)]


def _secret_problems(data: Any) -> list[Problem]:
    problems = []
    for path, kind, _value in find_secrets(data):
        name = str(path[1]) if len(path) > 2 and path[0] == "secrets" else "NAME"
        listed = "" if name != "NAME" else " (and list NAME under 'secrets')"
        problems.append((path, f"this looks like a secret value ({kind}); secret values never "
                               "go in aim_config.json: remove it and store the value in the "
                               f"keyring with 'aim secrets.set {name}'{listed}"))
    return problems


def problems_of(data: Mapping[str, Any]) -> list[Problem]:
    """Every problem of ``data``: secrets, the schema, and the references between sections."""
    schema = schema_problems(data)
    schema_paths = frozenset(path for path, _message in schema)
    return _secret_problems(data) + schema + semantic_problems(data, schema_paths)


def _mask(text: str, values: Sequence[str]) -> str:
    for value in values:
        text = text.replace(repr(value), "'***'").replace(value, "***")
    return text


def format_problems(problems: Sequence[Problem], source: str, data: Any,
                    lines: LineMap | None = None) -> list[str]:
    """``source:line: key.path: message`` lines, with secret-looking values masked."""
    values = sorted({v for _p, _k, v in find_secrets(data)}, key=len, reverse=True)
    if lines is not None:
        problems = sorted(problems, key=lambda problem: lines.line(problem[0]))
    out = []
    for path, message in problems:
        place = f"{source}:{lines.line(path)}" if lines is not None else source
        where = format_path(path)
        out.append(_mask(f"{place}: {where + ': ' if where else ''}{message}", values))
    return out


def validate_data(data: Any, source: str, lines: LineMap | None = None) -> list[str]:
    """Messages for every problem of ``data`` (empty: valid); ``lines`` adds line numbers."""
    if not isinstance(data, Mapping):
        return [f"{source}:1: the file must hold a JSON object with at least \"version\": 1"]
    return format_problems(problems_of(data), source, data, lines)
