"""What a scan finds: frozen dataclasses that serialize to the ``--json`` output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Executable:
    """One copy of a command on PATH: where PATH reaches it, the real file, who installed it."""

    name: str
    path: str  # as found in the PATH directory
    real_path: str  # symlinks resolved
    position: int  # index of its directory on PATH (0 = searched first)
    manager: str | None = None  # pipx, npm, uv, winget, system… (None: unknown)
    package: str | None = None  # the manager's package, when the path names it

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "real_path": self.real_path,
                "position": self.position, "manager": self.manager, "package": self.package}


@dataclass(frozen=True)
class Duplicate:
    """A command name that PATH reaches as two or more different files; the first one wins."""

    name: str
    winner: Executable
    shadowed: tuple[Executable, ...]

    @property
    def copies(self) -> tuple[Executable, ...]:
        return (self.winner, *self.shadowed)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "winner": self.winner.to_dict(),
                "shadowed": [copy.to_dict() for copy in self.shadowed]}


@dataclass(frozen=True)
class Shadowed:
    """A copy of a command that never runs by name because an earlier PATH entry wins."""

    copy: Executable
    winner: Executable

    def to_dict(self) -> dict[str, Any]:
        return {**self.copy.to_dict(), "shadowed_by": self.winner.path}


@dataclass(frozen=True)
class Conflict:
    """The same command installed by two or more package managers."""

    name: str
    managers: tuple[str, ...]  # distinct, in PATH order; the first one wins
    copies: tuple[Executable, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "managers": list(self.managers),
                "copies": [copy.to_dict() for copy in self.copies]}


@dataclass(frozen=True)
class CacheDir:
    """A cache directory under a scan root and how much it holds."""

    path: str
    pattern: str  # the cache pattern it matched, as configured
    size: int  # bytes: regular files only, symlinks not followed
    files: int
    complete: bool = True  # False when the time budget ran out while sizing it

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "pattern": self.pattern, "size": self.size,
                "files": self.files, "complete": self.complete}


@dataclass(frozen=True)
class ScanReport:
    """Everything one scan found; ``notes`` say what was skipped or cut short and why."""

    duplicates: tuple[Duplicate, ...] = ()
    shadowed: tuple[Shadowed, ...] = ()
    caches: tuple[CacheDir, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[str, ...] = ()
    duration: float = 0.0
    truncated: bool = False

    @property
    def findings(self) -> int:
        """How many things deserve a look: duplicate commands, manager conflicts, caches."""
        return len(self.duplicates) + len(self.conflicts) + len(self.caches)

    @property
    def cache_bytes(self) -> int:
        return sum(cache.size for cache in self.caches)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (the ``scan --json`` output)."""
        return {
            "findings": self.findings,
            "truncated": self.truncated,
            "duration": round(self.duration, 4),
            "duplicates": [d.to_dict() for d in self.duplicates],
            "shadowed": [s.to_dict() for s in self.shadowed],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "caches": [c.to_dict() for c in self.caches],
            "cache_bytes": self.cache_bytes,
            "notes": list(self.notes),
        }
