"""``aim tools`` and ``aim config.*`` through the real program: output, --json, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from aim.config.load import default_path
from tests.cli.clitool import aim, assert_clean_error
from tests.config.cfgutil import small, write_data, write_text
from tests.test_registry import fake_tools


def test_tools_lists_the_registry_with_what_is_installed(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    path_env = fake_tools(tmp_path / "bin", "aider")
    result = aim("tools", "--root", str(ws.root), env={"PATH": path_env})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["TOOL", "NAME", "FOUND", "CAPABILITIES"]
    assert f"aider   aider        {tmp_path}/bin/aider" in result.stdout
    assert "claude  Claude Code  not found" in result.stdout
    assert "code-edit   claude → aider → codex  aider" in result.stdout
    data = json.loads(aim("tools", "--root", str(ws.root), "--json",
                          env={"PATH": path_env}).stdout)
    assert [(t["id"], t["executable"]) for t in data["tools"]] == [
        ("claude", None), ("aider", f"{tmp_path}/bin/aider"), ("codex", None)]
    assert data["capabilities"][0]["tool"] == "aider"


def test_tools_capability_walks_the_fallback_chain(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    path_env = fake_tools(tmp_path / "bin", "codex")
    result = aim("tools", "--capability", "code-edit", "--root", str(ws.root),
                 env={"PATH": path_env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "skipped claude: not installed: claude is not on PATH",
        "skipped aider: not installed: aider is not on PATH",
        f"code-edit: codex ({tmp_path}/bin/codex)",
    ]
    data = json.loads(aim("tools", "--capability", "code-edit", "--root", str(ws.root),
                          "--json", env={"PATH": path_env}).stdout)
    assert data["tool"] == "codex" and [s["tool"] for s in data["skipped"]] == ["claude", "aider"]


def test_tools_capability_with_nothing_installed_exits_1(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    result = aim("tools", "--capability", "code-edit", "--root", str(ws.root),
                 env={"PATH": str(tmp_path / "empty")})
    assert assert_clean_error(result, 1) == (
        "error: no tool for 'code-edit' is installed: install one of claude, aider, codex "
        "(see 'aim tools')\n")


def test_unknown_capability_exits_2_with_a_suggestion(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    message = assert_clean_error(aim("tools", "--capability", "code_edit", "--root",
                                     str(ws.root)), 2)
    assert "no capability 'code_edit' (did you mean 'code-edit'?)" in message


def test_missing_config_exits_2_and_says_how_to_create_one(tmp_path: Path) -> None:
    message = assert_clean_error(aim("config.show", "--root", str(tmp_path)), 2)
    assert "no config file here; create one with 'aim config.init'" in message


def test_show_prints_the_config_and_its_json(tmp_path: Path) -> None:
    data = small()
    data["paths"] = {"tools_root": "%USERPROFILE%\\Tools"}
    ws = write_data(tmp_path / "ws", data)
    result = aim("config.show", "--root", str(ws.root), env={"HOME": "/home/dev"})
    assert result.returncode == 0, result.stderr
    assert "tools_root: %USERPROFILE%\\Tools → /home/dev/Tools" in result.stdout
    assert "secrets (names only): OPENAI_API_KEY" in result.stdout
    shown = json.loads(aim("config.show", "--root", str(ws.root), "--json").stdout)
    assert shown == {"file": str(ws.root / "aim_config.json"), "config": data}


def test_check_ok_counts_the_workflows(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    shipped = len(list((default_path().parent / "workflows").glob("*.yaml")))
    result = aim("config.check", "--root", str(ws.root))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ok: {ws.root}/aim_config.json and {shipped} workflow file(s)\n"


def test_check_reports_config_and_workflow_problems_together_with_exit_2(tmp_path: Path) -> None:
    ws = write_text(tmp_path / "ws", """
        {
          "version": 1,
          "loging": {"level": "info"}
        }
    """)
    own = ws.root / "aim-workflows"
    own.mkdir()
    (own / "mine.yaml").write_text("version: 1\nname: mine\nsteps:\n  - {id: a, uses: ecko}\n")
    ci = ws.root / "workflows"  # a repository's own workflows folder (CI) is not AIM+'s
    ci.mkdir()
    (ci / "build.yaml").write_text("on: [push]\njobs: {}\n")
    result = aim("config.check", "--root", str(ws.root))
    message = assert_clean_error(result, 2)
    assert (f"error: {ws.root}/aim_config.json:3: loging: unknown key 'loging' (did you mean "
            "'logging'?)") in message
    assert f"{own}/mine.yaml:4: steps[0].uses: unknown action 'ecko' (did you mean 'echo'?)" \
        in message
    report = json.loads(aim("config.check", "--root", str(ws.root), "--json").stdout)
    assert report["ok"] is False and len(report["errors"]) == 2
    assert str(own / "mine.yaml") in report["workflows"]


def test_check_never_shows_a_secret_value(tmp_path: Path) -> None:
    value = "sk-ant-api03-Zq8Wm2Lx7Rt4Np1Ks9VbQ"  # made up in Anthropic's format: a canary
    data = small()
    data["deploy"] = {"test_command": f"run --key {value}"}
    ws = write_data(tmp_path / "ws", data)
    for args in (["config.check"], ["config.check", "--json"], ["config.show"], ["tools"]):
        result = aim(*args, "--root", str(ws.root))
        assert result.returncode == 2, (args, result.stderr)
        assert value not in result.stdout + result.stderr
        assert "deploy.test_command: this looks like a secret value" in \
            result.stdout + result.stderr


def test_init_writes_the_shipped_default_once(tmp_path: Path) -> None:
    target = tmp_path / "aim_config.json"
    dry = aim("config.init", "--root", str(tmp_path), "--dry-run")
    assert dry.returncode == 0 and dry.stdout == f"would write {target} (the shipped default)\n"
    assert not target.exists()
    assert aim("config.init", "--root", str(tmp_path)).returncode == 0
    assert target.read_bytes() == default_path().read_bytes()
    assert aim("config.check", "--root", str(tmp_path)).returncode == 0
    target.write_text('{"version": 1}\n')
    message = assert_clean_error(aim("config.init", "--root", str(tmp_path)), 2)
    assert "a config already exists; 'aim config.init' never overwrites one" in message
    assert target.read_text() == '{"version": 1}\n'


def test_a_dry_run_that_predicts_a_failure_says_so_and_exits_1(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    before = (ws.root / "aim_config.json").read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: bad\nsteps:\n  - id: w\n    uses: config.write\n"
                   "    with: {data: {version: 1, tols: {}}}\n")
    result = aim("workflow.run", str(bad), "--root", str(ws.root), "--dry-run")
    assert result.returncode == 1, result.stderr
    assert (f"would fail, nothing written: {ws.root}/aim_config.json: tols: unknown key 'tols' "
            "(did you mean 'tools'?)") in result.stdout
    assert "error: the dry run predicts that this run would fail: w: " in result.stderr
    assert "Traceback" not in result.stderr
    assert (ws.root / "aim_config.json").read_bytes() == before
    assert not ws.state_dir.exists()


def test_a_check_that_would_fail_in_a_dry_run_is_shown_in_the_plan_and_exits_1(
        tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    (ws.root / "README.md").write_text("[gone](gone.md)\n", encoding="utf-8")
    flow = tmp_path / "links.yaml"
    flow.write_text("version: 1\nname: links\nsteps:\n  - id: links\n    uses: docs.check_links\n"
                    "  - id: after\n    uses: docs.check_links\n    with: {fail: false}\n")
    result = aim("workflow.run", str(flow), "--root", str(ws.root), "--dry-run")
    assert result.returncode == 1, result.stderr
    assert "| would fail: 1 broken link(s) in the workspace docs: README.md:1: gone.md" \
        in result.stdout
    assert "2. after" in result.stdout  # the plan goes on past the failing step
    assert "error: the dry run predicts that this run would fail: links: " in result.stderr
    assert not ws.state_dir.exists()


def _check_errors(root: Path) -> list[str]:
    result = aim("config.check", "--root", str(root))
    assert_clean_error(result, 2)
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_config_check_names_a_misspelled_package_once(tmp_path: Path) -> None:
    data = small()
    data["packages"]["pipx"] = ["aider-chatt"]  # the tool and its pin still name aider-chat
    write_data(tmp_path, data)
    errors = _check_errors(tmp_path)
    assert len(errors) == 1, errors
    assert "tools.aider.install.package: 'aider-chat' is not a managed pipx package " \
           "(did you mean 'aider-chatt'?); also named by pins.pipx.aider-chat" in errors[0]


def test_config_check_shows_schema_and_cross_reference_problems_together(
        tmp_path: Path) -> None:
    data = small()
    data["tools"]["aider"]["comand"] = ["aider"]
    data["capabilities"]["code-edit"]["primary"] = "cloud"
    write_data(tmp_path, data)
    errors = _check_errors(tmp_path)
    assert len(errors) == 2, errors
    assert "tools.aider.comand: unknown key 'comand'" in errors[0]
    assert "capabilities.code-edit.primary: no tool 'cloud' in tools" in errors[1]
