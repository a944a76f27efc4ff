"""AIM+'s modules import what they use at the top, and those imports form no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

AIM = Path(__file__).resolve().parents[1] / "aim"


def _name(path: Path) -> str:
    parts = path.relative_to(AIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(tree: ast.Module, modules: set[str]) -> set[str]:
    """The aim modules a module imports when it is loaded (not under TYPE_CHECKING, not in a
    function); ``from aim.pkg import sub`` depends on ``aim.pkg.sub``, not on the package."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            subs = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found |= subs if len(subs) == len(node.names) else {node.module} | subs
    return found & modules


def import_graph() -> dict[str, set[str]]:
    paths = {_name(p): p for p in AIM.rglob("*.py")}
    return {name: _top_level_imports(ast.parse(path.read_text("utf-8")), set(paths)) - {name}
            for name, path in paths.items()}


def cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        name, path = stack.pop()
        for dep in sorted(graph[name]):
            if dep == start:
                return [*path, start]
            if dep not in seen:
                seen.add(dep)
                stack.append((dep, [*path, dep]))
    return None


def test_no_module_of_aim_imports_itself_round_a_cycle() -> None:
    graph = import_graph()
    cycles = [cycle for name in graph if (cycle := cycle_from(name, graph))]
    assert cycles == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    graph = {"aim.a": {"aim.b"}, "aim.b": {"aim.c"}, "aim.c": {"aim.a"}, "aim.d": {"aim.a"}}
    assert cycle_from("aim.a", graph) == ["aim.a", "aim.b", "aim.c", "aim.a"]
    assert cycle_from("aim.d", graph) is None
