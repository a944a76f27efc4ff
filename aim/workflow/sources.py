"""Where a workspace's own workflows live, searched before the shipped ones.

The folder is ``aim-workflows/`` at the workspace root (a name no Python package or CI folder
can have), or ``workflows_dir`` in aim_config.json (a path inside the root), or the
``AIM_WORKFLOWS`` environment variable (a folder anywhere; relative to the root when relative).
A workflow there with a shipped name replaces the shipped one for ``aim deploy`` and the other
procedures; a new name runs with ``aim workflow.run NAME``.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from aim.config.load import config_path, load_data
from aim.errors import AimError, NotFound
from aim.resources import shipped_dir
from aim.schema_errors import did_you_mean
from aim.workspace import Workspace

DEFAULT_DIR = "aim-workflows"
ENV_VAR = "AIM_WORKFLOWS"
WORKSPACE, SHIPPED = "workspace", "shipped"
HINT_PREFIX = "# yaml-language-server: "


def _configured(ws: Workspace) -> str | None:
    """``workflows_dir`` of aim_config.json, read leniently: the config check reports a bad
    config, and a workspace before its migration has none."""
    try:
        value = load_data(config_path(ws)).get("workflows_dir")
    except (AimError, OSError, ValueError):
        return None
    return value if isinstance(value, str) and value.strip() else None


def workflows_dir(ws: Workspace) -> Path:
    """The workspace's workflow folder (it need not exist)."""
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return (ws.root / from_env).resolve()
    return ws.path(_configured(ws) or DEFAULT_DIR)


def search_dirs(ws: Workspace | None) -> list[Path]:
    """The folders searched before the shipped workflows (none without a workspace)."""
    if ws is None:
        return []
    folder = workflows_dir(ws)
    return [folder] if folder.is_dir() else []


@dataclass(frozen=True)
class Source:
    """One runnable workflow: its name, file, where it comes from, and what it overrides."""

    name: str
    file: Path
    origin: str
    overrides: Path | None = None


def shipped_file(name: str) -> Path | None:
    """The shipped workflow ``name`` of this release, or None."""
    path = shipped_dir("workflows") / f"{name}.yaml"
    return path if path.is_file() else None


def sources(ws: Workspace | None) -> list[Source]:
    """Every runnable workflow by name: the workspace's first, each shipped one it replaces."""
    shipped = {p.stem: p for p in sorted(shipped_dir("workflows").glob("*.yaml"))}
    own = {p.stem: p for folder in search_dirs(ws) for p in sorted(folder.glob("*.yaml"))}
    found = [Source(name, path, WORKSPACE, shipped.get(name)) for name, path in own.items()]
    found += [Source(name, path, SHIPPED) for name, path in shipped.items() if name not in own]
    return sorted(found, key=lambda s: s.name)


def diff(source: Source) -> list[str]:
    """How a workspace override differs from the shipped workflow it replaces (unified diff)."""
    if source.overrides is None:
        return []
    shipped, own = _body(source.overrides), _body(source.file)
    return list(difflib.unified_diff(shipped, own, f"shipped/{source.overrides.name}",
                                     str(source.file)))


def _body(path: Path) -> list[str]:
    """A workflow file's lines without its editor schema line (which differs by location)."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    return lines[1:] if lines and lines[0].startswith(HINT_PREFIX) else lines


def schema_hint() -> str:
    """The first line of a workflow file that points editors at the workflow schema."""
    schema = shipped_dir("schemas") / "workflow.schema.json"
    return f"{HINT_PREFIX}$schema={schema.as_uri()}\n"


def new_text(name: str) -> str:
    """A new workflow named ``name``: one step to start from."""
    return (f"{schema_hint()}version: 1\nname: {name}\ndescription: What {name} does, in one "
            "line (shown by 'aim workflow.list')\non_failure: rollback\nsteps:\n"
            "  - id: hello\n    uses: echo\n    with: {message: \"${{ run.id }} runs in "
            "${{ run.root }}\"}\n")


def ejected_text(name: str) -> str:
    """The shipped workflow ``name`` as a workspace copy: its schema line points at the schema."""
    path = shipped_file(name)
    if path is None:
        raise _unknown_shipped(name)
    return schema_hint() + "".join(_body(path))


def _unknown_shipped(name: str) -> Exception:
    names = sorted(p.stem for p in shipped_dir("workflows").glob("*.yaml"))
    return NotFound(f"no shipped workflow {name!r}{did_you_mean(name, names)}; the shipped "
                    f"ones are {', '.join(names)}")
