"""Write ``aim_config.json``: validate first, then replace the file atomically.

A config that does not validate is never written, so the file on disk is always either the old
valid content or the new valid content.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aim.config.load import raise_problems
from aim.config.validate import validate_data
from aim.fsio import atomic_write_bytes, dumps_json

DEFAULT_MODE = 0o644


def render(data: Mapping[str, Any]) -> str:
    """The text AIM+ writes for ``data``: two-space JSON, key order kept, final newline."""
    return dumps_json(data)


def diff(before: str | None, data: Mapping[str, Any], name: str = "aim_config.json") -> str:
    """The unified diff from the file's text ``before`` (None: no file) to ``data`` written."""
    old = (before or "").splitlines(keepends=True)
    new = render(data).splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, "/dev/null" if before is None else f"a/{name}",
                                        f"b/{name}"))


def write_config(path: Path, data: Mapping[str, Any]) -> None:
    """Validate ``data`` and write it to ``path`` atomically (the file mode is kept).

    ConfigError (nothing written) names each problem by key path.
    """
    raise_problems([f"{message} (not written)" for message in
                    validate_data(data, str(path))])
    mode = path.stat().st_mode & 0o7777 if path.is_file() else DEFAULT_MODE
    atomic_write_bytes(path, render(data).encode("utf-8"), mode)
