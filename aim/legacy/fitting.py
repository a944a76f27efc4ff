"""Make mapped legacy data fit aim_config.json without losing a value or stopping a migration.

A value the legacy tool accepted is never a reason to stop: whatever aim_config.json's schema
or cross-checks reject (an unknown manager in a priority list, a pin that is no version, a
string where a number belongs) moves from the data to ``legacy.carried.<source>`` as written,
and its fate says why.  Values that look like secrets are the one exception: they are never
copied into a file, only named.  Lists lose their duplicates (case-insensitively for commands
and Windows paths, which Windows does not tell apart), each merge reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aim.config.validate import problems_of
from aim.legacy.fates import CARRIED, DROPPED, MAPPED, MERGED, KeyFate
from aim.yamlio import KeyPath, format_path

ABSENT = object()
CARRIED_AT = "legacy.carried"
# target path → [(legacy key path, how many parts of the target its row covers)]
Origin = Callable[[KeyPath], Sequence[tuple[tuple[str, ...], int]]]
_FOLDED = {("master_bin", "deny"), ("master_bin", "priority"), ("master_bin", "sources"),
           ("scan", "roots"), ("paths", "watch_roots"), ("audit", "allow_roots")}
_MAX_ROUNDS = 50


def get_path(node: Any, path: Sequence[str | int]) -> Any:
    """The value at ``path`` in nested dicts/lists, or ABSENT."""
    for key in path:
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if in_list or (isinstance(node, Mapping) and key in node):
            node = node[key]
        else:
            return ABSENT
    return node


def put_path(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    """Set ``path`` to ``value``; lists are united and mappings merged with what is there."""
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    old = node.get(path[-1])
    if isinstance(old, list) and isinstance(value, list):
        value = old + value
    elif isinstance(old, dict) and isinstance(value, Mapping):
        value = {**old, **value}
    node[path[-1]] = value


def carry(carried: dict[str, Any], source: str, key: str, value: Any, note: str) -> KeyFate:
    """Keep ``value`` verbatim under ``legacy.carried.<source>.<key>``; its fate."""
    carried[key] = value
    return KeyFate(source, key, CARRIED, CARRIED_AT, note)


def _dedupe_key(path: tuple[str, ...], item: Any) -> Any:
    return item.casefold() if path in _FOLDED and isinstance(item, str) else item


def _list_paths(node: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(node, list):
        return [prefix]
    if isinstance(node, Mapping):
        return [p for key, value in node.items() for p in _list_paths(value, (*prefix, key))]
    return []


def dedupe_lists(data: dict[str, Any], source: str, origin: Origin) -> list[KeyFate]:
    """Remove repeated items from every list of ``data``; a ``merged`` fate for each."""
    fates = []
    for path in _list_paths(data):
        kept: list[Any] = []
        seen: dict[Any, Any] = {}
        for item in get_path(data, path):
            key = _dedupe_key(path, item)
            if not isinstance(key, str | int | float | bool):  # a mapping or list: kept
                kept.append(item)
            elif key in seen:
                fates.append(KeyFate(source, _legacy_name(origin, path), MERGED,
                                     format_path(path),
                                     f"{item!r} is listed again (as {seen[key]!r}); kept once"))
            else:
                seen[key] = item
                kept.append(item)
        put_at(data, path, kept)
    return fates


def put_at(data: dict[str, Any], path: Sequence[str | int], value: Any) -> None:
    """Replace the value at an existing ``path``."""
    parent = get_path(data, path[:-1])
    parent[path[-1]] = value


def _legacy_name(origin: Origin, path: KeyPath) -> str:
    """The legacy key path a value at ``path`` of the data came from."""
    candidates = origin(path)
    if not candidates:
        return format_path(path)
    legacy, depth = candidates[0]
    return format_path((".".join(legacy), *path[depth:]))


def _remove(data: dict[str, Any], path: KeyPath) -> None:
    parent = get_path(data, path[:-1])
    if isinstance(parent, list) and isinstance(path[-1], int):
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent.pop(path[-1], None)


def _problems(data: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    return problems_of(data)


def fit_to_schema(data: dict[str, Any], source: str, fates: list[KeyFate],
                  carried: dict[str, Any], origin: Origin) -> list[KeyFate]:
    """Carry every value of ``data`` that aim_config.json rejects; the fates, updated.

    Problems are handled deepest path first, so list indexes stay valid within a round.
    """
    for _ in range(_MAX_ROUNDS):
        problems = _problems(data)
        if not problems:
            return fates
        for path, message in sorted(problems, key=lambda p: [str(k) for k in p[0]],
                                    reverse=True):
            value = get_path(data, path)
            if value is ABSENT:
                continue
            fates = _set_aside(data, path, value, message, source, fates, carried, origin)
    return fates


def _set_aside(data: dict[str, Any], path: KeyPath, value: Any, message: str, source: str,
               fates: list[KeyFate], carried: dict[str, Any], origin: Origin) -> list[KeyFate]:
    if path[:2] == ("legacy", "carried"):  # a carried value that looks like a secret
        key = str(path[3]) if len(path) > 3 else format_path(path)
        carried.pop(key, None)
        data["legacy"]["carried"][source].pop(key, None)
        return [f for f in fates if f.key != key] + [KeyFate(source, key, DROPPED, "", message)]
    _remove(data, path)
    key = _legacy_name(origin, path)
    if "looks like a secret value" in message:
        return [*fates, KeyFate(source, key, DROPPED, "", message)]
    kept = [f for f in fates if not (f.key == key and f.fate == MAPPED)]
    return [*kept, carry(carried, source, key, value,
                         f"{message} — kept as written; correct it in aim_config.json to use it")]
