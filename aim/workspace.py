"""The workspace a task works on: its root folder and AIM+'s state folder inside it.

Every path a step or a library function takes from a user, a workflow or a config file goes
through :meth:`Workspace.path` (a root-relative string) or :meth:`Workspace.check` (a path
already joined): the one place that decides whether a path may be touched.  Symlinks are
followed before the check, so a link that leads outside the root is refused like ``..``; the
state folder (journal, backups, audit trail, lock) is never a step's target.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from aim.errors import NotFound, UnsafePath

STATE_DIR_NAME = ".aim"
# The legacy folders a workspace may hold before its migration (their default names).
LEGACY_DIR = "AI_MANGER"
MCP_NOTES_DIR = "AUX_mcp-data"
MCP_DOCS_DIR = "docs/integrations/MCP"  # where deploy moves the MCP notes' guides
MCP_ARCHIVE_DIR = "archive/AUX_mcp-data"  # and where it archives the rest of them
LATEST = "latest"  # the id that names the newest run or backup
STATE_DIR_MODE = 0o700
ROOT_FIX = "give a path inside the workspace root"
LINK_FIX = ("replace the symlink with the folder or file itself (or move what it points at into "
            "the root), or give a path inside the root")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def lexical(relative: str | PurePath, root: Path) -> Path:
    """``root`` joined with ``relative``; UnsafePath for absolute paths and ``..``."""
    text = str(relative)
    pure = PurePosixPath(text.replace("\\", "/"))
    if pure.is_absolute() or Path(text).is_absolute():
        raise UnsafePath(f"{text!r}: absolute paths are not allowed; give a path relative to "
                         f"the workspace root {root}")
    if ".." in pure.parts:
        raise UnsafePath(f"{text!r}: '..' would leave the workspace root {root}; {ROOT_FIX}")
    return root.joinpath(*pure.parts)


def real_path(path: Path, follow: bool = True) -> Path:
    """Where ``path`` really is: every symlink on the way followed, the last one too unless
    ``follow`` is false (for an entry that is handled as a link, never through it)."""
    try:
        return path.resolve() if follow else path.parent.resolve() / path.name
    except (OSError, RuntimeError) as err:  # a symlink loop
        raise UnsafePath(f"{path}: cannot be resolved ({err}); remove the symlink loop") from None


def inside(root: Path, path: Path, follow: bool = True) -> Path:
    """``path`` when, symlinks followed, it stays inside ``root``; UnsafePath otherwise."""
    base, real = real_path(root), real_path(path, follow)
    if not _within(real, base):
        shown = path.relative_to(root).as_posix() if _within(path, root) else str(path)
        raise UnsafePath(f"{shown!r} leads outside the workspace root {root}: with its "
                         f"symlinks followed it is {real}; {LINK_FIX}")
    return path


def under(root: Path, relative: str | PurePath, follow: bool = True) -> Path:
    """``relative`` inside ``root`` (see :func:`lexical` and :func:`inside`)."""
    return inside(root, lexical(relative, root), follow)


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

    @classmethod
    def existing(cls, root: str | os.PathLike[str] | None = None) -> Workspace:
        """The workspace a user names (``--root``): like :meth:`at`, but NotFound unless
        ``root`` is an existing folder, so that a mistyped root is never created."""
        ws = cls.at(root)
        if not ws.root.is_dir():
            what = "is not a folder" if ws.root.exists() else "does not exist"
            raise NotFound(f"workspace root {ws.root} {what} (from --root, AIM_ROOT or aim.yaml "
                           "'root'); give the folder that holds aim_config.json or AI_MANGER/ "
                           "(create it first for a new workspace)")
        return ws

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

    def is_state_path(self, path: str | os.PathLike[str]) -> bool:
        """True when ``path`` is the state folder or inside it (never snapshotted)."""
        # A string prefix, not ``in path.parents``: this runs for every entry of a snapshot.
        name = os.fspath(path)
        return name.startswith(self._state_prefix) or name == self._state_prefix[:-1]

    @functools.cached_property
    def _state_prefix(self) -> str:
        return os.path.join(self.state_dir, "")

    def path(self, relative: str, *, follow: bool = True, around_state: bool = False) -> Path:
        """The absolute path of ``relative`` inside the root; refuses anything that escapes it.

        Refused (UnsafePath, exit 2): absolute paths, ``..`` components, paths that a symlink
        leads outside the root, and the state folder (see :meth:`check`).
        """
        return self.check(lexical(relative, self.root), follow=follow, around_state=around_state)

    def check(self, path: Path, *, follow: bool = True, around_state: bool = False) -> Path:
        """``path`` (an absolute path under the root) if a step may change it.

        With every symlink followed (the last one only with ``follow``) it must stay inside
        the root and outside the state folder; unless ``around_state`` (the caller leaves the
        state folder out, as snapshots do) it must not hold the state folder either.
        """
        inside(self.root, path, follow)
        real, state = real_path(path, follow), real_path(self.state_dir)
        shown = self.shown(path)
        if _within(real, state):
            raise UnsafePath(f"{shown!r} is AIM+'s state folder {self.state_dir} or inside it "
                             "(run journals, backups, the audit trail, the lock); no step may "
                             "change it: give a path outside it")
        if not around_state and _within(state, real):
            raise UnsafePath(f"{shown!r} holds AIM+'s state folder {self.state_dir}; changing "
                             "it as a whole would take the run journals, backups and audit "
                             "trail with it: name the files and folders inside it instead")
        return path

    def shown(self, path: Path) -> str:
        """``path`` as a message names it: root-relative when it is under the root."""
        return self.relative(path) if _within(path, self.root) else str(path)

    def relative(self, path: Path) -> str:
        """``path`` as a POSIX path relative to the root (for journals and messages)."""
        return path.relative_to(self.root).as_posix()
