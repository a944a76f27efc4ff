"""The migration report: what was mapped, kept, merged and imported — names only, no values."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


def _secret_rows(outcomes: Sequence[Mapping[str, Any]]) -> list[str]:
    rows = ["| secret | legacy name | outcome | from | detail |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| `{o['name']}` | {o.get('legacy_name') or ''} | {o['status']} | "
             f"{o.get('source', '')} | {o.get('detail', '')} |" for o in outcomes]
    return rows


def render_markdown(report: Mapping[str, Any]) -> str:
    """The human report (Markdown) of one migration run."""
    lines = [f"# Migration report — run {report['run_id']}", "",
             f"- legacy config: `{report['source']}` ({report.get('encoding', 'utf-8')})",
             f"- aim_config.json: {'changed' if report['changed'] else 'unchanged'}",
             f"- tools registered: {', '.join(report['tools']) or 'none'}", "",
             "## Mapped keys", "", "| legacy key | aim_config.json |", "| --- | --- |"]
    lines += [f"| `{legacy}` | `{target}` |" for legacy, target in report["mapped"]]
    lines += ["", "## Not mapped (kept under `legacy.unmapped`)", ""]
    lines += [f"- `{key}`" for key in report["unmapped"]] or ["- none"]
    lines += ["", "## Conflicts", ""]
    lines += [f"- `{c['path']}`: current {c['current']!r}, legacy {c['legacy']!r} → kept "
              f"{c['kept']!r}" for c in report["conflicts"]] or ["- none"]
    lines += ["", "## Secrets", "", *_secret_rows(report["secrets"]), ""]
    return "\n".join(lines)


def render_json(report: Mapping[str, Any]) -> str:
    """The machine-readable report."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
