"""Check actions for ``aim validate``: each gives the check's ``verdict`` (see aim.checks).

The step's line shows the verdict (``    warn  secrets: 1 of 4 secrets missing …``), not
``success``.  With ``fail: true`` a ``fail`` verdict also fails the step; ``aim validate``
uses ``fail: false``, so every check runs and the ``validation.report`` step decides the
outcome after writing the report.  A check that needs aim_config.json is a ``skip`` when the
config does not load: the ``config`` check says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.checks import CheckResult, Status, result
from aim.config.checked import check_config
from aim.config.load import config_path, load_config, load_data
from aim.errors import AimError, CheckFailed, ConfigError, InputError
from aim.fsio import atomic_write_bytes
from aim.validation import build_report, render_json, render_markdown
from aim.workflow.context import StepContext
from aim.workspace_checks import (
    check_secrets,
    check_tools,
    check_versions,
    check_workflows,
    secret_names,
)

NEEDS_CONFIG = "needs a valid aim_config.json (the config check says why)"


def _verdict(found: CheckResult, fail: bool) -> dict[str, Any]:
    if fail and found.failed:
        raise CheckFailed(f"{found.name}: {found.summary}"
                          + (f"; {found.hint}" if found.hint else ""))
    return {"verdict": found.to_dict()}


def _config(ctx: StepContext) -> Any:
    """The workspace's config, or None when it does not load (the config check reports it)."""
    try:
        return load_config(ctx.ws)
    except ConfigError:
        return None


def _skipped(name: str, fail: bool) -> dict[str, Any]:
    return _verdict(result(name, Status.SKIP, NEEDS_CONFIG), fail)


@action("config.check", outputs=("verdict",))
def config_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Validate aim_config.json (schema and meaning); changes nothing."""
    return _verdict(check_config(ctx.ws)[0], fail)


@action("workflows.check", outputs=("verdict",))
def workflows_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Validate every workflow file: the shipped ones and the workspace's own ``workflows/``."""
    return _verdict(check_workflows(ctx.ws), fail)


@action("secrets.check", outputs=("verdict",))
def secrets_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Check that every secret named in aim_config.json has a keyring entry (service ``aim``).

    A missing one is a warning.  Only names are reported, never values; changes nothing.
    """
    config = _config(ctx)
    if config is None:
        return _skipped("secrets", fail)
    return _verdict(check_secrets(secret_names(config), ctx.secrets()), fail)


@action("tools.check", outputs=("verdict",))
def tools_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Check every tool of the registry: on PATH (a warning when not) and answering its
    version command (a failure when not)."""

    config = _config(ctx)
    return _skipped("tools", fail) if config is None else _verdict(
        check_tools(ctx.ws, config), fail)


@action("versions.check", outputs=("verdict",), pure=True)
def versions_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Compare installed tool and package versions with the pins in aim_config.json.

    A package off its pin is a warning ('aim versions --sync' installs the pins); a manager
    whose listing cannot be read is a failure.  Changes nothing.
    """
    config = _config(ctx)
    return _skipped("versions", fail) if config is None else _verdict(
        check_versions(config), fail)


def _reports_dir(ctx: StepContext) -> str:
    """The configured reports folder; ``reports`` when the config cannot say."""
    try:
        folder = load_data(config_path(ctx.ws)).get("reports_dir")
    except (AimError, OSError, ValueError):  # the config check reports an unreadable config
        folder = None
    return folder if isinstance(folder, str) and folder else "reports"


def _validation_touches(params: Mapping[str, Any]) -> list[str]:
    return ["<reports_dir>/validation-<run id>.md", "<reports_dir>/validation-<run id>.json"]


@action("validation.report", outputs=("ok", "failed", "warnings", "markdown", "json", "verdict"),
        touches=_validation_touches)
def validation_report(ctx: StepContext, checks: dict[str, Any]) -> dict[str, Any]:
    """Write ``reports/validation-<run-id>.md`` and ``.json``, then fail if a check failed.

    ``checks`` maps each check's name to ``{status, outputs}`` of its step.  The report lists
    every check's status and summary, then each problem, by name only, never a value.
    Warnings pass; the step's line shows them.
    """
    report = build_report(ctx.run_id, checks)
    folder, written = _reports_dir(ctx), {}
    for suffix, text in (("md", render_markdown(report)), ("json", render_json(report))):
        rel = f"{folder}/validation-{ctx.run_id}.{suffix}"
        ctx.checkpoint.file(ctx.path(rel))
        atomic_write_bytes(ctx.path(rel), text.encode("utf-8"))
        written[suffix] = rel
    ctx.log(f"validation report: {written['md']}")
    failed, warned = report["failed"], report["warnings"]
    if failed:
        message = f"validation failed: {', '.join(failed)} (see {written['md']})"
        bad = [name for name in ("config", "workflows") if name in failed]
        if bad:  # an invalid aim_config.json or workflow file is bad input, as everywhere
            files = " and ".join({"config": "aim_config.json", "workflows": "the workflow files"}
                                 [name] for name in bad)
            raise InputError(f"{message}; fix {files} where the report says")
        raise CheckFailed(message)
    verdict = result("report", Status.WARN if warned else Status.OK,
                     f"validation passed with warnings: {', '.join(warned)} (see "
                     f"{written['md']})" if warned else f"validation passed (see {written['md']})")
    return {"ok": True, "failed": [], "warnings": warned, "markdown": written["md"],
            "json": written["json"], "verdict": verdict.to_dict()}
