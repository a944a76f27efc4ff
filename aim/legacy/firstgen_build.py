"""The pieces the first-generation mapping is built from: a collector of data and fates, type
checks that name file, line and key path, and the value conversions.

A value of the wrong type for its key (``registry.tools`` a list, ``minSizeKB`` a string)
raises InputError; a value of the right type that aim_config.json cannot hold (a pin that is
no version, a timeout of 0) raises :class:`Unfit` and is carried with the reason.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aim.config.secretscan import find_secrets
from aim.errors import InputError
from aim.legacy.fates import CARRIED, DROPPED, MAPPED, KeyFate
from aim.legacy.firstgen import FirstGenFile, type_name
from aim.versions.pins import syntax_problem
from aim.yamlio import KeyPath, format_path

CARRIED_AT = "legacy.carried"
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
UNKNOWN = "a key AIM+ does not know; kept"


class Unfit(ValueError):
    """A value of the right type that aim_config.json cannot hold; carried with the reason."""


def put(data: dict[str, Any], target: tuple[str, ...], value: Any) -> None:
    """Set ``target`` (a key path of nested objects) to ``value``."""
    node = data
    for key in target[:-1]:
        node = node.setdefault(key, {})
    node[target[-1]] = value


@dataclass
class Builder:
    """aim_config.json data and key fates, collected while one file is mapped."""

    file: FirstGenFile
    data: dict[str, Any] = field(default_factory=lambda: {"version": 1})
    carried: dict[str, Any] = field(default_factory=dict)
    _fates: list[tuple[int, KeyFate]] = field(default_factory=list)

    def fate(self, path: KeyPath, fate: str, target: str = "", note: str = "") -> None:
        line = self.file.lines.line(path)
        self._fates.append((line, KeyFate(self.file.source, format_path(path), fate, target,
                                          note)))

    def mapped(self, path: KeyPath, target: tuple[str, ...], value: Any, note: str = "") -> None:
        put(self.data, target, value)
        self.fate(path, MAPPED, format_path(target), note)

    def carry(self, path: KeyPath, value: Any, note: str) -> None:
        """Keep ``value`` under ``legacy.carried.<source>.<key path>`` — unless it looks like a
        secret value, which is never copied into aim_config.json."""

        secret = next(iter(find_secrets({"key": value})), None)
        if secret is not None:
            self.fate(path, DROPPED, note=f"this looks like a secret value ({secret[1]}); "
                      "never copied into aim_config.json: store it in the keyring with "
                      "'aim secrets.set NAME'")
            return
        self.carried[format_path(path)] = value
        self.fate(path, CARRIED, CARRIED_AT, note)

    def annotate(self, path: KeyPath, extra: str) -> None:
        """Add ``extra`` to the note of the fate of ``path``."""
        key = format_path(path)
        self._fates = [(line, replace(f, note=join(f.note, extra)) if f.key == key else f)
                       for line, f in self._fates]

    def fates(self) -> tuple[KeyFate, ...]:
        """Every fate, in the order of the source's lines."""
        return tuple(f for _line, f in sorted(self._fates, key=lambda item: item[0]))

    def wrong(self, path: KeyPath, value: Any, expected: str) -> InputError:
        return self.file.error(path, f"must be {expected}, not {type_name(value)} "
                                     f"({value!r})")

    def obj(self, path: KeyPath, value: Any) -> dict[str, Any]:
        """``value`` if it is an object; InputError otherwise."""
        if not isinstance(value, dict):
            raise self.wrong(path, value, "an object (key: value pairs)")
        return value


def join(*notes: str) -> str:
    return "; ".join(note for note in notes if note)


def valid_name(raw: str) -> str:
    """``raw`` as an aim_config.json tool or capability name: lower-cased, other characters
    '-', starting with a letter."""
    name = re.sub(r"[^a-z0-9_-]", "-", raw.lower())
    return name if _NAME.match(name) else f"x-{name}"


def assign_names(raws: list[str]) -> dict[str, str]:
    """Each raw id → a valid, distinct name (a clash gets ``-2``, ``-3``…)."""
    names: dict[str, str] = {}
    for raw in raws:
        name, base, n = valid_name(raw), valid_name(raw), 1
        while name in names.values():
            n += 1
            name = f"{base}-{n}"
        names[raw] = name
    return names


def renamed(raw: str, name: str, what: str) -> str:
    """The note for an id that had to change, or ''."""
    if raw == name:
        return ""
    return (f"{what} id {raw!r} is no valid aim_config.json name (lowercase letters, digits, "
            f"'-' and '_', starting with a letter): it is {name!r}")


# Conversions: (builder, key path, value) → (converted value, note).

def as_text(b: Builder, path: KeyPath, value: Any) -> tuple[Any, str]:
    """A non-empty string, or null."""
    if value is not None and not isinstance(value, str):
        raise b.wrong(path, value, "a string")
    if value == "":
        raise Unfit("empty")
    return value, ""


def as_strings(b: Builder, path: KeyPath, value: Any) -> tuple[list[str], str]:
    """A list of strings (one string alone is a list of one); repeats and empty strings go."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise b.wrong(path, value, "a list of strings")
    kept: list[str] = []
    notes = []
    for item in items:
        if not item.strip():
            notes.append("an empty string left out")
        elif item.casefold() in (k.casefold() for k in kept):
            notes.append(f"{item!r} is listed again; kept once")
        else:
            kept.append(item)
    return kept, join(*notes)


def as_argv(b: Builder, path: KeyPath, value: Any) -> tuple[list[str], str]:
    """An argument list; a string is split like a Windows command line (backslashes kept,
    quotes group)."""
    if not isinstance(value, str):
        return as_list_of_args(b, path, value), ""
    try:
        parts = shlex.split(value, posix=False)
    except ValueError as err:
        raise b.file.error(path, f"{value!r} cannot be split into arguments ({err}); write "
                                 "it as a list of arguments") from None
    return [_unquote(part) for part in parts], f"split into arguments from {value!r}"


def as_list_of_args(b: Builder, path: KeyPath, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(i, str) and i for i in value):
        raise b.wrong(path, value, "a command string or a list of non-empty strings")
    return list(value)


def _unquote(part: str) -> str:
    return part[1:-1] if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'" else part


def as_count(b: Builder, path: KeyPath, value: Any) -> tuple[int, str]:
    """A whole number, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise b.wrong(path, value, "a whole number")
    if value < 0 or int(value) != value:
        raise Unfit(f"{value!r} is not a whole number of 0 or more")
    return int(value), ""


def as_seconds(b: Builder, path: KeyPath, value: Any) -> tuple[float | int, str]:
    """Milliseconds → seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise b.wrong(path, value, "a number of milliseconds")
    if value <= 0:
        raise Unfit(f"{value!r}: aim_config.json needs a timeout of more than 0 seconds")
    seconds = value / 1000
    return (int(seconds) if float(seconds).is_integer() else seconds), \
        f"{value!r} ms → {value / 1000:g} s"


def pin_problem(manager: str, spec: str) -> str | None:
    return syntax_problem(manager, spec) if spec.strip() else "is empty"


def managed(data: Mapping[str, Any], manager: str) -> list[str]:
    """The packages ``data`` lists for ``manager``."""
    return list(data.get("packages", {}).get(manager, []))
