"""The one YAML module of AIM+: safe, bounded loading that remembers where every value came from.

``load_yaml`` returns the data (plain dicts, lists and scalars, built by PyYAML's safe
constructor) and a :class:`LineMap` that gives the line of any key path, so that every error
can say ``file:line: key.path: what is wrong``.  Duplicate keys, which PyYAML accepts silently,
are rejected.  So is what would make a small file take the machine (see :mod:`aim.limits`): a
file over the size limit, nesting deeper than the depth limit, more aliases to lists or
mappings than the alias limit, or a document whose aliases expand to more values than the node
limit (the "billion laughs" bomb); and values Python cannot hold (an integer of thousands of
digits, a date with month 13) or that no setting can use (``.nan``, ``.inf``).

Documents are composed by PyYAML's C loader (libyaml, about five times faster on a large
workflow) where PyYAML has it, and the limits are then checked on the composed document; a
document over a limit, or that libyaml refuses, is parsed again by the pure loader, which
stops at the first limit and names its line.  Without libyaml the pure loader does it all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from aim.limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES, read_limited

KeyPath = tuple[str | int, ...]
LIBYAML_NESTING = (0, 2, 5)  # the first libyaml that refuses nesting past 1000 levels itself
_DEEP = (f"nested deeper than {MAX_DEPTH} levels of lists and mappings (the limit for YAML "
         "files AIM+ reads); flatten it")


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


def _line(node_or_event: Any) -> int:
    return int(node_or_event.start_mark.line) + 1


class _Values:
    """What both loaders share: a value Python cannot hold, or no setting can use, is a
    YamlError with its line (mixed into the constructor side of each loader)."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep)  # type: ignore[misc]
        except YamlError:
            raise
        except (ValueError, OverflowError) as err:
            reason = str(err).split(";")[0]  # not Python's advice on its own settings
            raise YamlError(_line(node), f"cannot read the value {_short(node)}: "
                            f"{reason}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise YamlError(_line(node), f"{_short(node)} is not a finite number; AIM+ "
                            "settings take finite numbers only")
        return value


@cache
def _loader_class() -> type[Any]:
    """PyYAML's SafeLoader with AIM+'s limits (built on first use)."""
    class BoundedLoader(_Values, yaml.SafeLoader):
        """Counts aliases and nesting while composing; turns bad values into YamlError."""

        def __init__(self, text: str) -> None:
            super().__init__(text)
            self.aim_aliases = 0
            self.aim_depth = 0

        def fetch_flow_collection_start(self, token_class: Any) -> None:
            # checked while scanning too: the scanner reads ahead over a run of '[' or '{'
            if self.flow_level >= MAX_DEPTH:
                raise YamlError(self.line + 1, _DEEP)
            super().fetch_flow_collection_start(token_class)

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self._count_alias(self.peek_event())  # type: ignore[no-untyped-call]
                return super().compose_node(parent, index)
            if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
                return super().compose_node(parent, index)
            self.aim_depth += 1
            if self.aim_depth > MAX_DEPTH:
                raise YamlError(_line(self.peek_event()), _DEEP)  # type: ignore[no-untyped-call]
            try:
                return super().compose_node(parent, index)
            finally:
                self.aim_depth -= 1

        def _count_alias(self, event: Any) -> None:
            if not isinstance(self.anchors.get(event.anchor), yaml.CollectionNode):
                return  # an alias of a scalar costs nothing
            self.aim_aliases += 1
            if self.aim_aliases > MAX_ALIASES:
                raise YamlError(_line(event), f"more than {MAX_ALIASES} aliases (*{event.anchor} "
                                "and the like) to lists or mappings, the limit for YAML files "
                                "AIM+ reads (it stops alias bombs); write the values out")

    return BoundedLoader


def _short(node: Any) -> str:
    """A scalar's text as written (cut at 40 characters), for messages."""
    text = node.value if isinstance(node.value, str) else ""
    return repr(text if len(text) <= 40 else text[:40] + "…")


class _Indexer:
    """Records the line of every key path, walking aliases as often as they are used; the
    walk stops at :data:`MAX_NODES` values, so an alias bomb is refused before it expands."""

    def __init__(self) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.count = 0

    def walk(self, node: Any, path: KeyPath) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(_line(node), f"the document holds more than {MAX_NODES} values once "
                            "its aliases are expanded, the limit for YAML files AIM+ reads; "
                            "write it with fewer aliases")
        self.lines[path] = _line(node)
        if isinstance(node, yaml.MappingNode):
            self._mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                self.walk(item, (*path, position))

    def _mapping(self, node: Any, path: KeyPath) -> None:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = _line(key_node)
            if key in seen:
                where = format_path((*path, key))
                raise YamlError(line, f"{where}: duplicate key (first given on line "
                                      f"{seen[key]}); keep one of them")
            seen[key] = line
            child = (*path, key)
            self.walk(value_node, child)
            self.lines[child] = line


@cache
def _fast_loader_class() -> type[Any] | None:
    """PyYAML's C loader (libyaml) with the same value checks, or None where PyYAML was
    built without libyaml, or with one older than 0.2.5 (which does not bound nesting
    itself, and the C composer recurses once per level)."""
    try:  # PyYAML's C part: missing where PyYAML was built without libyaml
        from yaml import _yaml
    except ImportError:
        return None
    if not getattr(yaml, "__with_libyaml__", False) or _yaml.get_version() < LIBYAML_NESTING:
        return None

    class FastLoader(_Values, yaml.CSafeLoader):
        """Composes in C; the limits are then checked on the composed document."""

    return FastLoader


def _within_limits(root: Any) -> bool:
    """True when a document composed by the C loader keeps the depth and alias limits,
    counted as the pure loader counts them while composing: each collection at the depth of
    its first (anchored) place, each later reference to it one alias."""
    seen: set[int] = set()
    aliases = 0
    stack = [(root, 1)]
    while stack:  # a stack, not recursion: document order, whatever the depth
        node, depth = stack.pop()
        if not isinstance(node, yaml.CollectionNode):
            continue
        if id(node) in seen:
            aliases += 1
            if aliases > MAX_ALIASES:
                return False
            continue
        if depth > MAX_DEPTH:
            return False
        seen.add(id(node))
        children = (node.value if isinstance(node, yaml.SequenceNode)
                    else [part for pair in node.value for part in pair])
        stack.extend((child, depth + 1) for child in reversed(children))
    return True


def _composed(text: str) -> tuple[Any, Any]:
    """A loader and the document's node: composed in C where it is there and the document
    keeps the limits; otherwise (or on any problem) by the pure loader, which stops at the
    first limit and names its line exactly."""
    fast = _fast_loader_class()
    if fast is not None:
        loader = fast(text)
        try:
            node = loader.get_single_node()
            if node is None or _within_limits(node):
                return loader, node
        except yaml.YAMLError:
            pass  # said again, with its line, by the pure loader
        loader.dispose()
    loader = _loader_class()(text)
    try:
        return loader, loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise


def parse_yaml(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document safely within AIM+'s limits; raise :class:`YamlError` with the
    line on bad input (a limit's message names the limit)."""
    try:
        loader, node = _composed(text)
        try:
            if node is None:
                return None, LineMap({})
            indexer = _Indexer()
            indexer.walk(node, ())
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
    return data, LineMap(indexer.lines)


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read and parse ``path`` (UTF-8, BOM accepted); a file over the size limit is an
    InputError naming it, a missing one an OSError."""
    return parse_yaml(read_limited(path).decode("utf-8-sig"))
