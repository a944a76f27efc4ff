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


_FATE_WORDS = {"mapped": "mapped", "carried": "carried (kept under `legacy.carried`)",
               "merged": "merged (a duplicate)", "dropped": "dropped"}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _key_rows(keys: Sequence[Mapping[str, Any]], source: str) -> list[str]:
    rows = ["| key | fate | aim_config.json | note |", "| --- | --- | --- | --- |"]
    rows += [f"| `{_cell(k['key'])}` | {_FATE_WORDS.get(k['fate'], k['fate'])} | "
             f"{'`' + _cell(k['target']) + '`' if k.get('target') else ''} | "
             f"{_cell(k.get('note', ''))} |" for k in keys if k["source"] == source]
    return rows


def _conflict_line(c: Mapping[str, Any]) -> str:
    if c.get("between"):
        older, newer = c["between"]
        return (f"- `{c['path']}`: {c['current']!r} from the older sources ({older}), "
                f"{c['legacy']!r} from {newer} → kept {c['kept']!r} (the newer generation)")
    return (f"- `{c['path']}`: current {c['current']!r}, legacy {c['legacy']!r} → kept "
            f"{c['kept']!r}")


def render_markdown(report: Mapping[str, Any]) -> str:
    """The human report (Markdown) of one migration run: every key of every source."""
    keys = report.get("keys", [])
    attention = [k for k in keys if k["fate"] == "carried" and "correct it" in k.get("note", "")]
    lines = [f"# Migration report — run {report['run_id']}", "",
             f"- aim_config.json: {'changed' if report['changed'] else 'unchanged'}",
             f"- tools registered: {', '.join(report['tools']) or 'none'}",
             f"- legacy keys: {len(keys)}, of which "
             + ", ".join(f"{sum(1 for k in keys if k['fate'] == fate)} {fate}"
                         for fate in _FATE_WORDS), ""]
    if attention:
        lines += ["## Needs attention", "",
                  "Values the legacy tool accepted but aim_config.json cannot use as they are; "
                  "each is kept under `legacy.carried`:", ""]
        lines += [f"- `{k['key']}` ({k['source']}): {k['note']}" for k in attention] + [""]
    for source in report.get("sources", []):
        encoding = f" ({report.get('encoding')})" if source["source"] == report.get("source") \
            else ""
        lines += [f"## {source['generation']}: `{source['source']}`{encoding}", "",
                  *_key_rows(keys, source["source"]), ""]
    lines += ["## Conflicts", ""]
    lines += [_conflict_line(c) for c in report["conflicts"]] or ["- none"]
    lines += ["", "## Secrets", "", *_secret_rows(report["secrets"]), ""]
    return "\n".join(lines)


def render_json(report: Mapping[str, Any]) -> str:
    """The machine-readable report."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"

