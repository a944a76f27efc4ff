"""Deploy actions: the workspace's own tests, the production checklist, the deploy report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.errors import CheckFailed
from aim.workflow.context import StepContext

# The checklist's result, kept in the run's folder: a failed step has no outputs, and the
# deploy report must still show which item failed and why.
PRODUCTION_FILE = "production.json"


@action("deploy.test", outputs=("ran", "command", "exit_code"))
def deploy_test(ctx: StepContext, timeout: float = 1800.0) -> dict[str, Any]:
    """Run the workspace's own test command (``deploy.test_command`` in aim_config.json).

    Skipped with a notice when it is not set.  A failing command fails the step (and the
    deploy rolls back).  Everything the command writes is checkpointed first.
    """
    from aim.actions.core import shell
    from aim.config.load import load_config

    command = load_config(ctx.ws).deploy.test_command
    if not command:
        ctx.log("tests: no deploy.test_command in aim_config.json; skipped")
        return {"ran": False, "command": None, "exit_code": None}
    result = shell(ctx, run=command, timeout=timeout)
    return {"ran": True, "command": command, "exit_code": result["exit_code"]}


@action("production.check", outputs=("passed", "failed", "report"))
def production_check(ctx: StepContext, fail: bool = True) -> dict[str, Any]:
    """Run the production checklist (health, versions, audit, scanner, CLI, docs, secrets in
    files, permissions, config, performance); fails the step when an item fails and ``fail``.
    """
    from aim.config.load import load_config
    from aim.fsio import atomic_write_bytes
    from aim.production.run import run_production_checks
    from aim.redact import redact_obj

    report = run_production_checks(ctx.ws, load_config(ctx.ws),
                                   secret_store=ctx.hooks.secret_store)
    data = redact_obj(report.to_dict())
    atomic_write_bytes(ctx.ws.runs_dir / ctx.run_id / PRODUCTION_FILE,
                       json.dumps(data, indent=2).encode("utf-8"), 0o600)
    for check in report.checks:
        ctx.log(f"{check.status:>4}  {check.title}: {check.evidence}")
    if fail and not report.passed:
        raise CheckFailed("production checks failed: " + "; ".join(
            f"{check.name}: {check.evidence}" for check in report.checks if not check.passed))
    return {"passed": report.passed, "failed": report.failed, "report": data}


def _report_touches(params: Mapping[str, Any]) -> list[str]:
    folder = str(params.get("reports_dir") or "reports")
    return [f"{folder}/deploy-<run id>.md", f"{folder}/deploy-<run id>.json"]


@action("report.deploy", outputs=("markdown", "json"), touches=_report_touches)
def report_deploy(ctx: StepContext, changed: list[Any], production: dict[str, Any] | None = None,
                  migration_report: str | None = None, tests: dict[str, Any] | None = None,
                  reports_dir: str = "reports") -> dict[str, Any]:
    """Write the deploy report: ``reports/deploy-<run-id>.md`` and ``.json``.

    ``changed`` lists what each step says it changed; when nothing changed (a repeated deploy)
    or the run failed (its changes are being rolled back), the report goes to the run's folder
    under ``.aim/runs/`` instead, so the workspace is left exactly as it is.
    """
    from aim.fsio import atomic_write_bytes
    from aim.production.report import render_json, render_markdown

    status = ctx.run.get("status", "running")
    kept = status == "running" and any(bool(item) for item in changed)
    report = {"run_id": ctx.run_id, "status": "success" if status == "running" else status,
              "failed_step": ctx.run.get("failed_step"), "changed": kept,
              "migration_report": migration_report, "tests": tests or None,
              "production": production or _saved_checklist(ctx)}
    folder = ctx.path(reports_dir) if kept else ctx.ws.runs_dir / ctx.run_id
    written = {}
    for suffix, text in (("md", render_markdown(report)), ("json", render_json(report))):
        target = folder / f"deploy-{ctx.run_id}.{suffix}"
        if kept:
            ctx.checkpoint.file(target)
        atomic_write_bytes(target, text.encode("utf-8"), 0o600)
        written[suffix] = ctx.ws.relative(target) if kept else str(target)
    ctx.log(f"deploy report: {written['md']}")
    return {"markdown": written["md"], "json": written["json"]}


def _saved_checklist(ctx: StepContext) -> dict[str, Any]:
    """The checklist this run's production step kept, when its outputs are gone (it failed)."""
    try:
        saved: dict[str, Any] = json.loads((ctx.ws.runs_dir / ctx.run_id /
                                            PRODUCTION_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return saved
