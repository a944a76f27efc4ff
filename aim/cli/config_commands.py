"""The bodies of the tasks declared in :mod:`aim.cli.config_tasks`."""

from __future__ import annotations

from typing import Any

from aim.cli import render
from aim.cli.common import workspace
from aim.cli.config_show import print_config, print_resolution, print_tools, tools_dict
from aim.config.check import check_workspace, init_config
from aim.config.load import config_path, load_config, to_data
from aim.errors import CheckFailed, ConfigError
from aim.registry import available_tools, resolve


def tools(c: Any, capability: str | None = None, root: str | None = None,
          json: bool = False) -> None:
    """Show the tool registry: each tool, where it is installed, and the capabilities."""
    config = load_config(workspace(c, root))
    if capability is None:
        statuses = available_tools(config)
        resolutions = [resolve(config, name) for name in config.capabilities]
        render.emit_json(tools_dict(statuses, resolutions)) if json else \
            print_tools(statuses, resolutions)
        return
    resolution = resolve(config, capability)
    render.emit_json(resolution.to_dict()) if json else print_resolution(resolution)
    if not resolution.found:
        raise CheckFailed(f"no tool for {capability!r} is installed: install one of "
                          f"{', '.join(resolution.chain)} (see 'aim tools')")


def show(c: Any, root: str | None = None, json: bool = False) -> None:
    """Show the workspace's validated aim_config.json."""
    ws = workspace(c, root)
    config = load_config(ws)
    if json:
        render.emit_json({"file": str(config_path(ws)), "config": to_data(config)})
        return
    print_config(config_path(ws), config)


def check(c: Any, root: str | None = None, json: bool = False) -> None:
    """Validate aim_config.json and every workflow file together, listing every problem."""
    report = check_workspace(workspace(c, root))
    if json:
        render.emit_json(report.to_dict())
    elif report.ok:
        render.say(f"ok: {report.config} and {len(report.workflows)} workflow file(s)")
    if not report.ok:
        raise ConfigError("\n".join(report.errors))


def init(c: Any, root: str | None = None, dry_run: bool = False, json: bool = False) -> None:
    """Write the shipped default aim_config.json into a workspace that has none."""
    path = init_config(workspace(c, root), dry_run=dry_run)
    if json:
        render.emit_json({"path": str(path), "written": not dry_run})
    else:
        render.say(f"{'would write' if dry_run else 'wrote'} {path} (the shipped default)")


