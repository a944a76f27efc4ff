"""Check actions for ``aim validate``: each reports ``ok`` and its ``problems`` (names only).

With ``fail: false`` a check never fails its step, so every check of a validation runs and the
``validation.report`` step decides the outcome after writing the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.errors import AimError, CheckFailed, InputError
from aim.workflow.context import StepContext


def _verdict(what: str, problems: list[str], fail: bool, **extra: Any) -> dict[str, Any]:
    if problems and fail:
        raise CheckFailed(f"{what}: " + "; ".join(problems))
    return {"ok": not problems, "problems": problems, **extra}


@action("config.check", outputs=("ok", "problems"))
def config_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Validate aim_config.json (schema and meaning) and every workflow file; changes nothing."""
    from aim.config.check import check_workspace

    report = check_workspace(ctx.ws)
    return _verdict("invalid configuration", list(report.errors), fail)


@action("secrets.check", outputs=("ok", "problems", "present", "missing"))
def secrets_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Check that every secret named in aim_config.json has a keyring entry (service ``aim``).

    Only names are reported, never values; changes nothing.
    """
    from aim.secrets.names import configured_names

    store = ctx.secrets()
    names = [ref.name for ref in configured_names(ctx.ws.root)]
    missing = [name for name in names if store.get(name) is None]
    problems = [f"{name}: not in the keyring; set it with 'aim secrets.set {name}'"
                for name in missing]
    present = [name for name in names if name not in missing]
    ctx.log(f"secrets: {len(present)} of {len(names)} in the keyring")
    return _verdict("secrets missing from the keyring", problems, fail, present=present,
                    missing=missing)


@action("tools.check", outputs=("ok", "problems", "found", "missing"))
def tools_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Check that every tool of the registry (aim_config.json ``tools``) is found on PATH."""
    from aim.config.load import load_config
    from aim.registry import available_tools

    statuses = available_tools(load_config(ctx.ws))
    missing = [s.tool for s in statuses if not s.found]
    problems = [f"{tool.id} ({tool.display_name}): not found on PATH (looked for "
                f"{', '.join(tool.detect)})" for tool in missing]
    ctx.log(f"tools: {len(statuses) - len(missing)} of {len(statuses)} found")
    return _verdict("tools not found", problems, fail,
                    found=[s.tool.id for s in statuses if s.found],
                    missing=[tool.id for tool in missing])


def _reports_dir(ctx: StepContext) -> str:
    """The configured reports folder; ``reports`` when the config cannot say."""
    from aim.config.load import config_path, load_data

    try:
        folder = load_data(config_path(ctx.ws)).get("reports_dir")
    except (AimError, OSError, ValueError):  # the config check reports an unreadable config
        folder = None
    return folder if isinstance(folder, str) and folder else "reports"


def _validation_touches(params: Mapping[str, Any]) -> list[str]:
    return ["<reports_dir>/validation-<run id>.md", "<reports_dir>/validation-<run id>.json"]


@action("validation.report", outputs=("ok", "failed", "markdown", "json"),
        touches=_validation_touches)
def validation_report(ctx: StepContext, checks: dict[str, Any]) -> dict[str, Any]:
    """Write ``reports/validation-<run-id>.md`` and ``.json``, then fail if a check failed.

    ``checks`` maps each check's name to ``{status, outputs}`` of its step.  The report lists
    what passed and what failed, with problems by name only, never a value.
    """
    from aim.fsio import atomic_write_bytes
    from aim.legacy.report import FAIL, check_verdict, render_json, render_validation

    verdicts = [check_verdict(name, str(step.get("status")), step.get("outputs"))
                for name, step in checks.items()]
    failed = [v["check"] for v in verdicts if v["result"] == FAIL]
    report = {"run_id": ctx.run_id, "ok": not failed, "checks": verdicts}
    folder, written = _reports_dir(ctx), {}
    for suffix, text in (("md", render_validation(report)), ("json", render_json(report))):
        rel = f"{folder}/validation-{ctx.run_id}.{suffix}"
        ctx.checkpoint.file(ctx.path(rel))
        atomic_write_bytes(ctx.path(rel), text.encode("utf-8"))
        written[suffix] = rel
    ctx.log(f"validation report: {written['md']}")
    if failed:
        message = f"validation failed: {', '.join(failed)} (see {written['md']})"
        if "config" in failed:  # an invalid aim_config.json is bad input, like everywhere else
            raise InputError(message + "; fix aim_config.json where the report says")
        raise CheckFailed(message)
    return {"ok": True, "failed": [], "markdown": written["md"], "json": written["json"]}
