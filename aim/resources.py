"""Where the files AIM+ ships beside its code live: ``workflows/`` and ``schemas/``.

In a source checkout (and an editable install) they are the repository's top-level folders;
an installed wheel puts them under ``<prefix>/share/aim-plus/``.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

_SOURCE_ROOT = Path(__file__).resolve().parents[1]


def shipped_dir(kind: str) -> Path:
    """The folder of shipped ``workflows`` or ``schemas``."""
    for base in (_SOURCE_ROOT, Path(sys.prefix) / "share" / "aim-plus"):
        candidate = base / kind
        if candidate.is_dir():
            return candidate
    return _SOURCE_ROOT / kind


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema, by file name (``workflow.schema.json``)."""
    data: dict[str, Any] = json.loads((shipped_dir("schemas") / name).read_text("utf-8"))
    return data
