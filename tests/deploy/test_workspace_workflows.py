"""The workspace's own workflows (aim-workflows/): they replace shipped ones for aim deploy,
nested workflow steps find them too, and eject, diff and new work through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.clitool import aim, assert_clean_error
from tests.deploy.deployutil import Sandbox, picture

EXTRA_STEP = """  - id: extra
    uses: file.write
    with: {path: notes/extra.txt, content: "written by the workspace's own deploy"}
"""


def _eject(sandbox: Sandbox, name: str) -> Path:
    done = sandbox.aim("workflow.eject", name)
    assert done.returncode == 0, done.stderr
    path = sandbox.root / "aim-workflows" / f"{name}.yaml"
    assert path.read_text().startswith("# yaml-language-server: $schema=file://")
    return path


def test_an_override_of_deploy_runs_its_extra_step_and_rolls_back(fresh: Sandbox) -> None:
    path = _eject(fresh, "deploy")
    path.write_text(path.read_text() + EXTRA_STEP)
    before = picture(fresh)
    listed = json.loads(fresh.aim("workflow.list", "--json").stdout)
    deploy = next(row for row in listed if row["name"] == "deploy")
    assert deploy["origin"] == "workspace" and deploy["file"] == str(path)
    assert deploy["overrides"].endswith("workflows/deploy.yaml")
    done = fresh.deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "success  extra" in done.stdout
    assert (fresh.root / "notes" / "extra.txt").read_text().startswith("written by")
    undone = fresh.aim("rollback")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert picture(fresh) == before


def test_diff_shows_the_change_against_the_shipped_workflow(fresh: Sandbox) -> None:
    path = _eject(fresh, "deploy")
    same = fresh.aim("workflow.diff", "deploy")
    assert same.returncode == 0 and "is the same as the shipped deploy" in same.stdout
    path.write_text(path.read_text() + EXTRA_STEP)
    changed = fresh.aim("workflow.diff", "deploy")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.startswith("--- shipped/deploy.yaml\n+++ ")
    assert "+  - id: extra" in changed.stdout and "yaml-language-server" not in changed.stdout
    missing = fresh.aim("workflow.diff", "migrate")
    assert "is not replaced in this workspace" in assert_clean_error(missing, 2)


def test_nested_workflow_steps_find_the_workspace_override(fresh: Sandbox) -> None:
    path = _eject(fresh, "migrate")
    path.write_text(path.read_text() + "  - {id: marker, uses: echo, with: {message: here}}\n")
    plan = fresh.deploy("--dry-run")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "migrate.marker" in plan.stdout


def test_new_starts_a_workflow_that_runs_by_name(fresh: Sandbox) -> None:
    created = fresh.aim("workflow.new", "hello")
    assert created.returncode == 0, created.stderr
    assert fresh.aim("workflow.check", "hello").returncode == 0
    ran = fresh.aim("workflow.run", "hello")
    assert ran.returncode == 0 and "success  hello" in ran.stdout
    again = fresh.aim("workflow.new", "hello")
    assert "exists already" in assert_clean_error(again, 2)
    shipped = fresh.aim("workflow.new", "deploy")
    assert "'aim workflow.eject deploy'" in assert_clean_error(shipped, 2)
    rows = {r["name"]: r["origin"] for r in json.loads(fresh.aim("workflow.list",
                                                                  "--json").stdout)}
    assert rows["hello"] == "workspace" and rows["deploy"] == "shipped"


def test_aim_workflows_variable_and_config_name_the_folder(fresh: Sandbox,
                                                           tmp_path: Path) -> None:
    elsewhere = tmp_path / "team-workflows"
    elsewhere.mkdir()
    (elsewhere / "hello.yaml").write_text(
        "version: 1\nname: hello\nsteps:\n  - {id: hi, uses: echo, with: {message: hi}}\n")
    env = {**fresh.env, "AIM_WORKFLOWS": str(elsewhere)}
    ran = aim("workflow.run", "hello", "--root", str(fresh.root), env=env)
    assert ran.returncode == 0 and "success  hi" in ran.stdout, ran.stderr
    assert aim("workflow.run", "hello", "--root", str(fresh.root),
               env=fresh.env).returncode == 2
    config = json.loads((fresh.root / "aim_config.json").read_text()) \
        if (fresh.root / "aim_config.json").exists() else {"version": 1}
    config["workflows_dir"] = "../outside"
    (fresh.root / "aim_config.json").write_text(json.dumps(config))
    outside = fresh.aim("workflow.list")
    assert "outside the workspace" in assert_clean_error(outside, 2) or \
        "'..'" in outside.stderr
