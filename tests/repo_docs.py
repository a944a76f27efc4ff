"""The hand-shaped Markdown of the repository-sized workspace: README, AGENTS, QUICK_START,
the AI_MANGER and AUX_mcp-data notes, the docs index and the pages with non-ASCII names.

Each function fills one :class:`Page`; the AI_MANGER lines go through :meth:`Page.legacy`
so the facts know which are instructions and which are descriptions.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from tests.repo_markdown import (
    Page,
    code_fence,
    heading,
    nested_list,
    paragraph,
    quote_block,
    table,
)
from tests.repo_pages import NON_ASCII, SECTIONS, Planned

BUILD = r".\AI_MANGER\build.ps1"


def readme(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# Dev pipeline", "",
             "[![CI](https://github.com/example/dev-pipeline/actions/workflows/ci.yml/badge.svg)]"
             "(https://github.com/example/dev-pipeline/actions)", "")
    page.add(f"- [Getting started]({page.link('#getting-started')})",
             f"- [Layout]({page.link('#layout')})", "")
    heading(page, 2, "Getting started")
    page.legacy("instruction", f"Install the CLI stack with `Invoke-Build -File {BUILD}`, "
                f"described in [AI_MANGER]({page.to('AI_MANGER/README.md')}).")
    page.add("", f"MCP servers: [the MCP setup guide]({page.to('AUX_mcp-data/MCP_SETUP_GUIDE.md')})"
             " and the [quick reference]"
             f"({page.link('./' + page.rel('AUX_mcp-data/MCP_QUICK_REFERENCE.md'))}).", "")
    heading(page, 2, "Layout")
    table(page, 4, [f"[docs]({page.to('docs/index.md')})",
                    f"[architecture]({page.to('docs/ARCHITECTURE.md', 'example-1')})",
                    f"[contributing]({page.to('CONTRIBUTING.md')})",
                    f"[the agent rules]({page.to('AGENTS.md', 'environment')})"])


def agents(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# Agent conventions", "",
             "Conventions for the coding agents (Claude Code, Codex, Aider, Jules) in this "
             "repository.", "")
    heading(page, 2, "Environment")
    page.legacy("instruction", f"- Bootstrap the toolchain first: `Invoke-Build -File {BUILD} "
                "Bootstrap`.")
    page.legacy("instruction", "- API keys come from the AI_MANGER vault "
                f"(`Invoke-Build -File {BUILD} Secrets.ExportEnv`); never paste keys into files.")
    page.add("- Tooling", "  - `aim/`: the pipeline's tool registry and router")
    page.legacy("description", "    - Replaces legacy AI_MANGER (archived 2025-06, see "
                f"[its README]({page.to('AI_MANGER/README.md')}))")
    registry = page.to("aim/config/aim_config.json")
    page.add(f"    - Registry: [aim/config/aim_config.json]({registry})",
             f"  - MCP servers: [setup]({page.to('AUX_mcp-data/MCP_SETUP_GUIDE.md', 'security')})",
             f"    - Commands: [quick reference]({page.to('AUX_mcp-data/MCP_QUICK_REFERENCE.md')})",
             "")
    heading(page, 2, "Rules")
    page.add("1. Small commits; run `invoke test` before pushing.",
             "   - The suite needs the packages of `requirements.txt`.",
             f"2. Architecture decisions go in [the ADRs]({page.link('docs/adr/')}).", "")
    heading(page, 2, "Agents")
    table(page, 3)
    quote_block(page, "Agents never edit `aim/config/aim_config.json` by hand.")
    page.legacy("description", "> The AI_MANGER folder stays until every agent uses `aim/`.")
    page.add("")
    code_fence(page, "powershell")
    page.add("```powershell", f"{BUILD} Verify", "```", "")


def quick_start(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# Quick start", "")
    page.legacy("instruction", f"1. `Invoke-Build -File {BUILD} Bootstrap`")
    page.legacy("instruction", f"   - then `Invoke-Build -File {BUILD} Pin.Report` to see the pins")
    page.legacy("instruction", f"2. `Invoke-Build -File {BUILD} Secrets.ExportEnv`")
    page.add(f"3. Register MCP servers: [guide]({page.to('AUX_mcp-data/MCP_SETUP_GUIDE.md')})",
             f"   - schema: [pipeline-schema.sql]"
             f"({page.to('AUX_mcp-data/schemas/pipeline-schema.sql')})", "")
    heading(page, 2, "On Linux")
    page.add("```bash", "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt",
             "invoke test", "```", "")


def legacy_readme(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# AI_MANGER — centralized CLI stack", "",
             "PowerShell 7 + InvokeBuild stack that installs and pins the AI and developer CLIs.",
             "", "## Run", "```powershell", "Install-Module InvokeBuild -Scope CurrentUser -Force",
             "Invoke-Build -File .\\build.ps1            # default task: Rebuild",
             "Invoke-Build -File .\\build.ps1 Bootstrap  # env + installs",
             "Invoke-Build -File .\\build.ps1 Pin.Report # current vs pinned versions",
             "Invoke-Build -File .\\build.ps1 Secrets.ExportEnv", "```", "", "## Configure",
             f"Edit [the config]({page.to('AI_MANGER/config/toolstack.config.json')}) for paths, "
             "package lists, pins and the secret vault location.", "")


def mcp_setup(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# MCP setup guide", "",
             "How to register the pipeline's Model Context Protocol servers with the AI CLIs.", "",
             "1. Install the SQLite MCP server: `npx -y @modelcontextprotocol/server-sqlite`.",
             "2. Point it at the database (see [the schema]"
             f"({page.link('schemas/pipeline-schema.sql')})).",
             "3. Check the server list (see the [installation summary]"
             f"({page.link('INSTALLATION_SUMMARY.md#mcp-installation-summary')})).", "",
             "## Security", "", "Keep tokens in environment variables.", "",
             f"Quick commands are in the [quick reference]({page.link('MCP_QUICK_REFERENCE.md')}).",
             f"An empty database to try queries on: [pipeline.db]({page.link('pipeline.db')}).")


def mcp_reference(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# MCP quick reference", "", "| task | command |", "|---|---|",
             "| list servers | `claude mcp list` |", "| remove | `claude mcp remove pipeline-db` |",
             "", f"Back to the [setup guide]({page.link('./MCP_SETUP_GUIDE.md')}).")


def mcp_summary(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# MCP installation summary", "", "| server | how it runs |", "|---|---|",
             "| memory | `npx -y @modelcontextprotocol/server-memory` |",
             "| sqlite | `uvx mcp-server-sqlite --db-path pipeline.db` |", "",
             f"Next: the [setup guide]({page.link('MCP_SETUP_GUIDE.md')}), the layout in "
             f"[pipeline-schema.sql]({page.link('schemas/pipeline-schema.sql')}).")


def architecture(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# Architecture", "", "The pipeline state lives in SQLite ([schema]"
             f"({page.to('AUX_mcp-data/schemas/pipeline-schema.sql')})); agents reach it through "
             f"MCP ([setup]({page.to('AUX_mcp-data/MCP_SETUP_GUIDE.md')})).", "")
    for _ in range(2):  # the second one is #example-1
        heading(page, 2, "Example")
        code_fence(page, "python")
    heading(page, 2, "Components")
    nested_list(page, [f"[{p.title}]({page.to(p.path)})" for p in plans[:: len(plans) // 6]])


def docs_index(page: Page, plans: Sequence[Planned]) -> None:
    page.add("# Documentation", "")
    for folder, _, kind in SECTIONS:
        heading(page, 2, kind.capitalize() + "s")
        first = [p for p in plans if p.path.startswith(folder + "/")][:8]
        page.add(*(f"- [{p.title}]({page.to(p.path)})" for p in first), "")
    heading(page, 2, "Translations and notes")
    page.add(*(f"- [{path}]({page.to(path, encode=i == 1)})" for i, path in enumerate(NON_ASCII)),
             "")


def simple(title: str, blocks: int) -> Callable[[Page, Sequence[Planned]], None]:
    """A short page with a title, prose and links to a few generated pages."""
    def fill(page: Page, plans: Sequence[Planned]) -> None:
        page.add(f"# {title}", "")
        for other in page.rng.sample(list(plans), blocks):
            paragraph(page, [f"[{other.title}]({page.to(other.path)})"])
    return fill


FIXED: dict[str, Callable[[Page, Sequence[Planned]], None]] = {
    "README.md": readme, "AGENTS.md": agents, "QUICK_START.md": quick_start,
    "CONTRIBUTING.md": simple("Contributing", 3), "CHANGELOG.md": simple("Changelog", 4),
    "SECURITY.md": simple("Security policy", 1), "AI_MANGER/README.md": legacy_readme,
    "AUX_mcp-data/MCP_SETUP_GUIDE.md": mcp_setup,
    "AUX_mcp-data/MCP_QUICK_REFERENCE.md": mcp_reference,
    "AUX_mcp-data/INSTALLATION_SUMMARY.md": mcp_summary,
    "docs/ARCHITECTURE.md": architecture, "docs/index.md": docs_index,
    ".github/PULL_REQUEST_TEMPLATE.md": simple("Pull request checklist", 1),
    "aim/README.md": simple("aim: the tool registry and router", 2),
    "tests/README.md": simple("Tests", 1),
    NON_ASCII[0]: simple("Über-Setup: die Umgebung einrichten", 2),
    NON_ASCII[1]: simple("はじめに", 1), NON_ASCII[2]: simple("Café notes", 2),
}


def render_fixed(rng: random.Random, plans: Sequence[Planned]) -> list[Page]:
    """Every hand-shaped page, filled."""
    pages = []
    for path, fill in FIXED.items():
        page = Page(path, rng)
        fill(page, plans)
        pages.append(page)
    return pages
