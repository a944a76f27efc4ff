"""The tool registry at work: which tools are installed, and which one serves a capability.

A tool is found when one of its ``detect`` names (expanded, so ``%LOCALAPPDATA%\\…`` paths
work) is an executable on PATH.  A capability resolves to the first tool of its chain (primary,
then fallbacks) that is found; the reason each earlier tool was passed over is kept.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from aim.config.expand import expand
from aim.config.model import AimConfig, Tool
from aim.errors import NotFound
from aim.schema_errors import did_you_mean


@dataclass(frozen=True)
class ToolStatus:
    """A registry tool and where it was found (``executable`` None: not on PATH)."""

    tool: Tool
    executable: str | None

    @property
    def found(self) -> bool:
        return self.executable is not None


@dataclass(frozen=True)
class Skipped:
    """A tool of a capability's chain that was passed over, and why."""

    tool: str
    reason: str


@dataclass(frozen=True)
class Resolution:
    """The tool that serves ``capability`` (None: no tool of the chain is installed)."""

    capability: str
    chain: tuple[str, ...]
    tool: str | None
    executable: str | None
    skipped: tuple[Skipped, ...]

    @property
    def found(self) -> bool:
        return self.tool is not None

    def to_dict(self) -> dict[str, object]:
        """The resolution as JSON data (for ``--json``)."""
        return {"capability": self.capability, "chain": list(self.chain), "tool": self.tool,
                "executable": self.executable,
                "skipped": [{"tool": s.tool, "reason": s.reason} for s in self.skipped]}


def locate(tool: Tool, path_env: str | None = None) -> str | None:
    """The executable of ``tool``: its first ``detect`` name found on PATH, or None."""
    search = os.environ.get("PATH", os.defpath) if path_env is None else path_env
    for name in tool.detect:
        found = shutil.which(expand(name), path=search)
        if found:
            return found
    return None


def available_tools(config: AimConfig, path_env: str | None = None) -> list[ToolStatus]:
    """Every registry tool, in config order, with where it was found on ``path_env``."""
    return [ToolStatus(tool, locate(tool, path_env)) for tool in config.tools.values()]


def resolve(config: AimConfig, capability: str, *, path_env: str | None = None) -> Resolution:
    """The first installed tool of ``capability``'s chain; NotFound for an unknown capability."""
    cap = config.capabilities.get(capability)
    if cap is None:
        known = ", ".join(config.capabilities) or "none"
        hint = did_you_mean(capability, config.capabilities)
        raise NotFound(f"no capability {capability!r}{hint} in aim_config.json; known "
                       f"capabilities: {known}")
    skipped: list[Skipped] = []
    for tool_id in cap.chain:
        tool = config.tools.get(tool_id)
        if tool is None:  # only a hand-built config can get here; from_data checks it
            skipped.append(Skipped(tool_id, "not in the tool registry"))
            continue
        executable = locate(tool, path_env)
        if executable:
            return Resolution(capability, cap.chain, tool_id, executable, tuple(skipped))
        names = ", ".join(tool.detect)
        skipped.append(Skipped(tool_id, f"not installed: {names} is not on PATH"))
    return Resolution(capability, cap.chain, None, None, tuple(skipped))
