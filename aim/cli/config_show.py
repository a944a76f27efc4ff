"""Human output of the ``tools`` and ``config.*`` tasks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aim.cli import render
from aim.config.expand import expand
from aim.config.model import AimConfig
from aim.registry import Resolution, ToolStatus


def tools_dict(statuses: Sequence[ToolStatus],
               resolutions: Sequence[Resolution]) -> dict[str, Any]:
    """The registry as JSON data: tools with where they were found, capabilities resolved."""
    return {
        "tools": [{"id": s.tool.id, "display_name": s.tool.display_name,
                   "executable": s.executable, "capabilities": list(s.tool.capabilities),
                   "install": None if s.tool.install is None else
                   {"manager": s.tool.install.manager, "package": s.tool.install.package}}
                  for s in statuses],
        "capabilities": [r.to_dict() for r in resolutions],
    }


def print_tools(statuses: Sequence[ToolStatus], resolutions: Sequence[Resolution]) -> None:
    """Two tables: the tools and the capabilities with the tool each resolves to."""
    render.say(render.table(
        ["TOOL", "NAME", "FOUND", "CAPABILITIES"],
        [[s.tool.id, s.tool.display_name, s.executable or "not found",
          ", ".join(s.tool.capabilities)] for s in statuses]))
    render.say()
    render.say(render.table(
        ["CAPABILITY", "CHAIN", "USES"],
        [[r.capability, " → ".join(r.chain), r.tool or "none installed"] for r in resolutions]))


def print_resolution(resolution: Resolution) -> None:
    """The tool a capability resolves to, and why earlier tools of its chain were skipped."""
    for skipped in resolution.skipped:
        render.say(f"skipped {skipped.tool}: {skipped.reason}")
    if resolution.found:
        render.say(f"{resolution.capability}: {resolution.tool} ({resolution.executable})")
    else:
        render.say(f"{resolution.capability}: no tool of {', '.join(resolution.chain)} "
                   "is installed")


def print_config(path: Path, config: AimConfig) -> None:
    """A summary of the config: paths (with their expansion), tools, packages, secret names."""
    render.say(f"{path} (valid, version {config.version})")
    paths = config.paths
    for name, value in (("tools_root", paths.tools_root),
                        ("central_cache", paths.central_cache)):
        if value:
            render.say(f"  {name}: {value} → {expand(value)}")
    render.say(f"  tools: {', '.join(config.tools) or 'none'}")
    for name, cap in config.capabilities.items():
        render.say(f"  capability {name}: {' → '.join(cap.chain)}")
    for manager, packages in config.packages.items():
        if packages:
            pins = config.pins.get(manager, {})
            listed = ", ".join(f"{p} {pins[p]}" if p in pins else p for p in packages)
            render.say(f"  {manager}: {listed}")
    render.say(f"  secrets (names only): {', '.join(config.secrets) or 'none'}")
