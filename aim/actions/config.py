"""Config actions: validate the workspace's config and workflows, write the config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.config.check import check_workspace
from aim.config.load import CONFIG_NAME, config_path
from aim.config.validate import validate_data
from aim.config.write import diff, render, write_config
from aim.errors import CheckFailed
from aim.workflow.context import StepContext


def _config_touched(params: Mapping[str, Any]) -> list[str]:
    return [CONFIG_NAME]


@action("config.validate", outputs=("ok", "errors"))
def config_validate(ctx: StepContext) -> dict[str, Any]:
    """Validate aim_config.json and every workflow file; fail the step listing every problem.

    Checks the shipped workflows and the workspace's own ``workflows/`` folder; changes nothing.
    """
    report = check_workspace(ctx.ws)
    if not report.ok:
        raise CheckFailed("invalid configuration:\n" + "\n".join(report.errors))
    return {"ok": True, "errors": []}


def _unchanged(ctx: StepContext, data: dict[str, Any]) -> bool:
    target = config_path(ctx.ws)
    return target.is_file() and target.read_bytes() == render(data).encode("utf-8")


def _write_preview(ctx: StepContext, data: dict[str, Any]) -> dict[str, Any]:
    target = config_path(ctx.ws)
    problems = validate_data(data, str(target))
    unchanged = not problems and _unchanged(ctx, data)
    lines = [f"would fail, nothing written: {p}" for p in problems] or \
        [f"{CONFIG_NAME}: {'unchanged' if unchanged else 'would be written (valid):'}"]
    if not problems and not unchanged:
        before = target.read_text("utf-8") if target.is_file() else None
        lines += diff(before, data).splitlines()
    return {"lines": lines, "files": [] if unchanged or problems else [CONFIG_NAME],
            "fails": problems, "outputs": {"path": CONFIG_NAME, "changed": not unchanged}}


@action("config.write", outputs=("path", "changed"), touches=_config_touched,
        preview=_write_preview)
def config_write(ctx: StepContext, data: dict[str, Any]) -> dict[str, Any]:
    """Validate ``data`` and write it as aim_config.json, atomically (checkpointed first).

    Nothing is written when the data does not validate (the step fails naming each problem)
    or when the file already holds exactly this content (``changed`` is then false).
    """
    if _unchanged(ctx, data):
        return {"path": CONFIG_NAME, "changed": False}
    target = config_path(ctx.ws)
    ctx.checkpoint.file(target)
    write_config(target, data)
    return {"path": CONFIG_NAME, "changed": True}
