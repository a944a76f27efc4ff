"""The workspace a task works on: its root folder and AIM+'s state folder inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aim.errors import UnsafePath

STATE_DIR_NAME = ".aim"
STATE_DIR_MODE = 0o700


@dataclass(frozen=True)
class Workspace:
    """A workspace root and where AIM+ keeps its state for it (``<root>/.aim`` by default)."""

    root: Path
    state_dir: Path

    @classmethod
    def at(cls, root: str | os.PathLike[str] | None = None) -> Workspace:
        """The workspace at ``root`` (default: the current directory); honours AIM_STATE_DIR."""
        base = Path(root if root is not None else os.getcwd()).resolve()
        override = os.environ.get("AIM_STATE_DIR")
        state = Path(override).resolve() if override else base / STATE_DIR_NAME
        return cls(root=base, state_dir=state)

    @property
    def runs_dir(self) -> Path:
        return self.state_dir / "runs"

    @property
    def backups_dir(self) -> Path:
        return self.state_dir / "backups"

    @property
    def audit_path(self) -> Path:
        return self.state_dir / "audit.jsonl"

    @property
    def lock_path(self) -> Path:
        return self.state_dir / "lock"

    def ensure_state_dir(self) -> Path:
        """Create the state folder (mode 0700) if needed and return it."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state_dir, STATE_DIR_MODE)
        return self.state_dir

    def is_state_path(self, path: Path) -> bool:
        """True when ``path`` is the state folder or inside it (never snapshotted)."""
        return path == self.state_dir or self.state_dir in path.parents

    def path(self, relative: str) -> Path:
        """The absolute path of ``relative`` inside the root; refuses anything that escapes it.

        Rejected: absolute paths, ``..`` components, and paths whose existing parents include
        a symlink that leads outside the root.
        """
        pure = PurePosixPath(relative.replace("\\", "/"))
        if pure.is_absolute() or Path(relative).is_absolute():
            raise UnsafePath(f"{relative!r}: absolute paths are not allowed; give a path "
                             f"relative to the workspace root {self.root}")
        if ".." in pure.parts:
            raise UnsafePath(f"{relative!r}: '..' would leave the workspace root {self.root}; "
                             "give a path inside it")
        target = self.root.joinpath(*pure.parts)
        real_parent = target.parent.resolve()
        if real_parent != self.root and self.root not in real_parent.parents:
            raise UnsafePath(f"{relative!r}: a symlink on the way leads outside the workspace "
                             f"root {self.root} (to {real_parent}); remove the link or use a "
                             "path inside the root")
        return target

    def relative(self, path: Path) -> str:
        """``path`` as a POSIX path relative to the root (for journals and messages)."""
        return path.relative_to(self.root).as_posix()
