"""``aim deploy``, as shipped, on a repository-sized workspace (tests/repo_workspace.py).

The workspace has what real repositories have: 1,290 files, 485 Markdown files with 90 links
broken before AIM+ came, nested lists naming AI_MANGER, its own ``aim/`` package, tasks.py,
invoke.yaml and pytest.ini, an AI_MANGER install in the real format and the first-generation
AIM+ configs.  The installed ``aim`` program runs from inside it, as a user would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aim.docs.checker import check_links
from aim.sample import demo_secrets
from tests.machine import developer_machine
from tests.repo_workspace import RepoFacts, build_repository
from tests.treeutil import snapshot_tree

AIM = str(Path(sys.executable).with_name("aim"))


def _env(folder: Path, root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIM_", "INVOKE_"))}
    home = folder / "home"
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               AIM_KEYRING=f"sandbox:{folder / 'keyring.json'}", **demo_secrets(root))
    env.update(developer_machine(folder / "machine", env.get("PATH", "")))
    return env


def _aim(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AIM, *args, "--root", str(root)], cwd=root, env=env, text=True,
                          capture_output=True, timeout=600)


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.stdout[-4000:], result.stderr[-2000:])
    return result


def _blocks_not_at_top_level(root: Path) -> list[str]:
    """``file:line`` of every AIM+ marker block that sits inside a list, table, quote or
    code block of its Markdown document."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    wrong = []
    for path in root.rglob("*.md"):
        if ".aim" in path.parts:
            continue
        text = path.read_text("utf-8-sig")
        lines = text.splitlines()
        begins = [i for i, line in enumerate(lines) if "aim:BEGIN" in line]
        if not begins:
            continue
        tops = {t.map[0] for t in parser.parse(text)
                if t.type == "html_block" and t.level == 0 and t.map}
        wrong += [f"{path.relative_to(root)}:{i + 1}" for i in begins if i not in tops]
    return wrong


def _broken(root: Path) -> set[tuple[str, str]]:
    return {(b.file, b.target) for b in check_links(root)}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("repo")
    facts: RepoFacts = build_repository(folder / "workspace")
    env = _env(folder, facts.root)
    before = snapshot_tree(facts.root)
    broken_before = _broken(facts.root)
    first = _ok(_aim(facts.root, env, "deploy", "--vault", facts.vault))
    return {"facts": facts, "env": env, "before": before, "broken_before": broken_before,
            "first": first, "after": snapshot_tree(facts.root),
            "broken_after": _broken(facts.root)}


def test_links_broken_before_stay_the_only_broken_ones(deployed: dict[str, Any]) -> None:
    assert len(deployed["broken_before"]) == 90
    assert deployed["broken_after"] <= deployed["broken_before"]


def test_every_aim_block_is_at_the_top_level_of_its_document(deployed: dict[str, Any]) -> None:
    assert _blocks_not_at_top_level(deployed["facts"].root) == []


def test_the_first_generation_registry_is_in_aim_config(deployed: dict[str, Any]) -> None:
    config = json.loads((deployed["facts"].root / "aim_config.json").read_text("utf-8"))
    assert {"jules", "claude-cli"} <= set(config["tools"])
    assert config["capabilities"]["code-generation"] == {"primary": "claude-cli",
                                                         "fallback": ["aider", "codex"]}
    assert config["capabilities"]["review"]["fallback"] == ["jules"]


def test_the_cli_check_measures_aim_itself(deployed: dict[str, Any]) -> None:
    [cli] = [line for line in deployed["first"].stdout.splitlines()
             if "  CLI commands answering: " in line]
    assert cli.split()[0] in ("ok", "warn") and "'aim --version': AIM+ " in cli  # warn: slow


def test_the_report_has_both_test_runs_and_the_links_broken_before(
        deployed: dict[str, Any]) -> None:
    root = deployed["facts"].root
    [report] = (root / "reports").glob("deploy-*.md")
    text = report.read_text("utf-8")
    tests = next(line for line in text.splitlines() if line.startswith("- tests: "))
    assert "-m pytest` (pytest.ini)" in tests and "failing before the deploy too" in tests
    assert "before the deploy: " in tests and "; after: " in tests and "errors" in tests
    assert "- links: 0 broken by this deploy, 90 already broken before it" in text
    listed = text.split("## Links already broken before this deploy", 1)[1]
    assert listed.count("\n- `") == 90
    assert re.search(r"\| CLI commands answering \| (ok|warn) \| 'aim --help' exit 0", text)


def test_a_second_deploy_changes_nothing_and_rollback_is_byte_identical(
        deployed: dict[str, Any]) -> None:
    root, env = deployed["facts"].root, deployed["env"]
    _ok(_aim(root, env, "deploy", "--vault", deployed["facts"].vault))
    assert snapshot_tree(root) == deployed["after"]
    runs = sorted(p.name for p in (root / ".aim" / "runs").iterdir() if "-deploy-" in p.name)
    _ok(_aim(root, env, "rollback", "--run", runs[0]))
    assert snapshot_tree(root) == deployed["before"]
