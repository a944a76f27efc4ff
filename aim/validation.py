"""The validation report of ``aim validate``: each check's verdict, then each problem by name.

Each check step gives its verdict (a :class:`aim.checks.CheckResult` as data); a step that
could not run at all fails its check with a pointer to the command that explains why, and a
step that did not run (``--production`` not given) is a skip.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aim.checks import CheckResult, Status, markdown_rows, named, result, worst

RERUN = {"config": "aim config.check", "workflows": "aim config.check",
         "secrets": "aim secrets.list", "tools": "aim health", "versions": "aim versions",
         "health": "aim health", "production": "aim validate --production --json"}
NOT_ASKED = {"production": "not run: give --production to run the production checklist"}


def verdict_of(name: str, status: str, outputs: Mapping[str, Any] | None) -> CheckResult:
    """The check ``name`` from its step's ``status`` and ``outputs``."""
    verdict = (outputs or {}).get("verdict")
    if status == "success" and isinstance(verdict, Mapping):
        return CheckResult.from_dict({**verdict, "name": name})
    if status == "skipped":
        return result(name, Status.SKIP, NOT_ASKED.get(name, "not run (its when: is false)"))
    return result(name, Status.FAIL, "the check could not run",
                  f"'{RERUN.get(name, 'aim validate')}' shows why")


def build_report(run_id: str, steps: Mapping[str, Any]) -> dict[str, Any]:
    """The report's data: ``steps`` maps each check to ``{status, outputs}`` of its step."""
    found = [verdict_of(name, str(step.get("status")), step.get("outputs"))
             for name, step in steps.items()]
    return {"run_id": run_id, "status": worst(found).value,
            "ok": not named(found, Status.FAIL), "failed": named(found, Status.FAIL),
            "warnings": named(found, Status.WARN), "checks": [c.to_dict() for c in found]}


def _problems(check: CheckResult) -> list[str]:
    listed = [str(p) for p in check.evidence.get("problems", [])]
    if listed or check.status not in (Status.FAIL, Status.WARN):
        return listed
    return [check.summary + (f"; {check.hint}" if check.hint else "")]


def render_markdown(report: Mapping[str, Any]) -> str:
    """The human validation report (Markdown): one row per check, then each problem."""
    checks = [CheckResult.from_dict(c) for c in report["checks"]]
    lines = [f"# Validation report — run {report['run_id']}", "",
             f"Result: **{report['status']}**"
             + (f" (failed: {', '.join(report['failed'])})" if report["failed"] else "")
             + (f" (warnings: {', '.join(report['warnings'])})" if report["warnings"] else ""),
             "", *markdown_rows(checks)]
    for check in checks:
        problems = _problems(check)
        if problems:
            lines += ["", f"## {check.name}: {check.status.value}", "",
                      *[f"- {p}" for p in problems]]
    return "\n".join(lines) + "\n"


def render_json(report: Mapping[str, Any]) -> str:
    """The machine-readable validation report."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
