"""The deploy report: what the run did and the production checklist with its evidence."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aim.checks import CheckResult, markdown_rows
from aim.production.model import outcome_line
from aim.testsuite.outcome import sentence


def _outcome(report: Mapping[str, Any]) -> list[str]:
    failed = report["status"] != "success"
    lines = [f"- status: {report['status']}"
             + (f" (failed at {report['failed_step']})" if report.get("failed_step") else "")]
    if failed:
        lines.append("- workspace: unchanged (every change of the run is rolled back)")
    else:
        kept = "yes" if report["changed"] else "no (already deployed)"
        lines.append(f"- workspace changed: {kept}")
    migration = report.get("migration_report")
    note = " (rolled back with the run)" if failed and migration else ""
    lines.append(f"- migration report: {migration or 'none (nothing migrated)'}{note}")
    lines.append(f"- tests: {_tests(report.get('tests'), report.get('baseline'))}")
    lines.append(f"- links: {_links(report.get('links'))}")
    return lines


def _links(links: Mapping[str, Any] | None) -> str:
    if not links:
        return "not checked (the deploy stopped before the check)"
    new, before = len(links.get("new", [])), len(links.get("before", []))
    return (f"{new} broken by this deploy, {before} already broken before it "
            "(left as they were; listed below)" if before else
            f"{new} broken by this deploy, none broken before it")


def _broken_before(links: Mapping[str, Any] | None) -> list[str]:
    before = (links or {}).get("before", [])
    if not before:
        return []
    return ["## Links already broken before this deploy", "",
            *[f"- `{b['file']}:{b['line']}`: `{b['target']}`: {b['reason']}" for b in before],
            ""]


def _tests(tests: Mapping[str, Any] | None, baseline: Mapping[str, Any] | None) -> str:
    if tests:
        return sentence(tests)
    if baseline and baseline.get("found"):
        return f"{sentence(baseline)}; not run after it (the deploy stopped before them)"
    if baseline:
        return sentence(baseline)
    return "not run (the deploy stopped before them)"


def _checklist(production: Mapping[str, Any]) -> list[str]:
    """The checklist's outcome line, then its table (the same rows as every report's)."""
    checks = [CheckResult.from_dict(c) for c in production.get("checks", [])]
    if not checks:
        return ["not run (the deploy stopped before its checks)"]
    return [outcome_line(checks), "", *markdown_rows(checks)]


def render_markdown(report: Mapping[str, Any]) -> str:
    """The human deploy report (Markdown)."""
    lines = [f"# Deploy report — run {report['run_id']}", "", *_outcome(report), "",
             "## Production checklist", "", *_checklist(report.get("production") or {}), ""]
    return "\n".join([*lines, *_broken_before(report.get("links"))])


def render_json(report: Mapping[str, Any]) -> str:
    """The machine-readable deploy report."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
