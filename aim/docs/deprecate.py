"""Deprecating AI_MANGER: a notice on its README, a warning in build.ps1, a deprecation page."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from aim.docs.commands import command_rows, command_table
from aim.docs.markers import plan_block, top
from aim.docs.psheader import after_ps_header
from aim.docs.textdoc import FileWrite
from aim.errors import InputError
from aim.workspace import LEGACY_DIR, MCP_ARCHIVE_DIR, MCP_DOCS_DIR, MCP_NOTES_DIR, Workspace

DEPRECATION_DOC = "docs/AI_MANGER_DEPRECATION.md"
BLOCK = "deprecation"


@dataclass(frozen=True)
class Layout:
    """Where deploy puts things, for the deprecation page's "what is where" table."""

    legacy_dir: str = LEGACY_DIR
    mcp_source: str = MCP_NOTES_DIR
    mcp_dest: str = MCP_DOCS_DIR
    archive: str = MCP_ARCHIVE_DIR


def _readme_notice(ws: Workspace, layout: Layout) -> str:
    link = posixpath.relpath(DEPRECATION_DOC, layout.legacy_dir)
    table = command_table(command_rows(ws.path(layout.legacy_dir)), "> ")
    return ("> **Deprecated: AI_MANGER is replaced by AIM+ (`aim`).** The tool list and pins\n"
            "> now live in `aim_config.json`, API keys in the system keyring. This folder is\n"
            "> kept for reference only; `build.ps1` warns when it runs. Timeline and details:\n"
            f"> [AI_MANGER deprecation]({link}).\n>\n{table}")


def _banner() -> str:
    return ('Write-Warning "AI_MANGER is deprecated and replaced by AIM+ (aim): use '
            "'aim deploy', 'aim versions' and 'aim secrets.export'. "
            f'See {DEPRECATION_DOC}."')


def _page(ws: Workspace, layout: Layout) -> str:
    legacy, source = layout.legacy_dir, layout.mcp_source
    return "\n".join([
        "# AI_MANGER deprecation", "",
        f"AI_MANGER (`{legacy}/`, PowerShell + InvokeBuild) is replaced by AIM+ (`aim`): one",
        "schema-validated `aim_config.json`, API keys in the system keyring, checkpointed",
        "procedures that `aim rollback` undoes.", "",
        "## Timeline", "",
        "1. **Deploy** (`aim deploy`): the AI_MANGER config goes into `aim_config.json` and its",
        "   vault secrets into the keyring; AI_MANGER's README gets this notice and `build.ps1`",
        "   prints a warning whenever it runs; the MCP notes move into the docs.",
        f"2. **Transition**: `{legacy}/` stays in place for reference. AIM+ no longer reads it:",
        "   add tools and pins with AIM+ only. `aim rollback` undoes the deploy if needed.",
        "3. **Removal**: once `aim validate` passes and nothing calls `Invoke-Build`, take a",
        f"   backup (`aim backup`) and delete `{legacy}/`.", "",
        "## Old command, new command", "",
        command_table(command_rows(ws.path(legacy))), "",
        "## What is archived where", "",
        "| before | after |", "| --- | --- |",
        f"| `{legacy}/config/toolstack.config.json` | `aim_config.json` (the original stays) |",
        "| the AI_MANGER DPAPI vault | the system keyring (`aim secrets.list`) |",
        f"| `{source}/*.md` (MCP guides) | `{layout.mcp_dest}/` |",
        f"| `{source}/schemas/` | `{layout.mcp_dest}/schemas/` |",
        f"| everything else in `{source}/` (`pipeline.db`, …) | `{layout.archive}/`, with "
        "sha256 sums in `MANIFEST.json` |",
        "| the AI_MANGER steps of `QUICK_START.md` and `AGENTS.md` | below, under *Former "
        "instructions* |",
    ])


def plan_deprecation(ws: Workspace, layout: Layout) -> list[FileWrite]:
    """The writes that mark ``layout.legacy_dir`` deprecated (empty when already done)."""
    legacy = ws.path(layout.legacy_dir)
    if not legacy.is_dir():
        raise InputError(f"{legacy}: no AI_MANGER folder to deprecate; pass legacy_dir with the "
                         "folder's path relative to the workspace root")
    readme, build = ws.check(legacy / "README.md"), ws.check(legacy / "build.ps1")
    writes = [plan_block(readme, BLOCK, _readme_notice(ws, layout), top, create=True)]
    if build.is_file():
        writes.append(plan_block(build, BLOCK, _banner(), after_ps_header))
    writes.append(plan_block(ws.path(DEPRECATION_DOC), BLOCK, _page(ws, layout), top,
                             create=True))
    return [w for w in writes if w is not None]
