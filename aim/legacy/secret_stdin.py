"""``--secrets-from stdin``: secret values given on standard input, read at once, never shown.

A program that already holds the values (``aim fleet.deploy`` on the controller) writes them
to the stdin of ``aim migrate|deploy --secrets-from stdin``: one JSON object
``{"NAME": "value", ...}`` or ``NAME=VALUE`` lines (blank lines and ``#`` comments ignored).
Names are the secret names of aim_config.json (or the variable each is exported as).  The
whole input is read before the run starts and every value is registered with the redaction
filter at once; no message ever quotes the input, only line numbers and names.
"""

from __future__ import annotations

import json
from typing import IO, Any

from aim import redact
from aim.errors import InputError
from aim.secrets.names import NAME_PATTERN

MAX_BYTES = 1 << 20
FORMAT = ("--secrets-from stdin takes one JSON object of NAME: \"value\" strings, or "
          "NAME=VALUE lines")

_given: dict[str, str] = {}


def take_stdin(stream: IO[str]) -> dict[str, str]:
    """Read all of ``stream`` now, parse it and keep the values for this process's run."""
    if stream.isatty():
        raise InputError("--secrets-from stdin reads the values from a pipe (as 'aim "
                         "fleet.deploy' gives them), not from a terminal: use --secrets-from "
                         "prompt to type them, or pipe them in")
    text = stream.read(MAX_BYTES + 1)
    if len(text) > MAX_BYTES:
        raise InputError(f"{FORMAT}; stdin holds more than {MAX_BYTES} bytes")
    values = parse(text)
    for value in values.values():
        redact.register(value)
    _given.clear()
    _given.update(values)
    return dict(values)


def given() -> dict[str, str]:
    """The values read by :func:`take_stdin` in this process ({} when none were)."""
    return dict(_given)


def parse(text: str) -> dict[str, str]:
    """``{name: value}`` from a JSON object or NAME=VALUE lines; InputError without values."""
    if text.lstrip().startswith("{"):
        return _from_json(text)
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not _is_name(name.strip()):
            raise InputError(f"{FORMAT}; line {number} of stdin is not NAME=VALUE (its "
                             "content is not shown, it may be a secret)")
        values[name.strip()] = value
    return values


def _from_json(text: str) -> dict[str, str]:
    try:
        data: Any = json.loads(text)
    except ValueError:
        raise InputError(f"{FORMAT}; stdin starts like JSON but is not valid JSON (its "
                         "content is not shown, it may hold secrets)") from None
    if not isinstance(data, dict) or not all(
            isinstance(v, str) and _is_name(k) for k, v in data.items()):
        raise InputError(f"{FORMAT}; stdin's JSON is not such an object (names like "
                         "OPENAI_API_KEY, string values)")
    return dict(data)


def _is_name(name: str) -> bool:
    return NAME_PATTERN.fullmatch(name) is not None
