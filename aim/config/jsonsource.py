"""Parse a JSON file and remember the line of every key path, for ``file:line: key.path`` errors.

``json`` gives no positions for values, so after ``json.loads`` has accepted the text a small
scanner walks it once more and records where each key (and each list item) starts.  The same
walk rejects duplicate keys, which ``json`` would silently collapse to the last one.
"""

from __future__ import annotations

import bisect
import json
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from aim.errors import ConfigError
from aim.yamlio import KeyPath, LineMap, format_path

_WHITESPACE = " \t\n\r"


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
        data = json.loads(text)
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
    """Read ``path`` (UTF-8, a BOM accepted) and parse it with :func:`parse_json`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: is not UTF-8 text ({err.reason} at byte {err.start}); "
                          "save it as UTF-8") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror}); check that it exists "
                          "and is readable") from None
    return parse_json(text, str(path))
