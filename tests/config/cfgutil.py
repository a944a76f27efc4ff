"""Config files for tests: small valid data, and writing it (or any text) into a workspace."""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path
from typing import Any

from aim.workspace import Workspace

SMALL: dict[str, Any] = {
    "version": 1,
    "tools": {
        "claude": {"display_name": "Claude Code", "detect": ["claude"],
                   "version_command": ["claude", "--version"],
                   "install": {"manager": "npm", "package": "@anthropic-ai/claude-code"}},
        "aider": {"detect": ["aider"], "version_command": ["aider", "--version"],
                  "install": {"manager": "pipx", "package": "aider-chat"}},
        "codex": {"detect": ["codex"], "version_command": ["codex", "--version"]},
    },
    "capabilities": {"code-edit": {"primary": "claude", "fallback": ["aider", "codex"]}},
    "packages": {"pipx": ["aider-chat"], "npm": ["@anthropic-ai/claude-code"]},
    "pins": {"pipx": {"aider-chat": "0.86.1"}, "npm": {"@anthropic-ai/claude-code": "^2.0.31"}},
    "secrets": {"OPENAI_API_KEY": {"env": "OPENAI_API_KEY", "description": "OpenAI API key"}},
}


def small() -> dict[str, Any]:
    """A fresh copy of a small valid config."""
    return copy.deepcopy(SMALL)


def write_text(root: Path, text: str) -> Workspace:
    """A workspace at ``root`` whose aim_config.json holds ``text`` (dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "aim_config.json").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return Workspace.at(root)


def write_data(root: Path, data: Any) -> Workspace:
    """A workspace at ``root`` whose aim_config.json holds ``data`` as two-space JSON."""
    return write_text(root, json.dumps(data, indent=2) + "\n")


def line_of(ws: Workspace, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in the workspace's config."""
    text = (ws.root / "aim_config.json").read_text("utf-8")
    return text[: text.index(needle)].count("\n") + 1
