"""docs/api.md: the reference of :mod:`aim.api`, generated from its signatures and docstrings."""

from __future__ import annotations

import inspect
from typing import Any

import aim.api as api

HEADER = """# The Python API (`aim.api`)

<!-- Generated from the docstrings of aim/api.py by `invoke docs`; a test keeps it fresh. -->

How to call these from an orchestrator, with a working example: [embedding.md](embedding.md).

"""


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__ or "").strip()


def _function(name: str, fn: Any) -> list[str]:
    prefix = "async " if inspect.iscoroutinefunction(fn) else ""
    signature = str(inspect.signature(fn)).replace("'", "")
    return [f"## `{prefix}{name}{signature}`", "", _doc(fn), ""]


def _members(cls: type) -> list[str]:
    lines = []
    for attr, value in vars(cls).items():
        if attr.startswith("_"):
            continue
        target = value.fget if isinstance(value, property) else value
        if callable(target) and target.__doc__:
            kind = "property" if isinstance(value, property) else "method"
            lines.append(f"- `{attr}` ({kind}): {_doc(target).splitlines()[0]}")
    return lines


def _class(name: str, cls: type) -> list[str]:
    base = ", ".join(b.__name__ for b in cls.__bases__ if b is not object)
    members = _members(cls)
    return [f"## class `{name}`" + (f" ({base})" if base else ""), "", _doc(cls), "",
            *members, *([""] if members else [])]


def render_api_md() -> str:
    """The whole page: the module's introduction, then each public name in ``__all__``."""
    lines = [HEADER + _doc(api), ""]
    for name in api.__all__:
        obj = getattr(api, name)
        lines += _class(name, obj) if inspect.isclass(obj) else _function(name, obj)
    return "\n".join(lines).rstrip() + "\n"
