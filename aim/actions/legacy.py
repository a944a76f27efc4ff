"""Legacy actions: read and map every legacy source, deprecate and unmark the old files."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aim.actions.registry import action
from aim.actions.writes import apply_writes, check_writes, preview_writes
from aim.config.expand import expand
from aim.docs.textdoc import FileWrite, apply_write
from aim.errors import NotFound
from aim.legacy.combine import combine
from aim.legacy.firstgen import find_firstgen
from aim.legacy.firstgen_deprecate import plan_firstgen_deprecation
from aim.legacy.firstgen_map import map_firstgen
from aim.legacy.mapping import map_legacy
from aim.legacy.reader import read_legacy
from aim.legacy.unmark import plan_unmark
from aim.legacy.vault import read_vault
from aim.workflow.context import StepContext
from aim.workspace import LEGACY_DIR


def _vault_path(ctx: StepContext, vault: str | None, configured: str | None) -> Path | None:
    if vault:
        return ctx.ws.root / vault if not os.path.isabs(vault) else Path(vault)
    if not configured:
        return None

    return Path(expand(configured))


@action("legacy.read", outputs=("config", "source", "encoding", "vault", "vault_entries",
                                "firstgen"), pure=True)
def legacy_read(ctx: StepContext, legacy: str | None = None,
                vault: str | None = None) -> dict[str, Any]:
    """Read the AI_MANGER config (and its secret vault), and find the first-generation AIM+
    configs (``aim/config/aim_config.json``, ``config/aim_config.yaml``).

    Changes nothing.  Stops the run with a clear error, before any step changes anything, only
    for what cannot be read at all: malformed JSON (line and column), a config that is not a
    JSON object, a vault that is not JSON, or no legacy config of any generation.  Values of
    any type are read as they are: the mapping decides what fits.
    """
    firstgen = [ctx.ws.relative(path) for path in find_firstgen(ctx.ws.root)]
    try:
        found = _read_ai_manger(ctx, legacy, vault)
    except NotFound as err:
        if legacy:
            raise
        if not firstgen:
            raise NotFound(f"{err}; nor is there a first-generation AIM+ config "
                           "(aim/config/aim_config.json or config/aim_config.yaml)") from None
        found = {"config": None, "source": None, "encoding": None, "vault": None,
                 "vault_entries": []}
    ctx.log(f"first-generation AIM+ configs: {', '.join(firstgen) or 'none'}")
    return {**found, "firstgen": firstgen}


def _read_ai_manger(ctx: StepContext, legacy: str | None, vault: str | None) -> dict[str, Any]:
    install = read_legacy(ctx.ws.root, legacy)
    secrets = install.config.get("Secrets") or {}
    configured = secrets.get("VaultPath") if isinstance(secrets, Mapping) else None
    path = _vault_path(ctx, vault, configured if isinstance(configured, str) else None)
    entries = read_vault(path) if path is not None and (vault or path.is_file()) else {}
    source = (ctx.ws.relative(install.config_path) if ctx.ws.root in install.config_path.parents
              else str(install.config_path))
    ctx.log(f"legacy config {source}: {len(install.config)} keys; "
            f"vault: {path if entries else 'none'}")
    return {"config": dict(install.config), "source": source,
            "encoding": install.stored.encoding,
            "vault": str(path) if entries else None, "vault_entries": sorted(entries)}


@action("legacy.map", outputs=("data", "fates", "conflicts", "tools", "sources"), pure=True)
def legacy_map(ctx: StepContext, config: dict[str, Any] | None = None,
               source: str | None = None) -> dict[str, Any]:
    """Map every legacy source onto aim_config.json data (see docs/migration.md).

    The sources, oldest generation first: the AI_MANGER ``config`` (read from ``source``),
    then the first-generation AIM+ configs of the workspace.  Changes nothing.  ``fates`` has a
    row for every key path of every source: mapped, carried under ``legacy.carried`` (with
    why), merged (a duplicate) or dropped (with why).  Where sources disagree the newer one
    wins, each such setting listed in ``conflicts``.
    """
    maps = [map_legacy(config, source or LEGACY_DIR)] if config is not None else []
    combined = combine([*maps, *map_firstgen(ctx.ws.root)])
    carried = sum(1 for fate in combined.fates if fate.fate == "carried")
    ctx.log(f"mapped {len(combined.fates)} legacy keys from {len(combined.sources)} "
            f"source(s); {carried} carried under legacy.carried")
    return {"data": combined.data, "fates": [f.to_dict() for f in combined.fates],
            "conflicts": [c.to_dict() for c in combined.conflicts],
            "tools": list(combined.tools),
            "sources": [{"source": s, "generation": g} for s, g in combined.sources]}


def _firstgen_preview(ctx: StepContext) -> dict[str, Any]:
    return preview_writes(ctx, _firstgen_writes(ctx))


def _firstgen_writes(ctx: StepContext) -> list[FileWrite]:
    return plan_firstgen_deprecation(ctx.ws.root, find_firstgen(ctx.ws.root))


@action("legacy.deprecate_firstgen", outputs=("changed",), preview=_firstgen_preview)
def deprecate_firstgen(ctx: StepContext) -> dict[str, Any]:
    """Mark the first-generation AIM+ configs deprecated; they stay where they are.

    ``config/aim_config.yaml`` gets a comment block at its top; ``aim/config/aim_config.json``
    (which cannot hold a comment) a notice file beside it, ``aim_config.json.DEPRECATED.md``.
    Marker-delimited: running it again changes nothing.  ``changed`` lists the files written.
    """
    return {"changed": apply_writes(ctx, _firstgen_writes(ctx))}


def _unmark_preview(ctx: StepContext, legacy: str = LEGACY_DIR) -> dict[str, Any]:
    files = check_writes(ctx, plan_unmark(ctx.path(legacy)))
    return {"lines": [f"remove the aim blocks from {f}" for f in files] or
            [f"{legacy}: no aim blocks"], "files": files,
            "outputs": {"files": files}}


@action("legacy.unmark", outputs=("files",), preview=_unmark_preview)
def legacy_unmark(ctx: StepContext, legacy: str = LEGACY_DIR) -> dict[str, Any]:
    """Remove every ``aim:BEGIN``/``aim:END`` block from the AI_MANGER files (build.ps1, …).

    What a deploy added there and a rollback did not already take out; encoding and line
    endings are kept, each file is checkpointed first.  ``files`` lists the files changed.
    """
    writes = plan_unmark(ctx.path(legacy))
    files = check_writes(ctx, writes)
    for write, file in zip(writes, files, strict=True):
        ctx.checkpoint.file(write.path)
        apply_write(write)
        ctx.log(f"removed the aim blocks from {file}")
    return {"files": files}
