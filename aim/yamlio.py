"""The one YAML module of AIM+: safe loading that remembers where every value came from.

``load_yaml`` returns the data (plain dicts, lists and scalars, built by PyYAML's safe
constructor) and a :class:`LineMap` that gives the line of any key path, so that every error
can say ``file:line: key.path: what is wrong``.  Duplicate keys, which PyYAML accepts silently,
are rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class LineMap:
    """1-based line numbers of the nodes of one YAML document, by key path."""

    lines: dict[KeyPath, int]

    def line(self, path: KeyPath) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1


class YamlError(ValueError):
    """A YAML document that cannot be parsed; carries the 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def format_path(path: KeyPath) -> str:
    """``("steps", 2, "uses")`` → ``steps[2].uses``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _index(node: Any, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    import yaml

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                where = format_path((*path, key))
                raise YamlError(line, f"{where}: duplicate key (first given on line "
                                      f"{seen[key]}); keep one of them")
            seen[key] = line
            child = (*path, key)
            _index(value_node, child, lines)
            lines[child] = line
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _index(item, (*path, position), lines)


def parse_yaml(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document safely; raise :class:`YamlError` with the line on bad input."""
    import yaml

    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, LineMap({})
            lines: dict[KeyPath, int] = {}
            _index(node, (), lines)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problem = err.problem or err.context or "invalid YAML"
        raise YamlError(line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as err:
        raise YamlError(1, f"invalid YAML: {err}") from None
    return data, LineMap(lines)


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read and parse ``path`` (UTF-8, BOM accepted)."""
    return parse_yaml(path.read_text(encoding="utf-8-sig"))
