"""``${{ … }}`` expressions: looked up, never evaluated as Python.

An expression is one or more terms separated by ``||`` (the first that is not empty wins); a
term is a reference such as ``vars.X``, ``steps.ID.outputs.KEY``, ``run.id``, ``env.X`` or
``inputs.X``, optionally negated with ``!``, or a literal (``'text'``, ``true``, ``false``,
``null``, a number).  A string that is exactly one expression keeps the value's type (a list
stays a list); expressions inside longer strings are interpolated as text.

``env.X`` reads the environment through :class:`~aim.secrets.envvars.SecretEnv`: the value of
a variable that holds a secret (named in aim_config.json, or named like ``*_API_KEY``,
``*_TOKEN``, ``*_SECRET``, ``*PASSWORD``) is registered with the redaction filter as it is
read, so it is masked wherever the resolved text goes (step output, journal, audit, terminal).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aim.secrets.envvars import SecretEnv

ROOTS = ("vars", "steps", "run", "env", "inputs")
RUN_KEYS = ("id", "root", "state_dir", "status", "failed_step", "workflow")
EXPR = re.compile(r"\$\{\{((?:(?!\}\}).)*)\}\}")
REF = re.compile(r"^(!?)\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or resolved; the message names the expression."""


@dataclass(frozen=True)
class Ref:
    """A reference inside an expression: its root and the dotted parts after it."""

    root: str
    parts: tuple[str, ...]
    negate: bool = False

    @property
    def text(self) -> str:
        return ".".join((self.root, *self.parts))


Term = Ref | tuple[str, Any]  # a reference, or ("literal", value)


def _term(text: str, expression: str) -> Term:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return ("literal", text[1:-1])
    if text in LITERALS:
        return ("literal", LITERALS[text])
    if NUMBER.match(text):
        return ("literal", float(text) if "." in text else int(text))
    match = REF.match(text)
    if not match:
        raise ExpressionError(f"'${{{{ {expression} }}}}': cannot read {text!r}; write a "
                              "reference like vars.NAME or steps.ID.outputs.KEY, or a quoted "
                              "'literal'")
    root, *parts = match.group(2).split(".")
    if root not in ROOTS:
        raise ExpressionError(f"'${{{{ {expression} }}}}': unknown root {root!r}; use one of "
                              f"{', '.join(ROOTS)}")
    return Ref(root, tuple(parts), negate=bool(match.group(1)))


def parse(expression: str) -> list[Term]:
    """The ``||``-separated terms of the text between ``${{`` and ``}}``."""
    if not expression.strip():
        raise ExpressionError("'${{ }}': empty expression")
    return [_term(part, expression.strip()) for part in expression.split("||")]


def expressions_in(value: Any) -> list[str]:
    """Every expression text inside a (nested) value, in order."""
    if isinstance(value, str):
        return EXPR.findall(value)
    if isinstance(value, Mapping):
        return [e for item in value.values() for e in expressions_in(item)]
    if isinstance(value, (list, tuple)):
        return [e for item in value for e in expressions_in(item)]
    return []


def unclosed_in(value: Any) -> str | None:
    """The first string of a (nested) value with a ``${{`` that no ``}}`` closes, or None."""
    if isinstance(value, str):
        return value if "${{" in EXPR.sub("", value) else None
    items = value.values() if isinstance(value, Mapping) else \
        value if isinstance(value, (list, tuple)) else ()
    return next((found for item in items if (found := unclosed_in(item)) is not None), None)


def refs_in(value: Any) -> list[Ref]:
    """Every reference inside a (nested) value; raises ExpressionError on a bad expression
    (an unclosed ``${{`` included: it would otherwise pass as plain text)."""
    unclosed = unclosed_in(value)
    if unclosed is not None:
        raise ExpressionError(f"{unclosed!r}: '${{{{' is not closed; end the expression "
                              "with '}}'")
    return [t for e in expressions_in(value) for t in parse(e) if isinstance(t, Ref)]


def is_whole_expression(value: Any) -> bool:
    """True for a string that is exactly one ``${{ … }}`` (its type is known only at run time)."""
    return isinstance(value, str) and EXPR.fullmatch(value.strip()) is not None


def lookup(ref: Ref, scope: Mapping[str, Any]) -> Any:
    """The value ``ref`` names in ``scope`` (None when a part is missing)."""
    return _lookup(ref, scope)


def _env(scope: Mapping[str, Any]) -> SecretEnv:
    """The scope's environment, read so that secret values are registered for redaction."""
    env = scope.get("env") or {}
    return env if isinstance(env, SecretEnv) else SecretEnv(env)


def _lookup(ref: Ref, scope: Mapping[str, Any]) -> Any:
    current: Any = _env(scope) if ref.root == "env" else scope.get(ref.root, {})
    if isinstance(current, SecretEnv) and not ref.parts:
        return dict(current)  # the whole environment: each secret in it is registered
    for part in ref.parts:
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, (list, tuple)) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


Pending = Callable[[Ref], Any]


def _evaluate(expression: str, scope: Mapping[str, Any], pending: Pending | None) -> Any:
    value: Any = None
    for term in parse(expression):
        if isinstance(term, Ref) and pending is not None and term.root == "steps":
            return pending(term)
        if isinstance(term, Ref):
            value = _lookup(term, scope)
            if term.negate:
                value = not truthy(value)
        else:
            value = term[1]
        if value not in (None, "", [], {}):
            return value
    return value


def truthy(value: Any) -> bool:
    """How ``when:`` reads a resolved value: the strings 'false', '0', 'no' and '' are false."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "0", "no", "off", "none", "null")
    return bool(value)


def resolve(value: Any, scope: Mapping[str, Any], pending: Pending | None = None) -> Any:
    """``value`` with every expression in it replaced by what it refers to.

    With ``pending`` (plans made before a run), step outputs are not looked up: an expression
    that needs one becomes ``pending(ref)``.
    """
    if isinstance(value, str):
        whole = EXPR.fullmatch(value.strip())
        if whole:
            return _evaluate(whole.group(1), scope, pending)

        def text(match: re.Match[str]) -> str:
            found = _evaluate(match.group(1), scope, pending)
            return "" if found is None else str(found)

        return EXPR.sub(text, value)
    if isinstance(value, Mapping):
        return {k: resolve(v, scope, pending) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolve(item, scope, pending) for item in value]
    return value
