"""Small configs (the default one with fields replaced), fake tools on a tmp PATH, workspaces."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from aim.config.build import build_config
from aim.config.model import AimConfig, HealthSettings, InstallSpec, Tool
from aim.workspace import Workspace


def make_config(tools: tuple[Tool, ...] = (), **health: Any) -> AimConfig:
    """An AimConfig with ``tools`` and ``health`` settings (the rest left at defaults)."""
    return replace(build_config({"version": 1}), tools=MappingProxyType({t.id: t for t in tools}),
                   health=HealthSettings(**health))


def tool(name: str, *, install: InstallSpec | None = None) -> Tool:
    """A registered tool detected as ``name`` whose version command is ``name --version``."""
    return Tool(id=name, display_name=name.title(), detect=(name,),
                version_command=(name, "--version"), install=install)


def fake_tool(bin_dir: Path, name: str, body: str) -> Path:
    """An executable ``name`` in ``bin_dir`` running the Python code ``body``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / name
    path.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def answering(bin_dir: Path, name: str, version: str = "1.2.3") -> Path:
    """A fake tool that prints its version and exits 0."""
    return fake_tool(bin_dir, name, f"print('{name} {version}')")


def hanging(bin_dir: Path, name: str) -> Path:
    """A fake tool that never answers."""
    return fake_tool(bin_dir, name, "time.sleep(60)")


def workspace(root: Path, *, config_file: bool = True) -> Workspace:
    """A workspace folder with a minimal valid aim_config.json and a private state folder."""
    root.mkdir(parents=True, exist_ok=True)
    if config_file:
        (root / "aim_config.json").write_text('{"version": 1}\n', encoding="utf-8")
    ws = Workspace.at(root)
    ws.ensure_state_dir()
    return ws


def loosen(ws: Workspace) -> None:
    """Make the state folder and a file in it readable by everyone (a degraded workspace)."""
    (ws.state_dir / "audit.jsonl").write_text("", encoding="utf-8")
    os.chmod(ws.state_dir / "audit.jsonl", 0o644)
    os.chmod(ws.state_dir, 0o755)


def break_state(ws: Workspace) -> None:
    """Put a file where the backups folder belongs (an unhealthy workspace)."""
    ws.backups_dir.write_text("not a folder\n", encoding="utf-8")
