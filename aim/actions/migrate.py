"""Migration actions: merge the mapped legacy data, import secrets, report, audit."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aim.actions.registry import action
from aim.config.load import CONFIG_NAME, load_data
from aim.config.validate import validate_data
from aim.config.write import diff, render
from aim.errors import InputError
from aim.fsio import atomic_write_bytes
from aim.legacy.merge import merge_configs
from aim.legacy.report import render_json, render_markdown
from aim.legacy.secret_import import SecretSources, resolve_secrets
from aim.legacy.secret_stdin import given
from aim.legacy.vault import read_vault
from aim.workflow.context import StepContext
from aim.workspace_checks import check_secrets  # the check status and validate show


@action("config.merge", outputs=("data", "changed", "diff", "conflicts"), pure=True)
def config_merge(ctx: StepContext, data: dict[str, Any],
                 prefer: str | None = None) -> dict[str, Any]:
    """Merge ``data`` into the workspace's aim_config.json (if any); changes nothing.

    A setting with two different values stops the run naming both, unless ``prefer`` is
    ``legacy`` or ``current``.  The merged config is validated here, so a run never fails
    after its backup on what could be seen before it.  ``diff`` is the exact change that
    writing would make.
    """
    path = ctx.path(CONFIG_NAME)
    before = path.read_text("utf-8") if path.is_file() else None
    current = _load_current(path) if before is not None else None
    merged = merge_configs(current, data, prefer or None, str(path))
    problems = validate_data(merged.data, str(path))
    if problems:
        raise InputError(f"{path}: merged with the legacy config it would not be valid: "
                         + "; ".join(problems[:8]) + ". Nothing was changed; correct "
                         f"{CONFIG_NAME} (or choose the other side with --prefer) and run again")
    kept = [{"path": c.path, "current": c.current, "legacy": c.legacy,
             "kept": c.legacy if prefer == "legacy" else c.current} for c in merged.conflicts]
    changed = before != render(merged.data)
    return {"data": merged.data, "changed": changed,
            "diff": diff(before, merged.data) if changed else "", "conflicts": kept}


def _load_current(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = load_data(path)
    return data


def _prompt() -> Any:
    if not sys.stdin.isatty():
        return None
    return getpass.getpass


def _resolve(ctx: StepContext, secrets: dict[str, Any] | None, vault: str | None,
             secrets_from: str, prompt: Any) -> tuple[Any, list[Any], dict[str, str]]:
    store = ctx.secrets()
    entries = read_vault(Path(vault)) if vault else {}
    sources = SecretSources(entries, dict(os.environ), secrets_from, prompt, given())
    outcomes, values = resolve_secrets(secrets or {}, lambda n: store.get(n) is not None,
                                       sources)
    return store, outcomes, values


def _secrets_preview(ctx: StepContext, secrets: dict[str, Any] | None = None,
                     vault: str | None = None, secrets_from: str = "env") -> dict[str, Any]:
    if secrets_from == "prompt":
        return {"lines": [f"would ask for {name} (keyring service aim)" for name in secrets or {}]}
    _, outcomes, values = _resolve(ctx, secrets, vault, secrets_from, None)
    lines = [f"keyring aim/{name}: would be written (from {o.source})" for o in outcomes
             for name in [o.name] if name in values]
    lines += [f"keyring aim/{o.name}: {o.status}" for o in outcomes if o.name not in values]
    return {"lines": lines, "keyring": sorted(values),
            "outputs": {"outcomes": [o.to_dict() for o in outcomes], "written": len(values)}}


@action("secrets.import", outputs=("outcomes", "written", "verdict"), preview=_secrets_preview)
def secrets_import(ctx: StepContext, secrets: dict[str, Any] | None = None,
                   vault: str | None = None, secrets_from: str = "env") -> dict[str, Any]:
    """Put each named secret's value into the keyring (service ``aim``, name = the variable).

    Values come from the legacy vault (DPAPI, on Windows), else from the environment, a prompt,
    standard input (read by the task before the run) or nowhere (``secrets_from``: env |
    prompt | stdin | skip).  Values already in the keyring are kept.
    Each key written is checkpointed (rollback restores the old value or deletes a new key).
    ``verdict`` is the ``secrets`` check afterwards (a warning names the secrets still missing).
    """
    store, outcomes, values = _resolve(ctx, secrets, vault, secrets_from, _prompt())
    for name, value in values.items():
        ctx.checkpoint.secret(name)
        store.set(name, value)
        ctx.hooks.audit("secret_access", ctx.run_id, {"name": name, "operation": "import"})
    for outcome in outcomes:
        ctx.log(f"secret {outcome.name}: {outcome.status}"
                + (f" ({outcome.source})" if outcome.source else ""))

    return {"outcomes": [o.to_dict() for o in outcomes], "written": len(values),
            "verdict": check_secrets(list(secrets or {}), store).to_dict()}


def _report_touches(params: Mapping[str, Any]) -> list[str]:
    folder = str(params.get("reports_dir") or "reports")
    return [f"{folder}/migration-<run id>.md", f"{folder}/migration-<run id>.json"]


@action("report.migration", outputs=("markdown", "json", "changed"), touches=_report_touches)
def report_migration(ctx: StepContext, read: dict[str, Any], mapped: dict[str, Any],
                     merged: dict[str, Any], secrets: dict[str, Any],
                     reports_dir: str = "reports") -> dict[str, Any]:
    """Write ``reports/migration-<run-id>.md`` and ``.json`` (when the run changed anything).

    The report lists every key path of every legacy source with its fate (mapped, carried,
    merged, dropped), conflicts and how they were decided, and every secret name with its
    outcome — never a value.  A run that changed
    nothing writes nothing and says so.
    """
    changed = bool(merged.get("changed")) or bool(secrets.get("written"))
    if not changed:
        ctx.log(_nothing_to_migrate(secrets.get("verdict")))
        return {"markdown": None, "json": None, "changed": False}
    report = {"run_id": ctx.run_id, "source": read.get("source"),
              "encoding": read.get("encoding"), "changed": bool(merged.get("changed")),
              "tools": mapped.get("tools", []), "sources": mapped.get("sources", []),
              "keys": mapped.get("fates", []),
              "conflicts": [*mapped.get("conflicts", []), *merged.get("conflicts", [])],
              "secrets": secrets.get("outcomes", [])}
    written = {}
    for suffix, text in (("md", render_markdown(report)), ("json", render_json(report))):
        rel = f"{reports_dir}/migration-{ctx.run_id}.{suffix}"
        target = ctx.path(rel)
        ctx.checkpoint.file(target)
        atomic_write_bytes(target, text.encode("utf-8"))
        written[suffix] = rel
    ctx.log(f"migration report: {written['md']}")
    return {"markdown": written["md"], "json": written["json"], "changed": True}


def _nothing_to_migrate(verdict: Mapping[str, Any] | None) -> str:
    """The closing line of a run that changed nothing, as the ``secrets`` check judges."""
    if not verdict or verdict.get("status") in ("ok", "skip"):
        return "nothing to migrate: aim_config.json and the keyring already hold everything"
    return ("nothing to migrate from the legacy sources (aim_config.json is up to date), but "
            f"the secrets check warns: {verdict['summary']}; {verdict.get('hint', '')}")


@action("audit.record", outputs=("type",))
def audit_record(ctx: StepContext, type: str, details: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """Write an audit event of ``type`` with ``details`` (redacted; never secret values)."""
    ctx.hooks.audit(type, ctx.run_id, details or {})
    return {"type": type}
