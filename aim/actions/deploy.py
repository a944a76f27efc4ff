"""Deploy actions: the workspace's own tests, the production checklist, the deploy report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.errors import CheckFailed
from aim.workflow.context import StepContext


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
    from aim.production.run import run_production_checks

    report = run_production_checks(ctx.ws, load_config(ctx.ws),
                                   secret_store=ctx.hooks.secret_store)
    for check in report.checks:
        ctx.log(f"{check.status:>4}  {check.title}: {check.evidence}")
    if fail and not report.passed:
        raise CheckFailed("production checks failed: " + "; ".join(
            f"{check.name}: {check.evidence}" for check in report.checks if not check.passed))
    return {"passed": report.passed, "failed": report.failed, "report": report.to_dict()}


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
    did_change = any(bool(item) for item in changed)
    report = {"run_id": ctx.run_id, "status": "success" if status == "running" else status,
              "failed_step": ctx.run.get("failed_step"), "changed": did_change,
              "migration_report": migration_report,
              "tests": (tests or {}).get("command") if (tests or {}).get("ran") else None,
              "production": production or {}}
    in_workspace = did_change and status == "running"
    folder = ctx.path(reports_dir) if in_workspace else ctx.ws.runs_dir / ctx.run_id
    written = {}
    for suffix, text in (("md", render_markdown(report)), ("json", render_json(report))):
        target = folder / f"deploy-{ctx.run_id}.{suffix}"
        if in_workspace:
            ctx.checkpoint.file(target)
        atomic_write_bytes(target, text.encode("utf-8"), 0o600 if not in_workspace else None)
        written[suffix] = ctx.ws.relative(target) if in_workspace else str(target)
    ctx.log(f"deploy report: {written['md']}")
    return {"markdown": written["md"], "json": written["json"]}
