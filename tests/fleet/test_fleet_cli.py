"""The fleet tasks without SSH: bad input is exit 2, a held fleet lock exit 4, Fabric optional."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from aim.fleet.hostjob import remote_command
from aim.fleet.inventory import Host
from aim.fleet.journal import fleet_workspace
from aim.workflow.lock import WorkspaceLock
from aim.workspace import Workspace
from tests.cli.clitool import aim, assert_clean_error


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def inventory(root: Path, extra: str = "") -> Path:
    root.mkdir(exist_ok=True)
    path = root / "fleet.yaml"
    path.write_text(f"version: 1\nhosts:\n  - name: gone\n    ssh: nobody@127.0.0.1:{dead_port()}"
                    f"\n    root: /srv/aim\n{extra}")
    return path


def test_without_fabric_the_fleet_says_how_to_install_it(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['fabric'] = None; sys.argv = ['aim', 'fleet.status', "
            f"'--root', {str(tmp_path)!r}]; from aim.cli.program import main; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert "pip install 'aim-plus[fleet]'" in assert_clean_error(done, 2)


def test_aim_help_does_not_load_fabric() -> None:
    code = ("import sys; from aim.cli.program import build_program; build_program(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fabric', 'paramiko')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_a_bad_inventory_is_exit_2_with_its_line_and_key_path(tmp_path: Path) -> None:
    path = inventory(tmp_path / "ctl", "    aim: 7\n")
    message = assert_clean_error(aim("fleet.status", "--root", str(tmp_path / "ctl")), 2)
    assert f"{path}:6: hosts[0].aim: must be a string, not a whole number" in message


def test_bad_flags_are_exit_2(tmp_path: Path) -> None:
    inventory(tmp_path / "ctl")
    root = ("--root", str(tmp_path / "ctl"))
    assert "--serial 'x'" in assert_clean_error(aim("fleet.deploy", "--serial", "x", *root), 2)
    assert "--forks 0" in assert_clean_error(aim("fleet.status", "--forks", "0", *root), 2)
    assert "no host or group named 'web'" in assert_clean_error(
        aim("fleet.status", "--hosts", "web", *root), 2)


def test_a_secret_the_controller_keyring_lacks_stops_everything(tmp_path: Path) -> None:
    path = inventory(tmp_path / "ctl", "secrets: [OPENAI_API_KEY]\n")
    message = assert_clean_error(aim("fleet.deploy", "--root", str(tmp_path / "ctl")), 2)
    assert f"{path}:6: secrets[0]: 'OPENAI_API_KEY' is not in this machine's keyring" in message
    assert not (tmp_path / "ctl" / ".aim" / "fleet").exists()


def test_another_fleet_command_holding_the_lock_is_exit_4(tmp_path: Path) -> None:
    inventory(tmp_path / "ctl")
    with WorkspaceLock(fleet_workspace(Workspace.at(tmp_path / "ctl")), "aim fleet.deploy"):
        done = aim("fleet.deploy", "--root", str(tmp_path / "ctl"))
    assert "another fleet command is running" in assert_clean_error(done, 4)


def test_a_dead_port_is_unreachable_in_the_table_and_the_journal(tmp_path: Path) -> None:
    inventory(tmp_path / "ctl")
    done = aim("fleet.validate", "--root", str(tmp_path / "ctl"), "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [row] = json.loads(done.stdout)
    assert row["outcome"] == "unreachable" and "connection refused" in row["reason"]
    listed = aim("fleet.runs", "--root", str(tmp_path / "ctl"), "--json")
    [run] = json.loads(listed.stdout)
    assert run["fleet_run"] == row["fleet_run"] and run["counts"] == {"unreachable": 1}
    assert [h["outcome"] for h in run["hosts"]] == ["unreachable"]


def test_the_remote_command_line_holds_env_task_and_flags_quoted_for_sh() -> None:
    host = Host("h", "h", "/srv/my ws", "/opt/aim/bin/aim", (("AIM_KEYRING", "sandbox:/k j"),))
    assert remote_command(host, ["deploy", "--secrets-from", "stdin"]) == (
        "'AIM_KEYRING=sandbox:/k j' /opt/aim/bin/aim deploy --secrets-from stdin "
        "--root '/srv/my ws' --json")
