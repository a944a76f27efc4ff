"""The workflow tasks from the command line: exit codes, messages, --json, --dry-run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.clitool import aim, assert_clean_error
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, write_workflow

REPO = Path(__file__).resolve().parents[2]


def test_check_reports_a_bad_workflow_with_exit_2(tmp_path: Path) -> None:
    path = write_workflow(tmp_path, "bad", """
        version: 1
        name: bad
        steps:
          - {id: one, uses: bakup.create, with: {paths: [a]}}
    """)
    message = assert_clean_error(aim("workflow.check", str(path)), 2)
    assert f"{path}:4: steps[0].uses: unknown action 'bakup.create' (did you mean " \
           "'backup.create'?)" in message


def test_check_ok_and_json(tmp_path: Path) -> None:
    path = write_workflow(tmp_path, "good", """
        version: 1
        name: good
        steps:
          - {id: one, uses: echo}
    """)
    assert aim("workflow.check", str(path)).stdout.startswith(f"ok: {path}")
    data = json.loads(aim("workflow.check", str(path), "--json").stdout)
    assert data == {"file": str(path), "name": "good", "valid": True, "steps": 1}


def test_every_shipped_workflow_is_listed_and_valid() -> None:
    listed = json.loads(aim("workflow.list", "--json").stdout)
    names = {row["name"] for row in listed}
    shipped = {p.stem for p in (REPO / "workflows").glob("*.yaml")}
    assert names == shipped
    for name in shipped:
        assert aim("workflow.check", name).returncode == 0, name


def test_dry_run_prints_the_plan_and_changes_nothing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    path = write_workflow(tmp_path, "plan", """
        version: 1
        name: plan
        vars: {dest: "${{ inputs.dest || 'copied' }}"}
        steps:
          - {id: copy, uses: file.copy, with: {src: sub, dest: "${{ vars.dest }}"}}
          - id: note
            uses: file.write
            with: {path: "${{ steps.copy.outputs.dest }}/n.md", content: x}
    """)
    result = aim("workflow.run", str(path), "--root", str(ws.root), "--dry-run",
                 "--input", "dest=elsewhere")
    assert result.returncode == 0, result.stderr
    assert "dest: elsewhere" in result.stdout
    assert "changes: <steps.copy.outputs.dest>/n.md" in result.stdout
    plan = json.loads(aim("workflow.run", str(path), "--root", str(ws.root), "--dry-run",
                          "--json").stdout)
    assert plan["files"] == ["copied", "<steps.copy.outputs.dest>/n.md"]
    assert snapshot_tree(ws.root) == before
    assert not ws.state_dir.exists()


def test_bad_flag_exits_2() -> None:
    result = aim("workflow.run", "--no-such-flag")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_bad_input_flag_exits_2(tmp_path: Path) -> None:
    assert_clean_error(aim("workflow.run", "backup", "--root", str(tmp_path), "--input", "oops"),
                       2)


def test_unknown_workflow_exits_2() -> None:
    message = assert_clean_error(aim("workflow.run", "bakup", "--dry-run"), 2)
    assert "no workflow 'bakup' (did you mean 'backup'?)" in message


def test_root_from_aim_environment_not_invoke(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    path = write_workflow(tmp_path, "w", """
        version: 1
        name: w
        steps:
          - {id: one, uses: file.write, with: {path: here.txt, content: x}}
    """)
    result = aim("workflow.run", str(path), "--dry-run", "--json",
                 env={"AIM_ROOT": str(ws.root), "INVOKE_ROOT": "/nowhere"})
    assert json.loads(result.stdout)["root"] == str(ws.root)


def test_internal_error_exits_3_with_a_log(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from aim.cli.handler import handled\n"
        "@handled\n"
        "def body():\n"
        "    raise RuntimeError('a bug')\n"
        "from invoke.exceptions import Exit\n"
        "try:\n"
        "    body()\n"
        "except Exit as e:\n"
        "    sys.exit(e.code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={"AIM_LOG_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    log = next(tmp_path.glob("aim-crash-*.log"))
    assert str(log) in result.stderr
    assert "RuntimeError: a bug" in log.read_text()


def test_invoke_list_shows_the_same_tasks_as_aim() -> None:
    invoke_list = subprocess.run([sys.executable, "-m", "invoke", "--list"], cwd=REPO,
                                 capture_output=True, text=True, check=True).stdout
    aim_list = aim("--list").stdout
    for name in ("workflow.run", "rollback", "runs", "migrate", "deploy", "backup"):
        assert name in invoke_list and name in aim_list
    assert "bench" in invoke_list and "bench" not in aim_list


def test_show_needs_no_workspace_and_dry_run_marks_known_skips(tmp_path: Path) -> None:
    shown = aim("workflow.show", "migrate", "--root", str(tmp_path))
    assert shown.returncode == 0, shown.stderr
    assert "read  (uses legacy.read)" in shown.stdout
    wf = tmp_path / "optional.yaml"
    wf.write_text("version: 1\nname: optional\nsteps:\n"
                  "  - {id: maybe, uses: echo, when: '${{ inputs.flag }}'}\n")
    planned = aim("workflow.run", str(wf), "--root", str(tmp_path), "--dry-run", "--json")
    step = json.loads(planned.stdout)["steps"][0]
    assert step["skipped"] is True
    assert "skipped: its when is false" in aim("workflow.run", str(wf), "--root", str(tmp_path),
                                               "--dry-run").stdout


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "samples" / "workspace", root)
    proc = subprocess.Popen([sys.executable, "-m", "aim", "deploy", "--root", str(root),
                             "--dry-run", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "AIM_KEYRING": "memory"})
    assert proc.stdout is not None and proc.stderr is not None
    assert os.read(proc.stdout.fileno(), 10).startswith(b"{")  # unbuffered: 10 bytes only
    proc.stdout.close()  # like `| head -c 10`: the plan is far longer than a pipe holds
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, errors
    assert "internal error" not in errors and "Traceback" not in errors


def test_root_from_aim_yaml_in_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "invoke.yaml").write_text(f"root: {tmp_path / 'elsewhere'}\n")
    assert aim("status", cwd=tmp_path).stdout.startswith(f"workspace {tmp_path}\n")
    (tmp_path / "aim.yaml").write_text(f"root: {tmp_path / 'ws'}\n")
    assert aim("status", cwd=tmp_path).stdout.startswith(f"workspace {tmp_path / 'ws'}\n")


def test_check_finds_an_expression_that_is_never_closed(tmp_path: Path) -> None:
    path = write_workflow(tmp_path, "unclosed", """
        version: 1
        name: unclosed
        steps:
          - {id: write, uses: file.write, with: {path: new.txt, content: hi}}
          - {id: show, uses: echo, with: {message: "${{ steps.write.outputs.path "}}
    """)
    message = assert_clean_error(aim("workflow.check", str(path)), 2)
    assert f"{path}:5: steps[1].with: '${{{{ steps.write.outputs.path ': '${{{{' is not " \
           "closed; end the expression with '}}'" in message
    root = make_workspace(tmp_path / "ws").root
    ran = aim("workflow.run", str(path), "--root", str(root))
    assert_clean_error(ran, 2)
    assert not (root / "new.txt").exists()
