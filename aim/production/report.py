"""The deploy report: what the run did and the production checklist with its evidence."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def render_markdown(report: Mapping[str, Any]) -> str:
    """The human deploy report (Markdown)."""
    production = report.get("production") or {}
    lines = [f"# Deploy report — run {report['run_id']}", "",
             f"- status: {report['status']}"
             + (f" (failed at {report['failed_step']})" if report.get("failed_step") else ""),
             f"- workspace changed: {'yes' if report['changed'] else 'no'}",
             f"- migration report: {report.get('migration_report') or 'none (nothing migrated)'}",
             f"- tests: {report.get('tests') or 'not run'}", "",
             "## Production checklist", ""]
    checks = production.get("checks", [])
    if checks:
        lines += ["| check | result | evidence |", "| --- | --- | --- |"]
        lines += [f"| {c['title']} | {c['status'].upper()} | {c['evidence']} |" for c in checks]
    else:
        lines.append("not run (the deploy stopped before its checks)")
    lines.append("")
    return "\n".join(lines)


def render_json(report: Mapping[str, Any]) -> str:
    """The machine-readable deploy report."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
