"""The one bounded JSON loader of AIM+, and parsing that remembers the line of every key path.

:func:`decode_json` is ``json.loads`` within the limits of :mod:`aim.limits`: nesting deeper
than the depth limit (which would crash the parser), ``NaN``/``Infinity`` (not JSON, and they
slip past every schema bound) and numbers Python cannot hold are InputErrors naming the source,
the line and the limit.  Every JSON file a user gives AIM+ is read with it.

``json`` gives no positions for values, so after ``json.loads`` has accepted the text a small
scanner walks it once more and records where each key (and each list item) starts.  The same
walk rejects duplicate keys, which ``json`` would silently collapse to the last one.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from aim.errors import ConfigError, InputError
from aim.limits import MAX_DEPTH, read_limited
from aim.yamlio import KeyPath, LineMap, format_path

_WHITESPACE = " \t\n\r"
# what matters for the limits outside strings: brackets and the non-JSON constants
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|NaN|-?Infinity')


class _NotFinite(ValueError):
    """``json`` met NaN or Infinity."""


def _refuse_constant(name: str) -> Any:
    raise _NotFinite(name)


def _tokens(text: str) -> Iterator[tuple[int, str]]:
    """The position and text of each bracket and bare NaN/Infinity (strings skipped)."""
    for match in _TOKENS.finditer(text):
        if match.group()[0] != '"':
            yield match.start(), match.group()


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _check_depth(text: str, source: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return  # the usual case: too few brackets to nest that deep
    depth = 0
    for pos, token in _tokens(text):
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"{source}:{_line_of(text, pos)}: nested deeper than "
                                 f"{MAX_DEPTH} levels of lists and objects (the limit for JSON "
                                 "files AIM+ reads); flatten it (nothing was changed)")
        elif token in "]}":
            depth -= 1


def _not_finite(text: str, source: str, name: str) -> InputError:
    pos = next((pos for pos, token in _tokens(text) if token == name), 0)
    return InputError(f"{source}:{_line_of(text, pos)}: {name} is not a JSON number; write a "
                      "finite number (nothing was changed)")


def decode_json(text: str, source: str) -> Any:
    """``json.loads(text)`` within AIM+'s limits; ``source`` names the text in errors.

    A syntax error stays a ``json.JSONDecodeError`` (each caller words it for its file); too
    deep a nesting, NaN/Infinity and a number of thousands of digits are InputErrors.
    """
    _check_depth(text, source)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        raise
    except _NotFinite as err:
        raise _not_finite(text, source, str(err)) from None
    except ValueError as err:  # an integer longer than Python converts
        reason = str(err).split(";")[0]
        raise InputError(f"{source}: cannot read a number: {reason} (nothing was "
                         "changed)") from None


class _Walker:
    """Records the 1-based line of each key path of an already valid JSON text."""

    def __init__(self, text: str, source: str) -> None:
        self.text, self.source = text, source
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        self.lines: dict[KeyPath, int] = {}

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos] in _WHITESPACE:
            pos += 1
        return pos

    def value(self, pos: int, path: KeyPath) -> int:
        """Walk the value starting at ``pos`` (whitespace skipped); return the index after it."""
        pos = self.skip(pos)
        self.lines.setdefault(path, self.line_at(pos))
        char = self.text[pos]
        if char == "{":
            return self.mapping(pos + 1, path)
        if char == "[":
            return self.sequence(pos + 1, path)
        if char == '"':
            return int(scanstring(self.text, pos + 1)[1])
        end = pos
        while end < len(self.text) and self.text[end] not in ",]}" + _WHITESPACE:
            end += 1
        return end

    def mapping(self, pos: int, path: KeyPath) -> int:
        seen: dict[str, int] = {}
        pos = self.skip(pos)
        if self.text[pos] == "}":
            return pos + 1
        while True:
            pos = self.skip(pos)
            key, pos_after = scanstring(self.text, pos + 1)
            line = self.line_at(pos)
            if key in seen:
                raise ConfigError(
                    f"{self.source}:{line}: {format_path((*path, key))}: duplicate key (first "
                    f"given on line {seen[key]}); keep only one of them")
            seen[key] = line
            child: KeyPath = (*path, key)
            self.lines[child] = line
            pos = self.skip(pos_after) + 1  # the ':'
            pos = self.skip(self.value(pos, child))
            if self.text[pos] == "}":
                return pos + 1
            pos += 1  # the ','

    def sequence(self, pos: int, path: KeyPath) -> int:
        pos = self.skip(pos)
        if self.text[pos] == "]":
            return pos + 1
        index = 0
        while True:
            pos = self.skip(self.value(pos, (*path, index)))
            if self.text[pos] == "]":
                return pos + 1
            pos, index = pos + 1, index + 1


def parse_json(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse ``text``; a syntax error or duplicate key raises ConfigError with line and column."""
    try:
        data = decode_json(text, source)
    except json.JSONDecodeError as err:
        raise ConfigError(
            f"{source}:{err.lineno}: invalid JSON at column {err.colno}: {err.msg}; fix the "
            "syntax there (a missing comma or quote, or a trailing comma, is the usual cause)"
        ) from None
    walker = _Walker(text, source)
    walker.value(0, ())
    walker.lines[()] = 1
    return data, LineMap(walker.lines)


def read_json(path: Path) -> tuple[Any, LineMap]:
    """Read ``path`` (UTF-8, a BOM accepted; at most the size limit) and parse it with
    :func:`parse_json`."""
    try:
        text = read_limited(path).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: is not UTF-8 text ({err.reason} at byte {err.start}); "
                          "save it as UTF-8") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror}); check that it exists "
                          "and is readable") from None
    return parse_json(text.replace("\r\n", "\n").replace("\r", "\n"), str(path))
