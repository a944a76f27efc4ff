"""Document actions of deploy: deprecate AI_MANGER, consolidate the MCP notes, update and check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.actions.writes import apply_writes, preview_writes
from aim.docs.checker import check_links as find_broken
from aim.docs.checker import split_by_baseline
from aim.docs.consolidate import apply_consolidation, plan_consolidation
from aim.docs.deprecate import DEPRECATION_DOC, Layout, plan_deprecation
from aim.docs.update import plan_updates
from aim.errors import CheckFailed
from aim.workflow.context import StepContext
from aim.workspace import LEGACY_DIR, MCP_ARCHIVE_DIR, MCP_DOCS_DIR, MCP_NOTES_DIR

UPDATED = ["README.md", "AGENTS.md", "QUICK_START.md", DEPRECATION_DOC]


def _deprecate_touches(params: Mapping[str, Any]) -> list[str]:
    legacy = params.get("legacy") or LEGACY_DIR
    return [f"{legacy}/README.md", f"{legacy}/build.ps1", DEPRECATION_DOC]


def _deprecate_preview(ctx: StepContext, legacy: str = LEGACY_DIR) -> dict[str, Any]:
    return preview_writes(ctx, plan_deprecation(ctx.ws, Layout(legacy)))


@action("docs.deprecate_legacy", outputs=("changed",), touches=_deprecate_touches,
        preview=_deprecate_preview)
def deprecate_legacy(ctx: StepContext, legacy: str = LEGACY_DIR) -> dict[str, Any]:
    """Mark the AI_MANGER folder deprecated and write docs/AI_MANGER_DEPRECATION.md.

    Adds a notice with the old-to-new command table at the top of its README.md and a
    ``Write-Warning`` banner to build.ps1 (after its ``param()`` block; encoding and CRLF
    kept).  Marker-delimited: running it again changes nothing.
    """
    return {"changed": apply_writes(ctx, plan_deprecation(ctx.ws, Layout(legacy)))}


def _consolidate_touches(params: Mapping[str, Any]) -> list[str]:
    source = str(params.get("source") or MCP_NOTES_DIR)
    return [source, str(params.get("dest") or MCP_DOCS_DIR),
            str(params.get("archive") or MCP_ARCHIVE_DIR),
            f"(every Markdown file with a link into {source})"]


def _consolidate_preview(ctx: StepContext, source: str = MCP_NOTES_DIR,
                         dest: str = MCP_DOCS_DIR,
                         archive: str = MCP_ARCHIVE_DIR) -> dict[str, Any]:
    plan = plan_consolidation(ctx.ws, source, dest, archive)
    return {"lines": plan.describe() or [f"nothing to do: {source} is not there"],
            "files": plan.files(ctx.ws.root)}


@action("docs.consolidate_mcp", outputs=("moved", "archived", "links", "manifest"),
        touches=_consolidate_touches, preview=_consolidate_preview)
def consolidate_mcp(ctx: StepContext, source: str = MCP_NOTES_DIR,
                    dest: str = MCP_DOCS_DIR,
                    archive: str = MCP_ARCHIVE_DIR) -> dict[str, Any]:
    """Move the Markdown guides and ``schemas/`` of ``source`` into ``dest``; archive the rest.

    Archived files get sha256 sums in ``<archive>/MANIFEST.json``; a source file is removed
    only after its copy is verified, then the emptied folder goes.  Every relative link of
    the workspace's Markdown that pointed at a moved file is rewritten (links in code are not).
    """
    plan = plan_consolidation(ctx.ws, source, dest, archive)
    for rel in plan.checkpoint_paths(ctx.ws.root) if plan.moves or plan.writes else []:
        ctx.checkpoint.tree(ctx.path(rel))
    for line in plan.describe():
        ctx.log(line)
    copied = apply_consolidation(ctx.ws, plan)
    archived = [c.dest for c in copied if c.kind == "archived"]
    return {"moved": [c.dest for c in copied if c.kind == "moved"], "archived": archived,
            "links": len(plan.link_edits), "manifest": plan.manifest if archived else None}


def _update_preview(ctx: StepContext) -> dict[str, Any]:
    return preview_writes(ctx, plan_updates(ctx.ws))


@action("docs.update", outputs=("changed",), touches=lambda params: list(UPDATED),
        preview=_update_preview)
def update(ctx: StepContext) -> dict[str, Any]:
    """Give README.md, AGENTS.md and QUICK_START.md their AIM+ sections (marker blocks).

    AI_MANGER instructions in AGENTS.md and QUICK_START.md make way for the AIM+ ones and a
    pointer; the lines taken out are kept in docs/AI_MANGER_DEPRECATION.md.
    """
    return {"changed": apply_writes(ctx, plan_updates(ctx.ws))}


@action("docs.check_links", outputs=("broken", "count", "new", "before"), pure=True)
def check_links(ctx: StepContext, fail: bool = True,
                baseline: list[Any] | None = None) -> dict[str, Any]:
    """Check every relative link (files and ``#anchors``) of the workspace's Markdown files.

    Outputs the broken ones.  ``baseline``: the ``broken`` output of an earlier check (deploy
    takes one before its first change); links broken there are reported as broken before, and
    only the others are ``new``.  With ``fail`` (the default) a new broken link fails the step.
    Changes nothing.
    """
    broken = find_broken(ctx.ws.root)
    new, before = split_by_baseline(broken, baseline or [])
    if before:
        ctx.log(f"{len(before)} link(s) were broken before this run; left as they are")
    if new and fail:
        shown = "; ".join(str(b) for b in new[:10])
        since = " since the run started" if baseline is not None else ""
        raise CheckFailed(f"{len(new)} broken link(s) in the workspace docs{since}: {shown}. "
                          "Fix the links (or set fail: false to only report them)")
    return {"broken": [vars(b) for b in broken], "count": len(broken),
            "new": [vars(b) for b in new], "before": [vars(b) for b in before]}
