"""The AI CLIs AIM+ recognises among legacy package lists, with how to detect and run them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# package name → (manager, tool entry).  Order is the preference order for capabilities.
KNOWN_AI_CLIS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "@anthropic-ai/claude-code": ("npm", "claude", {
        "display_name": "Claude Code", "detect": ["claude"],
        "version_command": ["claude", "--version"], "config_paths": ["~/.claude.json"],
        "capabilities": ["code-edit", "chat", "agent"]}),
    "@openai/codex": ("npm", "codex", {
        "display_name": "OpenAI Codex CLI", "detect": ["codex"],
        "version_command": ["codex", "--version"], "config_paths": ["~/.codex/config.toml"],
        "capabilities": ["code-edit", "chat", "agent"]}),
    "@google/gemini-cli": ("npm", "gemini", {
        "display_name": "Gemini CLI", "detect": ["gemini"],
        "version_command": ["gemini", "--version"], "config_paths": ["~/.gemini/settings.json"],
        "capabilities": ["code-edit", "chat", "agent"]}),
    "aider-chat": ("pipx", "aider", {
        "display_name": "Aider", "detect": ["aider"], "version_command": ["aider", "--version"],
        "config_paths": ["~/.aider.conf.yml"], "capabilities": ["code-edit", "chat"]}),
    "@github/copilot": ("npm", "copilot", {
        "display_name": "GitHub Copilot CLI", "detect": ["copilot"],
        "version_command": ["copilot", "--version"], "config_paths": ["~/.copilot"],
        "capabilities": ["chat", "shell-help"]}),
    "@githubnext/github-copilot-cli": ("npm", "github-copilot-cli", {
        "display_name": "GitHub Copilot CLI (legacy)", "detect": ["github-copilot-cli"],
        "version_command": ["github-copilot-cli", "--version"], "config_paths": [],
        "capabilities": ["shell-help"]}),
    "llm": ("pipx", "llm", {
        "display_name": "LLM", "detect": ["llm"], "version_command": ["llm", "--version"],
        "config_paths": [], "capabilities": ["chat"]}),
}


def tool_for(package: str, manager: str) -> tuple[str, dict[str, Any]] | None:
    """The registry entry (id, data) for a known AI CLI package, or None."""
    known = KNOWN_AI_CLIS.get(package)
    if known is None or known[0] != ("npm" if manager == "pnpm" else manager):
        return None  # pnpm installs the npm registry's packages
    _, tool_id, entry = known
    data = {key: list(value) if isinstance(value, list) else value
            for key, value in entry.items()}
    return tool_id, {**data, "install": {"manager": manager, "package": package}}


def preference(tool_id: str) -> int:
    """Lower is preferred when a capability is offered by several tools."""
    order = [entry[1] for entry in KNOWN_AI_CLIS.values()]
    return order.index(tool_id) if tool_id in order else len(order)


def registry_for(packages: Mapping[str, list[str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tools (id → entry) and capability chains for the known AI CLIs among ``packages``."""
    tools: dict[str, Any] = {}
    for manager, names in packages.items():
        for package in names:
            found = tool_for(package, manager)
            if found:
                tools[found[0]] = found[1]
    offered: dict[str, list[str]] = {}
    for tool_id in sorted(tools, key=preference):
        for capability in tools[tool_id]["capabilities"]:
            offered.setdefault(capability, []).append(tool_id)
    capabilities = {name: {"primary": chain[0], "fallback": chain[1:]}
                    for name, chain in sorted(offered.items())}
    return tools, capabilities
