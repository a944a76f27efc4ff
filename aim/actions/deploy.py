"""Deploy actions: the workspace's own tests, the production checklist, the deploy report."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.checks import line
from aim.config.load import config_path, load_config, load_data
from aim.errors import AimError, CheckFailed, InputError
from aim.fsio import atomic_write_bytes
from aim.production.report import render_json, render_markdown
from aim.production.run import run_production_checks
from aim.redact import redact_obj, register
from aim.secrets.configured import configured_names
from aim.secrets.envvars import looks_secret
from aim.testsuite.detect import NONE_FOUND, TestCommand, detect_test_command
from aim.testsuite.outcome import not_found, outputs, sentence
from aim.testsuite.run import run_tests
from aim.workflow.context import StepContext

# The checklist's result, kept in the run's folder: a failed step has no outputs, and the
# deploy report must still show which item failed and why.
PRODUCTION_FILE = "production.json"


# What a detected test command may write in the workspace, checkpointed before each run (pytest
# keeps its cache in a temporary folder and no bytecode is written); a configured shell command
# may write anywhere, so the whole workspace is.
TEST_WRITES = {"config": ["."], "tox": [".tox"], "nox": [".nox"]}
COVERAGE = [".coverage", "coverage.xml", "htmlcov"]


def _configured_command(ctx: StepContext) -> str | None:
    """``deploy.test_command`` when aim_config.json has one (before a migration it may be
    missing or in an older form: the migration reports that, not the test step)."""
    try:
        command = (load_data(config_path(ctx.ws)).get("deploy") or {}).get("test_command")
    except (AimError, OSError, ValueError, AttributeError):
        return None
    return command if isinstance(command, str) and command.strip() else None


def _test_command(ctx: StepContext, baseline: Mapping[str, Any] | None) -> Any:
    """The command the run before the deploy used (the two runs must be comparable), else
    the one the workspace's configuration names."""

    if baseline and baseline.get("test_command"):
        return TestCommand.from_dict(baseline["test_command"])
    return detect_test_command(ctx.ws.root, _configured_command(ctx))


def _know_secrets(ctx: StepContext) -> None:
    """Load the values of the workspace's secret names (keyring, environment) and of
    secret-looking environment variables, so that the redaction filter masks them in the
    tests' output even before the migration loads them."""
    for name, value in os.environ.items():
        if looks_secret(name):
            register(value)
    with contextlib.suppress(AimError):
        for ref in configured_names(ctx.ws.root):
            register(os.environ.get(ref.env) or os.environ.get(ref.name) or "")
            if ctx.hooks.secret_store is not None:
                with contextlib.suppress(AimError):
                    ctx.secrets().get(ref.name)


def _check_phase(phase: str) -> None:
    if phase not in ("before", "after"):
        raise InputError(f"deploy.test: with.phase is {phase!r}; give 'before' (the run before "
                         "the first change) or 'after'")


def _test_preview(ctx: StepContext, phase: str = "after", baseline: dict[str, Any] | None = None,
                  timeout: float = 1800.0, writes: list[str] | None = None) -> dict[str, Any]:
    _check_phase(phase)
    command = _test_command(ctx, baseline)
    if command is None:
        return {"lines": [f"tests: none found: {NONE_FOUND}"], "files": []}
    return {"lines": [f"would run `{command.shown}` ({command.source}) in the workspace root "
                      f"{'before the first change' if phase == 'before' else 'after the deploy'}"
                      f", time limit {timeout:g}s"],
            "files": _writes(command.kind, writes)}


def _writes(kind: str, writes: list[str] | None) -> list[str]:
    return list(writes) if writes is not None else TEST_WRITES.get(kind, []) + COVERAGE


@action("deploy.test", outputs=("found", "command", "exit_code", "summary", "verdict", "before"),
        preview=_test_preview)
def deploy_test(ctx: StepContext, phase: str = "after", baseline: dict[str, Any] | None = None,
                timeout: float = 1800.0, writes: list[str] | None = None) -> dict[str, Any]:
    """Run the workspace's own tests: ``deploy.test_command`` of aim_config.json, else the
    command its pytest, tox, nox or npm configuration names.

    ``phase: before`` is the run before the first change; ``phase: after`` runs the same
    command again and judges it against ``baseline`` (the outputs of the run before).  The
    step never fails on the tests' result: the production checklist judges it (tests the
    deploy made fail fail production validation; tests failing before are reported).
    pytest keeps its cache in a temporary folder and no bytecode is written; ``writes`` lists
    what the tests change in the workspace, checkpointed first (default: tox's or nox's
    folder and coverage files; the whole workspace for a configured command).
    """
    _check_phase(phase)
    command = _test_command(ctx, baseline)
    if command is None:
        result = not_found(phase)
        ctx.log(f"tests: {sentence(result)}")
        return result
    for rel in _writes(command.kind, writes):
        ctx.checkpoint.tree(ctx.ws.root if rel == "." else ctx.path(rel))
    _know_secrets(ctx)
    log = ctx.ws.runs_dir / ctx.run_id / f"tests-{phase}.log"
    ctx.log(f"tests {phase} the deploy: running `{command.shown}` ({command.source})")
    run = run_tests(command, ctx.ws.root, timeout, log)
    result = outputs(phase, command, run, str(log), baseline)
    ctx.log(f"tests: {sentence(result)}")
    return result


@action("production.check", outputs=("passed", "complete", "failed", "warnings", "report",
                                    "verdict"))
def production_check(ctx: StepContext, fail: bool = True, tests: dict[str, Any] | None = None,
                     links_baseline: list[Any] | None = None) -> dict[str, Any]:
    """Run the production checklist (config, health, versions, secrets in the keyring, audit,
    scanner, CLI, docs, no secret values in files, permissions, performance; with ``tests``,
    the outputs of ``deploy.test``, "all tests passing"); fails the step when an item fails
    and ``fail``.  Timings over their target, packages off their pins, missing secrets and
    tests that failed before the deploy too are warnings, not failures; so are links in
    ``links_baseline`` (the deploy's check before its first change).  ``verdict`` is the
    whole checklist as one check, which the step's line shows.
    """
    report = run_production_checks(ctx.ws, load_config(ctx.ws),
                                   secret_store=ctx.hooks.secret_store, tests=tests,
                                   links_baseline=links_baseline)
    data = redact_obj(report.to_dict())
    atomic_write_bytes(ctx.ws.runs_dir / ctx.run_id / PRODUCTION_FILE,
                       json.dumps(data, indent=2).encode("utf-8"), 0o600)
    for check in report.checks:
        ctx.log(line(check))
    if fail and not report.passed:
        raise CheckFailed("production checks failed: " + "; ".join(
            f"{check.name}: {check.summary}" for check in report.checks if check.failed))
    return {"passed": report.passed, "complete": report.complete, "failed": report.failed,
            "warnings": data["warnings"], "report": data,
            "verdict": redact_obj(report.verdict().to_dict())}


def _report_touches(params: Mapping[str, Any]) -> list[str]:
    folder = str(params.get("reports_dir") or "reports")
    return [f"{folder}/deploy-<run id>.md", f"{folder}/deploy-<run id>.json"]


@action("report.deploy", outputs=("markdown", "json"), touches=_report_touches)
def report_deploy(ctx: StepContext, changed: list[Any], production: dict[str, Any] | None = None,
                  migration_report: str | None = None, tests: dict[str, Any] | None = None,
                  reports_dir: str = "reports",
                  baseline: dict[str, Any] | None = None,
                  links: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the deploy report: ``reports/deploy-<run-id>.md`` and ``.json``.

    ``changed`` lists what each step says it changed; when nothing changed (a repeated deploy)
    or the run failed (its changes are being rolled back), the report goes to the run's folder
    under ``.aim/runs/`` instead, so the workspace is left exactly as it is.  ``tests`` and
    ``baseline`` are the outputs of the test runs after and before the deploy, ``links`` those
    of the link check (the links broken before the deploy are listed).
    """
    status = ctx.run.get("status", "running")
    kept = status == "running" and any(bool(item) for item in changed)
    report = {"run_id": ctx.run_id, "status": "success" if status == "running" else status,
              "failed_step": ctx.run.get("failed_step"), "changed": kept,
              "migration_report": migration_report, "tests": tests or None,
              "baseline": baseline or None, "links": links or None,
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
