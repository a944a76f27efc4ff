"""What a migration did with each key path of each legacy source: the rows of its report.

Every key of every source gets one :class:`KeyFate`: ``mapped`` to a key of aim_config.json,
``carried`` verbatim under ``legacy.carried.<source>`` (no place in this format yet, nothing
lost), ``merged`` into a value that another key already gave (a duplicate), or ``dropped`` with
the reason (something AIM+ does differently, said in ``note``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MAPPED, CARRIED, MERGED, DROPPED = "mapped", "carried", "merged", "dropped"
FATES = (MAPPED, CARRIED, MERGED, DROPPED)


@dataclass(frozen=True)
class KeyFate:
    """One key path of one legacy source and what became of it."""

    source: str  # the file, relative to the workspace root where it is inside it
    key: str  # the key path in the source: ``MasterBin.Priority``, ``registry.tools.jules``
    fate: str  # one of FATES
    target: str = ""  # the key path in aim_config.json (empty when dropped)
    note: str = ""  # how it was converted, or why it was dropped

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SourceMap:
    """aim_config.json data made from one legacy source, with the fate of each of its keys."""

    source: str
    generation: str  # "AI_MANGER" | "AIM+ v1 (JSON)" | "AIM+ v1 (YAML)"
    data: dict[str, Any]
    fates: tuple[KeyFate, ...]
    tools: tuple[str, ...] = ()
