"""The deploy report: what the run did and the production checklist with its evidence."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


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
    from aim.testsuite.outcome import sentence

    if tests:
        return sentence(tests)
    if baseline and baseline.get("found"):
        return f"{sentence(baseline)}; not run after it (the deploy stopped before them)"
    if baseline:
        return sentence(baseline)
    return "not run (the deploy stopped before them)"


def _verdict(production: Mapping[str, Any]) -> str:
    """The checklist's outcome line: failed, incomplete, passed with warnings, or passed."""
    titles = {c["name"]: c["title"] for c in production.get("checks", [])}

    def named(key: str) -> str:
        return ", ".join(titles.get(name, name) for name in production.get(key, []))

    if not production.get("passed"):
        return f"production validation FAILED: {', '.join(production.get('failed', []))}"
    warned = f"; with warnings: {named('warnings')}" if production.get("warnings") else ""
    if production.get("skipped"):
        return f"production validation NOT COMPLETE: not run: {named('skipped')}{warned}"
    if warned:
        return f"production validation complete, with warnings: {named('warnings')}"
    return "production validation complete: every item passed"


def render_markdown(report: Mapping[str, Any]) -> str:
    """The human deploy report (Markdown)."""
    production = report.get("production") or {}
    lines = [f"# Deploy report — run {report['run_id']}", "", *_outcome(report), "",
             "## Production checklist", ""]
    checks = production.get("checks", [])
    if checks:
        lines += [_verdict(production), "", "| check | result | evidence |", "| --- | --- | --- |"]
        lines += [f"| {c['title']} | {c['status'].upper()} | {_cell(c['evidence'])} |"
                  for c in checks]
    else:
        lines.append("not run (the deploy stopped before its checks)")
    lines.append("")
    return "\n".join([*lines, *_broken_before(report.get("links"))])


def _cell(text: str) -> str:
    """Evidence as one table cell: pipes escaped, no line breaks."""
    return text.replace("|", "\\|").replace("\n", " ")


def render_json(report: Mapping[str, Any]) -> str:
    """The machine-readable deploy report."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
